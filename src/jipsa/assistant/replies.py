"""Short replies that say what actually happened, in Korean (polite or casual) or English.

Particles follow the final consonant of the word before them (에어컨을 켰어요, 세탁기가 12분 남았어요);
several steps on one device are joined (거실 에어컨을 켜고 온도를 24도로 맞췄어요); the same action on
several devices is said once (거실 조명과 안방 조명을 껐어요).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from jipsa.core.capabilities import Value
from jipsa.core.devices import Device
from jipsa.core.errors import (
    AdapterNotReadyError,
    CommandRejectedError,
    CommandUnconfirmedError,
    DeviceUnavailableError,
    JipsaError,
)
from jipsa.core.korean import josa
from jipsa.core.messages import Command

VALUE_NAMES_KO: Mapping[str, str] = {
    "cool": "냉방", "heat": "난방", "dry": "제습", "fan_only": "송풍", "auto": "자동", "low": "약풍",
    "medium": "중풍", "high": "강풍", "turbo": "터보", "sleep": "취침", "eco": "절전",
    "heating": "난방", "away": "외출", "hot_water": "온수", "quiet": "저소음", "normal": "일반",
    "standard": "표준", "quick": "쾌속", "heavy": "강력", "delicate": "섬세", "rinse": "헹굼",
    "espresso": "에스프레소", "americano": "아메리카노", "white": "흰색", "warm_white": "주백색",
    "red": "빨간색", "orange": "주황색", "yellow": "노란색", "green": "초록색", "blue": "파란색",
    "purple": "보라색", "pink": "분홍색", "tv": "TV", "hdmi1": "HDMI 1", "hdmi2": "HDMI 2",
    "hdmi3": "HDMI 3", "usb": "USB", "bluetooth": "블루투스", "vertical": "상하", "horizontal": "좌우",
    "both": "상하좌우",
}
"""Korean words for enum values, for replies."""

# command → (connective form, past polite form); {N} is the device with 을/를, {n} the bare name.
_KO: Mapping[str, tuple[str, str]] = {
    "turn_on": ("{N} 켜고", "{N} 켰어요"),
    "turn_off": ("{N} 끄고", "{N} 껐어요"),
    "open": ("{N} 열고", "{N} 열었어요"),
    "close": ("{N} 닫고", "{N} 닫았어요"),
    "stop": ("{N} 멈추고", "{N} 멈췄어요"),
    "set_position": ("{n} 열림을 {position}%로 맞추고", "{n} 열림을 {position}%로 맞췄어요"),
    "lock": ("{N} 잠그고", "{N} 잠갔어요"),
    "unlock": ("{n} 잠금을 해제하고", "{n} 잠금을 해제했어요"),
    "open_valve": ("{N} 열고", "{N} 열었어요"),
    "close_valve": ("{N} 잠그고", "{N} 잠갔어요"),
    "start_engine": ("{n} 시동을 걸고", "{n} 시동을 걸었어요"),
    "stop_engine": ("{n} 시동을 끄고", "{n} 시동을 껐어요"),
    "start_climate": ("{n} 공조를 켜고", "{n} 공조를 켰어요"),
    "stop_climate": ("{n} 공조를 끄고", "{n} 공조를 껐어요"),
    "start": ("{n} 작동을 시작하고", "{n} 작동을 시작했어요"),
    "start_vacuum": ("{n} 청소를 시작하고", "{n} 청소를 시작했어요"),
    "start_climate_to": ("{n} 공조를 {temperature}도로 켜고", "{n} 공조를 {temperature}도로 켰어요"),
    "lock_vehicle": ("{n} 문을 잠그고", "{n} 문을 잠갔어요"),
    "unlock_vehicle": ("{n} 문을 열고", "{n} 문을 열었어요"),
    "pause": ("{N} 일시정지하고", "{N} 일시정지했어요"),
    "play": ("{N} 다시 재생하고", "{N} 다시 재생했어요"),
    "return_to_base": ("{N} 충전대로 보내고", "{N} 충전대로 보냈어요"),
    "set_program": ("{n} 코스를 {program_ko} 바꾸고", "{n} 코스를 {program_ko} 바꿨어요"),
    "set_temperature": ("{n} 온도를 {temperature}도로 맞추고", "{n} 온도를 {temperature}도로 맞췄어요"),
    "set_fridge_temperature": ("{n} 냉장실 온도를 {temperature}도로 맞추고",
                               "{n} 냉장실 온도를 {temperature}도로 맞췄어요"),
    "set_freezer_temperature": ("{n} 냉동실 온도를 {temperature}도로 맞추고",
                                "{n} 냉동실 온도를 {temperature}도로 맞췄어요"),
    "set_brightness": ("{n} 밝기를 {brightness}%로 맞추고", "{n} 밝기를 {brightness}%로 맞췄어요"),
    "set_color_temperature": ("{n} 색온도를 {color_temp}K로 맞추고", "{n} 색온도를 {color_temp}K로 맞췄어요"),
    "set_color": ("{n} 색을 {color_ko} 바꾸고", "{n} 색을 {color_ko} 바꿨어요"),
    "set_hvac_mode": ("{N} {hvac_mode_ko} 모드로 바꾸고", "{N} {hvac_mode_ko} 모드로 바꿨어요"),
    "set_mode": ("{N} {mode_ko} 모드로 바꾸고", "{N} {mode_ko} 모드로 바꿨어요"),
    "set_fan_speed": ("{n} 바람 세기를 {fan_speed_ko} 바꾸고", "{n} 바람 세기를 {fan_speed_ko} 바꿨어요"),
    "set_humidity": ("{n} 습도를 {humidity}%로 맞추고", "{n} 습도를 {humidity}%로 맞췄어요"),
    "set_volume": ("{n} 볼륨을 {volume_ro} 맞추고", "{n} 볼륨을 {volume_ro} 맞췄어요"),
    "mute": ("{N} 음소거하고", "{N} 음소거했어요"),
    "unmute": ("{n} 음소거를 해제하고", "{n} 음소거를 해제했어요"),
    "set_channel": ("{n} 채널을 {channel}번으로 바꾸고", "{n} 채널을 {channel}번으로 바꿨어요"),
    "set_input": ("{n} 입력을 {input_ko} 바꾸고", "{n} 입력을 {input_ko} 바꿨어요"),
    "toggle": ("{N} 전환하고", "{N} 전환했어요"),
    "oscillate_on": ("{n} 회전을 켜고", "{n} 회전을 켰어요"),
    "oscillate_off": ("{n} 회전을 끄고", "{n} 회전을 껐어요"),
    "set_swing_mode": ("{n} 바람 방향을 {swing_mode_ko} 바꾸고", "{n} 바람 방향을 {swing_mode_ko} 바꿨어요"),
    "set_swing_mode_on": ("{n} 바람 회전을 켜고", "{n} 바람 회전을 켰어요"),
    "set_swing_mode_off": ("{n} 바람 방향을 고정하고", "{n} 바람 방향을 고정했어요"),
    "open_tilt": ("{n} 살을 열고", "{n} 살을 열었어요"),
    "close_tilt": ("{n} 살을 닫고", "{n} 살을 닫았어요"),
    "set_tilt_position": ("{n} 살 각도를 {tilt_position}%로 맞추고",
                          "{n} 살 각도를 {tilt_position}%로 맞췄어요"),
}

_EN: Mapping[str, str] = {
    "turn_on": "turned on {n}", "turn_off": "turned off {n}", "open": "opened {n}",
    "close": "closed {n}", "stop": "stopped {n}", "set_position": "set {n} to {position}% open",
    "lock": "locked {n}", "unlock": "unlocked {n}", "open_valve": "opened {n}",
    "close_valve": "closed {n}", "start_engine": "started {n}", "stop_engine": "switched off {n}",
    "start_climate": "started the climate of {n}", "stop_climate": "stopped the climate of {n}",
    "start": "started {n}", "pause": "paused {n}", "play": "resumed {n}",
    "return_to_base": "sent {n} back to its dock", "set_program": "set {n} to the {program} cycle",
    "set_temperature": "set {n} to {temperature}°C",
    "set_fridge_temperature": "set the fridge of {n} to {temperature}°C",
    "set_freezer_temperature": "set the freezer of {n} to {temperature}°C",
    "set_brightness": "set {n} to {brightness}% brightness",
    "set_color_temperature": "set {n} to {color_temp} K", "set_color": "made {n} {color}",
    "set_hvac_mode": "switched {n} to {hvac_mode} mode", "set_mode": "switched {n} to {mode} mode",
    "set_fan_speed": "set {n} to {fan_speed} fan speed", "set_humidity": "set {n} to {humidity}% humidity",
    "set_volume": "set the volume of {n} to {volume}", "mute": "muted {n}", "unmute": "unmuted {n}",
    "set_channel": "switched {n} to channel {channel}", "set_input": "switched {n} to {input}",
    "toggle": "toggled {n}", "oscillate_on": "set {n} oscillating",
    "oscillate_off": "stopped {n} oscillating",
    "set_swing_mode": "set the swing of {n} to {swing_mode}", "open_tilt": "opened the slats of {n}",
    "close_tilt": "closed the slats of {n}", "set_tilt_position": "set the slats of {n} to {tilt_position}%",
}


@dataclass(frozen=True, slots=True)
class Style:
    """How to speak: language and, for Korean, politeness."""

    language: str = "ko"
    """``ko`` or ``en``."""
    casual: bool = False
    """Korean 반말 instead of 해요체."""


def fmt_number(value: Value) -> str:
    """A number as people write it: ``24`` not ``24.0``; ``-18``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _fields(command: Command) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in command.args.items():
        text = fmt_number(value)
        out[key] = text
        out[f"{key}_ro"] = josa(text, "(으)로")
        word = VALUE_NAMES_KO.get(str(value), text)
        out[f"{key}_ko"] = word if key in ("hvac_mode", "mode") else josa(word, "(으)로")
    return out


