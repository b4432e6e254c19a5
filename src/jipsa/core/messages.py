"""The messages that cross the hub: commands to devices, state reports from them, events to listeners."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from jipsa.core.capabilities import Value


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, slots=True)
class Command:
    """One validated instruction to one device: ``set_temperature(temperature=24)`` on an AC.

    Build it with :func:`jipsa.core.validation.validate_command`, which checks it against the device.
    """

    device_id: str
    """The target device."""
    capability: str
    """The capability the command belongs to."""
    command: str
    """The command's wire name."""
    args: Mapping[str, Value] = field(default_factory=lambda: MappingProxyType({}))
    """Arguments in catalogue units."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "args", _frozen(self.args))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {"device_id": self.device_id, "capability": self.capability,
                "command": self.command, "args": dict(self.args)}


@dataclass(frozen=True, slots=True)
class StateReport:
    """What a device says about itself: attribute values and, when known, whether it is reachable."""

    device_id: str
    """The reporting device."""
    values: Mapping[str, Value] = field(default_factory=lambda: MappingProxyType({}))
    """Attribute values that changed or were read."""
    available: bool | None = None
    """``True``/``False`` when the adapter knows; ``None`` when it says nothing about it."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", _frozen(self.values))


class EventType(StrEnum):
    """What an event tells listeners; stable wire strings."""

    STATE_CHANGED = "state_changed"
    AVAILABILITY_CHANGED = "availability_changed"
    COMMAND_DONE = "command_done"
    COMMAND_FAILED = "command_failed"
    DEVICE_ADDED = "device_added"
    DEVICE_REMOVED = "device_removed"


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened in the home, for listeners and the history."""

    type: EventType
    """What happened."""
    at: datetime
    """When it happened (time-zone aware)."""
    device_id: str | None = None
    """The device it concerns, if any."""
    data: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    """Details: changed values, the command and its error, …"""

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("event time must be time-zone aware")
        object.__setattr__(self, "data", _frozen(self.data))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {"type": self.type.value, "at": self.at.isoformat(), "device_id": self.device_id,
                "data": dict(self.data)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Event:
        """The event from its :meth:`to_dict` form; ``ValueError`` on a malformed one."""
        try:
            return cls(type=EventType(data["type"]), at=datetime.fromisoformat(data["at"]),
                       device_id=data.get("device_id"), data=dict(data.get("data") or {}))
        except (KeyError, TypeError) as exc:
            raise ValueError(f"malformed event: {exc}") from exc
