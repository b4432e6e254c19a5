"""The virtual adapter serves the simulation to the hub through the DeviceLink port."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from importlib.metadata import entry_points

import pytest

from jipsa.adapters.virtual import VirtualAdapter
from jipsa.core import Device, DeviceType, ManualClock, StateReport, UnknownDeviceError, validate_command
from jipsa.hub.ports import DeviceLink

WASHER = "washer.utility_room"


class Sink:
    """Collects reports, and lets a test wait for one it expects."""

    def __init__(self) -> None:
        self.reports: list[StateReport] = []
        self._changed = asyncio.Event()

    def __call__(self, report: StateReport) -> None:
        self.reports.append(report)
        self._changed.set()

    def values(self, device_id):
        merged = {}
        for report in self.reports:
            if report.device_id == device_id:
                merged.update(report.values)
        return merged

    async def until(self, check, timeout=2.0):
        async with asyncio.timeout(timeout):
            while not check():
                self._changed.clear()
                await self._changed.wait()


def _command(home, device_id, name, **args):
    return validate_command(home.device(device_id), name, args)


@pytest.fixture
def clock():
    return ManualClock()


@pytest.fixture
def adapter(demo_home, clock):
    return VirtualAdapter(home=demo_home, clock=clock, tick=0.001)


async def _serving(adapter, devices, sink):
    task = asyncio.create_task(adapter.run(devices, sink))
    await asyncio.sleep(0)
    return task


async def test_it_is_a_device_link_named_virtual(adapter):
    link: DeviceLink = adapter
    assert link.name == "virtual"
    found = {ep.name: ep for ep in entry_points(group="jipsa.adapters")}
    assert found["virtual"].load() is VirtualAdapter


async def test_run_reports_every_served_device_first_as_available(adapter, demo_home):
    sink = Sink()
    served = [d for d in demo_home.devices if d.type == "light"]
    task = await _serving(adapter, served, sink)
    try:
        await sink.until(lambda: len(sink.reports) >= len(served))
        first = sink.reports[:len(served)]
        assert [r.device_id for r in first] == [d.id for d in served]
        assert all(r.available is True for r in first)
        assert first[0].values == dict(demo_home.device(served[0].id).initial_state)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_send_before_run_changes_state_and_run_then_reports_it(adapter, demo_home):
    await adapter.send(_command(demo_home, "light.kitchen", "turn_on"))
    assert adapter.simulation.state("light.kitchen")["on"] is True
    sink = Sink()
    task = await _serving(adapter, demo_home.devices, sink)
    try:
        await sink.until(lambda: sink.values("light.kitchen").get("on") is True)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_send_delivers_the_change_at_once(adapter, demo_home):
    sink = Sink()
    task = await _serving(adapter, demo_home.devices, sink)
    try:
        await sink.until(lambda: len(sink.reports) > 0)
        sink.reports.clear()
        await adapter.send(_command(demo_home, "light.kitchen", "set_brightness", brightness=20))
        assert StateReport("light.kitchen", {"on": True, "brightness": 20}) in sink.reports
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_ticks_follow_the_injected_clock(adapter, demo_home, clock):
    sink = Sink()
    task = await _serving(adapter, demo_home.devices, sink)
    try:
        await adapter.send(_command(demo_home, WASHER, "start"))
        assert sink.values(WASHER)["remaining_minutes"] == 60
        clock.advance(timedelta(minutes=25))
        await sink.until(lambda: sink.values(WASHER)["remaining_minutes"] == 35)
        clock.advance(timedelta(minutes=35))
        await sink.until(lambda: sink.values(WASHER)["operation_state"] == "finished")
        assert sink.values(WASHER)["remaining_minutes"] == 0
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_only_served_devices_are_reported(adapter, demo_home, clock):
    sink = Sink()
    washer = demo_home.device(WASHER)
    task = await _serving(adapter, [washer], sink)
    try:
        await adapter.send(_command(demo_home, "climate.living_room", "turn_on"))
        await adapter.send(_command(demo_home, WASHER, "start"))
        clock.advance(timedelta(minutes=10))
        await sink.until(lambda: sink.values(WASHER).get("remaining_minutes") == 50)
        assert {r.device_id for r in sink.reports} == {WASHER}
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_demo_hooks_deliver_reports(adapter, demo_home):
    sink = Sink()
    task = await _serving(adapter, demo_home.devices, sink)
    try:
        adapter.set_door("refrigerator.kitchen", True)
        adapter.set_active("binary_sensor.entrance_motion", True)
        assert sink.values("refrigerator.kitchen")["door_open"] is True
        assert sink.values("binary_sensor.entrance_motion")["active"] is True
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_unknown_devices_are_refused(adapter):
    with pytest.raises(UnknownDeviceError):
        foreign = Device(id="light.elsewhere", name="남의 조명", type=DeviceType.LIGHT)
        await adapter.send(validate_command(foreign, "turn_on"))


async def test_time_since_the_state_was_stored_is_caught_up(demo_home, clock):
    stored = {WASHER: {"on": True, "operation_state": "running", "remaining_minutes": 30}}
    adapter = VirtualAdapter(home=demo_home, clock=clock, states=stored,
                             since=clock.now() - timedelta(minutes=45), tick=0.001)
    sink = Sink()
    task = await _serving(adapter, demo_home.devices, sink)
    try:
        await sink.until(lambda: sink.values(WASHER).get("operation_state") == "finished")
        assert adapter.simulation.at == clock.now()
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


def test_tick_must_be_positive(demo_home, clock):
    with pytest.raises(ValueError, match="tick"):
        VirtualAdapter(home=demo_home, clock=clock, tick=0)
