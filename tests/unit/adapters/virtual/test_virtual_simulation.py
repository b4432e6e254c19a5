"""The simulation as a whole: which devices, their starting state, bounded time travel, reports."""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta

import pytest

from jipsa.adapters.virtual import VirtualHome
from jipsa.core import Command, UnknownDeviceError, valid_state_values

MIXED_HOME = """
home: {name: 섞인 집}
areas:
  - {id: room, name: 방}
devices:
  - {id: light.virtual, name: 가상 조명, area: room, type: light}
  - {id: light.mqtt, name: 진짜 조명, area: room, type: light, vendor: mqtt}
  - {id: ac.bare, name: 에어컨, area: room, type: air_conditioner,
     limits: {target_temperature: {min: 18, max: 30}, fan_speed: {values: [low, high]}}}
  - {id: washer.bare, name: 세탁기, type: washer, limits: {program: {values: [quick, heavy]}}}
  - {id: car.bare, name: 차, type: vehicle}
  - {id: vacuum.bare, name: 청소기, type: robot_vacuum}
  - {id: sensor.bare, name: 습도계, area: room, type: sensor, device_class: humidity}
"""


def test_only_virtual_devices_are_simulated(make_driver):
    drive = make_driver(MIXED_HOME)
    assert "light.mqtt" not in drive.sim.snapshot()
    assert not drive.sim.simulates("light.mqtt")
    with pytest.raises(UnknownDeviceError):
        drive.sim.apply(Command("light.mqtt", "on_off", "turn_on"), drive.now)
    with pytest.raises(UnknownDeviceError):
        drive.sim.state("light.nowhere")


def test_missing_attributes_start_at_valid_defaults(make_driver):
    drive = make_driver(MIXED_HOME)
    for device_id, state in drive.sim.snapshot().items():
        device = drive.home.device(device_id)
        assert set(state) == {attr.name for attr in device.attributes()}, device_id
        _good, problems = valid_state_values(device, state)
        assert problems == [], device_id
        assert all(device.attribute(name).check(value) is None for name, value in state.items()), state
    assert drive["ac.bare", "fan_speed"] in ("low", "high")
    assert drive["washer.bare", "program"] in ("quick", "heavy")
    assert drive["washer.bare", "remaining_minutes"] is None
    assert drive["vacuum.bare", "vacuum_state"] == "docked"


def test_stored_state_overlays_the_home_files(make_driver, demo_home):
    drive = make_driver(demo_home, states={
        "light.living_room": {"on": True, "no_such_attribute": 1},
        "light.kitchen": {"brightness": "bright"},
        "gone.device": {"on": True},
    })
    assert drive["light.living_room", "on"] is True
    assert drive["light.living_room", "brightness"] == 80  # from the home file
    assert drive["light.kitchen", "brightness"] == 100  # the stored value was not valid
    assert "no_such_attribute" not in drive.state("light.living_room")


def test_a_month_passes_in_bounded_time(drive):
    drive.send("washer.utility_room", "start")
    drive.send("vacuum.home", "start")
    drive.send("climate.living_room", "turn_on")
    started = time.perf_counter()
    reports = drive.wait(minutes=30 * 24 * 60)
    assert time.perf_counter() - started < 2.0
    assert len({r.device_id for r in reports}) == len(reports)  # one report per device
    assert drive["washer.utility_room", "operation_state"] == "finished"
    assert drive["vacuum.home", "vacuum_state"] == "docked"
    assert drive["vacuum.home", "battery"] == 100
    assert drive["sensor.living_room_temperature", "temperature"] == 24.0


def test_time_never_goes_back(drive):
    drive.send("washer.utility_room", "start")
    drive.wait(minutes=10)
    assert drive.sim.advance(drive.now - timedelta(minutes=5)) == []
    assert drive["washer.utility_room", "remaining_minutes"] == 50
    assert drive.sim.at == drive.now


def test_reports_hold_only_what_changed(drive):
    drive.send("light.living_room", "turn_on")
    reports = drive.wait(minutes=1)
    assert all("on" not in r.values for r in reports if r.device_id == "light.living_room")
    assert all(r.values for r in reports)


def test_every_report_is_valid_for_its_device(make_driver, demo_home):
    drive = make_driver(demo_home, rng=random.Random(1))
    everything = []
    for routine in demo_home.routines:
        for action in routine.actions:
            everything += drive.send(action.device, action.command, **action.args)
        everything += drive.wait(minutes=17)
    for device_id in ("washer.utility_room", "dryer.utility_room", "dishwasher.kitchen",
                      "air_purifier.living_room", "humidifier.master_bedroom", "vehicle.car"):
        command = "start_climate" if device_id == "vehicle.car" else (
            "start" if "washer" in device_id or "dryer" in device_id else "turn_on")
        everything += drive.send(device_id, command)
    for _ in range(50):
        everything += drive.wait(minutes=7)
    assert everything
    for report in everything:
        _, problems = valid_state_values(demo_home.device(report.device_id), report.values)
        assert problems == [], report


def test_same_inputs_same_world(demo_home):
    at = datetime.fromisoformat("2026-08-01T09:00:00+09:00")
    worlds = []
    for _ in range(2):
        sim = VirtualHome(demo_home, {}, at, random.Random(3))
        sim.apply(Command("vacuum.home", "vacuum", "start"), at)
        sim.apply(Command("plug.kitchen", "on_off", "turn_on"), at)
        sim.advance(at + timedelta(hours=3))
        worlds.append(sim.snapshot())
    assert worlds[0] == worlds[1]


def test_time_must_be_zone_aware(demo_home):
    with pytest.raises(ValueError, match="aware"):
        VirtualHome(demo_home, {}, datetime(2026, 1, 1))
