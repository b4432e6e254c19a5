"""The capability catalogue and the home as a value: invariants that make an invalid home impossible."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jipsa.core import (
    CATALOGUE,
    Area,
    Attribute,
    Device,
    DeviceClass,
    DeviceType,
    Home,
    HomeInfo,
    Routine,
    RoutineAction,
    ValueKind,
)
from jipsa.core.devices import DEFAULT_CAPABILITIES, SENSITIVE_COMMANDS

TEMP = CATALOGUE["target_temperature"].attributes[0]


def test_every_type_has_default_capabilities_from_the_catalogue() -> None:
    assert set(DEFAULT_CAPABILITIES) == set(DeviceType)
    for device_type in DeviceType:
        device = Device(id="d", name="기기", type=device_type)
        assert device.capabilities, device_type
        assert all(cap in CATALOGUE for cap in device.capabilities)


def test_every_command_parameter_names_an_attribute_and_numbers_have_ranges() -> None:
    for cap in CATALOGUE.values():
        for attr in cap.attributes:
            if attr.kind in (ValueKind.INT, ValueKind.FLOAT):
                assert attr.minimum is not None and attr.maximum is not None, attr.name
                assert attr.describe_allowed()[0].isdigit() or attr.describe_allowed()[0] == "-"
        for spec in cap.commands:
            for _param, attr_name in spec.params:
                attr = cap.attribute(attr_name)
                assert attr is not None and attr.writable, (cap.id, spec.name)
            for attr_name, value in spec.sets:
                attr = cap.attribute(attr_name)
                assert attr is not None and attr.check(value) is None


def test_sensitive_commands_exist() -> None:
    for cap_id, command in SENSITIVE_COMMANDS:
        assert CATALOGUE[cap_id].command(command) is not None


@pytest.mark.parametrize(("attr", "allowed"), [
    (TEMP, "5–80 °C"),
    (TEMP.narrowed(minimum=18, maximum=30), "18–30 °C"),
    (TEMP.narrowed(minimum=16.5), "16.5–80 °C"),
    (CATALOGUE["on_off"].attributes[0], "true, false"),
    (CATALOGUE["fan_speed"].attributes[0], "low, medium, high, turbo, auto"),
    (CATALOGUE["refrigeration"].attribute("freezer_temperature"), "-24–-14 °C"),
    (CATALOGUE["media"].attribute("channel"), "1–999"),
])
def test_describe_allowed(attr: Attribute, allowed: str) -> None:
    assert attr.describe_allowed() == allowed


@given(st.integers(0, 150), st.integers(0, 150))
def test_narrowing_never_widens(lo_steps: int, hi_steps: int) -> None:
    lo, hi = 5 + lo_steps * 0.5, 5 + hi_steps * 0.5
    try:
        narrowed = TEMP.narrowed(minimum=lo, maximum=hi)
    except ValueError:
        assert lo > hi or hi > 80
        return
    assert TEMP.minimum is not None and TEMP.maximum is not None
    assert narrowed.minimum is not None and narrowed.maximum is not None
    assert TEMP.minimum <= narrowed.minimum <= narrowed.maximum <= TEMP.maximum
    for value in (lo, hi):
        assert narrowed.check(value) is None
        assert TEMP.check(value) is None


@pytest.mark.parametrize("kwargs", [
    {"minimum": 4.5}, {"maximum": 80.5}, {"minimum": math.nan}, {"maximum": math.inf},
    {"step": 0.25}, {"step": 0}, {"step": -0.5}, {"step": math.nan}, {"minimum": 18.2},
    {"values": ("cool",)}, {"minimum": 40, "maximum": 30},
])
def test_narrowing_refuses_what_the_catalogue_would_not_accept(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        TEMP.narrowed(**kwargs)  # type: ignore[arg-type]


def test_step_narrowing_to_a_multiple() -> None:
    whole = TEMP.narrowed(step=1)
    assert whole.check(21) is None
    assert whole.check(21.5) == "step"


@pytest.mark.parametrize("kwargs", [
    {"minimum": math.nan}, {"maximum": math.nan}, {"step": 0}, {"step": -1}, {"step": math.inf},
    {"minimum": 10, "maximum": 5},
])
def test_attribute_bounds_must_be_sane(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        Attribute("x", ValueKind.FLOAT, **kwargs)  # type: ignore[arg-type]


def test_enum_attribute_needs_values() -> None:
    with pytest.raises(ValueError):
        Attribute("x", ValueKind.ENUM)


def test_nullable_attribute() -> None:
    remaining = CATALOGUE["operation"].attribute("remaining_minutes")
    assert remaining is not None
    assert remaining.check(None) is None
    assert TEMP.check(None) == "null"


# -- devices and homes -----------------------------------------------------------------------------------

def test_refrigerator_has_power_and_sensor_class_decides_capability() -> None:
    assert Device(id="f", name="냉장고", type=DeviceType.REFRIGERATOR).capabilities == (
        "refrigeration", "on_off")
    assert Device(id="s", name="습도계", type=DeviceType.SENSOR,
                  device_class=DeviceClass.HUMIDITY).capabilities == ("humidity_measurement",)
    assert Device(id="s", name="센서", type=DeviceType.SENSOR).capabilities == ("temperature_measurement",)


@pytest.mark.parametrize("kwargs", [
    {"id": "has space"}, {"id": ""}, {"id": "x" * 201}, {"name": "  "},
    {"device_class": DeviceClass.MOTION}, {"capabilities": ("on_off", "warp")},
    {"capabilities": ("on_off", "on_off")}, {"limits": {"target_temperature": TEMP}},
])
def test_invalid_devices_cannot_exist(kwargs: dict[str, object]) -> None:
    base: dict[str, object] = {"id": "light.x", "name": "조명", "type": DeviceType.LIGHT}
    with pytest.raises(ValueError):
        Device(**{**base, **kwargs})  # type: ignore[arg-type]


def test_device_attribute_uses_limits() -> None:
    narrowed = TEMP.narrowed(minimum=18, maximum=30)
    ac = Device(id="ac", name="에어컨", type=DeviceType.AIR_CONDITIONER,
                limits={"target_temperature": narrowed})
    assert ac.attribute("target_temperature") == narrowed
    assert narrowed in ac.attributes()
    assert ac.attribute("brightness") is None
    assert ac.has("hvac_mode") and not ac.has("brightness")


def test_sensitive() -> None:
    lock = Device(id="lock", name="도어락", type=DeviceType.DOOR_LOCK)
    assert lock.is_sensitive("lock", "unlock")
    assert not lock.is_sensitive("lock", "lock")


def test_home_refuses_inconsistencies() -> None:
    light = Device(id="l", name="조명", type=DeviceType.LIGHT, area="living_room")
    area = Area(id="living_room", name="거실")
    with pytest.raises(ValueError, match="unknown area"):
        Home(HomeInfo(), devices=(light,))
    with pytest.raises(ValueError, match="used twice"):
        Home(HomeInfo(), areas=(area,), devices=(light, light))
    with pytest.raises(ValueError, match="share an id"):
        Home(HomeInfo(), areas=(area, area))
    with pytest.raises(ValueError, match="unknown device"):
        Home(HomeInfo(), routines=(Routine("r", "루틴", actions=(RoutineAction("nope", "turn_on"),)),))
    home = Home(HomeInfo(), areas=(area,), devices=(light,))
    assert home.devices_in("living_room") == (light,)
    assert home.device("l") is light and home.device("x") is None
    assert home.area("living_room") is area


def test_routine_action_args_are_frozen() -> None:
    args = {"brightness": 20}
    action = RoutineAction("l", "set_brightness", args)
    args["brightness"] = 99
    assert action.args == {"brightness": 20}
    with pytest.raises(TypeError):
        action.args["brightness"] = 1  # type: ignore[index]


@pytest.mark.parametrize("kwargs", [{"language": "fr"}, {"style": "rude"}])
def test_home_info_is_validated(kwargs: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        HomeInfo(**kwargs)


@pytest.mark.parametrize("limit", [
    Attribute("target_temperature", ValueKind.FLOAT, 0, 100, 0.5, "°C", writable=True),
    Attribute("target_temperature", ValueKind.INT, 18, 30, 1, "°C", writable=True),
    Attribute("brightness", ValueKind.INT, 1, 100, 1, "%", writable=True),
])
def test_device_limits_must_narrow_the_catalogue(limit: Attribute) -> None:
    with pytest.raises(ValueError):
        Device(id="ac", name="에어컨", type=DeviceType.AIR_CONDITIONER, limits={"target_temperature": limit})