def _names_ko(devices: Sequence[Device]) -> str:
    names = [d.name for d in devices]
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{josa(names[0], '과/와')} {names[1]}"
    if len(names) <= 4:
        return ", ".join(names[:-1]) + f", {names[-1]}"
    counter = "개"
    return f"기기 {len(names)}{counter}"


def _phrase_key(command: Command, device: Device) -> str:
    """The phrase to use: a few commands read differently on some capabilities or with arguments."""
    if (command.capability, command.command) == ("vacuum", "start"):
        return "start_vacuum"
    if command.command == "start_climate" and "temperature" in command.args:
        return "start_climate_to"
    if command.capability == "lock" and device.has("vehicle"):
        return f"{command.command}_vehicle"
    if command.command == "set_swing_mode" and command.args.get("swing_mode") in ("on", "off"):
        return f"set_swing_mode_{command.args['swing_mode']}"
    return command.command


def _phrase_ko(command: Command, device: Device, names: str, *, first: bool, last: bool) -> str:
    key = _phrase_key(command, device)
    connective, past = _KO.get(key, ("{N} 처리하고", "{N} 처리했어요"))
    template = past if last else connective
    if not first:
        template = template.replace("{N} ", "").replace("{n} ", "")
    return template.format(N=josa(names, "을/를"), n=names, **_fields(command))


