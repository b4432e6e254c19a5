"""The resolution rules added for real family speech: name slips, floors, the car's lock and climate,
refrigerator doors, complaints, past-tense questions, programme changes, mode + temperature, routines
said formally. Each rule has its guard cases (what it must not catch)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jipsa.core import Home, parse_home
from jipsa.nlu import understand
from jipsa.nlu.numbers import find_quantities
from jipsa.nlu.routines import volitional_forms

SECOND = Path(__file__).resolve().parents[2] / "nlu" / "homes" / "second_home.yaml"


@pytest.fixture(scope="module")
def second_home() -> Home:
    return parse_home(SECOND.read_text(encoding="utf-8"), str(SECOND))


def _got(text: str, home: Home, area: str | None = None) -> list[tuple[str, tuple[str, ...], dict[str, Any]]]:
    return [(f.intent, f.targets, dict(f.args)) for f in understand(text, home, area).frames]


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("거실 조멍 켜", "light.living_room"),
        ("공기청청기 켜 줘", "air_purifier.living_room"),
        ("로봇청서기 돌려", "vacuum.home"),
    ],
)
def test_name_slip_is_read(demo_home: Home, text: str, target: str) -> None:
    (frame,) = understand(text, demo_home).frames
    assert frame.targets == (target,)


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        ("가스 차단해 줘", ("valve.gas",)),  # a verb ending, not 가스 차단기
        ("현관문 잠가", ("lock.front_door",)),  # not the area 현관문 앞
        ("욕실 전등 켜", ("light.bathroom",)),  # the first syllable never slips (not 거실 전등)
        ("청소해 줘", ("vacuum.home",)),  # 청소해 is not 청소기 slipped
    ],
)
def test_name_slip_guards(demo_home: Home, text: str, targets: tuple[str, ...]) -> None:
    assert understand(text, demo_home).frames[0].targets == targets


def test_first_syllable_never_slips(second_home: Home) -> None:
    assert understand("안방 불 켜 줘", second_home).reason == "no_device"  # not 옷방 불


def test_floor_names_its_areas(second_home: Home) -> None:
    assert _got("1층 불 다 꺼", second_home) == [("HassTurnOff", ("light.lounge", "light.dining"), {})]
    assert _got("이층 로봇청소기 돌려", second_home) == [("HassVacuumStart", ("vacuum.upstairs",), {})]
    assert not [q for q in find_quantities("2층 불 꺼") if q.kind == "number"]


def test_an_hour_is_a_delay() -> None:
    (q,) = find_quantities("turn it off in an hour")
    assert (q.kind, q.value) == ("delay", 3600.0)
    assert not find_quantities("make it a bit warmer")


@pytest.mark.parametrize(
    ("text", "intent", "args", "feature"),
    [
        ("차 문 잠가 줘", "HassTurnOn", {}, "lock"),
        ("차 문 열어", "HassTurnOff", {}, "lock"),
        ("아이오닉 잠가", "HassTurnOn", {}, "lock"),
        ("차 에어컨 켜 줘", "HassTurnOn", {}, "climate"),
        ("차 히터 꺼", "HassTurnOff", {}, "climate"),
        ("차 히터 25도로 틀어 줘", "HassClimateSetTemperature", {"temperature": 25}, None),
    ],
)
def test_car_features(
    demo_home: Home, text: str, intent: str, args: dict[str, Any], feature: str | None
) -> None:
    (frame,) = understand(text, demo_home).frames
    assert (frame.intent, frame.targets, dict(frame.args)) == (intent, ("vehicle.car",), args)
    assert frame.slots.get("feature") == feature


def test_car_engine_keeps_no_feature(demo_home: Home) -> None:
    (frame,) = understand("차 시동 걸어", demo_home).frames
    assert frame.intent == "HassTurnOn" and "feature" not in frame.slots


def test_home_ac_without_a_car(demo_home: Home) -> None:
    assert understand("에어컨 켜 줘", demo_home, "living_room").frames[0].targets == ("climate.living_room",)


@pytest.mark.parametrize(
    ("text", "target", "attribute"),
    [
        ("김치냉장고 문 열려 있어?", "refrigerator.kimchi", "door_open"),
        ("냉장고 열려 있어?", "refrigerator.kitchen", "door_open"),
        ("냉장고 몇 도야?", "refrigerator.kitchen", "fridge_temperature"),
        ("자동차 문 잠겼어?", "vehicle.car", "locked"),
        ("가스 잠갔어?", "valve.gas", "valve_open"),
        ("거실 불 껐어?", "light.living_room", "on"),
        ("현관에 누구 있어", "binary_sensor.entrance_motion", "active"),
        ("현관에 누가 왔어", "binary_sensor.entrance_motion", "active"),
    ],
)
def test_questions(demo_home: Home, text: str, target: str, attribute: str) -> None:
    (frame,) = understand(text, demo_home).frames
    assert (frame.intent, frame.targets, frame.slots.get("attribute")) == (
        "HassGetState",
        (target,),
        attribute,
    )


def test_past_tense_without_question_is_a_command(demo_home: Home) -> None:
    assert _got("티비 켰어", demo_home)[0][0] == "HassTurnOn"


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("티비 소리 너무 커", {"volume_delta": -5}),
        ("티비 소리 크게 해 줘", {"volume_delta": 5}),
        ("티비 소리가 작아", {"volume_delta": 5}),
        ("티비 너무 시끄러워", {"volume_delta": -5}),
    ],
)
def test_complaints_ask_for_the_opposite(demo_home: Home, text: str, args: dict[str, Any]) -> None:
    assert _got(text, demo_home) == [("HassSetVolume", ("tv.living_room",), args)]


def test_complaint_question_does_not_act(demo_home: Home) -> None:
    assert not understand("거실 밝아?", demo_home).frames


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("세탁기 쾌속으로 바꿔", "JipsaSetProgram"),
        ("세탁기 쾌속으로 돌려", "JipsaStart"),
        ("식세기 에코 모드로 돌려 줘", "JipsaStart"),
    ],
)
def test_programmes(demo_home: Home, text: str, intent: str) -> None:
    (frame,) = understand(text, demo_home).frames
    assert frame.intent == intent and "program" in frame.args


def test_mode_and_temperature_give_two_frames(demo_home: Home) -> None:
    assert _got("보일러 난방 25도", demo_home) == [
        ("JipsaSetMode", ("boiler.home",), {"mode": "heating"}),
        ("HassClimateSetTemperature", ("boiler.home",), {"temperature": 25}),
    ]
    # 난방 alone is the boiler's name: only the temperature
    assert _got("난방 25도로 해 줘", demo_home) == [
        ("HassClimateSetTemperature", ("boiler.home",), {"temperature": 25})
    ]


def test_stop_before_a_verb(demo_home: Home) -> None:
    assert _got("청소기 그만 돌려", demo_home) == [("JipsaStop", ("vacuum.home",), {})]


def test_garage_is_not_a_curtain(demo_home: Home) -> None:
    assert understand("차고 문 열어 줘", demo_home).reason == "no_device"


def test_formal_routine_forms() -> None:
    assert "다녀오겠습니다" in volitional_forms("다녀올게")
    assert "자겠어요" in volitional_forms("잘게")
    assert volitional_forms("굿나잇") == ["굿나잇"]


@pytest.mark.parametrize(
    ("text", "unheld"),
    [
        ("작은방 에어컨 무풍으로 해 줘", "wind_free"),
        ("무풍 모드 켜 줘", "wind_free"),
        ("거실 에어컨 바람 방향 아래로 해 줘", "aimed"),
        ("거실 에어컨 바람 나한테 안 오게 해 줘", "aimed"),
    ],
)
def test_settings_no_capability_holds(demo_home: Home, text: str, unheld: str) -> None:
    result = understand(text, demo_home)
    assert result.reason == "unsupported" and result.unheld == unheld


def test_wind_free_air_conditioner_is_no_setting(demo_home: Home) -> None:
    assert understand("무풍 에어컨 켜 줘", demo_home).unheld is None


@pytest.mark.parametrize(
    ("text", "got"),
    [
        ("화장실 물 새?", [("HassGetState", ("binary_sensor.bathroom_leak",), {})]),
        ("가스 새는 거 같아", [("HassTurnOff", ("valve.gas",), {})]),
        ("불 좀 약하게", [("HassLightSet", ("light.master_bedroom",), {"brightness_delta": -10})]),
        ("더워서 에어컨 켜 줘", [("HassTurnOn", ("climate.master_bedroom",), {})]),
        (
            "티비 5분만 꺼 줘",
            [("HassTurnOff", ("tv.living_room",), {}), ("HassTurnOn", ("tv.living_room",), {})],
        ),
    ],
)
def test_leaks_light_strength_reasons_and_spans(
    demo_home: Home, text: str, got: list[tuple[str, tuple[str, ...], dict[str, Any]]]
) -> None:
    assert _got(text, demo_home, "master_bedroom") == got


def test_ordinary_word_holds_no_attribute_across_a_space(demo_home: Home) -> None:
    result = understand("지금 미세먼지 농도 어떻게 돼?", demo_home)
    assert [f.slots.get("attribute") for f in result.frames] == ["pm10"]


@pytest.mark.parametrize(
    ("text", "intent", "target", "args"),
    [
        ("거실 아니 안방 불 꺼 줘", "HassTurnOff", "light.master_bedroom", {}),
        ("보이라 틀어 줘", "HassTurnOn", "boiler.home", {}),
        ("티비 입력 에이치디엠아이 이로 바꿔", "JipsaSetInput", "tv.living_room", {"input": "hdmi2"}),
        ("안방 에어컨 이십 육도로 맞춰", "HassClimateSetTemperature", "climate.master_bedroom",
         {"temperature": 26}),
        ("그 뭐지 공기청정기 켜 줘", "HassTurnOn", "air_purifier.living_room", {}),
    ],
)
def test_spoken_as_transcribed(demo_home: Home, text: str, intent: str, target: str,
                               args: dict[str, Any]) -> None:
    (frame,) = understand(text, demo_home).frames
    assert (frame.intent, frame.targets, dict(frame.args)) == (intent, (target,), args)
