"""Where the air and the slats point (a fan turning, an air conditioner's swing, a blind's slats), and the
rules beside them: conditions on what the speaker will do, the floor's warmth, the engine asked about,
named channels, English room words, the main light and first words of names. Each with its guard cases."""

from __future__ import annotations

from typing import Any

import pytest

from jipsa.core import Home, parse_home
from jipsa.nlu import understand
from jipsa.nlu.resolve import main_lights


def _got(text: str, home: Home, area: str | None = None) -> list[tuple[str, tuple[str, ...], dict[str, Any]]]:
    return [(f.intent, f.targets, dict(f.args)) for f in understand(text, home, area).frames]


FAN, BLIND = ("fan.master_bedroom",), ("cover.master_bedroom_blind",)


@pytest.mark.parametrize(("text", "intent", "targets", "args"), [
    ("선풍기 회전 켜 줘", "JipsaSetOscillation", FAN, {"oscillating": True}),
    ("선풍기 회전 멈춰", "JipsaSetOscillation", FAN, {"oscillating": False}),
    ("선풍기 회전시켜", "JipsaSetOscillation", FAN, {"oscillating": True}),
    ("선풍기 고개 돌려 줘", "JipsaSetOscillation", FAN, {"oscillating": True}),
    ("회전 켜 줘", "JipsaSetOscillation", FAN, {"oscillating": True}),       # nothing named: the fan
    ("선풍기 고정해", "JipsaSetOscillation", FAN, {"oscillating": False}),
    ("선풍기 바람 좌우로", "JipsaSetOscillation", FAN, {"oscillating": True}),  # side to side: it turns
    ("안방 에어컨 회전 켜", "JipsaSetSwing", ("climate.master_bedroom",), {"swing_mode": "on"}),
    ("안방 에어컨 바람 방향 위아래로", "JipsaSetSwing", ("climate.master_bedroom",),
     {"swing_mode": "vertical"}),
    ("거실 에어컨 날개 고정", "JipsaSetSwing", ("climate.living_room",), {"swing_mode": "off"}),
    ("블라인드 각도 반으로", "JipsaSetTilt", BLIND, {"tilt_position": 50}),
    ("블라인드 살 눕혀", "JipsaSetTilt", BLIND, {"tilt_position": 100}),
    ("블라인드 살 세워 줘", "JipsaSetTilt", BLIND, {"tilt_position": 0}),
    ("블라인드 살 20% 닫아", "JipsaSetTilt", BLIND, {"tilt_position": 80}),
    ("블라인드 반만 열어", "HassSetPosition", BLIND, {"position": 50}),         # no slats named: the position
    ("온도 24도로 고정해", "HassClimateSetTemperature", ("climate.living_room",), {"temperature": 24}),
])
def test_motion_requests(demo_home: Home, text: str, intent: str, targets: tuple[str, ...],
                         args: dict[str, Any]) -> None:
    assert _got(text, demo_home, "living_room") == [(intent, targets, args)]


@pytest.mark.parametrize(("text", "attribute"), [
    ("선풍기 회전 중이야?", "oscillating"),
    ("선풍기 회전하고 있어?", "oscillating"),
    ("안방 에어컨 바람 방향 어떻게 돼 있어?", "swing_mode"),
    ("블라인드 각도 어때?", "tilt_position"),
])
def test_motion_questions(demo_home: Home, text: str, attribute: str) -> None:
    frames = understand(text, demo_home).frames
    assert [(f.intent, f.slots.get("attribute")) for f in frames] == [("HassGetState", attribute)]


@pytest.mark.parametrize("text", ["거실 불 회전 켜", "커튼 살 닫아", "선풍기 상하로"])
def test_a_device_without_the_capability_is_unsupported(demo_home: Home, text: str) -> None:
    assert understand(text, demo_home).reason == "unsupported"


@pytest.mark.parametrize(("text", "reason"), [
    ("나갈 때 가스 잠가", "unknown_condition"),
    ("자기 전에 불 꺼 줘", "unknown_condition"),
    ("집에 도착하기 30분 전에 보일러 켜", "unknown_condition"),
    ("출근한 뒤에 청소기 돌려", "unknown_condition"),
    ("7시에 깨워 줘", "out_of_domain"),
    ("KBS 틀어", "out_of_domain"),
    ("티비 유튜브 틀어 줘", "out_of_domain"),
])
def test_not_acted_on(demo_home: Home, text: str, reason: str) -> None:
    result = understand(text, demo_home)
    assert not result.frames and result.reason == reason


