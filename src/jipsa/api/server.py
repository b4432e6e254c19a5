"""What the HTTP edge serves: several running homes, the accounts store, the audit log and rate limits.

One :class:`Server` holds one :class:`~jipsa.app.App` per home, by home id, and the accounts store that
says who belongs to which. Every command a home's hub sends is audited here: the hub publishes a command
event in the task that sent the command, where the acting person is known
(:func:`jipsa.core.access.current_actor`); a command sent by no one (a schedule firing) is jipsa's own.
Audit records are written behind, a batch at a time, and flushed when the server stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from jipsa.app import App
from jipsa.core.access import Actor, current_actor
from jipsa.core.errors import JipsaError
from jipsa.core.messages import Event, EventType
from jipsa.store.accounts import AccountStore, AuditRecord

log = logging.getLogger(__name__)

AUDIT_SECONDS = 0.2
"""Audit records are written at most this long after the command."""

SYSTEM = Actor(user="system", via="schedule")
"""Who sends the commands no person asked for at that moment (schedules, conditions)."""


@dataclass(frozen=True, slots=True)
class ApiSettings:
    """How the HTTP edge behaves."""

    secure_cookies: bool = True
    """Send the session cookie only over HTTPS (browsers also accept it from ``http://localhost``)."""
    cors_origins: tuple[str, ...] = ()
    """Origins allowed to call the API from a browser; none by default."""
    max_body_bytes: int = 64 * 1024
    """Largest request body accepted."""
    logins_per_minute: int = 5
    """Login attempts allowed per client address and user name."""
    turns_per_minute: int = 60
    """Conversation turns allowed per person."""
    session_days: float = 14.0
    """How long a web session lasts."""
    event_queue: int = 1000
    """Events a live-event client may fall behind by before it is told to reload."""


def audit_record(home_id: str, event: Event) -> AuditRecord | None:
    """The audit record of a command event of home ``home_id``, sent on behalf of the current actor
    (jipsa itself when there is none); ``None`` for any other event."""
    if event.type not in (EventType.COMMAND_DONE, EventType.COMMAND_FAILED):
        return None
    actor = current_actor() or SYSTEM
    data = event.data
    return AuditRecord(at=event.at, home=home_id, user=actor.user, via=actor.via,
                       device_id=event.device_id or "", command=str(data.get("command", "")),
                       args=dict(data.get("args") or {}), ok=event.type is EventType.COMMAND_DONE,
                       error=data.get("error"), text=actor.text)


class RateLimiter:
    """A token bucket per key: ``per_minute`` requests a minute, in bursts of up to that many."""

    def __init__(self, per_minute: int, *, monotonic: Callable[[], float], max_keys: int = 10_000) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        self.rate = per_minute / 60.0
        self.burst = float(per_minute)
        self._monotonic = monotonic
        self._max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: str) -> float:
        """Spend one request of ``key``: ``0`` when allowed, else the seconds until one is."""
        now = self._monotonic()
        tokens, then = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.rate)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            return max(1.0, math.ceil((1.0 - tokens) / self.rate))
        if len(self._buckets) >= self._max_keys and key not in self._buckets:
            # Forget full buckets first: they say nothing a fresh bucket would not.
            full = [k for k, (t, at) in self._buckets.items() if t + (now - at) * self.rate >= self.burst]
            for k in full or list(self._buckets)[: self._max_keys // 10]:
                del self._buckets[k]
        self._buckets[key] = (tokens - 1.0, now)
        return 0.0


class Server:
    """The homes and accounts behind the HTTP edge. Use ``async with Server(...):``."""

    def __init__(self, apps: Mapping[str, App], accounts: AccountStore, settings: ApiSettings | None = None,
                 *, monotonic: Callable[[], float] | None = None) -> None:
        if not apps:
            raise ValueError("a server needs at least one home")
        self.apps = dict(apps)
        self.accounts = accounts
        self.settings = settings or ApiSettings()
        clock = next(iter(self.apps.values())).clock
        tick = monotonic or clock.monotonic
        self.monotonic = tick
        """Seconds for rate limits and live-stream checks (the homes' clock unless given)."""
        self.login_limit = RateLimiter(self.settings.logins_per_minute, monotonic=tick)
        self.turn_limit = RateLimiter(self.settings.turns_per_minute, monotonic=tick)
        self._audit: list[AuditRecord] = []
        self._writer: asyncio.Task[None] | None = None
        self._stack = contextlib.AsyncExitStack()
        for home_id, app in self.apps.items():
            app.hub.bus.add_listener(self._auditor(home_id))

    def app(self, home_id: str) -> App | None:
        """The running home ``home_id``, if this server has it."""
        return self.apps.get(home_id)

    # -- audit -----------------------------------------------------------------------------------

    def _auditor(self, home_id: str) -> Callable[[Event], None]:
        def audit(event: Event) -> None:
            record = audit_record(home_id, event)
            if record is not None:
                self._keep(record)
        return audit

    def audit_refused(self, home_id: str, actor: Actor, device_id: str, command: str,
                      args: Mapping[str, Any], error: str) -> None:
        """Audit a command refused before it reached the hub: not allowed, or not valid for the device."""
        app = self.apps[home_id]
        self._keep(AuditRecord(at=app.clock.now(), home=home_id, user=actor.user, via=actor.via,
                               device_id=device_id, command=command, args=dict(args), ok=False,
                               error=error, text=actor.text))

    def _keep(self, record: AuditRecord) -> None:
        """Queue one audit record for the writer (written at once when the server is not running)."""
        self._audit.append(record)
        if self._writer is None:
            self.flush_audit()

    def flush_audit(self) -> None:
        """Write the audit records not yet written; a store error is logged, never raised."""
        records, self._audit = self._audit, []
        if not records:
            return
        try:
            self.accounts.add_audit(records)
        except JipsaError as exc:
            log.warning("could not write %d audit records: %s", len(records), exc)

    async def _write_audit(self) -> None:
        while True:
            await asyncio.sleep(AUDIT_SECONDS)
            self.flush_audit()

    # -- running ---------------------------------------------------------------------------------

    async def __aenter__(self) -> Server:
        try:
            for app in self.apps.values():
                await self._stack.enter_async_context(app)
        except BaseException:
            await self._stack.aclose()
            raise
        self._writer = asyncio.create_task(self._write_audit(), name="api:audit")
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await writer
        try:
            await self._stack.aclose()
        finally:
            self.flush_audit()
