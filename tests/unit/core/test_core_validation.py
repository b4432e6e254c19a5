"""The command gate: every command is checked against the device's capabilities before an adapter sees it."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from jipsa.core import (
    CATALOGUE,
    Command,
    CommandRejectedError,
    Device,
    DeviceType,
    ValueKind,
    command_effects,
    valid_state_values,
    validate_command,
)

AC = Device(
    id="climate.living_room", name="거실 에어컨", type=DeviceType.AIR_CONDITIONER,
    limits={"target_temperature": CATALOGUE["target_temperature"].attributes[0].narrowed(
        minimum=18, maximum=30)})
LIGHT = Device(id="light.living_room", name="거실 조명", type=DeviceType.LIGHT,
               capabilities=("on_off", "brightness", "color_temperature", "color"))
PURIFIER = Device(id="purifier", name="공기청정기", type=DeviceType.AIR_PURIFIER)
WASHER = Device(id="washer", name="세탁기", type=DeviceType.WASHER)
CAR = Device(id="car", name="내 차", type=DeviceType.VEHICLE)
TV = Device(id="tv", name="TV", type=DeviceType.TV)


def rejected(device: Device, command: str, args: Mapping[str, Any] | None = None,
             capability: str | None = None) -> CommandRejectedError:
    with pytest.raises(CommandRejectedError) as info:
        validate_command(device, command, args, capability)
    err = info.value
    assert err.device_id == device.id
    assert err.message_ko and err.message_en
    return err


# -- numbers on the step grid ---------------------------------------------------------------------------

@given(st.integers(min_value=0, max_value=24))
def test_ac_accepts_every_half_degree_between_its_limits(k: int) -> None:
    value = 18 + k * 0.5
    cmd = validate_command(AC, "set_temperature", {"temperature": value})
    assert cmd == Command(AC.id, "target_temperature", "set_temperature", {"temperature": value})
    assert isinstance(cmd.args["temperature"], float)


@given(st.integers(min_value=18, max_value=30))
def test_an_int_temperature_is_coerced_to_float(value: int) -> None:
    cmd = validate_command(AC, "set_temperature", {"temperature": value})
    assert cmd.args["temperature"] == float(value)
    assert type(cmd.args["temperature"]) is float


@given(st.integers(min_value=1, max_value=100), st.booleans())
def test_brightness_in_range_is_accepted_and_coerced_to_int(value: int, as_float: bool) -> None:
    cmd = validate_command(LIGHT, "set_brightness", {"brightness": float(value) if as_float else value})
    assert cmd.args == {"brightness": value}
    assert type(cmd.args["brightness"]) is int
    assert cmd.capability == "brightness"


@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda v: not 18 <= v <= 30))
def test_ac_refuses_any_temperature_outside_its_limits(value: float) -> None:
    err = rejected(AC, "set_temperature", {"temperature": value})
    assert err.reason == "out_of_range"
    assert err.allowed == "18–30 °C"
    assert "18–30 °C" in err.message_ko
    assert "18–30 °C" in err.message_en


@given(st.floats(min_value=18, max_value=30))
def test_ac_refuses_temperatures_off_the_half_degree_grid(value: float) -> None:
    ratio = (value - 18) / 0.5
    assume(abs(ratio - round(ratio)) > 1e-3)
    err = rejected(AC, "set_temperature", {"temperature": value})
    assert err.reason == "bad_step"
    assert "18–30 °C" in err.message_ko and "18–30 °C" in err.message_en
    assert "0.5" in err.message_ko and "0.5" in err.message_en


@given(st.one_of(st.integers(max_value=0), st.integers(min_value=101)))
def test_brightness_outside_1_to_100_is_refused(value: int) -> None:
    err = rejected(LIGHT, "set_brightness", {"brightness": value})
    assert err.reason == "out_of_range"
    assert "1–100 %" in err.message_ko and "1–100 %" in err.message_en


def test_ac_at_5_degrees_names_the_ac_limits_not_the_catalogue() -> None:
    err = rejected(AC, "set_temperature", {"temperature": 5})
    assert "18–30 °C" in err.message_ko
    assert "18–30 °C" in err.message_en
    assert "5" in err.message_ko
    assert err.message_ko.startswith("설정 온도는")


def test_catalogue_range_applies_without_limits() -> None:
    heater = Device(id="heater", name="히터", type=DeviceType.HEATER)
    assert validate_command(heater, "set_temperature", {"temperature": 5}).args == {"temperature": 5.0}
    assert "5–80 °C" in rejected(heater, "set_temperature", {"temperature": 4.5}).message_en


def test_brightness_140_percent() -> None:
    err = rejected(LIGHT, "set_brightness", {"brightness": 140})
    assert err.allowed == "1–100 %"
    assert "밝기는 1–100 %" in err.message_ko
    assert "140" in err.message_ko and "140" in err.message_en


# -- wrong types -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [True, False, "24", "", None, [24], {"v": 24}, math.nan, math.inf,
                                   -math.inf, 24.5j])
def test_ac_temperature_of_the_wrong_type_is_refused(value: object) -> None:
    err = rejected(AC, "set_temperature", {"temperature": value})
    assert err.reason == "bad_type"
    assert "18–30 °C" in err.message_ko and "18–30 °C" in err.message_en


@pytest.mark.parametrize("value", [True, "50", 50.5, math.nan, math.inf, None])
def test_brightness_of_the_wrong_type_is_refused(value: object) -> None:
    err = rejected(LIGHT, "set_brightness", {"brightness": value})
    assert err.reason == "bad_type"
    assert "1–100 %" in err.message_ko and "1–100 %" in err.message_en


@given(st.one_of(st.text(), st.booleans(), st.none(), st.lists(st.integers(), max_size=2),
                 st.floats().filter(lambda v: not math.isfinite(v))))
def test_anything_but_a_finite_number_is_refused_for_a_number(value: object) -> None:
    err = rejected(LIGHT, "set_brightness", {"brightness": value})
    assert err.reason == "bad_type"
    assert "1–100 %" in err.message_en


def test_long_values_are_shortened_in_messages() -> None:
    err = rejected(LIGHT, "set_brightness", {"brightness": "x" * 500})
    assert len(err.message_en) < 200
    assert "..." in err.message_ko


# -- enums -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["cool", "heat", "dry", "fan_only", "auto"])
def test_every_hvac_mode_is_accepted(mode: str) -> None:
    assert validate_command(AC, "set_hvac_mode", {"hvac_mode": mode}).args == {"hvac_mode": mode}


@given(st.text(max_size=20).filter(lambda t: t not in ("low", "medium", "high", "turbo", "auto")))
def test_unknown_fan_speed_lists_the_allowed_speeds(speed: str) -> None:
    err = rejected(PURIFIER, "set_fan_speed", {"fan_speed": speed})
    assert err.reason == "bad_value"
    for allowed in ("low", "medium", "high", "turbo", "auto"):
        assert allowed in err.message_ko
        assert allowed in err.message_en
    assert err.allowed == "low, medium, high, turbo, auto"


def test_enum_value_is_case_sensitive_wire_string() -> None:
    assert rejected(AC, "set_hvac_mode", {"hvac_mode": "COOL"}).reason == "bad_value"
    assert rejected(AC, "set_hvac_mode", {"hvac_mode": 1}).reason == "bad_value"


def test_narrowed_enum_values_apply() -> None:
    attr = CATALOGUE["operation"].attribute("program")
    assert attr is not None
    coffee = Device(id="coffee", name="커피 머신", type=DeviceType.COFFEE_MACHINE,
                    limits={"program": attr.narrowed(values=("espresso", "americano"))})
    assert validate_command(coffee, "set_program", {"program": "espresso"}).args == {"program": "espresso"}
    err = rejected(coffee, "set_program", {"program": "heavy"})
    assert err.allowed == "espresso, americano"
    assert "espresso, americano" in err.message_ko


# -- commands, capabilities and arguments ----------------------------------------------------------------

def test_unknown_command_lists_what_the_device_supports() -> None:
    err = rejected(LIGHT, "set_temperature", {"temperature": 24})
    assert err.reason == "unsupported_command"
    for supported in ("turn_on", "set_brightness", "set_color"):
        assert supported in err.message_ko
        assert supported in err.message_en
        assert err.allowed is not None and supported in err.allowed
    assert err.message_ko.startswith("거실 조명은")


def test_unknown_capability_lists_the_device_capabilities() -> None:
    err = rejected(LIGHT, "turn_on", capability="warp_drive")
    assert err.reason == "unknown_capability"
    assert "on_off" in err.message_ko and "on_off" in err.message_en
    assert "brightness" in err.message_ko and "brightness" in err.message_en


def test_known_capability_the_device_lacks_is_refused() -> None:
    err = rejected(LIGHT, "set_temperature", {"temperature": 24}, capability="target_temperature")
    assert err.reason == "unknown_capability"
    assert "on_off" in err.message_ko


def test_capability_picks_between_commands_of_the_same_name() -> None:
    assert validate_command(TV, "pause").capability == "media"
    assert validate_command(WASHER, "pause", capability="operation").capability == "operation"


def test_unknown_argument_names_the_accepted_ones() -> None:
    err = rejected(AC, "set_temperature", {"temperature": 24, "speed": "fast"})
    assert err.reason == "unknown_argument"
    assert "speed" in err.message_ko and "speed" in err.message_en
    assert "temperature" in err.message_ko and "temperature" in err.message_en


def test_argument_to_a_command_without_parameters() -> None:
    err = rejected(LIGHT, "turn_on", {"brightness": 50})
    assert err.reason == "unknown_argument"
    assert "none" in err.message_en


def test_non_text_argument_names_are_reported_not_crashed_on() -> None:
    err = rejected(LIGHT, "set_brightness", {"brightness": 5, 7: 1})  # type: ignore[dict-item]
    assert "7" in err.message_en


def test_missing_argument_states_the_allowed_range() -> None:
    err = rejected(AC, "set_temperature", {})
    assert err.reason == "missing_argument"
    assert "temperature" in err.message_ko and "temperature" in err.message_en
    assert "18–30 °C" in err.message_ko and "18–30 °C" in err.message_en


def test_optional_argument_may_be_left_out() -> None:
    assert validate_command(CAR, "start_climate").args == {}
    assert validate_command(CAR, "start_climate", {"temperature": 22}).args == {"temperature": 22.0}
    assert "16–30 °C" in rejected(CAR, "start_climate", {"temperature": 35}).message_ko


def test_command_args_are_read_only() -> None:
    cmd = validate_command(LIGHT, "set_brightness", {"brightness": 50})
    with pytest.raises(TypeError):
        cmd.args["brightness"] = 1  # type: ignore[index]


# -- effects ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("device", "command", "args", "state", "effects"), [
    (LIGHT, "turn_on", {}, None, {"on": True}),
    (LIGHT, "turn_off", {}, None, {"on": False}),
    (LIGHT, "toggle", {}, {"on": True}, {"on": False}),
    (LIGHT, "toggle", {}, {"on": False}, {"on": True}),
    (LIGHT, "toggle", {}, None, {"on": True}),
    (LIGHT, "set_brightness", {"brightness": 30}, None, {"brightness": 30}),
    (LIGHT, "set_color", {"color": "blue"}, None, {"color": "blue"}),
    (AC, "set_temperature", {"temperature": 24}, None, {"target_temperature": 24.0}),
    (AC, "set_hvac_mode", {"hvac_mode": "dry"}, None, {"hvac_mode": "dry"}),
    (TV, "set_volume", {"volume": 12}, None, {"volume": 12}),
    (TV, "mute", {}, None, {"muted": True}),
    (CAR, "start_climate", {"temperature": 21.5}, None, {"climate_on": True, "climate_target": 21.5}),
    (CAR, "start_climate", {}, None, {"climate_on": True}),
    (WASHER, "start", {}, None, {}),
])
def test_command_effects(device: Device, command: str, args: dict[str, Any],
                         state: dict[str, Any] | None, effects: dict[str, Any]) -> None:
    cmd = validate_command(device, command, args)
    assert command_effects(device, cmd, state) == effects


def test_command_effects_refuses_a_command_the_capability_lacks() -> None:
    with pytest.raises(ValueError):
        command_effects(LIGHT, Command(LIGHT.id, "on_off", "set_brightness", {}))


# -- state reports ---------------------------------------------------------------------------------------

def test_valid_state_values_keeps_readings_out_of_the_settable_range() -> None:
    good, problems = valid_state_values(AC, {"target_temperature": 16, "temperature": 41.2, "on": True})
    assert good == {"target_temperature": 16.0, "temperature": 41.2, "on": True}
    assert problems == []


def test_valid_state_values_drops_wrong_types_and_unknown_attributes() -> None:
    good, problems = valid_state_values(AC, {"on": "yes", "hvac_mode": "warp", "brightness": 3,
                                             "fan_speed": "low"})
    assert good == {"fan_speed": "low"}
    assert len(problems) == 3


# -- the whole catalogue ---------------------------------------------------------------------------------

def _every_settable() -> list[tuple[DeviceType, str, str, str]]:
    out = []
    for device_type in DeviceType:
        device = Device(id=f"d.{device_type.value}", name="기기", type=device_type)
        for cap in device.capability_objects():
            for spec in cap.commands:
                for param, attr in spec.params:
                    out.append((device_type, cap.id, spec.name, f"{param}:{attr}"))
    return out


@pytest.mark.parametrize(("device_type", "capability", "command", "param_attr"), _every_settable())
def test_every_parameter_accepts_its_bounds_and_refuses_beyond(
        device_type: DeviceType, capability: str, command: str, param_attr: str) -> None:
    device = Device(id="d", name="기기", type=device_type)
    param, attr_name = param_attr.split(":")
    attr = device.attribute(attr_name)
    assert attr is not None
    if attr.kind is ValueKind.ENUM:
        for value in attr.values:
            validate_command(device, command, {param: value}, capability)
        return
    assert attr.minimum is not None and attr.maximum is not None
    validate_command(device, command, {param: attr.minimum}, capability)
    validate_command(device, command, {param: attr.maximum}, capability)
    allowed = attr.describe_allowed()
    for outside in (attr.minimum - (attr.step or 1), attr.maximum + (attr.step or 1)):
        with pytest.raises(CommandRejectedError) as info:
            validate_command(device, command, {param: outside}, capability)
        assert allowed in info.value.message_ko and allowed in info.value.message_en


@given(st.integers(min_value=0, max_value=24), st.floats(min_value=-1e-7, max_value=1e-7))
def test_values_within_rounding_of_the_grid_are_snapped_to_it(k: int, jitter: float) -> None:
    value = 18 + k * 0.5 + jitter
    assume(18 <= value <= 30)  # the range is exact; only the grid allows for rounding
    cmd = validate_command(AC, "set_temperature", {"temperature": value})
    assert cmd.args["temperature"] == 18 + k * 0.5


def test_off_grid_state_readings_are_kept_as_reported() -> None:
    good, _ = valid_state_values(AC, {"target_temperature": 24.3})
    assert good == {"target_temperature": 24.3}
