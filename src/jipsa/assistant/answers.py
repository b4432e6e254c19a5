"""Answers to state questions (켜져 있어? 언제 끝나? 몇 도야? 미세먼지 어때?) from live state. Pure."""

from __future__ import annotations

from collections.abc import Mapping

from jipsa.assistant.replies import VALUE_NAMES_KO, fmt_number
from jipsa.core.capabilities import Value
from jipsa.core.devices import Device, DeviceClass, DeviceType
from jipsa.core.korean import josa
from jipsa.core.validation import ATTRIBUTE_NAMES_KO

_PM10_GRADES = ((30, "좋음", "good"), (80, "보통", "moderate"), (150, "나쁨", "unhealthy"))
_PM25_GRADES = ((15, "좋음", "good"), (35, "보통", "moderate"), (75, "나쁨", "unhealthy"))
_VACUUM_KO = {"docked": "충전대에서 쉬고 있어요", "cleaning": "청소 중이에요",
              "paused": "청소를 잠시 멈췄어요", "returning": "충전대로 돌아가는 중이에요",
              "idle": "대기 중이에요"}


def _grade(value: float, grades: tuple[tuple[int, str, str], ...], en: bool) -> str:
    for limit, ko, english in grades:
        if value <= limit:
            return english if en else ko
    return "very unhealthy" if en else "매우 나쁨"


def _dust(state: Mapping[str, Value], *, en: bool) -> list[tuple[str, float, str]]:
    """(label, value, grade) for the PM10 and PM2.5 readings present, graded on the Korean scale."""
    out = []
    for key, grades, ko, english in (("pm10", _PM10_GRADES, "미세먼지", "PM10"),
                                     ("pm25", _PM25_GRADES, "초미세먼지", "PM2.5")):
        value = state.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            out.append((english if en else ko, value, _grade(value, grades, en)))
    return out


def _is(state: Mapping[str, Value], key: str) -> bool:
    return state.get(key) is True


def answer_ko(device: Device, state: Mapping[str, Value], attribute: str | None,
              available: bool = True) -> str:
    """One short Korean sentence about ``device``, on ``attribute`` when the question named one."""
    name = device.name
    if not available:
        return f"{josa(name, '이/가')} 응답이 없어서 지금 상태를 알 수 없어요."
    attribute = attribute or _main_attribute(device)
    value = state.get(attribute) if attribute else None
    if attribute == "remaining_minutes" or attribute == "operation_state":
        op = state.get("operation_state")
        if op == "running":
            minutes = state.get("remaining_minutes")
            if isinstance(minutes, int):
                return f"{josa(name, '이/가')} {minutes}분 남았어요."
            return f"{josa(name, '이/가')} 작동 중이에요."
        if op == "paused":
            return f"{josa(name, '은/는')} 일시정지 상태예요."
        if op == "finished":
            return f"{josa(name, '은/는')} 다 끝났어요."
        return f"{josa(name, '은/는')} 지금 작동하고 있지 않아요."
    if attribute in ("temperature", "target_temperature", "cabin_temperature") and value is not None:
        label = {"target_temperature": "설정 온도", "cabin_temperature": "실내 온도"}.get(attribute, "온도")
        text = f"{name} {josa(label, '은/는')} {fmt_number(value)}도예요."
        target = state.get("target_temperature")
        if attribute == "temperature" and target is not None and state.get("on") is True:
            text = (f"{name} {josa(label, '은/는')} {fmt_number(value)}도이고, "
                    f"{fmt_number(target)}도로 맞춰져 있어요.")
        return text
    if attribute in ("pm10", "pm25") and value is not None:
        parts = [f"{label} {fmt_number(v)}㎍/㎥({grade})" for label, v, grade in _dust(state, en=False)]
        return f"{name} 기준으로 " + ", ".join(parts) + "이에요."
    if attribute == "humidity" and value is not None:
        return f"{name} 습도는 {fmt_number(value)}%예요."
    if attribute == "locked":
        return f"{josa(name, '은/는')} {'잠겨' if _is(state, 'locked') else '열려'} 있어요."
    if attribute == "valve_open":
        return f"{josa(name, '은/는')} {'열려' if _is(state, 'valve_open') else '잠겨'} 있어요."
    if attribute == "position" and isinstance(value, int | float):
        return _how_open_ko(josa(name, "은/는"), value)
    if attribute == "vacuum_state":
        battery = state.get("battery")
        tail = f" 배터리는 {battery}%예요." if isinstance(battery, int) else ""
        return f"{josa(name, '은/는')} {_VACUUM_KO.get(str(value), '상태를 알 수 없어요')}.{tail}"
    if attribute == "active":
        return _binary_ko(device, bool(value))
    if attribute == "door_open":
        return f"{name} 문은 {'열려' if value else '닫혀'} 있어요."
    if attribute == "engine_on":
        return f"{name} 시동이 {'걸려' if value else '꺼져'} 있어요."
    if attribute == "oscillating":
        return f"{josa(name, '은/는')} {'회전하고' if value else '회전하지 않고'} 있어요."
    if attribute == "swing_mode" and value is not None:
        if value == "off":
            return f"{name} 바람 방향은 고정돼 있어요."
        if value == "on":
            return f"{name} 바람 방향은 회전하고 있어요."
        return f"{name} 바람 방향은 {VALUE_NAMES_KO.get(str(value), str(value))}로 움직이고 있어요."
    if attribute == "tilt_position" and isinstance(value, int | float):
        return _how_open_ko(f"{name} 살은", value, fully="활짝 ")
    if attribute == "on":
        return f"{josa(name, '은/는')} {'켜져' if value else '꺼져'} 있어요."
    if attribute == "battery" and value is not None:
        return f"{name} 배터리는 {value}%예요."
    if attribute == "fuel_percent" and isinstance(value, int | float):
        # a car's fuel or, for an electric one, its charge (차 충전 얼마나 됐어, 기름 얼마나 남았어)
        reach = state.get("range_km")
        tail = f" 주행 가능 거리는 {fmt_number(reach)}km예요." if isinstance(reach, int | float) else ""
        return f"{josa(name, '은/는')} {fmt_number(value)}% 남아 있어요.{tail}"
    if attribute is not None and value is not None:
        label = ATTRIBUTE_NAMES_KO.get(attribute, attribute)
        shown = VALUE_NAMES_KO.get(str(value), fmt_number(value))
        return f"{name} {josa(label, '은/는')} {josa(shown, '이에요/예요')}."
    return f"{name}의 상태를 알 수 없어요."


