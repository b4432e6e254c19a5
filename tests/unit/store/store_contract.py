"""What every ``Store`` must do, whatever database is behind it.

A test module subclasses :class:`StoreContract` and provides an ``open_store`` fixture: a callable
that opens a store on the same database each time it is called (so reopening finds what was written)
and closes whatever it opened when the test ends. SQLite runs it in ``tests/unit/store``, PostgreSQL
in ``tests/integration/store``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest

from jipsa.core.capabilities import Value
from jipsa.core.devices import Routine, RoutineAction
from jipsa.core.history import RequestRecord
from jipsa.core.homefile import parse_home
from jipsa.core.messages import Event, EventType
from jipsa.hub.ports import Store
from jipsa.store import SqlStore

OpenStore = Callable[[], SqlStore]

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
KST = timezone(timedelta(hours=9))

HOME_SOURCE = """\
home: {name: 우리집, language: ko}
areas:
  - {id: living_room, name: 거실, aliases: [리빙룸]}
devices:
  - id: light.living_room
    name: 거실 조명
    aliases: [거실 불, 큰 불]
    area: living_room
    type: light
    state: {on: false, brightness: 80}
"""


def _event(n: int, device_id: str | None = "light.living_room",
           type_: EventType = EventType.STATE_CHANGED) -> Event:
    return Event(type=type_, at=T0 + timedelta(seconds=n), device_id=device_id,
                 data={"n": n, "values": {"on": n % 2 == 0, "brightness": n}, "note": "거실"})


class StoreContract:
    """Round trips every store passes; subclasses provide ``open_store``."""

    @pytest.fixture
    def store(self, open_store: OpenStore) -> SqlStore:
        return open_store()

    # -- the port ---------------------------------------------------------------------------------

    def test_is_a_store(self, store: SqlStore) -> None:
        port: Store = store  # mypy checks the protocol; the loop checks it at run time
        for name in ("save_home", "load_home_source", "save_states", "save_availability", "load_states",
                     "load_availability", "last_update", "append_events", "events", "close"):
            assert callable(getattr(port, name))

    def test_a_new_store_is_empty(self, store: SqlStore) -> None:
        assert store.load_home_source() is None
        assert store.load_states() == {}
        assert store.load_availability() == {}
        assert store.last_update() is None
        assert store.events() == []

    # -- home ------------------------------------------------------------------------------------

    def test_home_source_round_trips_and_is_replaced(self, store: SqlStore) -> None:
        source = HOME_SOURCE
        home = parse_home(source)
        store.save_home(home, source)
        assert store.load_home_source() == source
        store.save_home(home, source + "\n# edited\n")
        assert store.load_home_source() == source + "\n# edited\n"

    # -- state -----------------------------------------------------------------------------------

    @pytest.mark.parametrize("value", [True, False, 0, 1, -7, 2**53 + 1, 0.0, 1.0, -0.5, 24.5, 1e300,
                                       float("inf"), "", "1", "true", "cool", "냉방 모드", None])
    def test_values_keep_their_type(self, store: SqlStore, value: Value) -> None:
        store.save_states({"ac.living_room": {"x": value}}, T0)
        back = store.load_states()["ac.living_room"]["x"]
        assert type(back) is type(value)
        assert back == value

    def test_states_merge_per_attribute(self, store: SqlStore) -> None:
        store.save_states({"light.a": {"on": True, "brightness": 80}, "ac.b": {"mode": "cool"}}, T0)
        store.save_states({"light.a": {"brightness": 50}, "sensor.c": {"temperature": 21.5}},
                          T0 + timedelta(seconds=1))
        assert store.load_states() == {
            "light.a": {"on": True, "brightness": 50},
            "ac.b": {"mode": "cool"},
            "sensor.c": {"temperature": 21.5},
        }

    def test_a_value_can_become_none_and_back(self, store: SqlStore) -> None:
        store.save_states({"tv": {"channel": 7}}, T0)
        store.save_states({"tv": {"channel": None}}, T0)
        assert store.load_states() == {"tv": {"channel": None}}
        store.save_states({"tv": {"channel": "KBS"}}, T0)
        assert store.load_states() == {"tv": {"channel": "KBS"}}

    def test_many_devices_at_once(self, store: SqlStore) -> None:
        states: dict[str, dict[str, Value]] = {
            f"light.{i:04d}": {"on": i % 2 == 0, "brightness": i % 101, "color_temp": 2700.0 + i}
            for i in range(2000)}
        store.save_states(states, T0)
        assert store.load_states() == states

    def test_saving_nothing_writes_nothing(self, store: SqlStore) -> None:
        store.save_states({}, T0)
        store.save_states({"light.a": {}}, T0)
        store.append_events([])
        assert store.load_states() == {}
        assert store.last_update() is None
        assert store.events() == []

    def test_last_update_is_the_latest_time_in_utc(self, store: SqlStore) -> None:
        later = datetime(2025, 3, 1, 20, 30, 15, 123456, tzinfo=KST)  # 11:30:15 UTC
        store.save_states({"light.a": {"on": True}}, T0)
        store.save_states({"light.b": {"on": True}}, later)
        last = store.last_update()
        assert last == later
        assert last is not None and last.utcoffset() == timedelta(0)
        store.save_availability("light.c", True, later + timedelta(minutes=1))
        assert store.last_update() == later + timedelta(minutes=1)

    def test_misuse_raises_builtins_and_writes_nothing(self, store: SqlStore) -> None:
        with pytest.raises(ValueError, match="time-zone aware"):
            store.save_states({"light.a": {"on": True}}, datetime(2025, 3, 1, 9, 0))
        with pytest.raises(ValueError, match="time-zone aware"):
            store.save_availability("light.a", True, datetime(2025, 3, 1, 9, 0))
        with pytest.raises(TypeError, match="not a state value"):
            store.save_states({"light.a": {"on": True, "rgb": [1, 2, 3]}}, T0)  # type: ignore[dict-item]
        with pytest.raises(TypeError, match="not JSON serializable"):
            store.append_events([_event(1), Event(type=EventType.COMMAND_DONE, at=T0, data={"at": T0})])
        with pytest.raises(ValueError, match="limit"):
            store.events(limit=-1)
        with pytest.raises(ValueError, match="keep"):
            store.prune_events(-1)
        assert store.load_states() == {}
        assert store.load_availability() == {}
        assert store.events() == []

    # -- availability ----------------------------------------------------------------------------

    def test_availability_round_trips_and_is_replaced(self, store: SqlStore) -> None:
        store.save_availability("light.a", True, T0)
        store.save_availability("light.b", False, T0)
        assert store.load_availability() == {"light.a": True, "light.b": False}
        store.save_availability("light.a", False, T0 + timedelta(seconds=5))
        assert store.load_availability() == {"light.a": False, "light.b": False}
        assert all(type(v) is bool for v in store.load_availability().values())

    # -- events ----------------------------------------------------------------------------------

    def test_events_round_trip_newest_first(self, store: SqlStore) -> None:
        written = [_event(0), _event(1, None, EventType.DEVICE_ADDED),
                   Event(type=EventType.COMMAND_FAILED, at=datetime(2025, 3, 1, 18, 0, tzinfo=KST),
                         device_id="ac.living_room",
                         data={"command": "set_temperature", "args": {"temperature": 35},
                               "error": "18–30 °C", "retry": None, "ok": False})]
        store.append_events(written)
        listed = store.events()
        assert [event for _, event in listed] == written[::-1]
        ids = [event_id for event_id, _ in listed]
        assert ids == sorted(ids, reverse=True) and len(set(ids)) == 3
        assert listed[0][1].at.utcoffset() == timedelta(0)

    def test_every_event_type_round_trips(self, store: SqlStore) -> None:
        written = [_event(i, type_=t) for i, t in enumerate(EventType)]
        store.append_events(written)
        assert [event for _, event in reversed(store.events())] == written

    def test_events_page_backwards(self, store: SqlStore) -> None:
        store.append_events([_event(n) for n in range(25)])
        pages: list[list[int]] = []
        before: int | None = None
        while page := store.events(limit=10, before_id=before):
            pages.append([event.data["n"] for _, event in page])
            before = page[-1][0]
        assert [len(p) for p in pages] == [10, 10, 5]
        assert [n for p in pages for n in p] == list(range(24, -1, -1))

    def test_events_of_one_device(self, store: SqlStore) -> None:
        store.append_events([_event(n, "light.a" if n % 3 == 0 else "light.b") for n in range(30)])
        store.append_events([_event(100, None)])
        mine = store.events(device_id="light.a", limit=4)
        assert [e.data["n"] for _, e in mine] == [27, 24, 21, 18]
        older = store.events(device_id="light.a", limit=100, before_id=mine[-1][0])
        assert [e.data["n"] for _, e in older] == [15, 12, 9, 6, 3, 0]
        assert store.events(device_id="nobody") == []
        assert store.events(limit=0) == []
        assert store.events(limit=1)[0][1].device_id is None

    def test_appends_keep_their_order_across_calls(self, store: SqlStore) -> None:
        for n in range(5):
            store.append_events([_event(2 * n), _event(2 * n + 1)])
        assert [e.data["n"] for _, e in store.events()] == list(range(9, -1, -1))

    def test_prune_keeps_the_newest(self, store: SqlStore) -> None:
        store.append_events([_event(n) for n in range(10)])
        assert store.prune_events(3) == 7
        assert [e.data["n"] for _, e in store.events()] == [9, 8, 7]
        assert store.prune_events(3) == 0
        assert store.prune_events(100) == 0

    def test_prune_everything_never_reuses_ids(self, store: SqlStore) -> None:
        store.append_events([_event(n) for n in range(5)])
        highest = store.events(limit=1)[0][0]
        assert store.prune_events(0) == 5
        assert store.events() == []
        store.append_events([_event(5)])
        assert store.events()[0][0] > highest

    # -- lifetime --------------------------------------------------------------------------------

    def test_everything_survives_reopening(self, open_store: OpenStore) -> None:
        first = open_store()
        first.save_home(parse_home("home: {name: 우리집}\n"), "home: {name: 우리집}\n")
        first.save_states({"light.a": {"on": True, "brightness": 42, "level": 0.5, "mode": "밤"}}, T0)
        first.save_availability("light.a", False, T0)
        first.append_events([_event(n) for n in range(3)])
        listed = first.events()
        first.close()

        again = open_store()
        assert again.load_home_source() == "home: {name: 우리집}\n"
        assert again.load_states() == {"light.a": {"on": True, "brightness": 42, "level": 0.5, "mode": "밤"}}
        assert again.load_availability() == {"light.a": False}
        assert again.last_update() == T0
        assert again.events() == listed
        again.append_events([_event(3)])
        assert again.events(limit=1)[0][0] > listed[0][0]

    def test_a_closed_store_refuses_work(self, store: SqlStore) -> None:
        store.close()
        store.close()
        with pytest.raises(RuntimeError, match="closed"):
            store.load_states()

    def test_threads_share_one_store(self, store: SqlStore) -> None:
        def work(worker: int) -> None:
            for n in range(20):
                store.save_states({f"dev.{worker}": {"n": n}}, T0)
                store.append_events([_event(n, f"dev.{worker}")])

        threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert store.load_states() == {f"dev.{w}": {"n": 19} for w in range(4)}
        assert len(store.events(limit=1000)) == 80

    # -- version 2: requests, schedules, routines made by voice ---------------------------------------

    def test_requests_round_trip_newest_first(self, store: SqlStore) -> None:
        first = RequestRecord(at=T0, text="거실 불 켜 줘", reply="거실 조명을 켰어요.", outcome="done",
                              conversation_id="kitchen", user="mom",
                              frames=({"intent": "HassTurnOn", "targets": ["light.living_room"]},),
                              commands=({"device_id": "light.living_room", "command": "turn_on",
                                         "args": {}, "error": None},))
        second = RequestRecord(at=T0 + timedelta(seconds=5), text="날씨 어때", reply="…",
                               outcome="not_understood", conversation_id="bedroom")
        ids = [store.add_request(first), store.add_request(second)]
        got = store.requests()
        assert [r.id for r in got] == ids[::-1]
        assert got[1].frames == first.frames and got[1].commands == first.commands
        assert got[1].user == "mom" and got[1].at == T0
        assert [r.text for r in store.requests(conversation_id="kitchen")] == ["거실 불 켜 줘"]
        assert [r.id for r in store.requests(before_id=ids[1])] == [ids[0]]

    def test_a_schedule_is_claimed_once(self, open_store: OpenStore) -> None:
        store = open_store()
        due = T0 + timedelta(minutes=30)
        made = store.add_schedule(text="30분 뒤에 TV 꺼 줘", frames=[{"intent": "HassTurnOff"}],
                                  next_at=due, created_at=T0, conversation_id="c")
        assert [s.id for s in store.schedules()] == [made.id]
        assert store.claim_schedule(made.id, due, next_at=None, status="done", ran_at=due)
        assert not store.claim_schedule(made.id, due, next_at=None, status="done", ran_at=due)
        assert store.schedules() == []
        (done,) = store.schedules(status="done")
        assert done.last_run_at == due and done.next_at is None
        assert done.frames == ({"intent": "HassTurnOff"},)

    def test_a_condition_is_disarmed_and_rearmed_once_each(self, store: SqlStore) -> None:
        condition = {"attribute": "temperature", "op": ">", "value": 28, "devices": ["sensor.t"]}
        made = store.add_schedule(text="28도 넘으면 에어컨 켜 줘", frames=[], next_at=T0, created_at=T0,
                                  meta={"condition": condition})
        fired = T0 + timedelta(minutes=5)
        assert store.claim_schedule(made.id, T0, next_at=None, status="active", ran_at=fired)
        assert not store.claim_schedule(made.id, T0, next_at=None, status="active", ran_at=fired)
        (waiting,) = store.schedules()
        assert waiting.next_at is None and waiting.last_run_at == fired
        assert waiting.condition is not None and waiting.condition.value == 28
        back = fired + timedelta(minutes=30)
        assert store.claim_schedule(made.id, None, next_at=back, status="active", ran_at=None)
        assert not store.claim_schedule(made.id, None, next_at=back, status="active", ran_at=None)
        (armed,) = store.schedules()
        assert armed.next_at == back and armed.last_run_at == fired

    def test_a_repeat_moves_on_and_can_be_cancelled(self, store: SqlStore) -> None:
        due = T0 + timedelta(hours=1)
        made = store.add_schedule(text="매일 7시에 불 켜 줘", frames=[], next_at=due, created_at=T0,
                                  clock="07:00", days=(0, 1, 2, 3, 4, 5, 6), meta={"area": "living_room"})
        later = due + timedelta(days=1)
        assert store.claim_schedule(made.id, due, next_at=later, status="active", ran_at=due)
        (moved,) = store.schedules()
        assert moved.next_at == later and moved.days == (0, 1, 2, 3, 4, 5, 6) and moved.clock == "07:00"
        assert moved.meta == {"area": "living_room"} and moved.repeats
        assert not store.claim_schedule(made.id, due, next_at=later, status="active", ran_at=due)
        assert store.cancel_schedule(made.id)
        assert not store.cancel_schedule(made.id)
        assert store.schedules() == [] and store.schedules(status="cancelled")[0].id == made.id

    def test_routines_made_by_voice_round_trip(self, store: SqlStore) -> None:
        routine = Routine("user_sleep", "취침 모드", ("잘 자",),
                          (RoutineAction("light.living_room", "turn_off"),
                           RoutineAction("climate.living_room", "set_temperature", {"temperature": 26})))
        store.save_routine(routine, T0)
        assert store.routines() == [routine]
        store.save_routine(Routine("user_sleep", "취침 모드"), T0)
        assert store.routines() == [Routine("user_sleep", "취침 모드")]
