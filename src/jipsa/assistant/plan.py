"""From understood frames to validated commands: what to do, on which device, with which arguments.

Pure: it reads the current state through a function and returns a plan; nothing is sent. Relative
requests (``temperature_delta``, ``brightness_delta`` …) become absolute values here, from the device's
current state, so every command an adapter sees is absolute and validated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from jipsa.core.capabilities import Value
from jipsa.core.devices import Device, DeviceType, Home
from jipsa.core.errors import CommandRejectedError
from jipsa.core.messages import Command
from jipsa.core.validation import command_effects, validate_command
from jipsa.nlu.frame import Frame

StateOf = Callable[[str], Mapping[str, Value]]
"""Reads a device's current state by id."""

QUESTION_INTENTS = frozenset({"HassGetState", "HassClimateGetTemperature"})
"""Intents answered from state instead of acted on."""

CLIMATE_TYPES = frozenset({DeviceType.AIR_CONDITIONER, DeviceType.HEATER, DeviceType.BOILER,
                           DeviceType.AIR_PURIFIER, DeviceType.HUMIDIFIER, DeviceType.DEHUMIDIFIER,
                           DeviceType.FAN})
"""Types that are switched on when a setting is changed while they are off, as people expect."""


@dataclass(frozen=True, slots=True)
class Step:
    """One validated command in a plan."""

    device: Device
    """The target device."""
    command: Command
    """The validated command."""
    sensitive: bool = False
    """Whether a person must confirm it first."""


@dataclass(slots=True)
class Plan:
    """Everything a list of frames asks for."""

    steps: list[Step] = field(default_factory=list)
    """Commands to send, in order."""
    rejected: list[tuple[Device, CommandRejectedError]] = field(default_factory=list)
    """Requests that fail validation, with the reason."""
    unsupported: list[tuple[Device, str]] = field(default_factory=list)
    """Devices that cannot do what the frame asks (device, intent)."""
    questions: list[tuple[Device, Frame]] = field(default_factory=list)
    """State questions to answer, per device."""
    routines: list[str] = field(default_factory=list)
    """Ids of routines that were run."""


class _Unsupported(Exception):
    """The device has no command for this intent."""


def _on_off(device: Device, on: bool, slots: Mapping[str, Any]) -> list[tuple[str, dict[str, Value]]]:
    feature = slots.get("feature")
    if device.has("vehicle") and feature == "climate":
        return [("start_climate" if on else "stop_climate", {})]
    if device.has("lock") and (feature == "lock" or not device.has("vehicle")):
        return [("lock" if on else "unlock", {})]
    if device.has("on_off"):
        return [("turn_on" if on else "turn_off", {})]
    if device.has("position"):
        return [("open" if on else "close", {})]
    if device.has("valve"):
        return [("open_valve" if on else "close_valve", {})]
    if device.has("vehicle"):
        return [("start_engine" if on else "stop_engine", {})]
    if device.has("vacuum"):
        return [("start" if on else "return_to_base", {})]
    if device.has("operation"):
        return [("start" if on else "stop", {})]
    raise _Unsupported


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Unsupported
    return value


def _absolute(device: Device, attr: str, args: Mapping[str, Any], key: str,
              state: Mapping[str, Value], *, clamp: bool) -> Value:
    """``args[key]`` or the current value plus ``args[key + '_delta']`` (clamped where asked)."""
    if key in args:
        return args[key]  # type: ignore[no-any-return]
    delta = _number(args.get(f"{key}_delta"))
    current = state.get(attr)
    spec = device.attribute(attr)
    if spec is None:
        raise _Unsupported
    base = current if isinstance(current, int | float) and not isinstance(current, bool) else (
        spec.minimum or 0)
    value = base + delta
    if clamp and spec.minimum is not None and spec.maximum is not None:
        value = min(max(value, spec.minimum), spec.maximum)
    return int(value) if float(value).is_integer() else value


def _enum_step(device: Device, attr: str, args: Mapping[str, Any], key: str,
               state: Mapping[str, Value]) -> Value:
    if key in args:
        return args[key]  # type: ignore[no-any-return]
    spec = device.attribute(attr)
    if spec is None:
        raise _Unsupported
    levels = [v for v in spec.values if v != "auto"]
    current = state.get(attr)
    index = levels.index(current) if current in levels else 0
    index = min(max(index + int(_number(args.get(f"{key}_delta"))), 0), len(levels) - 1)
    return levels[index]


