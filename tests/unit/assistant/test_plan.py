"""Planning: frames become validated, absolute commands from the current state."""

from __future__ import annotations

from collections.abc import Mapping

from jipsa.assistant.plan import plan_frames
from jipsa.core import Home, Value
from jipsa.nlu.frame import Frame


def _plan(home: Home, frame: Frame,
          states: Mapping[str, Mapping[str, Value]]) -> list[tuple[str, str, dict[str, Value]]]:
    plan = plan_frames([frame], home, lambda device_id: states.get(device_id, {}))
    return [(s.command.device_id, s.command.command, dict(s.command.args)) for s in plan.steps]


def test_relative_temperature_from_state(demo_home: Home) -> None:
    frame = Frame("HassClimateSetTemperature", targets=("climate.living_room",),
                  args={"temperature_delta": -1})
    steps = _plan(demo_home, frame, {"climate.living_room": {"on": True, "target_temperature": 24}})
    assert steps == [("climate.living_room", "set_temperature", {"temperature": 23.0})]


def test_setting_a_switched_off_ac_turns_it_on_first(demo_home: Home) -> None:
    frame = Frame("HassClimateSetTemperature", targets=("climate.living_room",), args={"temperature": 22})
    steps = _plan(demo_home, frame, {"climate.living_room": {"on": False, "target_temperature": 24}})
    assert [s[1] for s in steps] == ["turn_on", "set_temperature"]


def test_out_of_range_is_rejected_not_sent(demo_home: Home) -> None:
    frame = Frame("HassClimateSetTemperature", targets=("climate.living_room",), args={"temperature": 5})
    plan = plan_frames([frame], demo_home, lambda _id: {"on": True})
    assert not [s for s in plan.steps if s.command.command == "set_temperature"]
    assert plan.rejected and "18–30 °C" in plan.rejected[0][1].message_ko


def test_brightness_delta_is_clamped(demo_home: Home) -> None:
    frame = Frame("HassLightSet", targets=("light.living_room",), args={"brightness_delta": 30})
    assert _plan(demo_home, frame, {"light.living_room": {"brightness": 90}}) == [
        ("light.living_room", "set_brightness", {"brightness": 100})]


def test_turn_on_means_the_right_command_per_type(demo_home: Home) -> None:
    frame = Frame("HassTurnOn", targets=("cover.living_room_curtain", "lock.front_door", "vehicle.car"))
    commands = [s[1] for s in _plan(demo_home, frame, {})]
    assert commands == ["open", "lock", "start_engine"]


def test_sensitive_steps_are_marked(demo_home: Home) -> None:
    frame = Frame("HassTurnOff", targets=("lock.front_door", "light.kitchen"))
    plan = plan_frames([frame], demo_home, lambda _id: {})
    assert [(s.command.command, s.sensitive) for s in plan.steps] == [("unlock", True), ("turn_off", False)]


def test_routine_expands_to_its_actions(demo_home: Home) -> None:
    plan = plan_frames([Frame("JipsaRunRoutine", args={"routine": "away"})], demo_home, lambda _id: {})
    assert plan.routines == ["away"]
    assert ("valve.gas", "close_valve") in [(s.command.device_id, s.command.command) for s in plan.steps]


def test_fan_speed_steps_along_the_devices_levels(demo_home: Home) -> None:
    frame = Frame("HassFanSetSpeed", targets=("fan.master_bedroom",), args={"fan_speed_delta": 5})
    assert _plan(demo_home, frame, {"fan.master_bedroom": {"on": True, "fan_speed": "low"}}) == [
        ("fan.master_bedroom", "set_fan_speed", {"fan_speed": "high"})]


def test_unsupported_intent_is_reported(demo_home: Home) -> None:
    frame = Frame("HassLightSet", targets=("sensor.living_room_temperature",), args={"brightness": 50})
    plan = plan_frames([frame], demo_home, lambda _id: {})
    assert plan.unsupported and not plan.steps


def test_program_change_without_start(demo_home: Home) -> None:
    frame = Frame("JipsaSetProgram", targets=("washer.utility_room",), args={"program": "quick"})
    assert _plan(demo_home, frame, {"washer.utility_room": {"on": True}}) == [
        ("washer.utility_room", "set_program", {"program": "quick"})]
    unknown = Frame("JipsaSetProgram", targets=("washer.utility_room",), args={"program": "espresso"})
    plan = plan_frames([unknown], demo_home, lambda _id: {})
    assert plan.rejected and not plan.steps


def test_vehicle_features(demo_home: Home) -> None:
    lock = Frame("HassTurnOn", slots={"feature": "lock"}, targets=("vehicle.car",))
    climate = Frame("HassTurnOn", slots={"feature": "climate"}, targets=("vehicle.car",))
    warm = Frame("HassClimateSetTemperature", targets=("vehicle.car",), args={"temperature": 22})
    assert [s[1:] for s in _plan(demo_home, lock, {})] == [("lock", {})]
    assert [s[1:] for s in _plan(demo_home, climate, {})] == [("start_climate", {})]
    assert [s[1:] for s in _plan(demo_home, warm, {})] == [("start_climate", {"temperature": 22.0})]


def test_oscillation_on_a_fan_and_swing_on_an_air_conditioner(demo_home: Home) -> None:
    fan = Frame("JipsaSetOscillation", targets=("fan.master_bedroom",), args={"oscillating": True})
    assert _plan(demo_home, fan, {}) == [("fan.master_bedroom", "oscillate_on", {})]
    ac = Frame("JipsaSetOscillation", targets=("climate.master_bedroom",), args={"oscillating": False})
    assert _plan(demo_home, ac, {"climate.master_bedroom": {"on": True}}) == [
        ("climate.master_bedroom", "set_swing_mode", {"swing_mode": "off"})]


def test_swing_switches_an_air_conditioner_on_first(demo_home: Home) -> None:
    frame = Frame("JipsaSetSwing", targets=("climate.living_room",), args={"swing_mode": "vertical"})
    assert [s[1] for s in _plan(demo_home, frame, {"climate.living_room": {"on": False}})] == [
        "turn_on", "set_swing_mode"]


def test_a_fan_swings_side_to_side_only(demo_home: Home) -> None:
    side = Frame("JipsaSetSwing", targets=("fan.master_bedroom",), args={"swing_mode": "horizontal"})
    assert _plan(demo_home, side, {}) == [("fan.master_bedroom", "oscillate_on", {})]
    up = Frame("JipsaSetSwing", targets=("fan.master_bedroom",), args={"swing_mode": "vertical"})
    plan = plan_frames([up], demo_home, lambda _id: {})
    assert not plan.steps and plan.unsupported


def test_tilt_open_closed_and_relative(demo_home: Home) -> None:
    blind = ("cover.master_bedroom_blind",)
    state = {blind[0]: {"tilt_position": 50}}
    assert _plan(demo_home, Frame("JipsaSetTilt", targets=blind, args={"tilt_position": 100}), state) == [
        (blind[0], "open_tilt", {})]
    assert _plan(demo_home, Frame("JipsaSetTilt", targets=blind, args={"tilt_position_delta": -10}),
                 state) == [(blind[0], "set_tilt_position", {"tilt_position": 40})]
    curtain = Frame("JipsaSetTilt", targets=("cover.living_room_curtain",), args={"tilt_position": 0})
    assert plan_frames([curtain], demo_home, lambda _id: {}).unsupported
