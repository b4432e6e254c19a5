"""Families of phrasings read by rule rather than by example: numbers written onto the noun, wind strength
with a switching verb, coffee drinks, the vacuum going home or stopping, routines with any request ending,
"is it done / running?", -지 마, dry and damp air, 부탁해. Each rule has its guard cases."""

from __future__ import annotations

from typing import Any

import pytest

from jipsa.core import Home
from jipsa.nlu import understand
from jipsa.nlu.numbers import find_quantities


def _got(text: str, home: Home, area: str | None = None) -> list[tuple[str, tuple[str, ...], dict[str, Any]]]:
    return [(f.intent, f.targets, dict(f.args)) for f in understand(text, home, area).frames]


@pytest.mark.parametrize(("text", "kind", "value", "said"), [
    ("보일러이십삼도로", "degree", 23, "이십삼도"),
    ("에어컨이이십사도로", "degree", 24, "이십사도"),      # the particle 이 is not part of the number
    ("보일러를스물다섯도로", "degree", 25, "스물다섯도"),
    ("거실불칠십프로", "percent", 70, "칠십프로"),
    ("선풍기이단으로", "step", 2, "이단"),
    ("볼륨 이십으로", "number", 20, "이십"),
    ("볼륨 십으로", "number", 10, "십"),
    ("보일러 스물셋으로", "number", 23, "스물셋"),
    ("온도 이십사 점 오 도로", "degree", 24.5, "이십사 점 오 도"),
    ("선풍기 일단으로", "step", 1, "일단"),
])
def test_numbers_written_onto_words(text: str, kind: str, value: float, said: str) -> None:
    (q,) = find_quantities(text)
    assert (q.kind, q.value, text[q.start:q.end]) == (kind, value, said)


@pytest.mark.parametrize("text", [
    "오디오도 꺼",      # 오 + 도 inside a word
    "사이로 가",        # 사이 is a word, not 42
    "오이로 해",
    "하나로 합쳐",      # "into one"
    "일단 켜",          # "for now"
    "청소기 일시 정지",  # pause, not one o'clock
    "세탁기 일시 중지",
])
def test_no_numbers_in_ordinary_words(text: str) -> None:
    assert find_quantities(text) == []


def test_delay_with_itda() -> None:
    (q,) = find_quantities("오 분 있다 꺼")
    assert (q.kind, q.value) == ("delay", 300)


@pytest.mark.parametrize(("text", "args"), [
    ("선풍기 바람 세게 틀어", {"fan_speed_delta": 1}),
    ("선풍기 약하게 켜 줘", {"fan_speed_delta": -1}),
    ("선풍기 살살 돌려", {"fan_speed_delta": -1}),
    ("선풍기 제일 세게 틀어", {"fan_speed": "high"}),
    ("선풍기 강으로", {"fan_speed": "high"}),
    ("선풍기 바람 중간으로", {"fan_speed": "medium"}),
    ("선풍기 약", {"fan_speed": "low"}),
])
def test_wind_strength(demo_home: Home, text: str, args: dict[str, Any]) -> None:
    assert _got(text, demo_home) == [("HassFanSetSpeed", ("fan.master_bedroom",), args)]


def test_wind_strength_guards(demo_home: Home) -> None:
    assert _got("선풍기 틀어", demo_home) == [("HassTurnOn", ("fan.master_bedroom",), {})]
    assert understand("약 먹을 시간이야", demo_home).reason == "out_of_domain"
    assert understand("약 삼십 분 뒤에 티비 꺼", demo_home).frames[0].slots["delay_seconds"] == 1800
    # an AC said "as strong as it goes" is its fan, a boiler's only setting is its temperature
    assert _got("거실 에어컨 최대로", demo_home) == [("HassFanSetSpeed", ("climate.living_room",),
                                                    {"fan_speed": "high"})]
    assert _got("보일러 최대로", demo_home) == [("HassClimateSetTemperature", ("boiler.home",),
                                                {"temperature": 40})]


