"""The assistant end to end on the virtual demo home: acting, replying, confirming, following up."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from jipsa.adapters.virtual import VirtualAdapter
from jipsa.assistant import Assistant
from jipsa.core import Home, ManualClock, StateReport
from jipsa.hub import Hub
from jipsa.store import SqlStore


@pytest.fixture
def records(clock: ManualClock) -> Iterator[SqlStore]:
    """An in-memory store for the assistant's history, schedules and routines."""
    with SqlStore("sqlite://", clock=clock) as store:
        yield store


@pytest.fixture
async def hub(demo_home: Home, clock: ManualClock, records: SqlStore) -> AsyncIterator[Hub]:
    # After ``records``: the hub writes the assistant's records behind, up to when it stops.
    adapter = VirtualAdapter(home=demo_home, clock=clock, tick=3600)
    async with Hub(demo_home, links={"virtual": adapter}, clock=clock) as running:
        yield running


async def test_compound_request_acts_and_replies(demo_home: Home, hub: Hub, records: SqlStore) -> None:
    assistant = Assistant(hub, records=records)
    turn = await assistant.handle("거실 에어컨 24도로 켜 줘")
    assert hub.state("climate.living_room")["on"] is True
    assert hub.state("climate.living_room")["target_temperature"] == 24
    assert turn.reply == "거실 에어컨을 켜고 온도를 24도로 맞췄어요."


async def test_follow_up_uses_the_device_just_talked_about(
        demo_home: Home, hub: Hub, records: SqlStore,
) -> None:
    assistant = Assistant(hub, records=records)
    await assistant.handle("안방 에어컨 25도로 켜 줘", conversation_id="a")
    turn = await assistant.handle("좀 더 시원하게", conversation_id="a")
    assert hub.state("climate.master_bedroom")["target_temperature"] == 24
    assert "안방 에어컨" in turn.reply
    other = await assistant.handle("좀 더 시원하게", conversation_id="b")
    assert not other.actions and "어느" in other.reply


async def test_sensitive_action_waits_for_yes(
        demo_home: Home, hub: Hub, clock: ManualClock, records: SqlStore,
) -> None:
    assistant = Assistant(hub, records=records)
    ask = await assistant.handle("가스 밸브 열어 줘")
    assert ask.awaiting_confirmation and not ask.actions
    await assistant.handle("가스 밸브 잠가", conversation_id="x")
    refused = await assistant.handle("아니")
    assert not refused.actions
    assert hub.state("valve.gas")["valve_open"] is False
    await assistant.handle("가스 밸브 열어 줘")
    clock.advance(120)  # the question has expired
    late = await assistant.handle("응")
    assert not late.actions and hub.state("valve.gas")["valve_open"] is False
    await assistant.handle("가스 밸브 열어 줘")
    done = await assistant.handle("응")
    assert [a.command.command for a in done.actions] == ["open_valve"]
    assert hub.state("valve.gas")["valve_open"] is True


async def test_confirmation_from_another_conversation_does_nothing(
        demo_home: Home, hub: Hub, records: SqlStore,
) -> None:
    assistant = Assistant(hub, records=records)
    await assistant.handle("현관문 열어 줘", conversation_id="kitchen")
    other = await assistant.handle("응", conversation_id="bedroom")
    assert not other.actions
    assert hub.state("lock.front_door")["locked"] is True


async def test_partial_failure_is_told(demo_home: Home, hub: Hub, records: SqlStore) -> None:
    assistant = Assistant(hub, records=records)
    hub.ingest(StateReport("climate.living_room", available=False))
    turn = await assistant.handle("거실 불 켜고 거실 에어컨 켜 줘")
    assert hub.state("light.living_room")["on"] is True
    assert "거실 조명을 켰어요." in turn.reply and "거실 에어컨이 응답이 없어요." in turn.reply


async def test_question_and_out_of_range_and_out_of_domain(
        demo_home: Home, hub: Hub, records: SqlStore,
) -> None:
    assistant = Assistant(hub, records=records)
    await assistant.handle("세탁기 돌려 줘")
    assert "분 남았어요" in (await assistant.handle("세탁기 언제 끝나?")).reply
    rejected = await assistant.handle("거실 조명 밝기 140%로")
    assert "1–100 %" in rejected.reply and not rejected.actions
    weather = await assistant.handle("내일 날씨 어때?")
    assert not weather.parse.ok and not weather.actions


async def test_timed_request_is_not_done_now(demo_home: Home, hub: Hub, records: SqlStore) -> None:
    assistant = Assistant(hub, records=records)
    await assistant.handle("티비 켜 줘")
    turn = await assistant.handle("30분 뒤에 TV 꺼 줘")
    assert not turn.actions and hub.state("tv.living_room")["on"] is True


async def test_routine_reports_what_it_did(demo_home: Home, hub: Hub, records: SqlStore) -> None:
    assistant = Assistant(hub, records=records)
    turn = await assistant.handle("외출 모드")
    assert turn.reply.startswith("외출 모드를 실행할게요.")
    assert hub.state("valve.gas")["valve_open"] is False
    assert hub.state("vacuum.home")["vacuum_state"] == "cleaning"


async def test_english_home_replies_in_english(clock: ManualClock, records: SqlStore) -> None:
    from pathlib import Path

    from jipsa.core import parse_home

    path = Path(__file__).parents[2] / "nlu" / "homes" / "english_home.yaml"
    home = parse_home(path.read_text(encoding="utf-8"), str(path))
    adapter = VirtualAdapter(home=home, clock=clock, tick=3600)
    async with Hub(home, links={"virtual": adapter}, clock=clock) as hub:
        assistant = Assistant(hub, records=records)
        turn = await assistant.handle("turn on the kitchen lights please")
        assert turn.actions and all(a.ok for a in turn.actions)
        assert turn.reply.startswith("Turned on the ")
        weather = await assistant.handle("what's the weather like tomorrow")
        assert weather.reply.startswith("Sorry")


async def test_something_named_with_nothing_asked_is_asked_about(
        demo_home: Home, hub: Hub, records: SqlStore,
) -> None:
    assistant = Assistant(hub, records=records)
    ask = await assistant.handle("거실 불 좀", conversation_id="w")
    assert ask.asking and not ask.actions and "어떻게 할까요" in ask.reply
    turn = await assistant.handle("켜 줘", conversation_id="w")
    assert hub.state("light.living_room")["on"] is True
    assert "거실" in turn.reply
    again = await assistant.handle("켜 줘", conversation_id="w")
    assert not again.actions  # the answer was heard once; a bare 켜 줘 again names nothing
