"""The clock port: a manual clock moves only when told to."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone

import pytest

from jipsa.core import Clock, ManualClock, SystemClock


def test_manual_clock_starts_at_a_fixed_aware_time() -> None:
    clock = ManualClock()
    assert clock.now() == datetime(2026, 1, 1, tzinfo=UTC)
    assert clock.now().tzinfo is not None
    assert clock.monotonic() == 0.0


def test_manual_clock_advances_both_clocks() -> None:
    start = datetime(2026, 7, 1, 9, 0, tzinfo=timezone(timedelta(hours=9)))
    clock = ManualClock(start)
    assert clock.advance(90) == start + timedelta(seconds=90)
    assert clock.advance(timedelta(hours=2)) == start + timedelta(hours=2, seconds=90)
    assert clock.now() == start + timedelta(hours=2, seconds=90)
    assert clock.monotonic() == 7290.0
    clock.advance(0)
    assert clock.monotonic() == 7290.0


@pytest.mark.parametrize("delta", [-1, timedelta(seconds=-1), math.nan, math.inf])
def test_manual_clock_never_goes_back_or_jumps_to_infinity(delta: float | timedelta) -> None:
    clock = ManualClock()
    with pytest.raises(ValueError):
        clock.advance(delta)
    assert clock.monotonic() == 0.0
    assert clock.now() == datetime(2026, 1, 1, tzinfo=UTC)


def test_manual_clock_refuses_a_naive_start() -> None:
    with pytest.raises(ValueError, match="time-zone aware"):
        ManualClock(datetime(2026, 1, 1))


def test_both_clocks_satisfy_the_port() -> None:
    clocks: list[Clock] = [ManualClock(), SystemClock()]
    for clock in clocks:
        assert clock.now().tzinfo is not None
        first = clock.monotonic()
        assert clock.monotonic() >= first


def test_system_clock_is_utc() -> None:
    assert SystemClock().now().utcoffset() == timedelta(0)
