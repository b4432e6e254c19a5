"""The ports the hub depends on: adapters (``DeviceLink``) and persistence (``Store``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from jipsa.core.capabilities import Value
from jipsa.core.devices import Device, Home
from jipsa.core.messages import Command, Event, StateReport

ReportSink = Callable[[StateReport], None]
"""Where an adapter delivers state reports: the hub's ingestion, called on the event loop."""


class DeviceLink(Protocol):
    """An adapter as the hub sees it: one transport or vendor, many devices.

    The hub calls :meth:`run` inside its task group; it runs until cancelled and delivers every state
    report through ``sink``. :meth:`send` delivers one validated command and returns once the adapter
    has handed it over (and, where the transport confirms, once confirmed); it raises
    ``DeviceUnavailableError`` or ``AdapterNotReadyError`` when it cannot.
    """

    name: str
    """The adapter's name, as devices' ``vendor`` field names it (``virtual``, ``mqtt``)."""

    async def run(self, devices: Sequence[Device], sink: ReportSink) -> None:
        """Serve ``devices`` until cancelled, reporting state through ``sink``."""
        ...

    async def send(self, command: Command) -> None:
        """Deliver one validated command."""
        ...


class Store(Protocol):
    """Persistence of the home, the current state of its devices and its event history.

    Every method commits before it returns: a process killed afterwards loses nothing it wrote.
    """

    def save_home(self, home: Home, source: str) -> None:
        """Keep the home (``source`` is its home file's text)."""
        ...

    def load_home_source(self) -> str | None:
        """The home file text last saved, if any."""
        ...

    def save_states(self, states: Mapping[str, Mapping[str, Value]], at: datetime) -> None:
        """Merge attribute values into the stored state of these devices."""
        ...

    def save_availability(self, device_id: str, available: bool, at: datetime) -> None:
        """Record whether a device is reachable."""
        ...

    def load_states(self) -> dict[str, dict[str, Value]]:
        """The stored state of every device."""
        ...

    def load_availability(self) -> dict[str, bool]:
        """The stored reachability of every device that has one."""
        ...

    def last_update(self) -> datetime | None:
        """When state was last saved, if ever."""
        ...

    def append_events(self, events: Sequence[Event]) -> None:
        """Add events to the history."""
        ...

    def events(self, *, limit: int = 100, device_id: str | None = None,
               before_id: int | None = None) -> list[tuple[int, Event]]:
        """The newest events first, with their ids, optionally for one device or before an id."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...
