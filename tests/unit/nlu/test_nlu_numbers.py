"""numbers: Sino-Korean and native numerals, units, delays and clock times."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jipsa.nlu.numbers import find_quantities, parse_number


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("24", 24.0),
        ("24.5", 24.5),
        ("이십사", 24.0),
        ("이십사점오", 24.5),
        ("십", 10.0),
        ("백", 100.0),
        ("스물네", 24.0),
        ("스물", 20.0),
        ("열", 10.0),
        ("열한", 11.0),
        ("다섯", 5.0),
        ("twenty", 20.0),
        ("사과", None),
        ("", None),
    ],
)
def test_parse_number(word: str, value: float | None) -> None:
    assert parse_number(word) == value


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("이십사도로 맞춰", "degree", 24),
        ("스물네 도로", "degree", 24),
        ("24.5도", "degree", 24.5),
        ("50퍼센트로", "percent", 50),
        ("50프로", "percent", 50),
        ("30%", "percent", 30),
        ("반만 열어", "half", 50),
        ("3단으로", "step", 3),
        ("두 단계 올려", "step", 2),
        ("11번 틀어", "count", 11),
        ("level 2", "step", 2),
        ("30분 뒤에", "delay", 1800),
        ("한 시간 후에", "delay", 3600),
        ("한 시간 반 뒤에", "delay", 5400),
        ("in 10 minutes", "delay", 600),
        ("밤 11시에", "clock", 23 * 60),
        ("다섯 시 반에", "clock", 5 * 60 + 30),
        ("오후 세 시에", "clock", 15 * 60),
        ("at 7 pm", "clock", 19 * 60),
        ("채널 구로", "number", 9),
        ("채널을 삼으로", "number", 3),
        ("볼륨 오", "number", 5),
        ("세탁기삼십분뒤에", "delay", 1800),
        ("에어컨이삼십분뒤에", "delay", 1800),
        ("티비한시간반후에", "delay", 5400),
        ("한 시간만 틀어", "duration", 3600),
        ("30분 동안 켜", "duration", 1800),
        ("타이머 한 시간", "delay", 3600),
        ("30분 타이머 맞춰", "delay", 1800),
        ("영 도로 맞춰", "degree", 0),
        ("영점오 도로", "degree", 0.5),
        ("넷째 채널", "count", 4),
        ("네 번째 채널로", "count", 4),
        ("채널 3번째로", "count", 3),
        ("첫 번째 채널", "count", 1),
        ("두 번째 단계로", "step", 2),
        ("반 시간 뒤에", "delay", 1800),
        ("반 시간만 틀어", "duration", 1800),
    ],
)
def test_find_quantities(text: str, kind: str, value: float) -> None:
    found = find_quantities(text)
    assert [(q.kind, q.value) for q in found] == [(kind, value)]


@pytest.mark.parametrize(
    "text",
    [
        "이 불 꺼",
        "도어락 잠가",
        "일단 켜",
        "세게 틀어",
        "시작해",
        "사과 먹자",
        "채널 이 거 말고",
        "구로 가자",
    ],
)
def test_no_false_numbers(text: str) -> None:
    assert find_quantities(text) == []


def test_clock_text() -> None:
    (q,) = find_quantities("밤 11시 반에")
    assert q.clock_text == "23:30"


@given(st.text(max_size=120))
def test_never_raises(text: str) -> None:
    for q in find_quantities(text):
        assert 0 <= q.start < q.end <= len(text)


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("자정에", "00:00"),
        ("정오에", "12:00"),
        ("밤 12시에", "00:00"),
        ("at midnight", "00:00"),
        ("밤 11시에", "23:00"),
    ],
)
def test_midnight_and_noon(text: str, at: str) -> None:
    clocks = [q for q in find_quantities(text) if q.kind == "clock"]
    assert [q.clock_text for q in clocks] == [at]


@pytest.mark.parametrize("text", ["영화 보자", "영하", "영상 틀어", "둘째 주"])
def test_zero_and_ordinals_need_their_shape(text: str) -> None:
    assert find_quantities(text) == []
