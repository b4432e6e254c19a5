"""Schedules: when a timed request runs, and when a repeating one runs next. Pure: times come in.

The language layer marks a timed request with slots (``docs/intents.md``): ``delay_seconds`` (30분 뒤에),
``at`` (``"07:00"``) with ``at_12h`` when the hour was said without 오전/오후 (세 시에 may mean 03:00 or
15:00), ``day`` (``today``, ``tomorrow``, ``day_after_tomorrow``), ``date`` (``"12-03"``) and ``repeat``
(``daily``, ``weekdays``, ``weekends`` or days such as ``"mon wed"``). :func:`when_of` turns them into a
:class:`When` in the home's time zone; :func:`next_after` steps a repeat forward.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from jipsa.core.conditions import Condition, ConditionError
from jipsa.core.errors import JipsaError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Day names as the ``repeat`` slot spells them; index = ``datetime.weekday()``."""

REPEATS: Mapping[str, tuple[int, ...]] = {
    "daily": (0, 1, 2, 3, 4, 5, 6),
    "weekdays": (0, 1, 2, 3, 4),
    "weekends": (5, 6),
}

TIME_SLOTS = ("delay_seconds", "at", "at_12h", "day", "date", "repeat")
"""The slots that make a request timed."""

MAX_AHEAD = timedelta(days=366)
"""The furthest ahead a one-off schedule may be set."""


class ScheduleError(JipsaError):
    """A time that cannot be scheduled (in the past, not a date, too far ahead)."""

    def __init__(self, reason: str, message_ko: str, message_en: str) -> None:
        self.reason = reason
        self.message_ko = message_ko
        self.message_en = message_en
        super().__init__(message_en)


@dataclass(frozen=True, slots=True)
class When:
    """When a timed request runs."""

    first: datetime
    """The first (or only) time, aware, in UTC."""
    clock: str | None = None
    """``HH:MM`` in the home's time zone, for a repeat."""
    days: tuple[int, ...] = ()
    """Weekdays a repeat runs on (0 = Monday); empty for a one-off."""

    @property
    def repeats(self) -> bool:
        """Whether it runs again after the first time."""
        return bool(self.days)


@dataclass(frozen=True, slots=True)
class Schedule:
    """A stored timed request."""

    id: int
    """Its id in the store."""
    text: str
    """What was said."""
    frames: tuple[Mapping[str, Any], ...]
    """The understood frames (``Frame.to_dict()``), time slots included."""
    next_at: datetime | None
    """When it runs next (UTC), or ``None`` when it will not run again."""
    clock: str | None = None
    """``HH:MM`` of a repeat, in the home's time zone."""
    days: tuple[int, ...] = ()
    """Weekdays of a repeat."""
    status: str = "active"
    """``active``, ``done``, ``cancelled`` or ``missed``."""
    created_at: datetime | None = None
    """When it was made."""
    created_by: str | None = None
    """Who asked for it."""
    conversation_id: str | None = None
    """The conversation it was asked in."""
    last_run_at: datetime | None = None
    """When it last ran."""
    meta: Mapping[str, Any] = field(default_factory=dict)
    """Anything else worth keeping (the area it was said in)."""

    @property
    def repeats(self) -> bool:
        """Whether it runs more than once."""
        return bool(self.days)

    @property
    def condition(self) -> Condition | None:
        """What reading it waits for, when it runs upon one rather than at a time.

        A condition's ``next_at`` is the time it was armed, or ``None`` after it fired and until the
        reading goes back (see :mod:`jipsa.core.conditions`)."""
        slot = self.meta.get("condition")
        if not isinstance(slot, Mapping):
            return None
        try:
            return Condition.from_slot(slot)
        except ConditionError:
            return None


def is_timed(slots: Mapping[str, Any]) -> bool:
    """Whether a frame's slots ask for later rather than now."""
    return any(key in slots for key in ("delay_seconds", "at", "day", "date", "repeat"))


