"""What the API answers about a home: pages, areas, devices, routines, schedules, history, requests,
members, and the conversation with the assistant."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from jipsa.core.access import Role
from jipsa.nlu import parse
from tests.integration.api.conftest import Served, eventually, problem

Fill = Callable[[httpx.AsyncClient], Awaitable[None]]


async def nothing(client: httpx.AsyncClient) -> None:
    """The list has enough items already."""


async def schedules(client: httpx.AsyncClient) -> None:
    for minutes in (10, 20, 30, 40, 50):
        answer = await client.post("/api/homes/a/schedules", json={"text": f"{minutes}분 뒤에 TV 꺼 줘"})
        assert answer.status_code == 201, answer.text


async def commands(client: httpx.AsyncClient) -> None:
    for brightness in (10, 20, 30, 40, 50):
        answer = await client.post("/api/homes/a/devices/light.living_room/commands",
                                   json={"command": "set_brightness", "args": {"brightness": brightness}})
        assert answer.status_code == 200, answer.text
    await written_behind(client, 10)


async def written_behind(client: httpx.AsyncClient, events: int) -> None:
    """Wait for the hub to write the newest events (it writes behind, a batch at a time)."""

    async def written() -> bool:
        answer = await client.get("/api/homes/a/history", params={"limit": events})
        return len(answer.json()["items"]) >= events

    await eventually(written)


async def turns(client: httpx.AsyncClient) -> None:
    for text in ("거실 불 켜 줘", "거실 불 꺼 줘", "주방 불 켜 줘", "주방 불 꺼 줘", "지금 몇 시야"):
        assert (await client.post("/api/conversation", json={"text": text})).status_code == 200


LISTS: list[tuple[str, Fill, dict[str, str]]] = [
    ("/api/homes/a/areas", nothing, {}),
    ("/api/homes/a/devices", nothing, {}),
    ("/api/homes/a/routines", nothing, {}),
    ("/api/homes/a/schedules", schedules, {}),
    # One device's: the simulated sensors may report a new reading between two pages.
    ("/api/homes/a/history", commands, {"device": "light.living_room"}),
    ("/api/homes/a/requests", turns, {}),
    ("/api/homes/a/audit", commands, {}),
]
LIST_IDS = [path.rsplit("/", 1)[1] for path, _fill, _params in LISTS]


async def walk(client: httpx.AsyncClient, path: str, limit: int, query: dict[str, str]) -> list[list[Any]]:
    """The ids of every page of ``path``, ``limit`` at a time."""
    pages: list[list[Any]] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {**query, "limit": limit} | ({"cursor": cursor} if cursor else {})
        answer = await client.get(path, params=params)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert set(body) == {"items", "next_cursor"}
        pages.append([item["id"] for item in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages
        assert len(pages) < 100, "the pages never end"


@pytest.mark.parametrize(("path", "fill", "query"), LISTS, ids=LIST_IDS)
async def test_every_list_pages_through_everything_once(
        served: Served, path: str, fill: Fill, query: dict[str, str]) -> None:
    async with served.client("owner") as client:
        await fill(client)
        everything = (await client.get(path, params={**query, "limit": 200})).json()
        pages = await walk(client, path, 2, query)
        whole = await walk(client, path, 50, query)
    assert everything["next_cursor"] is None and len(everything["items"]) >= 5
    ids = [item["id"] for item in everything["items"]]
    assert [i for page in pages for i in page] == ids  # no gap, no repeat, the same order
    assert all(len(page) == 2 for page in pages[:-1]) and 1 <= len(pages[-1]) <= 2
    assert whole == [ids]


@pytest.mark.parametrize("path", [path for path, _fill, _query in LISTS], ids=LIST_IDS)
async def test_a_bad_page_request_is_refused(served: Served, path: str) -> None:
    def cursor_of(text: str) -> str:
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    # Cursors are opaque; these are shaped like ours, but no list gave them out.
    made_up = [cursor_of(f"{kind}:{number}") for kind in "aeorz" for number in ("9" * 40, "-5", "x")]
    async with served.client("owner") as client:
        for cursor in ("not a cursor!", "%%%", "a" * 50, cursor_of("z:1"), *made_up):
            problem(await client.get(path, params={"cursor": cursor}), 400, "bad-request")
        for limit in ("0", "201", "-1", "many"):
            problem(await client.get(path, params={"limit": limit}), 422, "invalid")
        problem(await client.get(path, params={"cursor": "x" * 201}), 422, "invalid")


async def test_a_home_and_its_areas(served: Served) -> None:
    async with served.client("guest") as client:
        home = (await client.get("/api/homes/a")).json()
        areas = (await client.get("/api/homes/a/areas")).json()["items"]
    assert {k: home[k] for k in ("id", "name", "language", "timezone", "role")} == {
        "id": "a", "name": "우리집", "language": "ko", "timezone": "Asia/Seoul", "role": "guest"}
    assert home["device_count"] == len(served.server.apps["a"].home.devices)
    assert home["areas"] == areas
    assert [a["id"] for a in areas] == ["living_room", "master_bedroom", "small_room", "kitchen", "bathroom",
                                        "utility_room", "entrance", "parking"]
    assert areas[0] == {"id": "living_room", "name": "거실", "aliases": ["리빙룸", "응접실"], "floor": None}


@pytest.mark.parametrize(("params", "expected"), [
    ({"area": "kitchen"}, ["light.kitchen", "refrigerator.kitchen", "refrigerator.kimchi",
                           "dishwasher.kitchen", "coffee_machine.kitchen", "plug.kitchen", "valve.gas"]),
    ({"type": "air_conditioner"}, ["climate.living_room", "climate.master_bedroom", "climate.small_room"]),
    ({"area": "master_bedroom", "type": "light"}, ["light.master_bedroom"]),
    ({"area": "garage"}, []),
    ({"type": "spaceship"}, []),
], ids=["area", "type", "both", "no-such-area", "no-such-type"])
async def test_devices_filtered_by_area_and_type(
        served: Served, params: dict[str, str], expected: list[str]) -> None:
    async with served.client("guest") as client:
        answer = await client.get("/api/homes/a/devices", params=params)
    assert [d["id"] for d in answer.json()["items"]] == expected


async def test_one_device_has_the_documented_shape(served: Served) -> None:
    async with served.client("guest") as client:
        device = (await client.get("/api/homes/a/devices/light.living_room")).json()
        listed = (await client.get("/api/homes/a/devices", params={"type": "light", "limit": 1})).json()
    assert listed["items"] == [device]
    assert set(device) == {"id", "name", "aliases", "area", "type", "device_class", "vendor", "manufacturer",
                           "model", "available", "state", "attributes", "commands"}
    assert (device["id"], device["name"], device["area"], device["type"]) == (
        "light.living_room", "거실 조명", "living_room", "light")
    assert device["available"] is True and device["vendor"] == "virtual"
    assert device["state"] == {"on": False, "brightness": 80, "color_temp": 4000}
    brightness = next(a for a in device["attributes"] if a["name"] == "brightness")
    assert brightness == {"name": "brightness", "capability": "brightness", "kind": "int", "min": 1.0,
                          "max": 100.0, "step": 1.0, "unit": "%", "values": [], "writable": True}
    turn_on = next(c for c in device["commands"] if c["name"] == "turn_on")
    assert turn_on == {"name": "turn_on", "capability": "on_off", "params": [], "sensitive": False,
                       "allowed": True}
    async with served.client("guest") as client:
        lock = (await client.get("/api/homes/a/devices/lock.front_door")).json()
    assert {c["name"]: c["sensitive"] for c in lock["commands"]} == {"lock": False, "unlock": True}
    # What this guest may send: not the sensitive one.
    assert {c["name"]: c["allowed"] for c in lock["commands"]} == {"lock": True, "unlock": False}


async def test_routines_are_listed_and_run(served: Served) -> None:
    async with served.client("guest") as client:
        routines = (await client.get("/api/homes/a/routines")).json()["items"]
        ran = await client.post("/api/homes/a/routines/movie/run", json={})
        tv = (await client.get("/api/homes/a/devices/tv.living_room")).json()
        english = await client.post("/api/homes/a/routines/home_again/run", json={"language": "en"})
        bare = await client.post("/api/homes/a/routines/sleep/run")  # the body is optional
        problem(await client.post("/api/homes/a/routines/party/run", json={}), 404, "not-found")
        problem(await client.post("/api/homes/a/routines/movie/run", json={"loud": True}), 422, "invalid")
    assert [r["id"] for r in routines] == ["away", "home_again", "sleep", "wake_up", "movie"]
    movie = routines[-1]
    assert movie["name"] == "영화 모드" and movie["actions"][1] == {
        "device": "light.living_room_mood", "command": "set_brightness", "args": {"brightness": 20}}
    assert ran.status_code == 200, ran.text
    turn = ran.json()
    assert set(turn) == {"reply", "outcome", "actions"} and "영화 모드" in turn["reply"]
    assert turn["outcome"] == "done"
    assert [(a["device_id"], a["command"], a["ok"]) for a in turn["actions"]] == [
        ("light.living_room", "turn_off", True), ("light.living_room_mood", "set_brightness", True),
        ("cover.living_room_curtain", "close", True), ("tv.living_room", "turn_on", True)]
    assert tv["state"]["on"] is True
    assert english.json()["reply"].startswith("Running"), english.text
    assert bare.status_code == 200 and bare.json()["outcome"] == "done", bare.text


async def test_a_schedule_is_made_from_words_listed_and_cancelled(served: Served) -> None:
    async with served.client("member") as client:
        made = await client.post("/api/homes/a/schedules", json={"text": "30분 뒤에 TV 꺼 줘"})
        assert made.status_code == 201, made.text
        schedule = made.json()
        active = (await client.get("/api/homes/a/schedules")).json()["items"]
        assert (await client.delete(f"/api/homes/a/schedules/{schedule['id']}")).status_code == 204
        problem(await client.delete(f"/api/homes/a/schedules/{schedule['id']}"), 404, "not-found")
        problem(await client.delete("/api/homes/a/schedules/99999999999999999999"), 404, "not-found")
        after = (await client.get("/api/homes/a/schedules")).json()["items"]
        cancelled = (await client.get("/api/homes/a/schedules", params={"status": "cancelled"})).json()
        everything = (await client.get("/api/homes/a/schedules", params={"status": "all"})).json()
        problem(await client.get("/api/homes/a/schedules", params={"status": "soon"}), 422, "invalid")
    assert set(schedule) == {"id", "text", "description", "next_at", "clock", "days", "status", "created_by",
                             "condition"}
    assert (schedule["text"], schedule["status"], schedule["created_by"], schedule["condition"]) == (
        "30분 뒤에 TV 꺼 줘", "active", "member", False)
    assert "TV" in schedule["description"]
    wait = datetime.fromisoformat(schedule["next_at"]) - datetime.now(datetime.fromisoformat(
        schedule["next_at"]).tzinfo)
    assert timedelta(minutes=29) < wait <= timedelta(minutes=30)
    assert [s["id"] for s in active] == [schedule["id"]]
    assert after == []
    assert [s["id"] for s in cancelled["items"]] == [schedule["id"]]
    assert [s["status"] for s in everything["items"]] == ["cancelled"]


@pytest.mark.parametrize("text", ["TV 꺼 줘", "응", "거실 불 켜 줘", "외출 모드 만들어 줘", "ㅁㄴㅇㄹ"])
async def test_words_that_set_no_time_make_no_schedule_and_do_nothing(served: Served, text: str) -> None:
    async with served.client("owner") as client:
        await client.post("/api/homes/a/devices/tv.living_room/commands", json={"command": "turn_on"})
        answer = await client.post("/api/homes/a/schedules", json={"text": text})
        body = problem(answer, 422, "not-understood")
        tv = (await client.get("/api/homes/a/devices/tv.living_room")).json()
        light = (await client.get("/api/homes/a/devices/light.living_room")).json()
        listed = (await client.get("/api/homes/a/schedules", params={"status": "all"})).json()["items"]
    assert body["detail"]
    assert tv["state"]["on"] is True and light["state"]["on"] is False
    assert listed == []


async def test_history_and_requests_are_newest_first(served: Served) -> None:
    async with served.client("owner") as client:
        for text in ("거실 불 켜 줘", "주방 불 켜 줘"):
            assert (await client.post("/api/conversation", json={"text": text})).status_code == 200
        await client.post("/api/homes/a/devices/tv.living_room/commands", json={"command": "turn_on"})
        await written_behind(client, 6)
        requests = (await client.get("/api/homes/a/requests")).json()["items"]
        history = (await client.get("/api/homes/a/history")).json()["items"]
        tv_only = (await client.get("/api/homes/a/history", params={"device": "tv.living_room"})
                   ).json()["items"]
    assert [(r["text"], r["user"], r["source"]) for r in requests] == [
        ("주방 불 켜 줘", "owner", "api"), ("거실 불 켜 줘", "owner", "api")]
    assert requests[0]["outcome"] == "done" and requests[0]["reply"]
    assert [e["id"] for e in history] == sorted((e["id"] for e in history), reverse=True)
    commanded = [e["device_id"] for e in history
                 if e["device_id"] in ("light.living_room", "light.kitchen", "tv.living_room")]
    assert commanded[0] == "tv.living_room"  # the last command's events come first
    assert {e["type"] for e in history} >= {"state_changed", "command_done"}
    assert tv_only and {e["device_id"] for e in tv_only} == {"tv.living_room"}


async def test_members_are_listed_added_changed_and_removed(served: Served) -> None:
    async with served.web("owner") as owner:
        listed = (await owner.get("/api/homes/a/members")).json()["items"]
        assert [(m["user"], m["role"]) for m in listed] == [("guest", "guest"), ("member", "member"),
                                                            ("owner", "owner")]
        added = await owner.put("/api/homes/a/members/stranger", json={"role": "guest"})
        assert added.status_code == 200, added.text
        assert added.json() == {"user": "stranger", "display_name": "stranger", "role": "guest"}
        async with served.web("stranger") as stranger:
            assert [h["id"] for h in (await stranger.get("/api/homes")).json()["items"]] == ["a", "b"]
            assert (await stranger.get("/api/homes/a/devices")).status_code == 200
            problem(await stranger.get("/api/homes/a/history"), 403, "forbidden")
            changed = await owner.put("/api/homes/a/members/stranger", json={"role": "member"})
            assert changed.json()["role"] == "member"
            assert (await stranger.get("/api/homes/a/history")).status_code == 200
            async with served.client("stranger") as token_of_b:  # still a token for home b only
                problem(await token_of_b.get("/api/homes/a/devices"), 404, "not-found")
            assert (await owner.delete("/api/homes/a/members/stranger")).status_code == 204
            problem(await stranger.get("/api/homes/a/devices"), 404, "not-found")
        problem(await owner.delete("/api/homes/a/members/stranger"), 404, "not-found")
        problem(await owner.put("/api/homes/a/members/nobody", json={"role": "guest"}), 404, "not-found")
        problem(await owner.put("/api/homes/a/members/guest", json={"role": "king"}), 422, "invalid")


async def test_a_removed_member_s_token_stops_working(served: Served) -> None:
    async with served.web("owner") as owner, served.client("guest") as guest:
        assert (await guest.get("/api/homes/a")).status_code == 200
        assert (await owner.delete("/api/homes/a/members/guest")).status_code == 204
        problem(await guest.get("/api/homes/a"), 401, "unauthenticated")


@pytest.mark.parametrize(("method", "body"), [("DELETE", None), ("PUT", {"role": "member"})],
                         ids=["remove", "demote"])
async def test_the_last_owner_stays(served: Served, method: str, body: dict[str, str] | None) -> None:
    async with served.web("owner") as owner:
        problem(await owner.request(method, "/api/homes/a/members/owner", json=body), 409, "conflict")
        assert (await owner.put("/api/homes/a/members/member", json={"role": "owner"})).status_code == 200
        stepped_down = await owner.request(method, "/api/homes/a/members/owner", json=body)
        assert stepped_down.status_code in (200, 204)
    async with served.web("member") as new_owner:
        listed = (await new_owner.get("/api/homes/a/members")).json()["items"]
    assert {m["user"]: m["role"] for m in listed}.get("member") == "owner"


async def test_the_conversation_answers_with_what_it_understood_and_did(served: Served) -> None:
    home = served.server.apps["a"].home
    async with served.web("owner") as client:
        answer = await client.post("/api/conversation", json={"text": "거실 불 켜 줘"})
    assert answer.status_code == 200, answer.text
    turn = answer.json()
    assert set(turn) == {"reply", "conversation_id", "outcome", "awaiting_confirmation", "home", "frames",
                         "actions"}
    assert turn["reply"] == "거실 조명을 켰어요." and turn["outcome"] == "done" and turn["home"] == "a"
    assert turn["frames"] == [f.to_dict() for f in parse("거실 불 켜 줘", home)]
    assert turn["actions"] == [{"device_id": "light.living_room", "capability": "on_off",
                                "command": "turn_on", "args": {}, "ok": True, "error": None}]
    assert turn["conversation_id"] and turn["awaiting_confirmation"] is False


async def test_a_conversation_keeps_its_context_for_its_person_only(served: Served) -> None:
    async with served.client("owner") as owner, served.client("member") as member:
        first = await owner.post("/api/conversation",
                                 json={"text": "안방 에어컨 25도로 켜 줘", "conversation_id": "evening"})
        assert first.json()["outcome"] == "done", first.text
        theirs = (await member.post("/api/conversation",
                                    json={"text": "좀 더 시원하게", "conversation_id": "evening"})).json()
        assert theirs["outcome"] == "asked" and theirs["actions"] == []
        mine = (await owner.post("/api/conversation",
                                 json={"text": "좀 더 시원하게", "conversation_id": "evening"})).json()
        climate = (await owner.get("/api/homes/a/devices/climate.master_bedroom")).json()
    assert [(a["device_id"], a["args"]) for a in mine["actions"]] == [
        ("climate.master_bedroom", {"temperature": 24.0})]
    assert climate["state"]["target_temperature"] == 24


async def test_a_conversation_in_english(served: Served) -> None:
    async with served.client("owner") as client:
        turn = (await client.post("/api/conversation",
                                  json={"text": "거실 불 켜 줘", "language": "en"})).json()
        french = await client.post("/api/conversation", json={"text": "불 켜", "language": "fr"})
        problem(french, 422, "invalid")
    assert turn["reply"].startswith("Turned on")


async def test_a_conversation_knows_the_home_when_there_is_one(served: Served) -> None:
    served.server.accounts.set_role("member", "b", Role.GUEST)
    async with served.web("owner") as one_home, served.web("member") as two_homes, \
            served.client("member") as token:
        on = {"text": "거실 불 켜 줘"}
        assert (await one_home.post("/api/conversation", json=on)).json()["home"] == "a"
        assert (await token.post("/api/conversation", json={"text": "거실 불 꺼 줘"})).json()["home"] == "a"
        which = problem(await two_homes.post("/api/conversation", json=on), 422, "invalid")
        named = await two_homes.post("/api/conversation", json={"text": "거실 불 켜 줘", "home": "b"})
        problem(await one_home.post("/api/conversation", json={"text": "거실 불 켜 줘", "home": "b"}), 404)
        problem(await token.post("/api/conversation", json={"text": "거실 불 켜 줘", "home": "b"}), 404)
    assert which["errors"] == [{"where": "body.home", "message": "required"}]
    assert named.status_code == 200 and named.json()["home"] == "b"
    assert served.server.apps["b"].hub.state("light.living_room")["on"] is True


async def test_a_conversation_in_an_area(served: Served) -> None:
    async with served.client("owner") as client:
        turn = (await client.post("/api/conversation",
                                  json={"text": "에어컨 켜 줘", "area": "small_room"})).json()
        problem(await client.post("/api/conversation", json={"text": "에어컨 켜 줘", "area": "garage"}),
                422, "invalid")
    assert [a["device_id"] for a in turn["actions"]] == ["climate.small_room"]


async def test_conversation_turns_are_rate_limited_per_person(served: Served) -> None:
    async with served.client("guest") as guest, served.client("member") as member:
        for _ in range(30):  # this server allows 30 a minute
            assert (await guest.post("/api/conversation", json={"text": "응"})).status_code == 200
        limited = await guest.post("/api/conversation", json={"text": "응"})
        other = await member.post("/api/conversation", json={"text": "응"})
    problem(limited, 429, "rate-limited")
    assert int(limited.headers["retry-after"]) >= 1
    assert other.status_code == 200
