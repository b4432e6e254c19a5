"""routines: the forms a routine's alias is heard in."""

from __future__ import annotations

import pytest

from jipsa.nlu.routines import past_forms, volitional_forms


@pytest.mark.parametrize(("alias", "heard"), [
    ("나갈게", "나갈래"), ("나갈게", "나간다"), ("나갈게", "나가겠습니다"), ("나갈게", "나갈거야"),
    ("영화볼거야", "영화볼래"), ("영화볼거야", "영화보자"), ("영화볼거야", "영화볼까"),
    ("영화보자", "영화볼게"), ("잘래", "잘게"),
])
def test_volitional_forms(alias: str, heard: str) -> None:
    assert heard in volitional_forms(alias)


def test_a_verb_of_its_own_is_no_intention() -> None:
    assert volitional_forms("잘자") == ["잘자"]  # 잘 자 is a wish, not 자- said as "let us"


@pytest.mark.parametrize(("alias", "heard"), [
    ("손님왔어", "손님오셨어"), ("손님왔어", "손님왔습니다"), ("손님왔어", "손님왔다"),
    ("다녀왔어", "다녀왔습니다"), ("일어났어", "일어나셨어"),
])
def test_past_forms(alias: str, heard: str) -> None:
    assert heard in past_forms(alias)


def test_past_forms_only_of_a_past() -> None:
    assert past_forms("나갈게") == []
