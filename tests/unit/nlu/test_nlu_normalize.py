"""normalize: fillers, widths, punctuation; idempotence on arbitrary text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jipsa.nlu.normalize import compact, normalize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("거실 불 켜 줘", "거실 불 켜 줘"),
        ("  거실   불  켜 줘!! ", "거실 불 켜 줘"),
        ("음 저기 거실 불 좀 켜 줘", "거실 불 켜 줘"),
        ("ＴＶ 꺼 줘", "tv 꺼 줘"),
        ("24.5도로 맞춰", "24.5도로 맞춰"),
        ("HDMI 1로 바꿔", "hdmi1로 바꿔"),
        ("it's too hot", "its too hot"),
        ("집사야, 불 꺼.", "불 꺼"),
        ("ㅋㅋㅋ 불 꺼", "불 꺼"),
        ("지니야 선풍기 꺼조", "선풍기 꺼줘"),
        ("불 켜쥬", "불 켜줘"),
        ("강조 구조", "강조 구조"),
        ("불 키라", "불 켜라"),
        ("에어컨 키세요", "에어컨 켜세요"),
        ("에어컨 킬까", "에어컨 켤까"),
        ("볼륨 키워", "볼륨 키워"),
        ("불 꺼라이", "불 꺼라"),
        ("에어컨 키래이", "에어컨 켜라"),
        ("불 끄래이", "불 꺼라"),
        ("에어컨 드라이 모드", "에어컨 드라이 모드"),
        ("불 커줘", "불 켜줘"),
        ("티비 껴 줘", "티비 꺼 줘"),
        ("소리가 너무 커", "소리가 너무 커"),
        ("방 따시게 해", "방 따뜻하게 해"),
        ("티비 꺼뿌라", "티비 꺼버려"),
        ("불 꺼삐라", "불 꺼버려"),
        ("키친 조명", "키친 조명"),
        ("공기청정기끄셈", "공기청정기끄세요"),
        ("에어컨 끄삼", "에어컨 끄세요"),
        ("채널 삼", "채널 삼"),
        ("거실 아니 안방 불 꺼 줘", "안방 불 꺼 줘"),
        ("거실 불 아니 안방 불 꺼", "안방 불 꺼"),
        ("에어컨 이십삼 아니 이십사 도로", "에어컨 이십사 도로"),
        ("불 켜 줘 아니 꺼 줘", "불 꺼 줘"),
        ("아니 티비 말고 에어컨 켜", "아니 티비 말고 에어컨 켜"),
        ("그 뭐지 공기청정기 켜 줘", "공기청정기 켜 줘"),
        ("이게 뭐지", "이게 뭐지"),
        ("에어컨 이십 육도로", "에어컨 이십육도로"),
        ("불 칠십 오 프로", "불 칠십오 프로"),
        ("삼십 일 뒤에", "삼십 일 뒤에"),
        ("티비 에이치디엠아이 이로 바꿔", "티비 hdmi2로 바꿔"),
        ("유에스비로 바꿔", "usb로 바꿔"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text).text == expected


def test_question_mark_is_reported() -> None:
    assert normalize("켜져 있어?").question
    assert not normalize("켜 줘").question


def test_compact() -> None:
    assert compact("거실 불 켜") == "거실불켜"


@given(st.text(max_size=200))
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text).text
    assert normalize(once).text == once