@pytest.mark.parametrize(("text", "intent", "targets"), [
    ("30분 뒤에 불 꺼 줘", "HassTurnOff", ("light.living_room", "light.living_room_mood")),  # a time acts
    ("방바닥이 너무 뜨거워", "HassClimateSetTemperature", ("boiler.home",)),
    ("너무 뜨거워", "HassClimateSetTemperature", ("climate.living_room",)),  # no floor: the room's AC
    ("차 시동 걸려 있어?", "HassGetState", ("vehicle.car",)),
    ("what's the temperature in the bedroom", "HassClimateGetTemperature",
     ("sensor.master_bedroom_temperature",)),
    ("안방 큰 불 꺼", "HassTurnOff", ("light.master_bedroom",)),
    ("벽걸이 꺼", "HassTurnOff", ("climate.master_bedroom",)),
])
def test_rules_beside(demo_home: Home, text: str, intent: str, targets: tuple[str, ...]) -> None:
    assert [(f.intent, f.targets) for f in understand(text, demo_home, "living_room").frames] == [
        (intent, targets)]


def test_a_first_word_inside_a_longer_word_names_nothing(demo_home: Home) -> None:
    assert not understand("김치찌개 끓여", demo_home).frames  # 김치 is the 김치 냉장고 only as a word


def test_the_main_light_of_a_room(demo_home: Home) -> None:
    lights = [d for d in demo_home.devices if d.id.startswith("light.")]
    assert [d.id for d in main_lights(lights) if d.area == "living_room"] == ["light.living_room"]


def test_english_rooms_only_where_one_room_fits() -> None:
    home = parse_home("""
home: {name: t}
areas:
  - {id: a, name: 안방}
  - {id: b, name: 침실}
devices:
  - {id: light.a, name: 안방 조명, area: a, type: light}
  - {id: light.b, name: 침실 조명, area: b, type: light}
""")
    assert not any(f.targets == ("light.a",) for f in understand("turn off the bedroom light", home).frames)


@pytest.mark.parametrize(("text", "intent", "targets", "args"), [
    ("방바닥이 절절 끓어", "HassClimateSetTemperature", ("boiler.home",), {"temperature_delta": -1}),
    ("방이 냉골이야", "HassClimateSetTemperature", ("boiler.home",), {"temperature_delta": 1}),
    ("거실이 찜통이네", "HassClimateSetTemperature", ("climate.living_room",), {"temperature_delta": -1}),
    ("가습기 이제 필요 없으니까 꺼", "HassTurnOff", ("humidifier.master_bedroom",), {}),
    ("블라인드살열어", "JipsaSetTilt", BLIND, {"tilt_position": 100}),
])
def test_blind_batch_mends(demo_home: Home, text: str, intent: str, targets: tuple[str, ...],
                           args: dict[str, Any]) -> None:
    assert _got(text, demo_home) == [(intent, targets, args)]


@pytest.mark.parametrize("text", ["가습기 끌 필요 없어", "물 끓여 줘"])
def test_blind_batch_guards(demo_home: Home, text: str) -> None:
    assert not understand(text, demo_home).frames


@pytest.mark.parametrize("text", ["스무 살", "우리 애 몇 살이야?", "고개가 아파"])
def test_slats_and_heads_need_their_device(demo_home: Home, text: str) -> None:
    assert understand(text, demo_home).reason == "out_of_domain"


def test_native_tens_and_ones_said_apart(demo_home: Home) -> None:
    assert _got("보일러 온도를 스물 두 도로", demo_home) == [
        ("HassClimateSetTemperature", ("boiler.home",), {"temperature": 22})]


def test_a_car_made_warm_starts_its_climate(demo_home: Home) -> None:
    frames = understand("차 따뜻하게 해 놔", demo_home).frames
    assert [(f.intent, f.targets, f.slots.get("feature")) for f in frames] == [
        ("HassTurnOn", ("vehicle.car",), "climate")]


def test_a_korean_time_holds_from_its_clause_on(demo_home: Home) -> None:
    frames = understand("거실 불 끄고 30분 뒤에 에어컨도 꺼 줘", demo_home).frames
    assert [f.slots.get("delay_seconds") for f in frames] == [None, 1800]
    frames = understand("10분 뒤에 티비 끄고 불도 꺼", demo_home, "living_room").frames
    assert [f.slots.get("delay_seconds") for f in frames] == [600, 600]
