"""Who may do what in a home: roles, token scopes, and the person a request acts for.

A person belongs to a home with one :class:`Role`. Programs act through API tokens, each limited to one
home and to a set of :class:`Scope` s; what a token may do is what its owner's role allows *and* its scopes
allow. Guests may use the home but not open it up: no sensitive command (unlocking a door, opening the
gas valve, starting the car — DESIGN §3's confirmed actions), and no changes to routines, schedules,
members or history.

The request being served carries its :class:`Actor` in a context variable, so that the hub's command
events can be audited with who asked and how, and the assistant can refuse a guest's sensitive request
before asking to confirm it, without threading the caller through every layer. Nothing here does I/O.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum

from jipsa.core.devices import Device


class Role(StrEnum):
    """A person's standing in one home; stable wire strings."""

    OWNER = "owner"
    """Everything, including members, tokens of others and the audit log."""
    MEMBER = "member"
    """Everything in the home, sensitive commands, routines and schedules included; not its members."""
    GUEST = "guest"
    """Look, switch and talk; no sensitive command and no changes to routines, schedules or members."""


class Scope(StrEnum):
    """What an API token may be used for; stable wire strings."""

    READ = "read"
    """See the home: devices, state, routines, schedules, the live event stream."""
    CONTROL = "control"
    """Send commands, talk to the assistant, run routines."""
    MANAGE = "manage"
    """Create and delete routines and schedules; read the history."""
    ADMIN = "admin"
    """Members and the audit log (owners only)."""


ALL_SCOPES: frozenset[Scope] = frozenset(Scope)
"""Every scope: what a logged-in person's web session has (limited by the role)."""

ROLE_SCOPES: dict[Role, frozenset[Scope]] = {
    Role.OWNER: ALL_SCOPES,
    Role.MEMBER: frozenset({Scope.READ, Scope.CONTROL, Scope.MANAGE}),
    Role.GUEST: frozenset({Scope.READ, Scope.CONTROL}),
}
"""The scopes each role allows."""


def parse_scopes(words: str | list[str] | tuple[str, ...]) -> frozenset[Scope]:
    """Scopes from ``"read,control"`` or a list; ``ValueError`` naming an unknown one."""
    items = words.replace(" ", ",").split(",") if isinstance(words, str) else list(words)
    scopes = set()
    for item in (w.strip() for w in items):
        if not item:
            continue
        try:
            scopes.add(Scope(item))
        except ValueError:
            known = ", ".join(s.value for s in Scope)
            raise ValueError(f"unknown scope {item!r}; the scopes are {known}") from None
    if not scopes:
        raise ValueError("at least one scope is needed")
    return frozenset(scopes)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who a request acts for, and how it came in."""

    user: str
    """The person's user name (``system`` for jipsa's own schedules)."""
    via: str
    """How: ``web`` (a browser session), ``token:<id>``, ``cli``, ``schedule``."""
    role: Role = Role.OWNER
    """The person's role in the home being acted on."""
    scopes: frozenset[Scope] = ALL_SCOPES
    """What the credential allows; the effective rights are these within the role's."""
    text: str | None = None
    """The words that asked for it, when a person asked the assistant (for the audit log)."""

    def may(self, scope: Scope) -> bool:
        """Whether this actor may do what ``scope`` covers in the home."""
        return scope in self.scopes and scope in ROLE_SCOPES[self.role]

    def may_command(self, device: Device, capability: str, command: str) -> bool:
        """Whether this actor may send ``command`` to ``device``: control rights, and for a sensitive
        command more than a guest's role."""
        if not self.may(Scope.CONTROL):
            return False
        return self.role is not Role.GUEST or not device.is_sensitive(capability, command)


_ACTOR: ContextVar[Actor | None] = ContextVar("jipsa_actor", default=None)


def current_actor() -> Actor | None:
    """The actor of the request being served in this task, if an edge set one."""
    return _ACTOR.get()


@contextlib.contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    """Serve the enclosed code on behalf of ``actor`` (restored on leaving)."""
    token = _ACTOR.set(actor)
    try:
        yield actor
    finally:
        _ACTOR.reset(token)
