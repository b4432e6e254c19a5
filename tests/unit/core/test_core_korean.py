"""Korean particles chosen by the final sound of the word before them, as a person would say it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jipsa.core.korean import final_consonant, has_final, josa


@pytest.mark.parametrize(("word", "pair", "expected"), [
    ("에어컨", "을/를", "에어컨을"),
    ("조명", "을/를", "조명을"),
    ("불", "을/를", "불을"),
    ("보일러", "을/를", "보일러를"),
    ("세탁기", "이/가", "세탁기가"),
    ("조명", "이/가", "조명이"),
    ("로봇청소기", "이/가", "로봇청소기가"),
    ("거실 조명", "은/는", "거실 조명은"),
    ("냉장고", "은/는", "냉장고는"),
    ("공기청정기", "과/와", "공기청정기와"),
    ("에어컨", "과/와", "에어컨과"),
    ("민수", "아/야", "민수야"),
    ("지민", "아/야", "지민아"),
    ("커피 머신", "이에요/예요", "커피 머신이에요"),
    ("보일러", "이에요/예요", "보일러예요"),
    ("TV", "을/를", "TV를"),
    ("tv", "이/가", "tv가"),
    ("LG 에어컨", "이/가", "LG 에어컨이"),
    ("PM10", "이/가", "PM10이"),
    ("HDMI", "로", None),
])
def test_josa(word: str, pair: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(ValueError, match="unknown particle pair"):
            josa(word, pair)
    else:
        assert josa(word, pair) == expected


@pytest.mark.parametrize(("word", "expected"), [
    ("차", "차로"), ("집", "집으로"), ("거실", "거실로"), ("안방", "안방으로"), ("주방", "주방으로"),
    ("서울", "서울로"), ("부엌", "부엌으로"), ("1층", "1층으로"), ("7", "7로"), ("8", "8로"), ("1", "1로"),
    ("3", "3으로"), ("6", "6으로"), ("10", "10으로"), ("24", "24로"), ("hdmi1", "hdmi1로"),
    ("USB", "USB로"), ("HDMI2", "HDMI2로"), ("Bluetooth", "Bluetooth로"), ("cool", "cool로"),
    ("auto", "auto로"),
])
def test_euro_treats_rieul_like_a_vowel(word: str, expected: str) -> None:
    assert josa(word, "(으)로") == expected


@pytest.mark.parametrize(("number", "expected"), [
    ("0", "0을"),        # 영
    ("1", "1을"),        # 일
    ("2", "2를"),        # 이
    ("3", "3을"),        # 삼
    ("4", "4를"),        # 사
    ("5", "5를"),        # 오
    ("6", "6을"),        # 육
    ("7", "7을"),        # 칠
    ("8", "8을"),        # 팔
    ("9", "9를"),        # 구
    ("10", "10을"),      # 십
    ("20", "20을"),      # 이십
    ("24", "24를"),      # 이십사
    ("30", "30을"),      # 삼십
    ("100", "100을"),    # 백
    ("1000", "1000을"),  # 천
    ("1,000", "1,000을"),
    ("10000", "10000을"),  # 만
    ("2.0", "2.0을"),    # 이 점 영
    ("24.5", "24.5를"),  # 이십사 점 오
    ("50%", "50%를"),    # 오십 퍼센트
    ("24°C", "24°C를"),  # 이십사 도
])
def test_numbers_are_read_as_said(number: str, expected: str) -> None:
    assert josa(number, "을/를") == expected


@pytest.mark.parametrize(("word", "final"), [
    ("가", 0), ("각", 1), ("갈", 8), ("감", 16), ("강", 21), ("3", 16), ("0", 21), ("10", 17), ("100", 1),
    ("1000", 4), ("10000", 16), ("100000000", 1), ("L", 8), ("M", 16), ("N", 4), ("R", 8), ("X", 0),
    ("에어컨)", 4), ("'조명'", 21), ("", None), ("😀", None), ("ㅋㅋ", None),
])
def test_final_consonant(word: str, final: int | None) -> None:
    assert final_consonant(word) == final


def test_unknown_endings_take_the_consonant_form() -> None:
    assert has_final("😀")
    assert josa("😀", "을/를") == "😀을"
    assert josa("", "이/가") == "이"


_hangul = st.integers(0xAC00, 0xD7A3).map(chr)


@given(st.text(_hangul, min_size=1, max_size=8))
def test_hangul_words_take_the_form_their_last_syllable_asks_for(word: str) -> None:
    has = (ord(word[-1]) - 0xAC00) % 28 != 0
    assert josa(word, "을/를") == word + ("을" if has else "를")
    assert josa(word, "이/가") == word + ("이" if has else "가")
    assert josa(word, "은/는") == word + ("은" if has else "는")
    rieul = (ord(word[-1]) - 0xAC00) % 28 == 8
    assert josa(word, "(으)로") == word + ("으로" if has and not rieul else "로")


@given(st.text(max_size=20), st.sampled_from(["을/를", "이/가", "은/는", "과/와", "(으)로", "이랑/랑"]))
def test_josa_only_appends(word: str, pair: str) -> None:
    out = josa(word, pair)
    assert out.startswith(word)
    assert out[len(word):] in pair.replace("(으)로", "으로/로").split("/")
