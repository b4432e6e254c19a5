"""Turning the parser's time slots into moments in the home's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jipsa.core.schedules import (
    ScheduleError,
    describe_ko,
    next_after,
    parse_days,
    repeat_ko,
    when_of,
)

SEOUL = ZoneInfo("Asia/Seoul")
# Wednesday 25 November 2026, 14:00 in Seoul
NOW = datetime(2026, 11, 25, 14, 0, tzinfo=SEOUL).astimezone(UTC)


def local(when: datetime) -> datetime:
    return when.astimezone(SEOUL).replace(tzinfo=None)


def test_a_delay_counts_from_now() -> None:
    assert when_of({"delay_seconds": 1800}, NOW, SEOUL).first == NOW + timedelta(minutes=30)


def test_a_clock_time_is_the_next_one() -> None:
    assert local(when_of({"at": "18:00"}, NOW, SEOUL).first) == datetime(2026, 11, 25, 18, 0)
    assert local(when_of({"at": "07:00"}, NOW, SEOUL).first) == datetime(2026, 11, 26, 7, 0)


def test_a_bare_hour_is_the_next_of_its_two_halves() -> None:
    # 세 시에 said at 14:00 means 15:00; 두 시에 said then means 02:00 tonight
    assert local(when_of({"at": "03:00", "at_12h": True}, NOW, SEOUL).first) == datetime(2026, 11, 25, 15, 0)
    assert local(when_of({"at": "02:00", "at_12h": True}, NOW, SEOUL).first) == datetime(2026, 11, 26, 2, 0)
    # 내일 세 시에: the afternoon
    tomorrow = when_of({"at": "03:00", "at_12h": True, "day": "tomorrow"}, NOW, SEOUL)
    assert local(tomorrow.first) == datetime(2026, 11, 26, 15, 0)


def test_named_days_and_dates() -> None:
    assert local(when_of({"at": "07:00", "day": "tomorrow"}, NOW, SEOUL).first) == datetime(2026, 11, 26, 7)
    assert local(when_of({"at": "09:30", "date": "12-03"}, NOW, SEOUL).first) == datetime(2026, 12, 3, 9, 30)
    assert local(when_of({"at": "09:00", "date": "01-03"}, NOW, SEOUL).first) == datetime(2027, 1, 3, 9, 0)
    assert local(when_of({"day": "tomorrow"}, NOW, SEOUL).first) == datetime(2026, 11, 26, 9, 0)


@pytest.mark.parametrize(("slots", "reason"), [
    ({"at": "07:00", "day": "today"}, "past"),
    ({"date": "13-45", "at": "07:00"}, "bad_date"),
    ({"date": "02-30", "at": "07:00"}, "bad_date"),
    ({"repeat": "daily"}, "no_clock"),
    ({"repeat": "someday", "at": "07:00"}, "bad_time"),
    ({"delay_seconds": 0}, "past"),
    ({"delay_seconds": 400 * 86400}, "too_far"),
    ({"day": "today"}, "no_clock"),
])
def test_times_that_cannot_be_scheduled(slots: dict[str, object], reason: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        when_of(slots, NOW, SEOUL)
    assert caught.value.reason == reason and caught.value.message_ko


def test_repeats_step_to_their_next_day() -> None:
    weekdays = when_of({"at": "23:00", "repeat": "weekdays"}, NOW, SEOUL)
    assert weekdays.repeats and weekdays.clock == "23:00" and weekdays.days == (0, 1, 2, 3, 4)
    assert local(weekdays.first) == datetime(2026, 11, 25, 23, 0)
    friday = datetime(2026, 11, 27, 23, 0, tzinfo=SEOUL).astimezone(UTC)
    assert local(next_after(friday, "23:00", weekdays.days, SEOUL)) == datetime(2026, 11, 30, 23, 0)
    assert parse_days("mon wed") == (0, 2)
    assert repeat_ko((0, 2)) == "월·수요일" and repeat_ko(weekdays.days) == "평일"


def test_a_clock_change_does_not_lose_a_repeat() -> None:
    new_york = ZoneInfo("America/New_York")
    before = datetime(2026, 3, 7, 12, 0, tzinfo=new_york).astimezone(UTC)
    # 02:30 does not exist on 8 March 2026 there: it runs that day all the same, not a day later
    moment = next_after(before, "02:30", (0, 1, 2, 3, 4, 5, 6), new_york)
    assert moment.astimezone(new_york).replace(tzinfo=None) == datetime(2026, 3, 8, 3, 30)


def test_moments_are_told_relative_to_today() -> None:
    assert describe_ko(NOW + timedelta(hours=4), NOW, SEOUL) == "오늘 오후 6시"
    assert describe_ko(NOW + timedelta(hours=17, minutes=30), NOW, SEOUL) == "내일 오전 7시 30분"


def test_a_weekday_is_the_coming_one() -> None:
    assert local(when_of({"day": "fri", "at": "08:00"}, NOW, SEOUL).first) == datetime(2026, 11, 27, 8, 0)
    # Wednesday said on a Wednesday: today if the time is still ahead, else next week
    assert local(when_of({"day": "wed", "at": "20:00"}, NOW, SEOUL).first) == datetime(2026, 11, 25, 20, 0)
    assert local(when_of({"day": "wed", "at": "08:00"}, NOW, SEOUL).first) == datetime(2026, 12, 2, 8, 0)
