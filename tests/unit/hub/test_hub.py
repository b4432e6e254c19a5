"""The hub: state registry, validation of reports, dispatch, events and persistence."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from jipsa.adapters.virtual import VirtualAdapter
from jipsa.core import (
    Area,
    Command,
    Device,
    DeviceType,
    DeviceUnavailableError,
    Event,
    EventType,
    Home,
    ManualClock,
    StateReport,
    StorageError,
    UnknownDeviceError,
    validate_command,
)
from jipsa.hub import EventBus, Hub
from jipsa.hub.hub import PERSIST_BATCH
from jipsa.hub.ports import ReportSink
from jipsa.store import SqlStore


def _hub(home: Home, clock: ManualClock, store: SqlStore | None = None) -> Hub:
    adapter = VirtualAdapter(home=home, clock=clock, tick=0.01)
    return Hub(home, links={"virtual": adapter}, clock=clock, store=store)


async def test_command_changes_state_and_publishes_events(demo_home: Home, clock: ManualClock) -> None:
    hub = _hub(demo_home, clock)
    async with hub, hub.bus.subscribe() as events:
        device = demo_home.device("light.living_room")
        assert device is not None
        outcome = await hub.execute(validate_command(device, "turn_on"))
        assert outcome.ok
        assert hub.state("light.living_room")["on"] is True
        seen = []
        while (event := events.get_nowait()) is not None:
            seen.append(event)
    kinds = [(e.type, e.device_id) for e in seen]
    assert (EventType.STATE_CHANGED, "light.living_room") in kinds
    assert (EventType.COMMAND_DONE, "light.living_room") in kinds


async def test_report_values_are_validated(demo_home: Home, clock: ManualClock) -> None:
    hub = _hub(demo_home, clock)
    hub.ingest(StateReport("climate.living_room", {"target_temperature": "hot", "on": True,
                                                   "no_such": 1}))
    state = hub.state("climate.living_room")
    assert state["on"] is True
    assert state["target_temperature"] == 24  # the wrongly typed value was not taken
    assert "no_such" not in state
    hub.ingest(StateReport("nobody.here", {"on": True}))  # ignored, no exception
    with pytest.raises(UnknownDeviceError):
        hub.state("nobody.here")


async def test_unavailable_device_fails_honestly(demo_home: Home, clock: ManualClock) -> None:
    hub = _hub(demo_home, clock)
    async with hub:
        hub.ingest(StateReport("tv.living_room", available=False))
        assert hub.available("tv.living_room") is False
        device = demo_home.device("tv.living_room")
        assert device is not None
        outcome = await hub.execute(validate_command(device, "turn_on"))
        assert isinstance(outcome.error, DeviceUnavailableError)
        hub.ingest(StateReport("tv.living_room", {"on": False}, available=True))
        assert (await hub.execute(validate_command(device, "turn_on"))).ok


class _SilentLink:
    """An adapter whose device never answers."""

    name = "silent"

    async def run(self, devices: Sequence[Device], sink: ReportSink) -> None:
        await asyncio.Event().wait()

    async def send(self, command: Command) -> None:
        await asyncio.sleep(3600)


async def test_timeout_becomes_unavailable(demo_home: Home, clock: ManualClock) -> None:
    hub = Hub(demo_home, links={"virtual": _SilentLink()}, clock=clock, command_timeout=0.05)
    async with hub:
        device = demo_home.device("light.kitchen")
        assert device is not None
        outcome = await hub.execute(validate_command(device, "turn_on"))
    assert isinstance(outcome.error, DeviceUnavailableError)


async def test_state_and_history_survive_a_restart(demo_home: Home, clock: ManualClock,
                                                   tmp_path: Path) -> None:
    db = tmp_path / "home.db"
    store = SqlStore.sqlite(db)
    hub = _hub(demo_home, clock, store)
    async with hub:
        device = demo_home.device("climate.living_room")
        assert device is not None
        await hub.execute(validate_command(device, "set_temperature", {"temperature": 21}))
    store.close()
    store = SqlStore.sqlite(db)
    try:
        again = _hub(demo_home, clock, store)
        assert again.state("climate.living_room")["target_temperature"] == 21
        assert any(e.type is EventType.COMMAND_DONE for _id, e in store.events(limit=50))
    finally:
        store.close()


def test_bus_drops_oldest_for_a_slow_subscriber(clock: ManualClock) -> None:
    from jipsa.core import Event
    bus = EventBus()
    sub = bus.subscribe(maxsize=2)
    for i in range(5):
        bus.publish(Event(EventType.STATE_CHANGED, clock.now(), f"d{i}"))
    assert sub.dropped == 3
    first = sub.get_nowait()
    assert first is not None and first.device_id == "d3"


async def test_devices_discovered_at_run_time_join_the_home(demo_home: Home, clock: ManualClock) -> None:
    hub = _hub(demo_home, clock)
    found = Device("mqtt_plug_1", "세탁실 플러그", DeviceType.PLUG, area="utility_room", vendor="mqtt")
    async with hub.bus.subscribe() as events:
        hub.update_devices([found], areas=[Area("garage", "차고")])
        hub.ingest(StateReport("mqtt_plug_1", {"on": True, "power": 12.5}))
        assert hub.state("mqtt_plug_1") == {"on": True, "power": 12.5} and hub.available("mqtt_plug_1")
        renamed = Device("mqtt_plug_1", "건조기 플러그", DeviceType.PLUG, area="garage", vendor="mqtt")
        hub.update_devices([renamed])
        assert hub.device("mqtt_plug_1").name == "건조기 플러그" and hub.state("mqtt_plug_1")["on"] is True
        assert hub.home.area("garage") is not None
        hub.update_devices(removed=["mqtt_plug_1", "light.living_room"])
        seen = []
        while (event := events.get_nowait()) is not None:
            seen.append((event.type, event.device_id))
    assert seen.count((EventType.DEVICE_ADDED, "mqtt_plug_1")) == 2
    assert (EventType.DEVICE_REMOVED, "light.living_room") in seen
    with pytest.raises(UnknownDeviceError):
        hub.state("mqtt_plug_1")
    # Routines lose the actions of a device that is gone, rather than the home becoming invalid.
    assert all(a.device != "light.living_room" for r in hub.home.routines for a in r.actions)


def test_a_discovered_device_breaking_the_home_changes_nothing(demo_home: Home, clock: ManualClock) -> None:
    hub = _hub(demo_home, clock)
    lost = Device("mqtt_x", "x", DeviceType.LIGHT, area="no_such_area", vendor="mqtt")
    with pytest.raises(ValueError, match="unknown area"):
        hub.update_devices([lost])
    assert hub.home is demo_home


async def test_a_running_hub_writes_behind_in_batches(demo_home: Home, clock: ManualClock,
                                                      tmp_path: Path) -> None:
    store = SqlStore.sqlite(tmp_path / "home.db")
    hub = Hub(demo_home, links={}, clock=clock, store=store)
    try:
        async with hub:
            for n in range(50):
                hub.ingest(StateReport("sensor.living_room_temperature", {"temperature": 20 + n / 10}))
            # Written within the interval, all fifty reports in one go.
            deadline = asyncio.get_running_loop().time() + 2
            while len(store.events(limit=100)) < 50:
                assert asyncio.get_running_loop().time() < deadline, "nothing was written"
                await asyncio.sleep(0.02)
            assert store.load_states()["sensor.living_room_temperature"]["temperature"] == 24.9
            hub.ingest(StateReport("sensor.living_room_temperature", {"temperature": 30.0}))
        # Leaving writes what was still waiting.
        assert store.load_states()["sensor.living_room_temperature"]["temperature"] == 30.0
    finally:
        store.close()


async def test_a_store_that_fails_does_not_stop_the_hub(demo_home: Home, clock: ManualClock,
                                                        tmp_path: Path,
                                                        caplog: pytest.LogCaptureFixture,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    store = SqlStore.sqlite(tmp_path / "home.db")
    hub = Hub(demo_home, links={}, clock=clock, store=store)

    def disk_full(*args: object, **kwargs: object) -> None:
        raise StorageError("database or disk is full")

    monkeypatch.setattr(store, "save_states", disk_full)
    try:
        hub.ingest(StateReport("sensor.living_room_temperature", {"temperature": 31.0}))
        assert hub.state("sensor.living_room_temperature")["temperature"] == 31.0
        assert "could not save" in caplog.text
    finally:
        store.close()


def _hub_with_store_before_append(
    home: Home, clock: ManualClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    before: Callable[[Sequence[Event]], None],
) -> tuple[SqlStore, Hub]:
    """A running hub's store whose event writes first go through ``before`` (to slow or stall them)."""
    store = SqlStore.sqlite(tmp_path / "home.db")
    append = store.append_events

    def append_after(events: Sequence[Event]) -> None:
        before(events)
        append(events)

    monkeypatch.setattr(store, "append_events", append_after)
    return store, Hub(home, links={}, clock=clock, store=store)


