"""Checking commands and state values against a device's capabilities, and what a command changes.

``validate_command`` is the one gate every command passes before an adapter sees it; its errors say the
allowed range in Korean and English.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jipsa.core.capabilities import CATALOGUE, Attribute, CommandSpec, Value
from jipsa.core.devices import Device
from jipsa.core.errors import CommandRejectedError
from jipsa.core.korean import josa
from jipsa.core.messages import Command

ATTRIBUTE_NAMES_KO: Mapping[str, str] = {
    "on": "전원", "brightness": "밝기", "color_temp": "색온도", "color": "색",
    "target_temperature": "설정 온도", "hvac_mode": "운전 모드", "fan_speed": "바람 세기",
    "mode": "모드", "target_humidity": "설정 습도", "position": "열림 정도", "locked": "잠금",
    "valve_open": "밸브", "operation_state": "작동 상태", "remaining_minutes": "남은 시간",
    "program": "코스", "vacuum_state": "청소 상태", "volume": "볼륨", "muted": "음소거",
    "channel": "채널", "input": "입력", "playing": "재생", "fridge_temperature": "냉장실 온도",
    "freezer_temperature": "냉동실 온도", "door_open": "문", "temperature": "온도",
    "humidity": "습도", "pm25": "초미세먼지", "pm10": "미세먼지", "power": "전력",
    "battery": "배터리", "active": "감지", "engine_on": "시동", "climate_on": "공조",
    "cabin_temperature": "실내 온도", "climate_target": "공조 온도", "fuel_percent": "연료",
    "range_km": "주행 가능 거리",
}
"""How the Korean replies name each attribute."""


def _reject(device: Device, reason: str, ko: str, en: str, allowed: str | None = None) -> None:
    raise CommandRejectedError(device_id=device.id, reason=reason, message_ko=ko, message_en=en,
                               allowed=allowed)


def find_command(device: Device, command: str,
                 capability: str | None = None) -> tuple[str, CommandSpec] | None:
    """The capability id and spec of ``command`` on this device, if it has that command."""
    caps = (capability,) if capability else device.capabilities
    for cap_id in caps:
        if cap_id not in device.capabilities or cap_id not in CATALOGUE:
            continue
        spec = CATALOGUE[cap_id].command(command)
        if spec is not None:
            return cap_id, spec
    return None


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def check_value(device: Device, attr: Attribute, value: Any) -> None:
    """Raise :class:`CommandRejectedError` unless ``value`` is valid for ``attr`` on ``device``."""
    problem = attr.check(value)
    if problem is None:
        return
    label = ATTRIBUTE_NAMES_KO.get(attr.name, attr.name)
    allowed = attr.describe_allowed()
    shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
    if problem == "range":
        _reject(device, "out_of_range",
                f"{josa(label, '은/는')} {allowed} 사이로만 설정할 수 있어요 (요청: {shown}).",
                f"{attr.name} must be within {allowed} (got {shown}).", allowed)
    elif problem == "step":
        step = _number(attr.step or 0)
        _reject(device, "bad_step",
                f"{josa(label, '은/는')} {allowed} 사이에서 {step} 단위로만 설정할 수 있어요 "
                f"(요청: {shown}).",
                f"{attr.name} must be within {allowed} in steps of {step} (got {shown}).", allowed)
    elif problem == "enum":
        _reject(device, "bad_value",
                f"{label}에는 {allowed} 중 하나만 쓸 수 있어요 (요청: {shown}).",
                f"{attr.name} must be one of {allowed} (got {shown}).", allowed)
    elif problem == "null":
        _reject(device, "bad_type",
                f"{label} 값이 비어 있어요 (허용: {allowed}).",
                f"{attr.name} needs a value within {allowed} (got {shown}).", allowed)
    else:
        _reject(device, "bad_type",
                f"{label} 값이 올바르지 않아요: {shown} (허용: {allowed}).",
                f"{attr.name} must be {attr.kind.value} within {allowed} (got {shown}).", allowed)


def validate_command(device: Device, command: str, args: Mapping[str, Any] | None = None,
                     capability: str | None = None) -> Command:
    """A :class:`Command` for ``device``, or :class:`CommandRejectedError` saying what is wrong."""
    args = dict(args or {})
    found = find_command(device, command, capability)
    if found is None:
        if capability is not None and capability not in device.capabilities:
            caps = ", ".join(device.capabilities)
            what = "unknown capability" if capability not in CATALOGUE else "no capability"
            _reject(device, "unknown_capability",
                    f"{josa(device.name, '은/는')} '{capability}' 기능이 없어요 (있는 기능: {caps}).",
                    f"{device.name} has {what} {capability!r}; it has: {caps}.", caps)
        supported = ", ".join(sorted({c.name for cap in device.capability_objects() for c in cap.commands}))
        _reject(device, "unsupported_command",
                f"{josa(device.name, '은/는')} '{command}' 명령을 지원하지 않아요 (지원: {supported}).",
                f"{device.name} does not support {command!r}; it supports: {supported}.", supported)
        raise AssertionError("unreachable")  # pragma: no cover
    cap_id, spec = found
    expected = {param for param, _attr in spec.params}
    takes = ", ".join(sorted(expected)) or "none"
    unknown = sorted(str(key) for key in set(args) - expected)
    if unknown:
        _reject(device, "unknown_argument",
                f"'{command}' 명령에 모르는 값이 있어요: {', '.join(unknown)} (받는 값: {takes}).",
                f"{command!r} takes no argument {', '.join(unknown)}; it takes: {takes}.", takes)
    clean: dict[str, Value] = {}
    for param, attr_name in spec.params:
        attr = device.attribute(attr_name)
        if attr is None:  # pragma: no cover - the catalogue guarantees it
            raise RuntimeError(f"{attr_name} missing on {device.id}")
        if param not in args:
            if param in spec.optional:
                continue
            allowed = attr.describe_allowed()
            _reject(device, "missing_argument",
                    f"'{command}' 명령에는 {param} 값이 필요해요 (허용: {allowed}).",
                    f"{command!r} needs {param!r} ({allowed}).", allowed)
        check_value(device, attr, args[param])
        clean[param] = attr.coerce(args[param])
    return Command(device.id, cap_id, command, clean)


def command_effects(device: Device, command: Command,
                    state: Mapping[str, Value] | None = None) -> dict[str, Value]:
    """The attribute values a valid command sets (``turn_on`` → ``{"on": True}``).

    ``toggle`` needs the current ``state``. Commands whose effect depends on the appliance
    (``start`` on a washer) set nothing here; the device reports what happened.
    """
    spec = CATALOGUE[command.capability].command(command.command)
    if spec is None:
        raise ValueError(f"{command.command!r} is not a command of {command.capability!r}")
    effects: dict[str, Value] = dict(spec.sets)
    for param, attr in spec.params:
        if param in command.args:
            effects[attr] = command.args[param]
    if command.command == "toggle" and command.capability == "on_off":
        effects["on"] = not bool((state or {}).get("on", False))
    return effects


def valid_state_values(device: Device, values: Mapping[str, Any]) -> tuple[dict[str, Value], list[str]]:
    """The values of a state report the device can hold, and a note for each one it cannot."""
    good: dict[str, Value] = {}
    problems: list[str] = []
    for name, value in values.items():
        attr = device.attribute(name)
        if attr is None:
            problems.append(f"{name}: not an attribute of {device.id}")
            continue
        problem = attr.check(value)
        # A device is the authority on its own state: a reading outside the settable range (a room
        # at 41 °C, a setting changed on the appliance itself) is kept; only the type must fit.
        if problem in (None, "range", "step"):
            good[name] = attr.coerce(value)
        else:
            problems.append(f"{name}: {problem} ({value!r})")
    return good, problems
