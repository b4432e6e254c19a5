"""Devices whose commands act at once, and sensors that only report."""

from __future__ import annotations

import random

import pytest

from jipsa.core import UnknownDeviceError

LIGHT = "light.living_room"
TV = "tv.living_room"
PLUG = "plug.kitchen"
MOTION = "binary_sensor.entrance_motion"
WINDOW = "binary_sensor.living_room_window"


def test_setting_brightness_switches_a_light_on(drive, reports_of):
    assert reports_of(drive.send(LIGHT, "set_brightness", brightness=30), LIGHT) == {
        "on": True, "brightness": 30}
    assert reports_of(drive.send(LIGHT, "turn_off"), LIGHT) == {"on": False}
    assert drive[LIGHT, "brightness"] == 30  # remembered for next time
    assert reports_of(drive.send(LIGHT, "set_color_temperature", color_temp=2700), LIGHT) == {
        "on": True, "color_temp": 2700}


def test_toggle_flips_a_light(drive):
    drive.send(LIGHT, "toggle")
    assert drive[LIGHT, "on"] is True
    drive.send(LIGHT, "toggle")
    assert drive[LIGHT, "on"] is False


def test_a_command_that_changes_nothing_reports_nothing(drive):
    assert drive.send(LIGHT, "turn_off") == []


def test_fan_speed_switches_a_fan_on(drive, reports_of):
    assert reports_of(drive.send("fan.master_bedroom", "set_fan_speed", fan_speed="high"),
                      "fan.master_bedroom") == {"on": True, "fan_speed": "high"}


def test_plug_draws_power_only_while_on(drive, reports_of):
    assert drive[PLUG, "power"] == 0.0
    assert reports_of(drive.send(PLUG, "turn_on"), PLUG)["power"] > 0
    drive.wait(minutes=5)
    assert drive[PLUG, "power"] > 0
    assert reports_of(drive.send(PLUG, "turn_off"), PLUG) == {"on": False, "power": 0.0}


def test_plug_load_wanders_a_little_with_randomness(make_driver, demo_home):
    drive = make_driver(demo_home, rng=random.Random(7))
    drive.send(PLUG, "turn_on")
    seen = set()
    for _ in range(10):
        drive.wait(minutes=1)
        seen.add(drive[PLUG, "power"])
    assert len(seen) > 1
    assert max(seen) < 1.1 * min(seen)


def test_tv_media_controls(drive, reports_of):
    assert reports_of(drive.send(TV, "turn_on"), TV) == {"on": True, "playing": True}
    assert reports_of(drive.send(TV, "set_volume", volume=30), TV) == {"volume": 30}
    assert reports_of(drive.send(TV, "set_channel", channel=7), TV) == {"channel": 7}
    assert reports_of(drive.send(TV, "set_input", input="hdmi1"), TV) == {"input": "hdmi1"}
    assert reports_of(drive.send(TV, "mute"), TV) == {"muted": True}
    assert reports_of(drive.send(TV, "unmute"), TV) == {"muted": False}
    assert reports_of(drive.send(TV, "pause"), TV) == {"playing": False}
    assert reports_of(drive.send(TV, "play"), TV) == {"playing": True}
    assert reports_of(drive.send(TV, "turn_off"), TV) == {"on": False, "playing": False}


def test_lock_and_gas_valve_act_at_once(drive, reports_of):
    assert reports_of(drive.send("lock.front_door", "unlock"), "lock.front_door") == {"locked": False}
    assert reports_of(drive.send("valve.gas", "close_valve"), "valve.gas") == {"valve_open": False}
    drive.wait(minutes=60)
    assert drive["lock.front_door", "locked"] is False
    assert drive["valve.gas", "valve_open"] is False


def test_motion_sensor_clears_itself_a_minute_after_a_trigger(drive, reports_of):
    assert reports_of(drive.sim.set_active(MOTION, True, drive.now), MOTION) == {"active": True}
    assert reports_of(drive.wait(seconds=30), MOTION) == {}
    assert reports_of(drive.wait(seconds=31), MOTION) == {"active": False}


def test_window_sensor_stays_open_until_closed(drive):
    drive.sim.set_active(WINDOW, True, drive.now)
    drive.wait(minutes=60)
    assert drive[WINDOW, "active"] is True
    drive.sim.set_active(WINDOW, False, drive.now)
    assert drive[WINDOW, "active"] is False


def test_sensors_only_report(drive):
    with pytest.raises(ValueError, match="not a binary sensor"):
        drive.sim.set_active("sensor.living_room_temperature", True, drive.now)
    with pytest.raises(UnknownDeviceError):
        drive.sim.set_active("binary_sensor.nowhere", True, drive.now)
