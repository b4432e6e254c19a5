"""MQTT discovery of what moves the air or the slats: fan oscillation, climate swing modes, cover tilt."""

from __future__ import annotations

import json
from typing import Any

import pytest

from jipsa.adapters.mqtt.binding import MqttDevice, Publish
from jipsa.adapters.mqtt.discovery import Discovery
from jipsa.core import CommandRejectedError, DeviceType, validate_command


def single(component: str, payload: dict[str, Any]) -> MqttDevice:
    registry = Discovery()
    registry.handle(f"homeassistant/{component}/test/thing/config", json.dumps(payload).encode())
    (device,) = registry.devices.values()
    return device


def send(device: MqttDevice, command: str, **args: Any) -> list[Publish]:
    return device.encode(validate_command(device.device, command, args))


# --- fan oscillation ----------------------------------------------------------------------------


def test_fan_oscillation_with_abbreviated_keys_and_own_payloads() -> None:
    fan = single(
        "fan",
        {
            "name": "선풍기",
            "cmd_t": "f/set",
            "stat_t": "f/state",
            "osc_cmd_t": "f/osc/set",
            "osc_stat_t": "f/osc",
            "pl_osc_on": "swing",
            "pl_osc_off": "still",
        },
    )
    assert fan.device.type is DeviceType.FAN
    assert "oscillation" in fan.device.capabilities
    assert send(fan, "oscillate_on") == [Publish("f/osc/set", b"swing")]
    assert send(fan, "oscillate_off") == [Publish("f/osc/set", b"still")]
    assert fan.decode("f/osc", b"swing").values == {"oscillating": True}
    assert fan.decode("f/osc", b"still").values == {"oscillating": False}
    assert fan.decode("f/osc", b"ON").values == {}  # not one of its payloads
    assert fan.expected(validate_command(fan.device, "oscillate_on")) == {"oscillating": True}


def test_fan_oscillation_defaults_and_json_state() -> None:
    fan = single(
        "fan",
        {
            "name": "Desk fan",
            "command_topic": "d/set",
            "oscillation_command_topic": "d/osc/set",
            "oscillation_state_topic": "d/state",
            "oscillation_value_template": "{{ value_json.oscillation }}",
            "oscillation_command_template": '{"oscillation": "{{ value }}"}',
        },
    )
    assert send(fan, "oscillate_on") == [Publish("d/osc/set", b'{"oscillation": "oscillate_on"}')]
    assert fan.decode("d/state", b'{"oscillation": "oscillate_off"}').values == {"oscillating": False}


def test_fan_without_oscillation_topics_has_no_oscillation() -> None:
    fan = single("fan", {"name": "선풍기", "cmd_t": "f/set"})
    assert "oscillation" not in fan.device.capabilities
    with pytest.raises(CommandRejectedError):
        validate_command(fan.device, "oscillate_on", {})


def test_oscillation_state_without_a_command_topic_is_read_only() -> None:
    fan = single("fan", {"name": "선풍기", "cmd_t": "f/set", "osc_stat_t": "f/osc"})
    assert fan.decode("f/osc", b"oscillate_on").values == {"oscillating": True}
    assert ("oscillation", "oscillate_on") not in fan.commands()


# --- climate swing ------------------------------------------------------------------------------


def test_climate_swing_modes_in_the_devices_words() -> None:
    ac = single(
        "climate",
        {
            "name": "거실 에어컨",
            "modes": ["off", "cool", "heat"],
            "mode_cmd_t": "a/mode/set",
            "swing_modes": ["stop", "updown", "leftright", "all", "turbo-ish"],
            "swing_mode_cmd_t": "a/swing/set",
            "swing_mode_stat_t": "a/swing",
            "swing_mode_cmd_tpl": '{"swing": "{{ value }}"}',
        },
    )
    assert ac.device.type is DeviceType.AIR_CONDITIONER
    swing = ac.device.attribute("swing_mode")
    assert swing is not None and swing.values == ("off", "vertical", "horizontal", "both")
    assert send(ac, "set_swing_mode", swing_mode="vertical") == [
        Publish("a/swing/set", b'{"swing": "updown"}')
    ]
    assert send(ac, "set_swing_mode", swing_mode="off") == [Publish("a/swing/set", b'{"swing": "stop"}')]
    assert ac.decode("a/swing", b"leftright").values == {"swing_mode": "horizontal"}
    assert ac.decode("a/swing", b"turbo-ish").values == {}
    with pytest.raises(CommandRejectedError):  # a mode it does not have
        validate_command(ac.device, "set_swing_mode", {"swing_mode": "on"})