_ASK_KO: Mapping[str, str] = {
    "unlock": "{n} 잠금을 해제할까요?", "open_valve": "{N} 열까요?", "start_engine": "{n} 시동을 걸까요?",
    "turn_off": "{N} 끌까요?", "turn_on": "{N} 켤까요?", "open": "{N} 열까요?",
    "start_climate": "{n} 공조를 켤까요?",
}


def ask_ko(device: Device, command: Command) -> str:
    """The question asked before a sensitive command (현관문 잠금을 해제할까요?)."""
    template = _ASK_KO.get(command.command, "{n}에 '{command}' 명령을 보낼까요?")
    return template.format(N=josa(device.name, "을/를"), n=device.name, command=command.command)


def done_ko(groups: Sequence[tuple[Sequence[Device], Sequence[Command]]]) -> list[str]:
    """Sentences for successful steps, grouped as (devices, commands on each of them)."""
    sentences = []
    for devices, commands in groups:
        names = _names_ko(devices)
        parts = [_phrase_ko(c, devices[0], names, first=i == 0, last=i == len(commands) - 1)
                 for i, c in enumerate(commands)]
        sentences.append(" ".join(parts) + ".")
    return sentences


def todo_ko(device: Device, command: Command) -> str:
    """A step as a noun phrase, for what a schedule or routine will do: ``거실 에어컨 켜기``."""
    connective, _past = _KO.get(_phrase_key(command, device), ("{N} 처리하고", "{N} 처리했어요"))
    return connective.replace("{N}", "{n}").format(n=device.name, **_fields(command))[:-1] + "기"


