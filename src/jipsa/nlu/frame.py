"""What the language layer hands the assistant: one understood request per :class:`Frame`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from jipsa.core.capabilities import Value


@dataclass(frozen=True, slots=True)
class Frame:
    """One understood request: intent, slots, resolved target devices and command arguments.

    Serialised by :meth:`to_dict` in the ``jipsa parse`` contract (DESIGN §5).
    """

    intent: str
    """Home Assistant's intent name where one fits (``HassTurnOn``), else jipsa's (docs/intents.md)."""
    slots: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    """What the words said: ``area`` and ``name`` as spoken, ``domain``, ``device_class``, ``attribute`` …"""
    targets: tuple[str, ...] = ()
    """Resolved device ids, in home-file order."""
    args: Mapping[str, Value] = field(default_factory=lambda: MappingProxyType({}))
    """Command arguments in catalogue units (``temperature``, ``temperature_delta`` …)."""
    confidence: float = 1.0
    """How sure the parser is, 0–1."""
    ambiguous: bool = False
    """Several devices fit equally and ``targets`` holds the best guesses; ask before acting."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "slots", MappingProxyType(dict(self.slots)))
        object.__setattr__(self, "args", MappingProxyType(dict(self.args)))
        object.__setattr__(self, "targets", tuple(self.targets))
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError("confidence must be within 0–1")

    def to_dict(self) -> dict[str, Any]:
        """The frame in the ``jipsa parse`` output contract."""
        out: dict[str, Any] = {"intent": self.intent, "slots": dict(self.slots),
                               "targets": list(self.targets), "args": dict(self.args)}
        if self.ambiguous:
            out["ambiguous"] = True
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Frame:
        """A frame back from :meth:`to_dict` (a stored schedule's frames)."""
        return cls(str(data.get("intent", "")), dict(data.get("slots", {})), tuple(data.get("targets", ())),
                   dict(data.get("args", {})), ambiguous=bool(data.get("ambiguous", False)))


@dataclass(frozen=True, slots=True)
class ParseResult:
    """Everything understood in one utterance."""

    text: str
    """The utterance as given."""
    frames: tuple[Frame, ...] = ()
    """The requests in it, in spoken order; empty when nothing was understood."""
    reason: str | None = None
    """Why nothing was understood (``out_of_domain``, ``no_device``, ``empty`` …), when ``frames`` is
    empty."""
    unheld: str | None = None
    """With ``unsupported``: the setting asked for that no device has, for a reply that names it
    (``wind_free``: 무풍; ``aimed``: the air pointed one way or at someone)."""

    @property
    def ok(self) -> bool:
        """Whether at least one request was understood."""
        return bool(self.frames)

    @property
    def ambiguous(self) -> bool:
        """Whether any frame is ambiguous."""
        return any(f.ambiguous for f in self.frames)

    def to_dict(self) -> dict[str, Any]:
        """The line ``jipsa parse`` prints for this utterance (DESIGN §5)."""
        out: dict[str, Any] = {"text": self.text, "frames": [f.to_dict() for f in self.frames],
                               "ok": self.ok}
        if self.ambiguous:
            out["ambiguous"] = True
        if not self.ok:
            out["reason"] = self.reason or "not_understood"
        return out
