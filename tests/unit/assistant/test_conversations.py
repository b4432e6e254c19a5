"""Scripted multi-turn conversations against the virtual demo home, with a manual clock and a real store.

Each conversation in ``conversations.yaml`` is a list of steps run in order:

- ``say``: what is said (``conv`` the conversation id, default ``c1``; ``area`` the speaker's area;
  ``user``), then any of ``reply`` (the exact reply), ``has`` / ``lacks`` (substrings), ``outcome``;
- ``state``: ``{device_id: {attribute: value}}`` that must hold now;
- ``advance``: seconds for the clock to move on (schedules that come due are run, as the server does);
- ``reading``: ``{device_id: {attribute: value}}`` reported by the devices now (a sensor's new reading);
  conditions that cross are run, as the server does;
- ``restart``: stop everything and start again on the same database, as after a power cut;
- ``fired``: substrings the replies of schedules run by the last ``advance`` or ``restart`` must contain
  (``[]`` means none ran);
- ``history``: ``{"count": n, "last_outcome": …}`` of the request log.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from jipsa.adapters.virtual import VirtualAdapter
from jipsa.assistant import Assistant
from jipsa.assistant.assistant import Turn
from jipsa.core import Home, ManualClock, parse_home
from jipsa.core.messages import StateReport
from jipsa.hub import Hub
from jipsa.store import SqlStore

SCRIPT = yaml.safe_load((Path(__file__).parent / "conversations.yaml").read_text(encoding="utf-8"))
START = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)  # Wednesday 14:00 in Seoul


class World:
    """A home that can be stopped and started again on the same database."""

    def __init__(self, home: Home, clock: ManualClock, db: Path, lock_pin: str | None) -> None:
        self.home, self.clock, self.db, self.lock_pin = home, clock, db, lock_pin
        self.store: SqlStore | None = None
        self.hub: Hub | None = None
        self.assistant: Assistant | None = None
        self.fired: list[Turn] = []

    async def start(self) -> None:
        self.store = SqlStore.sqlite(self.db, clock=self.clock)
        adapter = VirtualAdapter(
            home=self.home,
            clock=self.clock,
            states=self.store.load_states(),
            since=self.store.last_update(),
            tick=3600,
        )
        self.hub = Hub(self.home, links={"virtual": adapter}, clock=self.clock, store=self.store)
        await self.hub.__aenter__()
        self.assistant = Assistant(self.hub, records=self.store, lock_pin=self.lock_pin)
        self.fired = await self.assistant.run_due()

    async def stop(self) -> None:
        assert self.hub is not None and self.store is not None
        await self.hub.__aexit__(None, None, None)
        self.store.close()

    async def advance(self, seconds: float) -> None:
        assert self.assistant is not None
        self.fired = []
        remaining = float(seconds)
        while remaining > 0:  # a minute at a time, as the server's loop would notice
            step = min(60.0, remaining)
            self.clock.advance(step)
            remaining -= step
            self.fired += await self.assistant.run_due()


ENGLISH_HOME = Path(__file__).parents[2] / "nlu" / "homes" / "english_home.yaml"


@pytest.fixture
async def world(demo_home: Home, tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[World]:
    script = request.node.callspec.params["script"]
    english = script.get("home") == "english"
    home = parse_home(ENGLISH_HOME.read_text(encoding="utf-8")) if english else demo_home
    built = World(home, ManualClock(START), tmp_path / "home.db", script.get("lock_pin"))
    await built.start()
    yield built
    await built.stop()


@pytest.mark.parametrize("script", SCRIPT["conversations"], ids=[c["name"] for c in SCRIPT["conversations"]])
async def test_conversation(world: World, script: dict[str, Any]) -> None:
    for number, step in enumerate(script["steps"], 1):
        where = f"step {number} of {script['name']!r}: {step}"
        assistant = world.assistant
        assert assistant is not None and world.hub is not None and world.store is not None
        if "say" in step:
            turn = await assistant.handle(
                str(step["say"]),
                conversation_id=step.get("conv", "c1"),
                area=step.get("area"),
                user=step.get("user"),
            )
            if "reply" in step:
                assert turn.reply == step["reply"], where
            for part in step.get("has", []):
                assert part in turn.reply, f"{where}\n  reply: {turn.reply}"
            for part in step.get("lacks", []):
                assert part not in turn.reply, f"{where}\n  reply: {turn.reply}"
            if "outcome" in step:
                assert turn.outcome == step["outcome"], f"{where}\n  reply: {turn.reply} ({turn.outcome})"
        if "reading" in step:
            for device_id, values in step["reading"].items():
                world.hub.ingest(StateReport(device_id, values))
            world.fired = await assistant.run_due()
        if "advance" in step:
            await world.advance(step["advance"])
        if step.get("restart"):
            await world.stop()
            await world.start()
        if "fired" in step:
            replies = [t.reply for t in world.fired]
            if not step["fired"]:
                assert replies == [], where
            for part in step["fired"]:
                assert any(part in r for r in replies), f"{where}\n  fired: {replies}"
            if "fired_count" in step:
                assert len(replies) == step["fired_count"], f"{where}\n  fired: {replies}"
        for device_id, expected in step.get("state", {}).items():
            state = world.hub.state(device_id)
            for key, value in expected.items():
                attribute = "on" if key is True else str(key)  # YAML 1.1 reads the key `on` as true
                assert state.get(attribute) == value, (
                    f"{where}\n  {device_id}.{attribute} = {state.get(attribute)}"
                )
        if "history" in step:
            world.hub.flush()  # request records are written behind
            records = world.store.requests(limit=1000)
            if "count" in step["history"]:
                assert len(records) == step["history"]["count"], where
            if "last_outcome" in step["history"]:
                assert records[0].outcome == step["history"]["last_outcome"], where
            if "last_commands" in step["history"]:
                assert [c["command"] for c in records[0].commands] == step["history"]["last_commands"], where