async def test_a_burst_faster_than_the_disk_is_held_to_a_bounded_backlog(
    demo_home: Home, clock: ManualClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reports arriving without a pause while the writer is slow: the hub waits for the batch in flight
    instead of holding every change of the burst, and loses none of them."""
    written: list[int] = []

    def slowly(events: Sequence[Event]) -> None:
        written.append(len(events))
        time.sleep(0.01)

    store, hub = _hub_with_store_before_append(demo_home, clock, tmp_path, monkeypatch, slowly)
    burst = 5 * PERSIST_BATCH
    try:
        async with hub:
            for n in range(burst):  # no await: the writer task never runs during the burst
                hub.ingest(StateReport("sensor.living_room_temperature", {"temperature": 10 + n % 300 / 10}))
            assert written, "nothing was written during the burst"
            assert max(written) <= PERSIST_BATCH
        assert sum(written) == burst
        assert len(store.events(limit=burst + 10)) == burst
    finally:
        store.close()


async def test_a_stalled_store_does_not_stop_the_hub(
    demo_home: Home,
    clock: ManualClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A write that hangs until the test lets it go (a database far away): the hub waits for it a moment,
    then lets changes wait in memory and goes on; once the store is back, everything is written."""
    monkeypatch.setattr("jipsa.hub.hub.PERSIST_WAIT", 0.05)
    stall = threading.Event()
    released: list[bool] = []  # False: the write gave up waiting, so the hub had held the loop

    def hanging(events: Sequence[Event]) -> None:
        released.append(stall.wait(30))

    store, hub = _hub_with_store_before_append(demo_home, clock, tmp_path, monkeypatch, hanging)
    burst = 4 * PERSIST_BATCH
    try:
        async with hub:
            for n in range(burst):
                hub.ingest(StateReport("sensor.living_room_temperature", {"temperature": 10 + n % 300 / 10}))
            assert hub.state("sensor.living_room_temperature")["temperature"] == 10 + (burst - 1) % 300 / 10
            assert caplog.text.count("has not finished a write") == 1
            stall.set()
        assert released and all(released)
        assert len(store.events(limit=burst + 10)) == burst
    finally:
        stall.set()
        store.close()