def test_climate_swing_defaults_to_on_and_off() -> None:
    ac = single(
        "climate",
        {
            "name": "에어컨",
            "modes": ["off", "cool"],
            "mode_cmd_t": "a/mode/set",
            "swing_mode_command_topic": "a/swing/set",
        },
    )
    swing = ac.device.attribute("swing_mode")
    assert swing is not None and set(swing.values) == {"on", "off"}
    assert send(ac, "set_swing_mode", swing_mode="on") == [Publish("a/swing/set", b"on")]


def test_climate_with_unknown_swing_words_has_no_swing() -> None:
    ac = single(
        "climate",
        {
            "name": "에어컨",
            "modes": ["off", "cool"],
            "mode_cmd_t": "a/mode/set",
            "swing_modes": ["wobble", "dance"],
            "swing_mode_command_topic": "a/swing/set",
        },
    )
    assert "swing" not in ac.device.capabilities


# --- cover tilt ---------------------------------------------------------------------------------


def test_cover_tilt_scaled_between_its_minimum_and_maximum() -> None:
    blind = single(
        "cover",
        {
            "name": "안방 블라인드",
            "dev_cla": "blind",
            "cmd_t": "b/set",
            "pos_t": "b/pos",
            "set_pos_t": "b/pos/set",
            "tilt_cmd_t": "b/tilt/set",
            "tilt_status_t": "b/tilt",
            "tilt_min": 0,
            "tilt_max": 180,
        },
    )
    assert blind.device.type is DeviceType.COVER
    assert "tilt" in blind.device.capabilities
    assert send(blind, "set_tilt_position", tilt_position=50) == [Publish("b/tilt/set", b"90")]
    assert send(blind, "open_tilt") == [Publish("b/tilt/set", b"180")]
    assert send(blind, "close_tilt") == [Publish("b/tilt/set", b"0")]
    assert blind.decode("b/tilt", b"45").values == {"tilt_position": 25}
    assert blind.decode("b/tilt", b"500").values == {"tilt_position": 100}  # clamped
    assert blind.decode("b/tilt", b"half").values == {}
    assert send(blind, "set_position", position=30) == [Publish("b/pos/set", b"30")]  # position unchanged


def test_cover_tilt_command_template_and_json_status() -> None:
    blind = single(
        "cover",
        {
            "name": "Blind",
            "cmd_t": "z/set",
            "tilt_command_topic": "z/set",
            "tilt_command_template": '{"tilt": {{ tilt_position }}}',
            "tilt_status_topic": "z/state",
            "tilt_status_template": "{{ value_json.tilt }}",
        },
    )
    assert send(blind, "set_tilt_position", tilt_position=70) == [Publish("z/set", b'{"tilt": 70}')]
    assert blind.decode("z/state", b'{"tilt": 20, "position": 100}').values == {"tilt_position": 20}


def test_cover_tilt_with_no_range_is_left_out() -> None:
    blind = single(
        "cover",
        {"name": "Blind", "cmd_t": "z/set", "tilt_command_topic": "z/tilt", "tilt_min": 5, "tilt_max": 5},
    )
    assert "tilt" not in blind.device.capabilities


def test_tilt_on_a_device_that_is_not_a_cover_is_not_taken() -> None:
    fan = single("fan", {"name": "선풍기", "cmd_t": "f/set", "tilt_command_topic": "f/tilt"})
    assert "tilt" not in fan.device.capabilities
