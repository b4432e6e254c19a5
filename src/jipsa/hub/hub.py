"""The running home: the registry of device state, command dispatch to adapters, and events.

The hub knows the home, one :class:`~jipsa.hub.ports.DeviceLink` per adapter name, an optional
:class:`~jipsa.hub.ports.Store` and a clock. State reports from adapters are validated against each
device's capabilities, merged into the registry, published as events and written to the store (while the
hub runs, at most :data:`PERSIST_SECONDS` later, many in one transaction, on a writer thread so that the
event loop never waits for the disk).
Commands go out through the device's adapter and come back as a :class:`CommandOutcome`.

Use it as an async context manager: entering starts every adapter in the hub's task group, leaving
stops them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping, Sequence
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType, TracebackType
from typing import Any

from jipsa.core.capabilities import Value
from jipsa.core.clock import Clock
from jipsa.core.devices import Area, Device, Home
from jipsa.core.errors import (
    AdapterNotReadyError,
    DeviceUnavailableError,
    JipsaError,
    UnknownDeviceError,
)
from jipsa.core.messages import Command, Event, EventType, StateReport
from jipsa.core.validation import valid_state_values
from jipsa.hub.bus import EventBus
from jipsa.hub.ports import DeviceLink, Store

log = logging.getLogger(__name__)

DEFAULT_COMMAND_TIMEOUT = 5.0
"""Seconds an adapter gets to deliver one command."""

PERSIST_SECONDS = 0.1
"""While the hub runs, state and events are written to the store at most this long after they happen,
in one transaction for all of them (one per report would cap ingestion near 3,500 reports/s on SQLite)."""

PERSIST_BATCH = 2000
"""Changes waiting this many are handed to the writer at once, without waiting for the interval; if the
batch before is still being written (a burst faster than the disk: every device's retained state at
start-up), the hub waits for it first, so memory holds at most two batches however long the burst."""

PERSIST_WAIT = 1.0
"""The longest the hub waits for a batch in flight before it lets changes wait in memory instead (a store
that has stalled must not stop the event loop)."""


@dataclass(frozen=True, slots=True)
class _Batch:
    """What one write-behind transaction saves."""

    states: dict[str, dict[str, Value]]
    availability: dict[str, tuple[bool, datetime]]
    events: list[Event]
    writes: list[Callable[[], object]]
    at: datetime


@dataclass(frozen=True, slots=True)
class CommandOutcome:
    """What became of one command."""

    command: Command
    """The command that was sent."""
    error: JipsaError | None = None
    """Why it failed, or ``None`` when it was delivered."""

    @property
    def ok(self) -> bool:
        """Whether the command was delivered."""
        return self.error is None


class Hub:
    """Registry, dispatch and events for one home."""

    def __init__(self, home: Home, *, links: Mapping[str, DeviceLink], clock: Clock,
                 store: Store | None = None, bus: EventBus | None = None,
                 command_timeout: float = DEFAULT_COMMAND_TIMEOUT) -> None:
        self.home = home
        self.clock = clock
        self.bus = bus or EventBus()
        self._links = dict(links)
        self._store = store
        self._timeout = command_timeout
        self._runner: asyncio.Task[None] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._unsaved_states: dict[str, dict[str, Value]] = {}
        self._unsaved_availability: dict[str, tuple[bool, datetime]] = {}
        self._unsaved_events: list[Event] = []
        self._unsaved_writes: list[Callable[[], object]] = []
        self._wake = asyncio.Event()
        self._writes = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jipsa-store")
        self._last_write: Future[None] | None = None
        self._stalled = False
        """Whether the last wait for the writer ran out (said once, until it catches up)."""
        stored = store.load_states() if store else {}
        stored_availability = store.load_availability() if store else {}
        self._state: dict[str, dict[str, Value]] = {}
        self._available: dict[str, bool] = {}
        for device in home.devices:
            values = dict(device.initial_state)
            values.update(valid_state_values(device, stored.get(device.id, {}))[0])
            self._state[device.id] = values
            self._available[device.id] = stored_availability.get(device.id, True)

    # -- reading ---------------------------------------------------------------------------------

    def device(self, device_id: str) -> Device:
        """The home's device ``device_id``; :class:`UnknownDeviceError` if there is none."""
        device = self.home.device(device_id)
        if device is None:
            raise UnknownDeviceError(device_id)
        return device

    def state(self, device_id: str) -> Mapping[str, Value]:
        """The current attribute values of a device."""
        self.device(device_id)
        return MappingProxyType(self._state[device_id])

    def states(self) -> dict[str, dict[str, Value]]:
        """A copy of every device's current state."""
        return {device_id: dict(values) for device_id, values in self._state.items()}

    def available(self, device_id: str) -> bool:
        """Whether the device is reachable, as far as its adapter has told."""
        self.device(device_id)
        return self._available[device_id]

    # -- state in --------------------------------------------------------------------------------

    def ingest(self, report: StateReport) -> None:
        """Take a state report from an adapter: validate, merge, publish and persist the changes."""
        device = self.home.device(report.device_id)
        if device is None:
            log.warning("state report for unknown device %r ignored", report.device_id)
            return
        values, problems = valid_state_values(device, report.values)
        for problem in problems:
            log.warning("state report for %s: %s", device.id, problem)
        now = self.clock.now()
        events: list[Event] = []
        current = self._state[device.id]
        changed = {k: v for k, v in values.items() if k not in current or current[k] != v}
        if changed:
            current.update(changed)
            events.append(Event(EventType.STATE_CHANGED, now, device.id, {"changes": changed}))
        if report.available is not None and report.available != self._available[device.id]:
            self._available[device.id] = report.available
            log.info("%s is now %s", device.id, "available" if report.available else "unavailable")
            events.append(Event(EventType.AVAILABILITY_CHANGED, now, device.id,
                                {"available": report.available}))
        if not events:
            return
        if self._store is not None:
            if changed:
                self._unsaved_states.setdefault(device.id, {}).update(changed)
            if report.available is not None:
                self._unsaved_availability[device.id] = (report.available, now)
            self._unsaved_events.extend(events)
            self._persist_soon()
        for event in events:
            self.bus.publish(event)

    # -- devices found at run time ---------------------------------------------------------------

    def update_devices(self, devices: Sequence[Device] = (), removed: Sequence[str] = (),
                       areas: Sequence[Area] = ()) -> None:
        """Take devices an adapter discovered (new or changed, by id), lost (``removed``), and the new
        areas they are in. The home is rebuilt once for the whole batch; a changed device keeps the
        state that still fits it. ``ValueError`` (and nothing changes) if the result is not a valid home.
        """
        home = self.home.with_devices(devices, removed, areas)
        now = self.clock.now()
        events: list[Event] = []
        for device_id in removed:
            if self.home.device(device_id) is not None:
                self._state.pop(device_id, None)
                self._available.pop(device_id, None)
                events.append(Event(EventType.DEVICE_REMOVED, now, device_id, {}))
        for device in devices:
            before = self.home.device(device.id)
            values = dict(device.initial_state)
            values.update(valid_state_values(device, self._state.get(device.id, {}))[0])
            self._state[device.id] = values
            self._available.setdefault(device.id, True)
            if before != device:
                events.append(Event(EventType.DEVICE_ADDED, now, device.id,
                                    {"name": device.name, "type": device.type.value,
                                     "vendor": device.vendor, "updated": before is not None}))
        self.home = home
        if events and self._store is not None:
            self._unsaved_events.extend(events)
            self._persist_soon()
        for event in events:
            self.bus.publish(event)

    # -- persistence -----------------------------------------------------------------------------

    def _persist_soon(self) -> None:
        # Without the writer task (the hub is not running) nothing would write later: write now.
        if self._writer is None:
            self.flush()
            return
        if len(self._unsaved_events) + len(self._unsaved_writes) >= PERSIST_BATCH:
            before = self._last_write
            if before is not None and not before.done():
                # The writer thread is behind: wait for it, but not for a store that has stalled (a
                # database far away): then the changes wait in memory, as they would without the bound,
                # and the writer takes them when it can.
                if self._stalled:
                    return
                done, _late = futures.wait([before], timeout=PERSIST_WAIT)
                if not done:
                    log.warning("the store has not finished a write for %g s; changes wait in memory",
                                PERSIST_WAIT)
                    self._stalled = True
                    return
            self._stalled = False
            batch = self._take_batch()
            if batch is not None:
                self._last_write = self._writes.submit(self._write, batch)

    def write_behind(self, write: Callable[[], object]) -> None:
        """Run ``write`` (a store write, such as a request record) with the next batch, in order with the
        state and events; at once when the hub is not running. A ``JipsaError`` from it is logged."""
        self._unsaved_writes.append(write)
        self._persist_soon()

    def flush(self) -> None:
        """Write the state, availability, events and deferred writes not yet in the store, and wait until
        they are written (after any batch already being written).

        A store error is logged and the changes are dropped from the write-behind (the live state keeps
        them, and devices report again); it never stops the hub."""
        batch = self._take_batch()
        if batch is not None:
            self._last_write = self._writes.submit(self._write, batch)
        if self._last_write is not None:
            self._last_write.result()  # this batch, or the one in flight

    def _take_batch(self) -> _Batch | None:
        if not (self._unsaved_states or self._unsaved_availability or self._unsaved_events
                or self._unsaved_writes):
            return None
        batch = _Batch(self._unsaved_states, self._unsaved_availability, self._unsaved_events,
                       self._unsaved_writes, self.clock.now())
        self._unsaved_states, self._unsaved_availability = {}, {}
        self._unsaved_events, self._unsaved_writes = [], []
        return batch

    def _write(self, batch: _Batch) -> None:
        """Write one batch (on the writer thread: the store serialises its callers)."""
        if self._store is not None:
            try:
                if batch.states:
                    self._store.save_states(batch.states, batch.at)
                for device_id, (available, at) in batch.availability.items():
                    self._store.save_availability(device_id, available, at)
                if batch.events:
                    self._store.append_events(batch.events)
            except JipsaError as exc:
                log.warning("could not save %d state changes and %d events: %s", len(batch.states),
                            len(batch.events), exc)
        for write in batch.writes:
            try:
                write()
            except JipsaError as exc:
                log.warning("could not save a record: %s", exc)

    async def _write_behind(self) -> None:
        # Commits run on one writer thread, in order, so that the event loop never waits for the disk.
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(PERSIST_SECONDS):
                    await self._wake.wait()
            self._wake.clear()
            batch = self._take_batch()
            if batch is not None:
                self._last_write = self._writes.submit(self._write, batch)
                # Shielded: a batch handed to the thread is written even if the hub stops meanwhile.
                await asyncio.shield(asyncio.wrap_future(self._last_write))
                batch = None  # written: not kept until the next wake

    # -- commands out ----------------------------------------------------------------------------

    async def execute(self, command: Command) -> CommandOutcome:
        """Send one validated command through the device's adapter."""
        device = self.device(command.device_id)
        error: JipsaError | None = None
        link = self._links.get(device.vendor)
        if link is None:
            error = AdapterNotReadyError(device.vendor, "no such adapter is running")
        elif not self._available[device.id]:
            error = DeviceUnavailableError(device.id, "it has not reported since it went offline")
        else:
            try:
                async with asyncio.timeout(self._timeout):
                    await link.send(command)
            except TimeoutError:
                error = DeviceUnavailableError(device.id, f"no answer within {self._timeout:g} s")
            except JipsaError as exc:
                error = exc
        data: dict[str, Any] = command.to_dict()
        if error is not None:
            data["error"] = str(error)
            data["error_type"] = type(error).__name__
        event = Event(EventType.COMMAND_FAILED if error else EventType.COMMAND_DONE,
                      self.clock.now(), device.id, data)
        if self._store is not None:
            self._unsaved_events.append(event)
            self._persist_soon()
        self.bus.publish(event)
        return CommandOutcome(command, error)

    # -- running ---------------------------------------------------------------------------------

    async def _serve_links(self) -> None:
        async with asyncio.TaskGroup() as tasks:
            for name, link in self._links.items():
                devices = [d for d in self.home.devices if d.vendor == name]
                tasks.create_task(link.run(devices, self.ingest), name=f"adapter:{name}")

    async def __aenter__(self) -> Hub:
        if self._runner is not None:
            raise RuntimeError("the hub is already running")
        # One task owns the adapters' task group, so an error in the caller's block stays the
        # caller's error (not wrapped in the group's), and leaving the block stops every adapter.
        self._runner = asyncio.create_task(self._serve_links(), name="hub:adapters")
        self._writer = asyncio.create_task(self._write_behind(), name="hub:write-behind")
        # Let every adapter start and report before the first command goes out.
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        runner, self._runner = self._runner, None
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await writer
        if runner is None:
            return
        runner.cancel()
        try:
            await runner
        except asyncio.CancelledError:
            pass
        except Exception:
            log.exception("an adapter stopped with an error")
        finally:
            self.flush()
