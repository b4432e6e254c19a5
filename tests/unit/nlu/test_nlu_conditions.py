"""Requests that wait for a reading: the condition is split off, its sensors resolved, the action parsed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jipsa.core import Home, parse_home
from jipsa.nlu import understand

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


@pytest.mark.parametrize(("text", "attribute", "op", "value", "sensors", "intent", "targets"), KOREAN)
def test_a_korean_condition_is_understood(demo_home: Home, text: str, attribute: str, op: str, value: int,
                                          sensors: list[str], intent: str, targets: list[str]) -> None:
    result = understand(text, demo_home)
    assert result.ok, result.reason
    frame = result.frames[0]
    condition: dict[str, Any] = dict(frame.slots["condition"])
    assert (condition["attribute"], condition["op"], condition["value"]) == (attribute, op, value)
    assert sorted(condition["devices"]) == sorted(sensors)
    assert (frame.intent, list(frame.targets)) == (intent, targets)


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
