"""Commands, state reports and events: frozen values that convert to and from plain data."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jipsa.core import Command, Event, EventType, StateReport

SEOUL = timezone(timedelta(hours=9))
_json_value = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=10),
                        st.floats(allow_nan=False, allow_infinity=False))


@given(st.sampled_from(EventType),
       st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                    timezones=st.sampled_from([UTC, SEOUL])),
       st.one_of(st.none(), st.text(min_size=1, max_size=20)),
       st.dictionaries(st.text(max_size=10), _json_value, max_size=5))
def test_event_round_trips_through_json(event_type: EventType, at: datetime, device_id: str | None,
                                        data: dict[str, object]) -> None:
    event = Event(event_type, at, device_id, data)
    wire = json.loads(json.dumps(event.to_dict()))
    again = Event.from_dict(wire)
    assert again == event
    assert again.at.utcoffset() == at.utcoffset()
    assert again.to_dict() == event.to_dict()


def test_event_wire_form() -> None:
    at = datetime(2026, 7, 1, 9, 30, tzinfo=SEOUL)
    event = Event(EventType.STATE_CHANGED, at, "light.living_room", {"on": True})
    assert event.to_dict() == {"type": "state_changed", "at": "2026-07-01T09:30:00+09:00",
                               "device_id": "light.living_room", "data": {"on": True}}


def test_event_refuses_naive_time() -> None:
    with pytest.raises(ValueError, match="time-zone aware"):
        Event(EventType.COMMAND_DONE, datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="time-zone aware"):
        Event.from_dict({"type": "command_done", "at": "2026-01-01T00:00:00"})


@pytest.mark.parametrize("wire", [
    {},
    {"type": "state_changed"},
    {"at": "2026-01-01T00:00:00+00:00"},
    {"type": "exploded", "at": "2026-01-01T00:00:00+00:00"},
    {"type": "state_changed", "at": "yesterday"},
    {"type": "state_changed", "at": 12},
    {"type": "state_changed", "at": "2026-01-01T00:00:00+00:00", "data": "on"},
    {"type": "state_changed", "at": "2026-01-01T00:00:00+00:00", "data": [1, 2]},
])
def test_malformed_events_raise_value_error(wire: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Event.from_dict(wire)


def test_event_data_is_frozen_and_copied() -> None:
    data = {"on": True}
    event = Event(EventType.STATE_CHANGED, datetime(2026, 1, 1, tzinfo=UTC), "x", data)
    data["on"] = False
    assert event.data == {"on": True}
    with pytest.raises(TypeError):
        event.data["on"] = False  # type: ignore[index]


def test_command_to_dict_and_frozen_args() -> None:
    args = {"temperature": 24.0}
    cmd = Command("climate.living_room", "target_temperature", "set_temperature", args)
    args["temperature"] = 5.0
    assert cmd.to_dict() == {"device_id": "climate.living_room", "capability": "target_temperature",
                             "command": "set_temperature", "args": {"temperature": 24.0}}
    with pytest.raises(TypeError):
        cmd.args["temperature"] = 1  # type: ignore[index]


def test_state_report_values_are_frozen() -> None:
    report = StateReport("light.kitchen", {"on": True}, available=True)
    assert report.values == {"on": True}
    with pytest.raises(TypeError):
        report.values["on"] = False  # type: ignore[index]
    assert StateReport("x").available is None


def test_event_types_are_stable_wire_strings() -> None:
    assert {t.value for t in EventType} == {
        "state_changed", "availability_changed", "command_done", "command_failed", "device_added",
        "device_removed"}
