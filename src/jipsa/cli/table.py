"""Plain-text views for the terminal: devices by room with their state, and the event history."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence

from jipsa.assistant.replies import VALUE_NAMES_KO, fmt_number
from jipsa.core.capabilities import Value
from jipsa.core.devices import Device, Home
from jipsa.core.history import RequestRecord
from jipsa.core.messages import Event

StateOf = Callable[[str], Mapping[str, Value]]


def width(text: str) -> int:
    """Columns the text takes in a terminal (Hangul and other wide characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    """``text`` padded with spaces to ``columns`` terminal columns."""
    return text + " " * max(columns - width(text), 0)


def summary(device: Device, state: Mapping[str, Value]) -> str:
    """A short Korean description of a device's state: ``켜짐 · 24°C · 냉방``."""
    parts: list[str] = []
    s = state
    if "on" in s and device.has("on_off"):
        parts.append("켜짐" if s["on"] else "꺼짐")
    if s.get("operation_state") is not None:
        op = {"idle": "대기", "running": "작동 중", "paused": "일시정지", "finished": "완료"}
        text = op.get(str(s["operation_state"]), str(s["operation_state"]))
        if s["operation_state"] == "running" and s.get("remaining_minutes") is not None:
            text += f" ({s['remaining_minutes']}분 남음)"
        parts.append(text)
    if "vacuum_state" in s:
        parts.append({"docked": "충전 중", "cleaning": "청소 중", "returning": "복귀 중",
                      "paused": "일시정지", "idle": "대기"}.get(str(s["vacuum_state"]), "?"))
    if device.has("lock") and "locked" in s:
        parts.append("잠김" if s["locked"] else "열림")
    if "valve_open" in s:
        parts.append("열림" if s["valve_open"] else "잠김")
    if "position" in s:
        pos = s["position"]
        parts.append("닫힘" if pos == 0 else "열림" if pos == 100 else f"{pos}% 열림")
    if "engine_on" in s:
        parts.append("시동 켜짐" if s["engine_on"] else "시동 꺼짐")
    if "active" in s:
        parts.append("감지" if s["active"] else "-")
    if s.get("on") is not False or not device.has("on_off"):
        for key, unit in (("target_temperature", "°C 설정"), ("brightness", "%"), ("fan_speed", ""),
                          ("hvac_mode", ""), ("mode", ""), ("target_humidity", "% 설정"),
                          ("volume", " 볼륨"), ("channel", "번")):
            if key in s and s[key] is not None:
                value = s[key]
                parts.append(VALUE_NAMES_KO.get(str(value), fmt_number(value)) + unit)
    for key, unit in (("temperature", "°C"), ("cabin_temperature", "°C 실내"), ("humidity", "%"),
                      ("pm10", " PM10"), ("pm25", " PM2.5"), ("fridge_temperature", "°C 냉장"),
                      ("freezer_temperature", "°C 냉동"), ("battery", "% 배터리")):
        if key in s and s[key] is not None:
            parts.append(fmt_number(s[key]) + unit)
    if s.get("door_open"):
        parts.append("문 열림")
    return " · ".join(parts)


def device_table(home: Home, state_of: StateOf, available_of: Callable[[str], bool]) -> list[str]:
    """The devices of ``home`` grouped by area, one line each."""
    lines = [f"{home.name} — 기기 {len(home.devices)}개"]
    groups: list[tuple[str, Sequence[Device]]] = [
        (area.name, home.devices_in(area.id)) for area in home.areas]
    unplaced = tuple(d for d in home.devices if d.area is None)
    if unplaced:
        groups.append(("(공간 없음)", unplaced))
    for name, devices in groups:
        if not devices:
            continue
        lines.append("")
        lines.append(f"[{name}]")
        for device in devices:
            state = summary(device, state_of(device.id)) if available_of(device.id) else "응답 없음"
            maker = device.manufacturer or device.vendor
            lines.append(f"  {pad(device.name, 18)} {pad(device.type.value, 16)} {pad(maker, 12)} {state}"
                         .rstrip())
    return lines


def history_lines(home: Home, events: Sequence[tuple[int, Event]]) -> list[str]:
    """The events, oldest first, one line each."""
    lines = []
    for _id, event in reversed(events):
        device = home.device(event.device_id) if event.device_id else None
        who = device.name if device else (event.device_id or "-")
        when = event.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        data = dict(event.data)
        if event.type.value == "state_changed":
            detail = ", ".join(f"{k}={fmt_number(v)}" for k, v in dict(data.get("changes", {})).items())
        elif event.type.value.startswith("command"):
            args = ", ".join(f"{k}={fmt_number(v)}" for k, v in dict(data.get("args", {})).items())
            detail = f"{data.get('command')}({args})" + (f" ✗ {data['error']}" if "error" in data else "")
        else:
            detail = ", ".join(f"{k}={v}" for k, v in data.items())
        lines.append(f"{when}  {pad(event.type.value, 20)} {pad(who, 16)} {detail}")
    return lines or ["(기록이 없어요)"]


def request_lines(home: Home, records: Sequence[RequestRecord]) -> list[str]:
    """Requests to the assistant, oldest first: when, who, what was said, the outcome, the reply and
    the commands sent."""
    zone = home.info.zone
    lines = []
    for record in reversed(records):
        when = record.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
        who = record.user or ("예약" if record.source == "schedule" else record.conversation_id or "-")
        lines.append(f"{when}  {pad(who, 10)} {pad(record.outcome, 14)} {record.text}")
        lines.append(f"{'':21}→ {record.reply}")
        for command in record.commands:
            device = home.device(str(command.get("device_id")))
            args = ", ".join(f"{k}={fmt_number(v)}" for k, v in dict(command.get("args") or {}).items())
            mark = f" ✗ {command['error']}" if command.get("error") else " ✓"
            name = device.name if device else command.get("device_id")
            lines.append(f"{'':21}  {name}: {command.get('command')}({args}){mark}")
    return lines or ["(기록이 없어요)"]