def todo_en(device: Device, command: Command) -> str:
    """A step in English, for what a schedule or routine will do: ``turn on the living room AC``."""
    args = {k: fmt_number(v) for k, v in command.args.items()}
    return _EN.get(command.command, "handle {n}").format(n=f"the {device.name}", **args)


def done_en(groups: Sequence[tuple[Sequence[Device], Sequence[Command]]]) -> list[str]:
    """English sentences for successful steps."""
    sentences = []
    for devices, commands in groups:
        names = " and ".join(f"the {d.name}" for d in devices)
        parts = []
        for i, command in enumerate(commands):
            args = {k: fmt_number(v) for k, v in command.args.items()}
            text = _EN.get(command.command, "handled {n}").format(n=names if i == 0 else "it", **args)
            parts.append(text)
        sentence = ", then ".join(parts) + "."
        sentences.append(sentence[0].upper() + sentence[1:])
    return sentences


def failure_ko(device: Device, error: JipsaError) -> str:
    """Why a step failed, in Korean."""
    if isinstance(error, CommandRejectedError):
        return f"{device.name}: {error.message_ko}"
    if isinstance(error, DeviceUnavailableError):
        return f"{josa(device.name, '이/가')} 응답이 없어요."
    if isinstance(error, CommandUnconfirmedError):
        return f"{device.name}에 명령은 보냈는데, 됐는지는 아직 확인이 안 돼요."
    if isinstance(error, AdapterNotReadyError):
        return f"{device.name}에 지금 연결할 수 없어요. 잠시 후 다시 해 주세요."
    return f"{device.name}: 명령을 처리하지 못했어요 ({error})."


def failure_en(device: Device, error: JipsaError) -> str:
    """Why a step failed, in English."""
    if isinstance(error, CommandRejectedError):
        return f"{device.name}: {error.message_en}"
    if isinstance(error, DeviceUnavailableError):
        return f"The {device.name} is not responding."
    if isinstance(error, CommandUnconfirmedError):
        return f"I sent it to the {device.name}, but it hasn't confirmed."
    if isinstance(error, AdapterNotReadyError):
        return f"I can't reach the {device.name} right now; please try again shortly."
    return f"{device.name}: the command failed ({error})."


_CASUAL = ((re.compile(r"이에요([.?!,]|$)"), r"이야\1"), (re.compile(r"예요([.?!,]|$)"), r"야\1"),
           (re.compile(r"주세요([.?!,]|$)"), r"줘\1"),
           (re.compile(r"(까|어|아|워|와|해|여|져|돼|래|네|지)요([.?!,]|$)"), r"\1\2"))


def casual(text: str) -> str:
    """해요체 → 반말: ``껐어요.`` → ``껐어.``, ``24도예요.`` → ``24도야.``"""
    for pattern, replacement in _CASUAL:
        text = pattern.sub(replacement, text)
    return text