def _switch_on_first(device: Device, state: Mapping[str, Value]) -> list[tuple[str, dict[str, Value]]]:
    if device.type in CLIMATE_TYPES and device.has("on_off") and state.get("on") is False:
        return [("turn_on", {})]
    return []


_FIXED: Mapping[str, str] = {
    "HassVacuumStart": "start", "HassVacuumReturnToBase": "return_to_base", "JipsaPause": "pause",
    "HassMediaPause": "pause", "JipsaStop": "stop", "HassMediaUnpause": "play",
    "HassMediaPlayerMute": "mute", "HassMediaPlayerUnmute": "unmute",
}
"""Intents carried out by one command without arguments."""

_PASSED: Mapping[str, tuple[str, str]] = {
    "JipsaSetProgram": ("set_program", "program"), "JipsaSetInput": ("set_input", "input"),
}
"""Intents carried out by one command taking one argument as the frame gives it."""

_CLAMPED: Mapping[str, tuple[str, str]] = {
    "HassSetPosition": ("set_position", "position"), "HassSetVolume": ("set_volume", "volume"),
    "JipsaSetChannel": ("set_channel", "channel"),
}
"""Intents setting one attribute, absolute or relative (``<attr>_delta``), kept inside its range."""


def commands_for(frame: Frame, device: Device,
                 state: Mapping[str, Value]) -> list[tuple[str, dict[str, Value]]]:
    """The (command, args) pairs that carry out ``frame`` on ``device``; ``_Unsupported`` if none."""
    intent, args = frame.intent, frame.args
    if intent == "HassTurnOn":
        return _on_off(device, True, frame.slots)
    if intent == "HassTurnOff":
        return _on_off(device, False, frame.slots)
    if intent == "HassToggle" and device.has("on_off"):
        return [("toggle", {})]
    if intent == "HassClimateSetTemperature":
        if device.has("vehicle"):
            return [("start_climate", {"temperature": args["temperature"]} if "temperature" in args
                     else {})]
        if device.has("refrigeration"):
            return [("set_fridge_temperature",
                     {"temperature": _absolute(device, "fridge_temperature", args, "temperature",
                                               state, clamp=False)})]
        if not device.has("target_temperature"):
            raise _Unsupported
        value = _absolute(device, "target_temperature", args, "temperature", state, clamp=False)
        return [*_switch_on_first(device, state), ("set_temperature", {"temperature": value})]
    if intent in ("JipsaSetFridgeTemperature", "JipsaSetFreezerTemperature"):
        attr = "fridge_temperature" if intent == "JipsaSetFridgeTemperature" else "freezer_temperature"
        if not device.has("refrigeration"):
            raise _Unsupported
        value = _absolute(device, attr, args, "temperature", state, clamp=False)
        return [(f"set_{attr}", {"temperature": value})]
    if intent == "HassLightSet":
        out: list[tuple[str, dict[str, Value]]] = []
        if "brightness" in args or "brightness_delta" in args:
            if not device.has("brightness"):
                raise _Unsupported
            out.append(("set_brightness", {"brightness": _absolute(
                device, "brightness", args, "brightness", state, clamp=True)}))
        if "color" in args:
            out.append(("set_color", {"color": args["color"]}))
        if "color_temp" in args:
            out.append(("set_color_temperature", {"color_temp": args["color_temp"]}))
        if not out:
            raise _Unsupported
        return out
    if intent == "HassFanSetSpeed":
        if not device.has("fan_speed"):
            raise _Unsupported
        speed = _enum_step(device, "fan_speed", args, "fan_speed", state)
        return [*_switch_on_first(device, state), ("set_fan_speed", {"fan_speed": speed})]
    if intent == "JipsaSetMode":
        if "hvac_mode" in args and device.has("hvac_mode"):
            return [*_switch_on_first(device, state), ("set_hvac_mode", {"hvac_mode": args["hvac_mode"]})]
        if "mode" in args and device.has("mode"):
            return [*_switch_on_first(device, state), ("set_mode", {"mode": args["mode"]})]
        raise _Unsupported
    if intent == "HassHumidifierSetpoint":
        if not device.has("target_humidity"):
            raise _Unsupported
        value = _absolute(device, "target_humidity", args, "humidity", state, clamp=True)
        return [*_switch_on_first(device, state), ("set_humidity", {"humidity": value})]
    if intent in _FIXED:
        return [(_FIXED[intent], {})]
    if intent in _PASSED:
        command, key = _PASSED[intent]
        return [(command, {key: args[key]})]
    if intent in _CLAMPED:
        command, attr = _CLAMPED[intent]
        return [(command, {attr: _absolute(device, attr, args, attr, state, clamp=True)})]
    if intent in ("JipsaSetOscillation", "JipsaSetSwing"):
        return _swing(device, intent, args, state)
    if intent == "JipsaSetTilt":
        if not device.has("tilt"):
            raise _Unsupported
        tilt = _absolute(device, "tilt_position", args, "tilt_position", state, clamp=True)
        if tilt in (0, 100):
            return [("open_tilt" if tilt == 100 else "close_tilt", {})]
        return [("set_tilt_position", {"tilt_position": tilt})]
    if intent == "JipsaStart":
        program = [("set_program", {"program": args["program"]})] if "program" in args else []
        power: list[tuple[str, dict[str, Value]]] = (
            [("turn_on", {})] if device.has("on_off") and state.get("on") is False else [])
        return [*power, *program, ("start", {})]
    raise _Unsupported


