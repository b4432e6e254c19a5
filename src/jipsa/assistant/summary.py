"""Answers about many devices at once, counted the Korean way: 조명 3개와 에어컨 1대가 켜져 있어요. Pure."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from jipsa.core.capabilities import Value
from jipsa.core.devices import Device, DeviceType
from jipsa.core.korean import josa

# type → (Korean noun, counter, English noun)
_NOUNS: Mapping[DeviceType, tuple[str, str, str]] = {
    DeviceType.LIGHT: ("조명", "개", "light"),
    DeviceType.SWITCH: ("스위치", "개", "switch"),
    DeviceType.PLUG: ("플러그", "개", "plug"),
    DeviceType.AIR_CONDITIONER: ("에어컨", "대", "air conditioner"),
    DeviceType.HEATER: ("난방기", "대", "heater"),
    DeviceType.BOILER: ("보일러", "대", "boiler"),
    DeviceType.THERMOSTAT: ("온도조절기", "개", "thermostat"),
    DeviceType.AIR_PURIFIER: ("공기청정기", "대", "air purifier"),
    DeviceType.HUMIDIFIER: ("가습기", "대", "humidifier"),
    DeviceType.DEHUMIDIFIER: ("제습기", "대", "dehumidifier"),
    DeviceType.FAN: ("선풍기", "대", "fan"),
    DeviceType.REFRIGERATOR: ("냉장고", "대", "refrigerator"),
    DeviceType.WASHER: ("세탁기", "대", "washer"),
    DeviceType.DRYER: ("건조기", "대", "dryer"),
    DeviceType.DISHWASHER: ("식기세척기", "대", "dishwasher"),
    DeviceType.ROBOT_VACUUM: ("로봇청소기", "대", "robot vacuum"),
    DeviceType.TV: ("TV", "대", "TV"),
    DeviceType.SPEAKER: ("스피커", "대", "speaker"),
    DeviceType.COVER: ("커튼·블라인드", "개", "cover"),
    DeviceType.DOOR_LOCK: ("도어락", "개", "door lock"),
    DeviceType.GAS_VALVE: ("가스 밸브", "개", "gas valve"),
    DeviceType.SENSOR: ("센서", "개", "sensor"),
    DeviceType.BINARY_SENSOR: ("센서", "개", "sensor"),
    DeviceType.COFFEE_MACHINE: ("커피머신", "대", "coffee machine"),
    DeviceType.VEHICLE: ("차", "대", "car"),
}

_ALWAYS_ON = frozenset({DeviceType.REFRIGERATOR})
"""Left out of "what is on": nobody asking means the refrigerator."""

SUMMARY_ATTRIBUTES = frozenset({"on", "locked", "valve_open", "position", "active"})
"""Questions about these, asked of several devices at once, are answered with one counted sentence."""


def _count_ko(devices: Sequence[Device]) -> str:
    """``조명 3개와 에어컨 1대``; the names themselves when there are one or two."""
    if len(devices) <= 2:
        names = [d.name for d in devices]
        return names[0] if len(names) == 1 else f"{josa(names[0], '과/와')} {names[1]}"
    groups: dict[DeviceType, int] = {}
    for device in devices:
        groups[device.type] = groups.get(device.type, 0) + 1
    parts = [
        f"{_NOUNS.get(t, ('기기', '개', ''))[0]} {n}{_NOUNS.get(t, ('기기', '개', ''))[1]}"
        for t, n in groups.items()
    ]
    if len(parts) == 1:
        return parts[0]
    return ", ".join([*parts[:-2], f"{josa(parts[-2], '과/와')} {parts[-1]}"])


def _count_en(devices: Sequence[Device]) -> str:
    if len(devices) <= 2:
        return " and ".join(f"the {d.name}" for d in devices)
    groups: dict[DeviceType, int] = {}
    for device in devices:
        groups[device.type] = groups.get(device.type, 0) + 1
    parts = []
    for kind, n in groups.items():
        noun = _NOUNS.get(kind, ("", "", "device"))[2]
        parts.append(f"{n} {noun}{'' if n == 1 else 's'}")
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]


def _active(attribute: str, value: Value | None) -> bool:
    if attribute == "position":
        return isinstance(value, int | float) and not isinstance(value, bool) and value > 0
    return value is True


def summary(
    devices: Sequence[Device],
    attribute: str,
    state_of: Callable[[str], Mapping[str, Value]],
    available: Callable[[str], bool],
    *,
    korean: bool,
) -> str:
    """One sentence on which of ``devices`` are on (locked, open …), counted by type."""
    silent = [d for d in devices if not available(d.id)]
    live = [d for d in devices if available(d.id)]
    if attribute == "locked":
        open_ = [d for d in live if state_of(d.id).get("locked") is False]
        if korean:
            text = (
                f"{josa(_count_ko(open_), '이/가')} 열려 있어요."
                if open_
                else (
                    "네, 모두 잠겨 있어요."
                    if len(live) > 1
                    else f"네, {josa(live[0].name, '은/는')} 잠겨 있어요."
                )
                if live
                else ""
            )
        else:
            text = (
                f"{_count_en(open_)[0].upper() + _count_en(open_)[1:]} "
                f"{'is' if len(open_) == 1 else 'are'} unlocked."
                if open_
                else ("Yes, everything is locked." if live else "")
            )
    else:
        on = [
            d
            for d in live
            if _active(attribute, state_of(d.id).get(attribute))
            and not (attribute == "on" and d.type in _ALWAYS_ON)
        ]
        verb_ko = {"on": "켜져", "valve_open": "열려", "position": "열려", "active": "감지돼"}.get(
            attribute, "켜져"
        )
        verb_en = {"on": "on", "valve_open": "open", "position": "open", "active": "detecting"}.get(
            attribute, "on"
        )
        if korean:
            text = (
                f"지금 {josa(_count_ko(on), '이/가')} {verb_ko} 있어요."
                if on
                else f"{verb_ko} 있는 기기는 없어요."
            )
        else:
            counted = _count_en(on)
            text = (
                f"{counted[0].upper() + counted[1:]} {'is' if len(on) == 1 else 'are'} {verb_en}."
                if on
                else f"Nothing is {verb_en}."
            )
    if silent:
        text += (
            f" {josa(_count_ko(silent), '은/는')} 응답이 없어서 알 수 없어요."
            if korean
            else f" {_count_en(silent)[0].upper() + _count_en(silent)[1:]} didn't answer."
        )
    return text.strip()