@pytest.mark.parametrize(("text", "args"), [
    ("아메리카노 내려 줘", {"program": "americano"}),
    ("에스프레소 한잔 만들어 줘", {"program": "espresso"}),
    ("라떼 만들어 줘", {}),     # a drink the machine has no programme for: just brew
    ("커피 좀 타 줘", {}),
    ("커피 두 잔", {}),
])
def test_coffee(demo_home: Home, text: str, args: dict[str, Any]) -> None:
    assert _got(text, demo_home) == [("JipsaStart", ("coffee_machine.kitchen",), args)]


def test_coffee_program_change_is_not_a_start(demo_home: Home) -> None:
    assert _got("커피 머신 에스프레소로 바꿔", demo_home) == [
        ("JipsaSetProgram", ("coffee_machine.kitchen",), {"program": "espresso"})]


@pytest.mark.parametrize(("text", "intent"), [
    ("충전기로 돌아가", "HassVacuumReturnToBase"),
    ("충전하러 가", "HassVacuumReturnToBase"),
    ("청소 그만해", "JipsaStop"),
    ("청소 멈춰", "JipsaStop"),
    ("안방 청소 그만", "JipsaStop"),    # the room being cleaned, not where the vacuum lives
    ("청소 잠깐 멈춰", "JipsaPause"),
])
def test_vacuum_home_and_stop(demo_home: Home, text: str, intent: str) -> None:
    assert _got(text, demo_home) == [(intent, ("vacuum.home",), {})]


def test_running_question_is_not_a_return(demo_home: Home) -> None:
    (frame,) = understand("세탁기 돌아가?", demo_home).frames
    assert (frame.intent, frame.slots["attribute"]) == ("HassGetState", "on")
    (frame,) = understand("청소 중이야?", demo_home).frames
    assert (frame.intent, frame.targets, frame.slots["attribute"]) == (
        "HassGetState", ("vacuum.home",), "vacuum_state")


@pytest.mark.parametrize(("text", "routine"), [
    ("취침 모드 켜 줄래", "sleep"),
    ("외출 모드로 바꿔 줘", "away"),
    ("영화 모드로 전환해", "movie"),
    ("나 나간다", "away"),
    ("잘게요", "sleep"),
])
def test_routine_with_any_ending(demo_home: Home, text: str, routine: str) -> None:
    assert _got(text, demo_home) == [("JipsaRunRoutine", (), {"routine": routine})]


def test_routine_guards(demo_home: Home) -> None:
    assert _got("공기청정기 취침 모드로", demo_home) == [
        ("JipsaSetMode", ("air_purifier.living_room",), {"mode": "sleep"})]
    assert understand("에어컨 취침 모드로", demo_home).reason == "unsupported"
    assert understand("갈래", demo_home).reason == "out_of_domain"


@pytest.mark.parametrize(("text", "target"), [
    ("세탁기 끝났어?", "washer.utility_room"),
    ("건조기 다 됐어?", "dryer.utility_room"),
    ("커피 다 됐니", "coffee_machine.kitchen"),
])
def test_is_it_done(demo_home: Home, text: str, target: str) -> None:
    (frame,) = understand(text, demo_home).frames
    assert (frame.intent, frame.targets, frame.slots["attribute"]) == (
        "HassGetState", (target,), "remaining_minutes")


def test_done_needs_a_question(demo_home: Home) -> None:
    assert understand("세탁기 끝났어", demo_home).reason == "no_action"


def test_switched_state_with_itda(demo_home: Home) -> None:
    (frame,) = understand("티비 켜 있어?", demo_home).frames
    assert (frame.intent, frame.slots["attribute"]) == ("HassGetState", "on")


def test_negated_request(demo_home: Home) -> None:
    assert understand("불 켜지 마", demo_home).reason == "no_action"
    assert _got("거실 불 끄지 말고 티비 꺼", demo_home) == [("HassTurnOff", ("tv.living_room",), {})]


@pytest.mark.parametrize(("text", "target", "delta"), [
    ("너무 건조해", "humidifier.master_bedroom", 5),
    ("집이 눅눅해", "dehumidifier.utility_room", -5),
])
def test_dry_and_damp_air(demo_home: Home, text: str, target: str, delta: int) -> None:
    assert _got(text, demo_home) == [("HassHumidifierSetpoint", (target,), {"humidity_delta": delta})]


