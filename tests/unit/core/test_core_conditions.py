"""Conditions on readings: when they hold, when they may fire again, how they are described."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jipsa.core.conditions import Condition, ConditionError
from jipsa.core.schedules import Schedule

ABOVE = Condition("temperature", ">", 28, ("sensor.a", "sensor.b"))
AT_MOST = Condition("humidity", "<=", 40, ("sensor.h",))


def test_any_reading_past_the_number_holds() -> None:
    assert ABOVE.holds([27.0, 28.5]) and not ABOVE.holds([27.0, 28.0]) and not ABOVE.holds([])
    assert AT_MOST.holds([40]) and not AT_MOST.holds([40.1])
    assert Condition("temperature", ">=", 28, ("s",)).holds([28])


def test_cleared_only_when_every_reading_is_back_past_the_margin() -> None:
    assert not ABOVE.cleared([27.8])          # within 0.5 °C of 28
    assert ABOVE.cleared([27.4, 26.0])
    assert not ABOVE.cleared([27.4, 28.1])    # one room still hot
    assert not ABOVE.cleared([])              # nothing known
    assert AT_MOST.cleared([42.5]) and not AT_MOST.cleared([41.0])


@given(st.floats(min_value=-40, max_value=100), st.floats(min_value=-40, max_value=100))
def test_never_both_holding_and_cleared(threshold: float, reading: float) -> None:
    for op in (">", ">=", "<", "<="):
        condition = Condition("temperature", op, threshold, ("s",))
        assert not (condition.holds([reading]) and condition.cleared([reading]))


@pytest.mark.parametrize("slot", [
    {"attribute": "brightness", "op": ">", "value": 1, "devices": ["x"]},
    {"attribute": "temperature", "op": "=", "value": 1, "devices": ["x"]},
    {"attribute": "temperature", "op": ">", "value": float("nan"), "devices": ["x"]},
    {"attribute": "temperature", "op": ">", "value": True, "devices": ["x"]},
    {"attribute": "temperature", "op": ">", "value": 28, "devices": []},
    {"attribute": "temperature", "op": ">"},
    {"attribute": "temperature", "op": ">", "value": "28", "devices": ["x"]},
])
def test_a_bad_slot_is_refused(slot: dict[str, object]) -> None:
    with pytest.raises(ConditionError):
        Condition.from_slot(slot)


def test_round_trip_and_schedule_view() -> None:
    condition = Condition("pm25", ">=", 35, ("sensor.dust",), area="거실")
    assert Condition.from_slot(condition.to_dict()) == condition
    schedule = Schedule(1, "t", (), None, meta={"condition": condition.to_dict()})
    assert schedule.condition == condition
    assert Schedule(2, "t", (), None, meta={"condition": {"attribute": "bad"}}).condition is None
    assert Schedule(3, "t", (), None).condition is None


def test_descriptions() -> None:
    assert ABOVE.describe_ko("거실") == "거실 온도가 28도를 넘을 때"
    assert AT_MOST.describe_ko() == "습도가 40% 이하가 될 때"
    assert Condition("pm10", "<", 30, ("s",)).describe_ko() == "미세먼지가 30 아래로 내려갈 때"
    assert ABOVE.describe_en("living room") == "when the living room temperature goes above 28°C"
    assert ABOVE.reading_ko(27.5) == "27.5도"
