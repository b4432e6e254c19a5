"""Korean and English replies: particles, joined steps, grouped devices, casual style, answers."""

from __future__ import annotations

import pytest

from jipsa.assistant.answers import answer_en, answer_ko
from jipsa.assistant.replies import casual, done_en, done_ko, failure_ko
from jipsa.core import Device, DeviceUnavailableError, Home, validate_command


def _dev(home: Home, device_id: str) -> Device:
    device = home.device(device_id)
    assert device is not None
    return device


@pytest.mark.parametrize(("device_id", "command", "args", "expected"), [
    ("climate.living_room", "turn_on", {}, "거실 에어컨을 켰어요."),
    ("light.living_room", "turn_off", {}, "거실 조명을 껐어요."),
    ("tv.living_room", "turn_on", {}, "거실 TV를 켰어요."),
    ("boiler.home", "turn_on", {}, "보일러를 켰어요."),
    ("vacuum.home", "return_to_base", {}, "로봇청소기를 충전대로 보냈어요."),
    ("lock.front_door", "lock", {}, "현관문을 잠갔어요."),
    ("lock.front_door", "unlock", {}, "현관문 잠금을 해제했어요."),
    ("valve.gas", "close_valve", {}, "가스 밸브를 잠갔어요."),
    ("vehicle.car", "start_engine", {}, "차 시동을 걸었어요."),
    ("cover.living_room_curtain", "close", {}, "거실 커튼을 닫았어요."),
    ("climate.living_room", "set_temperature", {"temperature": 24}, "거실 에어컨 온도를 24도로 맞췄어요."),
    ("light.living_room", "set_brightness", {"brightness": 50}, "거실 조명 밝기를 50%로 맞췄어요."),
    ("climate.living_room", "set_hvac_mode", {"hvac_mode": "dry"}, "거실 에어컨을 제습 모드로 바꿨어요."),
    ("tv.living_room", "set_volume", {"volume": 10}, "거실 TV 볼륨을 10으로 맞췄어요."),
    ("tv.living_room", "set_volume", {"volume": 12}, "거실 TV 볼륨을 12로 맞췄어요."),
    ("light.living_room_mood", "set_color", {"color": "blue"}, "거실 무드등 색을 파란색으로 바꿨어요."),
    ("fan.master_bedroom", "oscillate_on", {}, "선풍기 회전을 켰어요."),
    ("fan.master_bedroom", "oscillate_off", {}, "선풍기 회전을 껐어요."),
    ("climate.living_room", "set_swing_mode", {"swing_mode": "vertical"},
     "거실 에어컨 바람 방향을 상하로 바꿨어요."),
    ("climate.living_room", "set_swing_mode", {"swing_mode": "off"}, "거실 에어컨 바람 방향을 고정했어요."),
    ("cover.master_bedroom_blind", "set_tilt_position", {"tilt_position": 30},
     "안방 블라인드 살 각도를 30%로 맞췄어요."),
    ("cover.master_bedroom_blind", "close_tilt", {}, "안방 블라인드 살을 닫았어요."),
])
def test_single_step_ko(demo_home: Home, device_id: str, command: str, args: dict[str, object],
                        expected: str) -> None:
    device = _dev(demo_home, device_id)
    assert done_ko([([device], [validate_command(device, command, args)])]) == [expected]


def test_steps_on_one_device_are_joined(demo_home: Home) -> None:
    ac = _dev(demo_home, "climate.living_room")
    steps = [validate_command(ac, "turn_on"), validate_command(ac, "set_temperature", {"temperature": 24})]
    assert done_ko([([ac], steps)]) == ["거실 에어컨을 켜고 온도를 24도로 맞췄어요."]


def test_same_step_on_two_devices_is_said_once(demo_home: Home) -> None:
    a, b = _dev(demo_home, "light.living_room"), _dev(demo_home, "light.master_bedroom")
    assert done_ko([([a, b], [validate_command(a, "turn_off")])]) == ["거실 조명과 안방 조명을 껐어요."]


def test_english(demo_home: Home) -> None:
    ac = _dev(demo_home, "climate.living_room")
    assert done_en([([ac], [validate_command(ac, "turn_on")])]) == ["Turned on the 거실 에어컨."]


def test_failure_names_the_device(demo_home: Home) -> None:
    washer = _dev(demo_home, "washer.utility_room")
    assert failure_ko(washer, DeviceUnavailableError(washer.id)) == "세탁기가 응답이 없어요."


@pytest.mark.parametrize(("polite", "plain"), [
    ("거실 조명을 껐어요.", "거실 조명을 껐어."), ("거실 온도는 24도예요.", "거실 온도는 24도야."),
    ("'응'이라고 해 주세요.", "'응'이라고 해 줘."), ("현관문을 열까요?", "현관문을 열까?"),
])
def test_casual_style(polite: str, plain: str) -> None:
    assert casual(polite) == plain


def test_answers(demo_home: Home) -> None:
    washer = _dev(demo_home, "washer.utility_room")
    running = {"on": True, "operation_state": "running", "remaining_minutes": 12}
    assert answer_ko(washer, running, "remaining_minutes") == "세탁기가 12분 남았어요."
    assert answer_ko(washer, {"operation_state": "finished"}, None) == "세탁기는 다 끝났어요."
    assert answer_en(washer, running, None) == "The 세탁기 has 12 minutes left."
    light = _dev(demo_home, "light.master_bedroom")
    assert answer_ko(light, {"on": True}, "on") == "안방 조명은 켜져 있어요."
    door = _dev(demo_home, "lock.front_door")
    assert answer_ko(door, {"locked": False}, None) == "현관문은 열려 있어요."
    assert "응답이 없어서" in answer_ko(door, {"locked": True}, None, available=False)
    dust = _dev(demo_home, "sensor.living_room_dust")
    text = answer_ko(dust, {"pm10": 95, "pm25": 20}, "pm10")
    assert "미세먼지 95㎍/㎥(나쁨)" in text and "초미세먼지 20㎍/㎥(보통)" in text


def test_phrases_that_depend_on_the_device(demo_home: Home) -> None:
    car, vacuum = _dev(demo_home, "vehicle.car"), _dev(demo_home, "vacuum.home")
    assert done_ko([([car], [validate_command(car, "lock")])]) == ["차 문을 잠갔어요."]
    assert done_ko([([car], [validate_command(car, "start_climate", {"temperature": 22})])]) == [
        "차 공조를 22도로 켰어요."]
    assert done_ko([([vacuum], [validate_command(vacuum, "start")])]) == ["로봇청소기 청소를 시작했어요."]


@pytest.mark.parametrize(("device_id", "state", "expected"), [
    ("fan.master_bedroom", {"oscillating": True}, "선풍기는 회전하고 있어요."),
    ("climate.living_room", {"swing_mode": "off"}, "거실 에어컨 바람 방향은 고정돼 있어요."),
    ("cover.master_bedroom_blind", {"tilt_position": 50}, "안방 블라인드 살은 50% 열려 있어요."),
])
def test_motion_answers_ko(demo_home: Home, device_id: str, state: dict[str, object], expected: str) -> None:
    attribute = next(iter(state))
    assert answer_ko(_dev(demo_home, device_id), state, attribute) == expected  # type: ignore[arg-type]
