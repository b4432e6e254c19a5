"""Commands through the API: what they change, what they refuse, who may send the sensitive ones, and
the audit log that records every one of them with who sent it and how."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from tests.integration.api.conftest import Served, eventually, problem

COMMANDS = [
    ("light.living_room", "turn_on", {}, {"on": True}),
    ("light.living_room", "set_brightness", {"brightness": 30}, {"brightness": 30}),
    ("climate.living_room", "set_temperature", {"temperature": 20}, {"target_temperature": 20}),
    ("tv.living_room", "set_volume", {"volume": 7}, {"volume": 7}),
    ("valve.gas", "close_valve", {}, {"valve_open": False}),
    ("tv.living_room", "mute", {}, {"muted": True}),
]


async def history_of(client: httpx.AsyncClient, device_id: str) -> list[dict[str, Any]]:
    answer = await client.get("/api/homes/a/history", params={"device": device_id})
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


@pytest.mark.parametrize(("device_id", "command", "args", "changes"), COMMANDS,
                         ids=[f"{d}.{c}" for d, c, _a, _s in COMMANDS])
async def test_a_command_changes_the_state_and_is_told_as_an_event(
        served: Served, device_id: str, command: str, args: dict[str, Any], changes: dict[str, Any]) -> None:
    async with served.client("member") as client:
        answer = await client.post(f"/api/homes/a/devices/{device_id}/commands",
                                   json={"command": command, "args": args})
        assert answer.status_code == 200, answer.text
        result = answer.json()
        assert result["ok"] is True and result["confirmed"] is True
        assert result["command"]["device_id"] == device_id and result["command"]["command"] == command
        assert result["state"] | changes == result["state"]
        device = (await client.get(f"/api/homes/a/devices/{device_id}")).json()
        assert device["state"] | changes == device["state"]

        async def told() -> bool:
            events = await history_of(client, device_id)
            return any(e["type"] == "state_changed" and e["data"]["changes"].items() >= changes.items()
                       for e in events)

        await eventually(told)


@pytest.mark.parametrize(("device_id", "body", "reason", "allowed"), [
    ("climate.living_room", {"command": "set_temperature", "args": {"temperature": 35}}, "out_of_range",
     "18"),
    ("light.living_room", {"command": "set_brightness", "args": {"brightness": 101}}, "out_of_range", "100"),
    ("light.living_room", {"command": "set_brightness", "args": {"brightness": "bright"}}, None, None),
    ("climate.living_room", {"command": "set_fan_speed", "args": {"fan_speed": "hurricane"}}, None, "auto"),
    ("light.bathroom", {"command": "set_brightness", "args": {"brightness": 50}}, "unsupported_command",
     "turn_on"),
    ("light.living_room", {"command": "fly"}, "unsupported_command", "turn_on"),
    ("light.living_room", {"command": "set_brightness"}, None, "100"),
], ids=["too-hot", "too-bright", "not-a-number", "not-a-speed", "no-dimmer", "unknown-command", "no-args"])
async def test_a_command_the_device_cannot_take_is_rejected_with_what_it_allows(
        served: Served, device_id: str, body: dict[str, Any], reason: str | None, allowed: str | None
) -> None:
    async with served.client("owner") as client:
        before = (await client.get(f"/api/homes/a/devices/{device_id}")).json()["state"]
        found = problem(await client.post(f"/api/homes/a/devices/{device_id}/commands", json=body), 422,
                        "command-rejected")
        after = (await client.get(f"/api/homes/a/devices/{device_id}")).json()["state"]
    assert found["detail"] and found["message_ko"]
    if reason is not None:
        assert found["reason"] == reason
    if allowed is not None:
        assert allowed in found["allowed"]
    assert after == before


async def test_a_command_for_a_device_that_does_not_exist_is_404(served: Served) -> None:
    async with served.client("owner") as client:
        problem(await client.post("/api/homes/a/devices/light.garage/commands", json={"command": "turn_on"}),
                404, "not-found")
        problem(await client.get("/api/homes/a/devices/light.garage"), 404, "not-found")


SENSITIVE = [("lock.front_door", "unlock", "locked", True), ("valve.gas", "open_valve", "valve_open", False),
             ("vehicle.car", "start_engine", "engine_on", False), ("vehicle.car", "unlock", "locked", True)]


@pytest.mark.parametrize(("device_id", "command", "attribute", "value"), SENSITIVE,
                         ids=[f"{d}.{c}" for d, c, _a, _v in SENSITIVE])
async def test_a_guest_cannot_send_a_sensitive_command_and_nothing_moves(
        served: Served, device_id: str, command: str, attribute: str, value: bool) -> None:
    if device_id == "valve.gas":  # closed first, so that opening it would show
        async with served.client("owner") as owner:
            await owner.post("/api/homes/a/devices/valve.gas/commands", json={"command": "close_valve"})
    for guest in (served.client("guest"), served.web("guest")):
        async with guest as client:
            answer = await client.post(f"/api/homes/a/devices/{device_id}/commands",
                                       json={"command": command})
            problem(answer, 403, "forbidden")
            state = (await client.get(f"/api/homes/a/devices/{device_id}")).json()["state"]
            assert state[attribute] is value


@pytest.mark.parametrize("who", ["member", "owner"])
async def test_a_member_or_owner_can_unlock(served: Served, who: str) -> None:
    async with served.client(who) as client:
        answer = await client.post("/api/homes/a/devices/lock.front_door/commands",
                                   json={"command": "unlock"})
        assert answer.status_code == 200, answer.text
        assert answer.json()["state"]["locked"] is False


async def test_a_guest_asking_the_assistant_to_unlock_is_refused_without_a_question(served: Served) -> None:
    async with served.client("guest") as client:
        answer = await client.post("/api/conversation",
                                   json={"text": "현관문 열어 줘", "conversation_id": "door"})
        assert answer.status_code == 200, answer.text
        turn = answer.json()
        assert turn["outcome"] == "refused"
        assert turn["awaiting_confirmation"] is False
        assert turn["actions"] == []
        assert "손님" in turn["reply"] and "?" not in turn["reply"]
        yes = (await client.post("/api/conversation", json={"text": "응", "conversation_id": "door"})).json()
        assert yes["actions"] == []
        lock = (await client.get("/api/homes/a/devices/lock.front_door")).json()
    assert lock["state"]["locked"] is True


async def test_a_member_asking_the_assistant_to_unlock_is_asked_first(served: Served) -> None:
    async with served.client("member") as client:
        asked = (await client.post("/api/conversation",
                                   json={"text": "현관문 열어 줘", "conversation_id": "door"})).json()
        assert asked["awaiting_confirmation"] is True and asked["outcome"] == "asked"
        assert (await client.get("/api/homes/a/devices/lock.front_door")).json()["state"]["locked"] is True
        done = (await client.post("/api/conversation", json={"text": "응", "conversation_id": "door"})).json()
        assert [a["command"] for a in done["actions"]] == ["unlock"]
        assert (await client.get("/api/homes/a/devices/lock.front_door")).json()["state"]["locked"] is False


async def test_the_audit_log_names_who_sent_each_command_and_how(served: Served) -> None:
    member_token = served.token_ids["member"]
    guest_token = served.token_ids["guest"]
    async with served.web("owner") as owner:
        assert (await owner.post("/api/homes/a/devices/light.kitchen/commands",
                                 json={"command": "turn_on"})).status_code == 200
    async with served.client("member") as member:
        assert (await member.post("/api/homes/a/devices/lock.front_door/commands",
                                  json={"command": "unlock"})).status_code == 200
        assert (await member.post("/api/homes/a/devices/climate.living_room/commands",
                                  json={"command": "set_temperature", "args": {"temperature": 99}})
                ).status_code == 422
        assert (await member.post("/api/conversation", json={"text": "거실 불 켜 줘"})).status_code == 200
    async with served.client("guest") as guest:
        assert (await guest.post("/api/homes/a/devices/lock.front_door/commands",
                                 json={"command": "lock"})).status_code == 200
        assert (await guest.post("/api/homes/a/devices/valve.gas/commands",
                                 json={"command": "open_valve"})).status_code == 403
    async with served.client("owner") as owner:
        answer = await owner.get("/api/homes/a/audit")
    assert answer.status_code == 200, answer.text
    rows = [(e["user"], e["via"], e["device_id"], e["command"], e["ok"]) for e in answer.json()["items"]]
    assert rows == [
        ("guest", f"token:{guest_token}", "valve.gas", "open_valve", False),
        ("guest", f"token:{guest_token}", "lock.front_door", "lock", True),
        ("member", f"token:{member_token}", "light.living_room", "turn_on", True),
        ("member", f"token:{member_token}", "climate.living_room", "set_temperature", False),
        ("member", f"token:{member_token}", "lock.front_door", "unlock", True),
        ("owner", "web", "light.kitchen", "turn_on", True),
    ]
    said = [e["text"] for e in answer.json()["items"]]
    assert said == [None, None, "거실 불 켜 줘", None, None, None]  # what was said, where it was said
    refused = answer.json()["items"][0]
    assert refused["error"] and refused["at"]
    assert answer.json()["items"][3]["args"] == {"temperature": 99}


async def test_a_command_a_schedule_sends_is_audited_as_the_system(served: Served) -> None:
    app = served.server.apps["a"]
    async with served.client("owner") as client:
        made = await client.post("/api/homes/a/schedules", json={"text": "30분 뒤에 TV 꺼 줘"})
        assert made.status_code == 201, made.text
        # The same schedule again, due a moment ago, rather than waiting half an hour.
        kept = next(s for s in app.store.schedules() if s.id == made.json()["id"])
        app.store.add_schedule(text=kept.text, frames=kept.frames, created_at=app.clock.now(),
                               next_at=app.clock.now() - timedelta(seconds=1))
        app.assistant.refresh_schedules()
        await app.run_due()  # what the home's scheduler does every second, now

        entry = (await client.get("/api/homes/a/audit")).json()["items"][0]
    assert (entry["user"], entry["via"], entry["command"], entry["ok"]) == (
        "system", "schedule", "turn_off", True)


async def test_the_audit_log_is_the_owners_alone(served: Served) -> None:
    for who in ("member", "guest"):
        async with served.client(who) as client:
            problem(await client.get("/api/homes/a/audit"), 403, "forbidden")