def _how_open_ko(subject: str, percent: float, fully: str = "") -> str:
    """How far something that opens is open (a cover, a blind's slats), ``subject`` with its particle."""
    if percent <= 0:
        return f"{subject} 닫혀 있어요."
    if percent >= 100:
        return f"{subject} {fully}열려 있어요."
    return f"{subject} {fmt_number(percent)}% 열려 있어요."


def _binary_ko(device: Device, active: bool) -> str:
    name = device.name
    cls = device.device_class
    if cls in (DeviceClass.DOOR, DeviceClass.WINDOW):
        return f"{josa(name, '은/는')} {'열려' if active else '닫혀'} 있어요."
    if cls in (DeviceClass.MOTION, DeviceClass.OCCUPANCY):
        return f"{name}: {'움직임이 감지됐어요' if active else '움직임이 없어요'}."
    if cls is DeviceClass.LEAK:
        return f"{name}: {'물이 새고 있어요! 확인해 주세요' if active else '누수는 없어요'}."
    if cls is DeviceClass.SMOKE:
        return f"{name}: {'연기가 감지됐어요! 확인해 주세요' if active else '연기는 없어요'}."
    return f"{name}: {'감지됨' if active else '감지 안 됨'}이에요."


def _main_attribute(device: Device) -> str | None:
    if device.has("operation"):
        return "remaining_minutes"
    if device.has("vacuum"):
        return "vacuum_state"
    if device.has("lock") and device.type is not DeviceType.VEHICLE:
        return "locked"
    if device.has("valve"):
        return "valve_open"
    if device.has("position"):
        return "position"
    if device.has("binary_sensor"):
        return "active"
    if device.type is DeviceType.VEHICLE:
        return "engine_on"
    if device.has("on_off"):
        return "on"
    for attr in ("temperature", "humidity", "pm10", "pm25", "battery"):
        if device.attribute(attr) is not None:
            return attr
    return None


def answer_en(device: Device, state: Mapping[str, Value], attribute: str | None,
              available: bool = True) -> str:
    """One short English sentence about ``device``."""
    name = f"the {device.name}"
    if not available:
        return f"{name.capitalize()} is not responding, so I can't tell."
    attribute = attribute or _main_attribute(device)
    value = state.get(attribute) if attribute else None
    if attribute in ("remaining_minutes", "operation_state"):
        op = state.get("operation_state")
        minutes = state.get("remaining_minutes")
        if op == "running" and isinstance(minutes, int):
            return f"{name.capitalize()} has {minutes} minutes left."
        return f"{name.capitalize()} is {op or 'idle'}."
    if attribute in ("pm10", "pm25"):
        parts = [f"{label} {fmt_number(v)} µg/m³ ({grade})" for label, v, grade in _dust(state, en=True)]
        return f"At {name}: " + ", ".join(parts) + "."
    if attribute == "on":
        return f"{name.capitalize()} is {'on' if value else 'off'}."
    if attribute == "locked":
        return f"{name.capitalize()} is {'locked' if value else 'unlocked'}."
    if attribute == "oscillating":
        return f"{name.capitalize()} is {'' if value else 'not '}oscillating."
    if attribute == "swing_mode" and value is not None:
        return f"The swing of {name} is {value}."
    if attribute == "tilt_position" and isinstance(value, int | float):
        return f"The slats of {name} are {fmt_number(value)}% open."
    if attribute in ("temperature", "target_temperature", "cabin_temperature") and value is not None:
        return f"{name.capitalize()} reads {fmt_number(value)}°C."
    if attribute == "active":
        return f"{name.capitalize()}: {'detected' if value else 'clear'}."
    if attribute == "fuel_percent" and isinstance(value, int | float):
        reach = state.get("range_km")
        tail = f" ({fmt_number(reach)} km of range)" if isinstance(reach, int | float) else ""
        return f"{name.capitalize()} has {fmt_number(value)}% left{tail}."
    if attribute is not None and value is not None:
        return f"{name.capitalize()}: {attribute.replace('_', ' ')} is {fmt_number(value)}."
    return f"I don't know the state of {name}."