def test_favour_asks_only_when_nothing_else_is(demo_home: Home) -> None:
    assert _got("보일러 부탁해", demo_home) == [("HassTurnOn", ("boiler.home",), {})]
    assert _got("보일러 꺼 줘 부탁해", demo_home) == [("HassTurnOff", ("boiler.home",), {})]


def test_the_car_only_when_named_or_alone(demo_home: Home) -> None:
    (frame,) = understand("온도 이십칠 도로 맞춰", demo_home).frames
    assert "vehicle.car" not in frame.targets
    assert _got("시동 꺼", demo_home) == [("HassTurnOff", ("vehicle.car",), {})]


@pytest.mark.parametrize(("text", "value"), [
    ("볼륨 이십 올려", 20), ("볼륨 십 올려", 10), ("채널 십", 10),
])
def test_bare_hangul_numbers_mid_sentence(text: str, value: float) -> None:
    (q,) = find_quantities(text)
    assert (q.kind, q.value) == ("number", value)


@pytest.mark.parametrize("text", ["이사 가자", "사이 좋게 지내", "하나 둘 셋"])
def test_digit_syllable_words_mid_sentence(text: str) -> None:
    assert find_quantities(text) == []


def test_step_counter_kan() -> None:
    (q,) = find_quantities("한 칸 줄여")
    assert (q.kind, q.value) == ("step", 1)


def test_number_of_a_named_device_without_a_verb(demo_home: Home) -> None:
    assert _got("작은방 에어컨 스물셋", demo_home) == [
        ("HassClimateSetTemperature", ("climate.small_room",), {"temperature": 23})]
    assert understand("12345", demo_home).reason == "out_of_domain"


@pytest.mark.parametrize(("text", "target"), [
    ("에어켠 꺼 줘", "climate.living_room"),   # only the vowel slipped
    ("보일라 꺼", "boiler.home"),
    ("냉장곤 몇 도야", "refrigerator.kitchen"),  # 냉장고 + 는 fused
])
def test_last_syllable_slips(demo_home: Home, text: str, target: str) -> None:
    assert understand(text, demo_home, "living_room").frames[0].targets == (target,)


def test_last_syllable_slip_guards(demo_home: Home) -> None:
    assert _got("청소해 줘", demo_home) == [("HassVacuumStart", ("vacuum.home",), {})]  # not 청소기
    (frame,) = understand("거실 전부 꺼", demo_home).frames  # 전부 is "all", not 전등
    assert len(frame.targets) > 1


def test_forecast_questions(demo_home: Home) -> None:
    assert understand("내일 몇 도야", demo_home).reason == "out_of_domain"
    assert understand("오늘 미세먼지 어때", demo_home).reason == "out_of_domain"
    assert understand("오늘 거실 몇 도야", demo_home).ok


def test_adverb_with_an_unknown_verb(demo_home: Home) -> None:
    assert understand("세게 때려", demo_home).reason == "out_of_domain"
    assert understand("너무 더워 죽겠네", demo_home, "living_room").ok


@pytest.mark.parametrize(("text", "attribute"), [
    ("식기세척기 언제 다 돼?", "remaining_minutes"),
    ("식세기 다 돌았어?", "remaining_minutes"),
])
def test_more_done_questions(demo_home: Home, text: str, attribute: str) -> None:
    (frame,) = understand(text, demo_home).frames
    assert frame.slots["attribute"] == attribute


def test_vacuum_goes_home(demo_home: Home) -> None:
    assert _got("청소기 집에 가", demo_home) == [("HassVacuumReturnToBase", ("vacuum.home",), {})]
    assert _got("청소기 이제 들어가", demo_home) == [("HassVacuumReturnToBase", ("vacuum.home",), {})]


def test_lowering_a_cover_by_a_percentage(demo_home: Home) -> None:
    assert _got("블라인드 삼십 퍼센트 내려", demo_home) == [
        ("HassSetPosition", ("cover.master_bedroom_blind",), {"position": 70})]
    assert _got("블라인드 삼십 퍼센트로 내려", demo_home) == [
        ("HassSetPosition", ("cover.master_bedroom_blind",), {"position": 30})]