def parse_days(repeat: str) -> tuple[int, ...]:
    """The weekdays of a ``repeat`` slot; ``ValueError`` for one that names none."""
    if repeat in REPEATS:
        return REPEATS[repeat]
    days = sorted({WEEKDAYS.index(word) for word in repeat.split() if word in WEEKDAYS})
    if not days or any(word not in WEEKDAYS for word in repeat.split()):
        raise ValueError(f"not a repeat: {repeat!r}")
    return tuple(days)


def _at(clock: str) -> time:
    hours, minutes = clock.split(":")
    return time(int(hours) % 24, int(minutes))


def _local(day: date, at: time, zone: ZoneInfo) -> datetime:
    """``day`` at ``at`` in ``zone``, as UTC. A time a clock change skips (02:30 on the morning clocks go
    forward) comes out the same distance past the change (03:30), so a repeat is never lost."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def next_after(after: datetime, clock: str, days: tuple[int, ...], zone: ZoneInfo) -> datetime:
    """The first time strictly after ``after`` that is ``clock`` on one of ``days`` (UTC)."""
    at = _at(clock)
    local = after.astimezone(zone)
    for offset in range(8):
        day = local.date() + timedelta(days=offset)
        if day.weekday() not in days:
            continue
        moment = _local(day, at, zone)
        if moment > after:
            return moment
    raise ValueError("no weekday given")  # pragma: no cover - days is never empty here


def when_of(slots: Mapping[str, Any], now: datetime, zone: ZoneInfo) -> When:
    """When a frame with these time slots runs, said at ``now``; :class:`ScheduleError` if it cannot."""
    delay = slots.get("delay_seconds")
    if isinstance(delay, int | float) and not isinstance(delay, bool):
        if delay <= 0:
            raise ScheduleError("past", "이미 지난 시간이에요.", "That time has already passed.")
        first = now + timedelta(seconds=float(delay))
        if first - now > MAX_AHEAD:
            raise ScheduleError("too_far", "1년 넘게 뒤의 일은 예약할 수 없어요.",
                                "I can only schedule up to a year ahead.")
        return When(first.astimezone(UTC))
    clock = slots.get("at")
    repeat = slots.get("repeat")
    if repeat is not None:
        try:
            days = parse_days(str(repeat))
        except ValueError:
            raise ScheduleError("bad_time", "언제 반복할지 알아듣지 못했어요.",
                                "I didn't catch when to repeat it.") from None
        if not isinstance(clock, str):
            raise ScheduleError("no_clock", "몇 시에 할지 말씀해 주세요.", "At what time?")
        return When(next_after(now, clock, days, zone), clock, days)
    local_now = now.astimezone(zone)
    day: date | None = None
    if slots.get("date") is not None:
        try:
            month, dom = (int(x) for x in str(slots["date"]).split("-"))
            day = date(local_now.year, month, dom)
        except ValueError:
            raise ScheduleError("bad_date", "그런 날짜는 없어요.", "That date doesn't exist.") from None
        if day < local_now.date():
            try:
                day = day.replace(year=day.year + 1)  # 1월 3일 said in November: next year's
            except ValueError:  # 2월 29일 of a year without one
                raise ScheduleError("bad_date", "그런 날짜는 없어요.", "That date doesn't exist.") from None
    elif slots.get("day") is not None:
        offsets = {"today": 0, "tomorrow": 1, "day_after_tomorrow": 2}
        name = str(slots["day"])
        if name in WEEKDAYS:  # 월요일에: the coming one (today's if its time is still ahead)
            weekday = WEEKDAYS.index(name)
            offset = (weekday - local_now.weekday()) % 7
            if offset == 0 and isinstance(clock, str) and _local(local_now.date(), _at(clock), zone) <= now:
                offset = 7
            day = local_now.date() + timedelta(days=offset)
        elif name in offsets:
            day = local_now.date() + timedelta(days=offsets[name])
        else:
            raise ScheduleError("bad_date", "언제인지 알아듣지 못했어요.", "I didn't catch which day.")
    if not isinstance(clock, str):
        if day is None:
            raise ScheduleError("no_clock", "몇 시에 할지 말씀해 주세요.", "At what time?")
        clock = "09:00" if day != local_now.date() else None  # 내일 켜 줘: in the morning
        if clock is None:
            raise ScheduleError("no_clock", "몇 시에 할지 말씀해 주세요.", "At what time?")
    at = _at(clock)
    halves = [at]
    if slots.get("at_12h") and at.hour < 12:
        halves.append(time(at.hour + 12, at.minute))
    if day is None:
        candidates = [next_after(now, f"{t.hour:02d}:{t.minute:02d}", REPEATS["daily"], zone)
                      for t in halves]
        return When(min(candidates))
    if len(halves) == 2 and 1 <= at.hour <= 6:
        halves.reverse()  # 내일 세 시에: an hour of 1–6 on a named day is the afternoon's
    moments = [_local(day, t, zone) for t in halves]
    future = [m for m in moments if m > now]
    if not future:
        raise ScheduleError("past", "이미 지난 시간이에요. 다른 시간을 말씀해 주세요.",
                            "That time has already passed; pick another.")
    first = future[0]
    if first - now > MAX_AHEAD:
        raise ScheduleError("too_far", "1년 넘게 뒤의 일은 예약할 수 없어요.",
                            "I can only schedule up to a year ahead.")
    return When(first)


def _days_ahead(when: datetime, now: datetime, zone: ZoneInfo) -> tuple[datetime, int]:
    """``when`` in ``zone`` and how many calendar days after today it falls there."""
    local = when.astimezone(zone)
    return local, (local.date() - now.astimezone(zone).date()).days


def describe_ko(when: datetime, now: datetime, zone: ZoneInfo) -> str:
    """A moment said in Korean relative to now: ``오늘 오후 6시``, ``내일 오전 7시 30분``, ``12월 3일 …``."""
    local, ahead = _days_ahead(when, now, zone)
    day = {0: "오늘", 1: "내일", 2: "모레"}.get(ahead, f"{local.month}월 {local.day}일")
    return f"{day} {clock_ko(local.hour, local.minute)}"


def clock_ko(hour: int, minute: int) -> str:
    """``오후 6시``, ``오전 7시 30분``; midnight is ``오전 12시``."""
    half = "오전" if hour < 12 else "오후"
    h12 = hour % 12 or 12
    text = f"{half} {h12}시"
    return text + (f" {minute}분" if minute else "")


def describe_en(when: datetime, now: datetime, zone: ZoneInfo) -> str:
    """A moment as said in English: ``today at 6:00 PM``, ``tomorrow at 7:30 AM``, ``on Dec 3 at 9:00 AM``."""
    local, ahead = _days_ahead(when, now, zone)
    day = {0: "today", 1: "tomorrow"}.get(ahead, f"on {local.strftime('%b')} {local.day}")
    return f"{day} at {clock_en(local.hour, local.minute)}"


def clock_en(hour: int, minute: int) -> str:
    """``6:00 PM``."""
    return f"{hour % 12 or 12}:{minute:02d} {'AM' if hour < 12 else 'PM'}"


def repeat_ko(days: tuple[int, ...]) -> str:
    """``매일``, ``평일``, ``주말``, ``월·수요일``."""
    for name, ko in (("daily", "매일"), ("weekdays", "평일"), ("weekends", "주말")):
        if days == REPEATS[name]:
            return ko
    return "·".join("월화수목금토일"[d] for d in days) + "요일"


def repeat_en(days: tuple[int, ...]) -> str:
    """``every day``, ``on weekdays``, ``on weekends``, ``on Mon, Wed``."""
    for name, en in (("daily", "every day"), ("weekdays", "on weekdays"), ("weekends", "on weekends")):
        if days == REPEATS[name]:
            return en
    return "on " + ", ".join(WEEKDAYS[d].capitalize() for d in days)
