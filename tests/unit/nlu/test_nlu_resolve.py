"""resolve and parse on the demo home: names, areas, types, "all", speaker area, ambiguity."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jipsa.core import Home
from jipsa.nlu import MAX_CHARS, Understander, parse, understand


@pytest.mark.parametrize(("text", "area", "targets", "ambiguous"), [
    ("거실 불 꺼", None, ("light.living_room",), False),
    ("거실불꺼", None, ("light.living_room",), False),
    ("거실 조명 꺼", None, ("light.living_room",), False),
    ("불 꺼", "master_bedroom", ("light.master_bedroom",), False),
    ("에어컨 꺼", None, ("climate.living_room", "climate.master_bedroom", "climate.small_room"), True),
    ("에어컨 다 꺼", None, ("climate.living_room", "climate.master_bedroom", "climate.small_room"), False),
    ("안방이랑 작은방 불 꺼", None, ("light.master_bedroom", "light.small_room"), False),
    ("공청기 꺼", None, ("air_purifier.living_room",), False),
    ("에어컨 꺼", "small_room", ("climate.small_room",), False),
    # English in a home whose rooms have Korean names: an English area id names its room.
    ("turn on the kitchen light", None, ("light.kitchen",), False),
    ("switch off the light in the bathroom", None, ("light.bathroom",), False),
    ("turn off the small room air conditioner", None, ("climate.small_room",), False),
])
def test_targets(demo_home: Home, text: str, area: str | None, targets: tuple[str, ...],
                 ambiguous: bool) -> None:
    (frame,) = parse(text, demo_home, area)
    assert frame.targets == targets
    assert frame.ambiguous is ambiguous


@pytest.mark.parametrize(("text", "reason"), [
    ("", "empty"), ("   ", "empty"), ("오늘 날씨 어때", "out_of_domain"), ("켜 줘", "no_device"),
    ("다락방 불 켜 줘", "no_device"), ("x" * (MAX_CHARS + 1), "too_long"), ("\x00\x01\x02", "empty"),
])
def test_reasons(demo_home: Home, text: str, reason: str) -> None:
    result = understand(text, demo_home)
    assert not result.ok
    assert result.reason == reason


def test_compound_shares_the_device(demo_home: Home) -> None:
    frames = parse("에어컨 켜서 24도로 맞춰", demo_home, "living_room")
    assert [f.intent for f in frames] == ["HassTurnOn", "HassClimateSetTemperature"]
    assert all(f.targets == ("climate.living_room",) for f in frames)
    assert frames[1].args == {"temperature": 24}


def test_slots(demo_home: Home) -> None:
    (frame,) = parse("30분 뒤에 거실 불 꺼 줘", demo_home)
    assert frame.slots["delay_seconds"] == 1800
    assert frame.slots["domain"] == "light"
    assert frame.slots["name"] == "거실 불"


def test_unknown_area_is_ignored(demo_home: Home) -> None:
    assert parse("거실 불 꺼", demo_home, "nowhere")[0].targets == ("light.living_room",)


def test_non_str_is_misuse(demo_home: Home) -> None:
    with pytest.raises(TypeError):
        Understander(demo_home).understand(b"bytes")  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_never_raises(demo_home: Home, text: str) -> None:
    result = understand(text, demo_home)
    assert result.ok or result.reason


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["거실", "불", "켜", "꺼", "줘", "에어컨", "24도", "다", "이랑", "고",
                                 "반만", "열어", "?", "좀", "3단", "티비", "시원하게", "해", "lights", "on"]),
                max_size=12))
def test_never_raises_on_word_salad(demo_home: Home, words: list[str]) -> None:
    result = understand(" ".join(words), demo_home)
    for frame in result.frames:
        assert all(demo_home.device(t) is not None for t in frame.targets)


def test_large_junk(demo_home: Home) -> None:
    assert understand("가" * 1_000_000, demo_home).reason == "too_long"
