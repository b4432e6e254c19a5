"""Requests that wait for a reading: the condition is split off, its sensors resolved, the action parsed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jipsa.core import Home, parse_home
from jipsa.nlu import understand
from jipsa.nlu.conditions import QUALITIES

LIVING = "sensor.living_room_temperature"
BEDROOM = "sensor.master_bedroom_temperature"
ENGLISH_HOME = Path(__file__).parents[2] / "nlu" / "homes" / "english_home.yaml"

KOREAN = [
    # text, attribute, op, value, sensors, action intent, action targets
    ("거실 온도가 28도 넘으면 거실 에어컨 켜 줘", "temperature", ">", 28, [LIVING], "HassTurnOn",
     ["climate.living_room"]),
    ("거실 온도가 스물여덟 도 넘어가면 에어컨 켜", "temperature", ">", 28, [LIVING], "HassTurnOn",
     ["climate.living_room"]),
    ("안방이 26도 이상이면 에어컨 켜 줘", "temperature", ">=", 26, [BEDROOM], "HassTurnOn",
     ["climate.master_bedroom"]),
    ("안방 온도 25도 밑으로 내려가면 에어컨 꺼 줘", "temperature", "<", 25, [BEDROOM], "HassTurnOff",
     ["climate.master_bedroom"]),
    ("거실 온도 18도 이하로 떨어지면 보일러 22도로 틀어 줘", "temperature", "<=", 18, [LIVING],
     "HassClimateSetTemperature", ["boiler.home"]),
    ("온도가 30도보다 높아지면 거실 에어컨 23도로 켜", "temperature", ">", 30, [LIVING, BEDROOM],
     "HassClimateSetTemperature", ["climate.living_room"]),
    ("습도가 40% 아래로 떨어지면 가습기 틀어 줘", "humidity", "<", 40, ["sensor.living_room_humidity"],
     "HassTurnOn", ["humidifier.master_bedroom"]),
    ("거실 습도가 육십 퍼센트 넘어가면 제습기 돌려", "humidity", ">", 60, ["sensor.living_room_humidity"],
     "HassTurnOn", ["dehumidifier.utility_room"]),
    ("초미세먼지 35 이상 되면 공기청정기 켜", "pm25", ">=", 35,
     ["air_purifier.living_room", "sensor.living_room_dust"], "HassTurnOn", ["air_purifier.living_room"]),
    ("미세먼지가 80 초과하면 공기청정기 켜 줘", "pm10", ">", 80,
     ["air_purifier.living_room", "sensor.living_room_dust"], "HassTurnOn", ["air_purifier.living_room"]),
]


def _assert_condition(demo_home: Home, text: str, attribute: str, op: str, value: int,
                      sensors: list[str], intent: str, targets: list[str]) -> None:
    result = understand(text, demo_home)
    assert result.ok, result.reason
    frame = result.frames[0]
    condition: dict[str, Any] = dict(frame.slots["condition"])
    assert (condition["attribute"], condition["op"], condition["value"]) == (attribute, op, value)
    assert sorted(condition["devices"]) == sorted(sensors)
    assert (frame.intent, list(frame.targets)) == (intent, targets)


@pytest.mark.parametrize(("text", "attribute", "op", "value", "sensors", "intent", "targets"), KOREAN)
def test_a_korean_condition_is_understood(demo_home: Home, text: str, attribute: str, op: str, value: int,
                                          sensors: list[str], intent: str, targets: list[str]) -> None:
    _assert_condition(demo_home, text, attribute, op, value, sensors, intent, targets)


def test_the_conditions_area_is_where_the_action_happens(demo_home: Home) -> None:
    frame = understand("안방 온도가 28도 넘으면 에어컨 켜 줘", demo_home).frames[0]
    assert frame.targets == ("climate.master_bedroom",) and not frame.ambiguous


def test_several_rooms_leave_the_device_to_ask_about(demo_home: Home) -> None:
    frame = understand("실내 온도가 28도 넘으면 에어컨 켜 줘", demo_home).frames[0]
    assert frame.ambiguous and "condition" in frame.slots


@pytest.mark.parametrize("text", ["28도면 에어컨 켜", "거실 온도가 28도야", "에어컨 28도로 맞춰 줘",
                                  "30분 뒤에 에어컨 꺼 줘"])
def test_no_direction_or_no_if_is_no_condition(demo_home: Home, text: str) -> None:
    assert all("condition" not in f.slots for f in understand(text, demo_home).frames)


def test_a_condition_on_something_that_is_not_measured(demo_home: Home) -> None:
    result = understand("거실 조명이 50 넘으면 에어컨 켜 줘", demo_home)
    assert not result.ok and result.reason == "unknown_condition"


def test_the_action_must_be_understood_too(demo_home: Home) -> None:
    result = understand("온도가 28도 넘으면 노래 틀어 줘", demo_home)
    assert not result.ok and "condition" not in result.to_dict()


@pytest.mark.parametrize(("text", "op", "value", "target"), [
    ("if the temperature goes above 28 degrees, turn on the desk fan", ">", 28, "fan.office"),
    ("turn on the desk fan when it gets over twenty-nine degrees", ">", 29, "fan.office"),
    ("if the living room humidity drops below 40 percent then turn on the humidifier", "<", 40,
     "humidifier.nursery"),
    ("when the office is at least 27 degrees turn on the desk fan", ">=", 27, "fan.office"),
])
def test_an_english_condition_is_understood(text: str, op: str, value: int, target: str) -> None:
    home = parse_home(ENGLISH_HOME.read_text(encoding="utf-8"))
    result = understand(text, home)
    assert result.ok, result.reason
    condition = result.frames[0].slots["condition"]
    assert (condition["op"], condition["value"]) == (op, value)
    assert result.frames[0].targets == (target,)


DUST = ["air_purifier.living_room", "sensor.living_room_dust"]
HUMIDITY = ["sensor.living_room_humidity"]
PURIFIER = ["air_purifier.living_room"]

QUALITATIVE = [
    # text, attribute, op, value, sensors, action intent, action targets
    ("미세먼지 나빠지면 공기청정기 켜", "pm10", ">", 80, DUST, "HassTurnOn", PURIFIER),
    ("초미세먼지가 나쁨이면 청정기 틀어 줘", "pm25", ">", 35, DUST, "HassTurnOn", PURIFIER),
    ("공기 안좋아지면 공기청정기 돌려", "pm10", ">", 80, DUST, "HassTurnOn", PURIFIER),
    ("만약 미세먼지 안 좋아지거든 공기청정기 켜 줘", "pm10", ">", 80, DUST, "HassTurnOn",
     PURIFIER),
    ("미세먼지 좋아지면 공기청정기 꺼", "pm10", "<=", 30, DUST, "HassTurnOff", PURIFIER),
    ("초미세먼지 좋아지면 청정기 꺼 줘", "pm25", "<=", 15, DUST, "HassTurnOff", PURIFIER),
    ("안방이 더워지면 에어컨 켜 줘", "temperature", ">", 28, [BEDROOM], "HassTurnOn",
     ["climate.master_bedroom"]),
    ("거실 더우면 거실 에어컨 틀어", "temperature", ">", 28, [LIVING], "HassTurnOn", ["climate.living_room"]),
    ("추워지면 보일러 켜", "temperature", "<", 18, [LIVING, BEDROOM], "HassTurnOn", ["boiler.home"]),
    ("습해지면 제습기 돌려 줘", "humidity", ">", 60, HUMIDITY, "HassTurnOn", ["dehumidifier.utility_room"]),
    ("눅눅해지면 제습기 켜", "humidity", ">", 60, HUMIDITY, "HassTurnOn", ["dehumidifier.utility_room"]),
    ("실내 공기가 건조해지면 가습기 켜 줘", "humidity", "<", 40, HUMIDITY, "HassTurnOn",
     ["humidifier.master_bedroom"]),
]


@pytest.mark.parametrize(("text", "attribute", "op", "value", "sensors", "intent", "targets"), QUALITATIVE)
def test_a_condition_without_a_number_takes_the_standard_threshold(
        demo_home: Home, text: str, attribute: str, op: str, value: int, sensors: list[str], intent: str,
        targets: list[str]) -> None:
    _assert_condition(demo_home, text, attribute, op, value, sensors, intent, targets)


def test_the_fine_dust_thresholds_are_the_ministrys_grades() -> None:
    assert QUALITIES["bad_air"] == {"pm10": (">", 80), "pm25": (">", 35)}
    assert QUALITIES["good_air"] == {"pm10": ("<=", 30), "pm25": ("<=", 15)}


@pytest.mark.parametrize("text", [
    "문 열리면 거실 불 켜 줘", "누가 오면 현관 불 켜", "비 오면 창문 닫아", "해 지면 거실불 켜 줘",
    "세탁 끝나면 건조기 돌려 줘", "세탁기 다 돌아가거든 건조기 켜", "만약 내가 나가면 불 다 꺼",
    "사람 없으면 에어컨 꺼 줘", "날씨 더워지면 에어컨 켜", "나빠지면 공기청정기 켜", "28도면 에어컨 켜",
])
def test_a_condition_jipsa_cannot_watch_is_not_done_now(demo_home: Home, text: str) -> None:
    result = understand(text, demo_home)
    assert not result.ok and result.reason == "unknown_condition"


@pytest.mark.parametrize(("text", "intent", "targets"), [
    ("거실 불 켜 주시면 좋겠어", "HassTurnOn", ["light.living_room"]),
    ("안방 불 꺼 주면 고맙겠어", "HassTurnOff", ["light.master_bedroom"]),
    ("현관 불 켜 주시면 돼요", "HassTurnOn", ["light.entrance"]),
    ("안방 불 꺼 줬으면 해", "HassTurnOff", ["light.master_bedroom"]),
    ("괜찮으면 거실 불 좀 켜 줘", "HassTurnOn", ["light.living_room"]),
    ("가능하면 안방 에어컨 꺼 줘", "HassTurnOff", ["climate.master_bedroom"]),
    ("시간 되면 거실 에어컨 꺼 줘", "HassTurnOff", ["climate.living_room"]),
    ("혹시 괜찮으시면 주방 불 켜 줄래요", "HassTurnOn", ["light.kitchen"]),
    ("가능하다면 작은방 불 꺼줘", "HassTurnOff", ["light.small_room"]),
    ("거실 불 켜 주실 수 있으면 켜 주세요", "HassTurnOn", ["light.living_room"]),
    ("7시 되면 거실 불 켜 줘", "HassTurnOn", ["light.living_room"]),
    ("수면 모드로 바꿔", "JipsaSetMode", ["air_purifier.living_room"]),
])
def test_a_polite_request_in_myeon_is_no_condition(demo_home: Home, text: str, intent: str,
                                                   targets: list[str]) -> None:
    result = understand(text, demo_home)
    assert result.ok, result.reason
    assert [(f.intent, list(f.targets)) for f in result.frames] == [(intent, targets)]
    assert all("condition" not in f.slots for f in result.frames)


@pytest.mark.parametrize(("text", "attribute", "op", "value"), [
    ("if it gets hot, turn on the desk fan", "temperature", ">", 28),
    ("turn on the humidifier if it gets too dry", "humidity", "<", 40),
    ("when the air gets bad turn on the air purifier", "pm10", ">", 80),
    ("switch the air purifier off once the air gets better", "pm10", "<=", 30),
])
def test_an_english_condition_without_a_number(text: str, attribute: str, op: str, value: int) -> None:
    home = parse_home(ENGLISH_HOME.read_text(encoding="utf-8"))
    result = understand(text, home)
    assert result.ok, result.reason
    condition = result.frames[0].slots["condition"]
    assert (condition["attribute"], condition["op"], condition["value"]) == (attribute, op, value)


@pytest.mark.parametrize(("text", "ok"), [
    ("if someone comes home, turn on the hallway light", False),
    ("turn on the hallway light when the door opens", False),
    ("if it rains close the blinds", False),
    ("if you can turn off the desk lamp", True),
    ("turn off the desk lamp if possible", True),
    ("turn off the desk lamp when you get a chance", True),
    ("when will the dishwasher be done?", True),
])
def test_an_english_condition_jipsa_cannot_watch(text: str, ok: bool) -> None:
    home = parse_home(ENGLISH_HOME.read_text(encoding="utf-8"))
    result = understand(text, home)
    assert result.ok == ok and (ok or result.reason == "unknown_condition")