def _swing(device: Device, intent: str, args: Mapping[str, Any],
           state: Mapping[str, Value]) -> list[tuple[str, dict[str, Value]]]:
    """A fan's turning or an air conditioner's swing, whichever of the two the device has: 회전 켜 on an
    air conditioner swings its air, 바람 방향 좌우로 on a fan turns its head."""
    if intent == "JipsaSetOscillation":
        wanted = "on" if args.get("oscillating") is True else "off"
    else:
        wanted = str(args.get("swing_mode", ""))
    if device.has("swing"):
        spec = device.attribute("swing_mode")
        values = spec.values if spec is not None else ()
        if wanted == "on" and "on" not in values:
            wanted = next((v for v in ("both", "vertical", "horizontal") if v in values), wanted)
        if wanted not in values:
            raise _Unsupported
        power = _switch_on_first(device, state) if wanted != "off" else []
        return [*power, ("set_swing_mode", {"swing_mode": wanted})]
    if device.has("oscillation") and wanted in ("on", "off", "horizontal", "both"):
        return [("oscillate_off" if wanted == "off" else "oscillate_on", {})]
    raise _Unsupported


def plan_frames(frames: list[Frame] | tuple[Frame, ...], home: Home, state_of: StateOf) -> Plan:
    """The plan that carries out ``frames`` in ``home``, given each device's current state.

    Each planned step's effect is applied to a local view of the state, so a later frame sees the earlier
    ones (켜고 … 맞춰: the device is not switched on twice; 24도로 하고 좀 더 시원하게: 23 °C).
    """
    plan = Plan()
    overlay: dict[str, dict[str, Value]] = {}

    def current(device_id: str) -> Mapping[str, Value]:
        if device_id not in overlay:
            overlay[device_id] = dict(state_of(device_id))
        return overlay[device_id]

    def add(device: Device, command: str, args: dict[str, Value]) -> None:
        step = _add(plan, device, command, args)
        if step is not None:
            state = current(device.id)
            overlay[device.id] = {**state, **command_effects(device, step.command, state)}

    for frame in frames:
        if frame.intent == "JipsaRunRoutine":
            routine = home.routine(str(frame.args.get("routine", "")))
            if routine is None:
                continue
            plan.routines.append(routine.id)
            for action in routine.actions:
                device = home.device(action.device)
                if device is not None:
                    add(device, action.command, dict(action.args))
            continue
        for target in frame.targets:
            device = home.device(target)
            if device is None:
                continue
            if frame.intent in QUESTION_INTENTS:
                plan.questions.append((device, frame))
                continue
            try:
                pairs = commands_for(frame, device, current(device.id))
            except (_Unsupported, KeyError):
                plan.unsupported.append((device, frame.intent))
                continue
            for command, args in pairs:
                add(device, command, args)
    return plan


def _add(plan: Plan, device: Device, command: str, args: dict[str, Value]) -> Step | None:
    try:
        validated = validate_command(device, command, args)
    except CommandRejectedError as exc:
        plan.rejected.append((device, exc))
        return None
    step = Step(device, validated, device.is_sensitive(validated.capability, validated.command))
    plan.steps.append(step)
    return step
