"""The live event stream of a home over a real WebSocket: the snapshot, events as they happen, who may
listen, and a stream that ends when its credential does."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Mapping
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from jipsa.core.access import Role, Scope
from tests.integration.api.conftest import Served


def listen(served: Served, home: str = "a", *, token: str | None = None, cookie: str | None = None,
           origin: str | None = None) -> connect:
    """A WebSocket to ``home``'s events with a token (``served.tokens[token]``) or a session cookie."""
    headers: dict[str, str] = {}
    if token is not None:
        headers["Authorization"] = f"Bearer {served.tokens[token]}"
    if cookie is not None:
        headers["Cookie"] = f"jipsa_session={cookie}"
    return connect(f"{served.ws_url}/api/homes/{home}/events", additional_headers=headers, proxy=None,
                   origin=origin, open_timeout=5, close_timeout=1)  # type: ignore[arg-type]


async def receive(socket: ClientConnection, within: float = 2.0) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), within))
    return message


async def closed_with(socket: ClientConnection, within: float = 3.0) -> int:
    """The close code the server ends ``socket`` with (events before it are skipped)."""
    async with asyncio.timeout(within):
        while True:
            try:
                await socket.recv()
            except ConnectionClosed as exc:
                assert exc.rcvd is not None, "closed without a close frame"
                return exc.rcvd.code


async def session_cookie(served: Served, who: str) -> str:
    async with served.web(who) as client:
        return str(client.cookies["jipsa_session"])


async def test_the_first_message_is_a_snapshot_of_every_device(served: Served) -> None:
    app = served.server.apps["a"]
    async with listen(served, token="guest") as socket:
        snapshot = await receive(socket)
    assert snapshot["type"] == "snapshot"
    assert list(snapshot["devices"]) == [d.id for d in app.home.devices]
    assert snapshot["devices"]["light.living_room"] == {
        "state": {"on": False, "brightness": 80, "color_temp": 4000}, "available": True}
    assert snapshot["devices"]["lock.front_door"]["state"]["locked"] is True


async def test_a_command_over_http_arrives_as_events(served: Served) -> None:
    async with listen(served, token="member") as socket, served.client("owner") as client:
        await receive(socket)
        answer = await client.post("/api/homes/a/devices/light.kitchen/commands", json={"command": "turn_on"})
        assert answer.status_code == 200, answer.text
        seen: dict[str, dict[str, Any]] = {}
        while not {"state_changed", "command_done"} <= seen.keys():
            event = await receive(socket)
            if event.get("device_id") == "light.kitchen":
                seen.setdefault(event["type"], event)
    assert seen["state_changed"]["data"] == {"changes": {"on": True}}
    assert seen["command_done"]["data"]["command"] == "turn_on"
    assert seen["state_changed"]["at"]


async def test_events_of_one_home_do_not_reach_another(served: Served) -> None:
    async with listen(served, "a", token="member") as ours, listen(served, "b", token="stranger") as theirs, \
            served.client("owner") as client:
        await receive(ours)
        await receive(theirs)
        await client.post("/api/homes/a/devices/light.kitchen/commands", json={"command": "turn_on"})
        while (await receive(ours)).get("device_id") != "light.kitchen":
            pass
        heard = []
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(0.3):
                while True:
                    heard.append((await receive(theirs)).get("device_id"))
    assert "light.kitchen" not in heard


async def test_a_browser_of_this_server_listens_with_its_cookie(served: Served) -> None:
    cookie = await session_cookie(served, "guest")
    async with listen(served, cookie=cookie, origin=served.url) as socket:
        assert (await receive(socket))["type"] == "snapshot"


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:1", "null"])
async def test_a_page_of_another_site_cannot_listen_with_the_cookie(served: Served, origin: str) -> None:
    cookie = await session_cookie(served, "owner")
    with pytest.raises(InvalidStatus) as refused:
        async with listen(served, cookie=cookie, origin=origin):
            pass
    assert refused.value.response.status_code == 403


@pytest.mark.parametrize(("home", "token", "code"), [
    ("b", "owner", 4404),  # a token of home a
    ("a", "stranger", 4404),  # a token of home b
    ("nowhere", "owner", 4404),
    ("a", None, 4401),
    ("a", "control-only", 4403),
])
async def test_a_stream_that_may_not_be_read_is_closed_with_why(
        served: Served, home: str, token: str | None, code: int) -> None:
    served.server.accounts.set_role("owner", "b", Role.MEMBER)  # yet the token is for ``a``
    served.add_token("control-only", "owner", "a", [Scope.CONTROL])
    async with listen(served, home, token=token) as socket:
        assert await closed_with(socket) == code


async def test_a_wrong_cookie_is_closed_as_unauthenticated(served: Served) -> None:
    async with listen(served, cookie="not-a-session", origin=served.url) as socket:
        assert await closed_with(socket) == 4401


async def revoke(served: Served, who: str) -> None:
    async with served.web("owner") as owner:
        answer = await owner.delete(f"/api/tokens/{served.token_ids[who]}")
        assert answer.status_code == 204


async def sign_out(served: Served, cookie: str) -> None:
    async with served.client() as client:
        client.cookies.set("jipsa_session", cookie)
        session = (await client.get("/api/auth/session")).json()
        answer = await client.post("/api/auth/logout", headers={"X-CSRF-Token": session["csrf_token"]})
        assert answer.status_code == 204


async def remove(served: Served, who: str) -> None:
    async with served.web("owner") as owner:
        assert (await owner.delete(f"/api/homes/a/members/{who}")).status_code == 204


@pytest.mark.parametrize("how", ["revoked", "signed-out", "removed"])
async def test_a_stream_ends_soon_after_its_credential_does(served: Served, how: str) -> None:
    cookie = await session_cookie(served, "member")
    credential: Mapping[str, Any] = {"token": "member"} if how != "signed-out" else {
        "cookie": cookie, "origin": served.url}
    async with listen(served, **credential) as socket:
        await receive(socket)
        started = time.monotonic()
        if how == "revoked":
            await revoke(served, "member")
        elif how == "signed-out":
            await sign_out(served, cookie)
        else:
            await remove(served, "member")
        assert await closed_with(socket) == 4401
    assert time.monotonic() - started < 2.5
