"""Signing in and out, the session cookie and its CSRF token, and API tokens: made, listed, revoked."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from jipsa.core.access import Role, Scope
from tests.integration.api.conftest import PASSWORD, Served, problem


async def login(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post("/api/auth/login", json={"username": username, "password": password})


async def test_signing_in_answers_the_session_and_sets_a_strict_http_only_cookie(served: Served) -> None:
    async with served.client() as client:
        answer = await login(client, "member", PASSWORD)
        assert answer.status_code == 200, answer.text
        session = answer.json()
        assert session["user"] == {"name": "member", "display_name": "member"}
        assert isinstance(session["csrf_token"], str) and len(session["csrf_token"]) >= 32
        assert [(h["id"], h["role"]) for h in session["homes"]] == [("a", "member")]
        [cookie] = answer.headers.get_list("set-cookie")
        attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
        assert cookie.startswith("jipsa_session=")
        assert {"httponly", "path", "max-age"} <= attributes
        assert "samesite=strict" in cookie.lower()
        assert "secure" not in attributes  # this server runs with insecure cookies (plain http)
        again = (await client.get("/api/auth/session")).json()
    assert again["csrf_token"] == session["csrf_token"] and again["user"]["name"] == "member"


@pytest.mark.parametrize(("username", "password"), [
    ("member", "wrong horse battery"),
    ("nobody-at-all", PASSWORD),
    ("MEMBER", "wrong horse battery"),
    ("member", PASSWORD + " "),
], ids=["wrong-password", "unknown-user", "wrong-password-other-case", "trailing-space"])
async def test_a_wrong_sign_in_is_401_and_does_not_say_which_part_was_wrong(
        served: Served, username: str, password: str) -> None:
    async with served.client() as client:
        body = problem(await login(client, username, password), 401, "unauthenticated")
        assert not client.cookies
    assert body["detail"] == "wrong user name or password"


@pytest.mark.parametrize("body", [{}, {"username": "member"}, {"username": "", "password": "x"},
                                  {"username": "member", "password": PASSWORD, "remember": True}],
                         ids=["empty", "no-password", "empty-name", "unknown-field"])
async def test_a_malformed_sign_in_is_422(served: Served, body: dict[str, Any]) -> None:
    async with served.client() as client:
        problem(await client.post("/api/auth/login", json=body), 422, "invalid")


async def test_sign_ins_are_rate_limited_per_user_name(served: Served) -> None:
    async with served.client() as client:
        for _ in range(5):
            problem(await login(client, "guest", "not the password"), 401)
        limited = await login(client, "guest", PASSWORD)  # even the right password now
        other = await login(client, "member", PASSWORD)
    problem(limited, 429, "rate-limited")
    assert int(limited.headers["retry-after"]) >= 1
    assert other.status_code == 200


@pytest.mark.parametrize(("method", "path", "body"), [
    ("POST", "/api/homes/a/devices/light.living_room/commands", {"command": "turn_on"}),
    ("POST", "/api/conversation", {"text": "거실 불 켜 줘"}),
    ("POST", "/api/tokens", {"home": "a", "name": "x", "scopes": ["read"]}),
    ("PUT", "/api/homes/a/members/guest", {"role": "member"}),
    ("DELETE", "/api/homes/a/members/guest", None),
    ("POST", "/api/auth/logout", None),
], ids=lambda v: v if isinstance(v, str) and v.startswith("/") else None)
@pytest.mark.parametrize("header", [None, "", "not-the-token"], ids=["missing", "empty", "wrong"])
async def test_a_web_session_changes_nothing_without_its_csrf_token(
        served: Served, method: str, path: str, body: dict[str, Any] | None, header: str | None) -> None:
    async with served.web("owner") as client:
        del client.headers["X-CSRF-Token"]
        headers = {} if header is None else {"X-CSRF-Token": header}
        problem(await client.request(method, path, json=body, headers=headers), 403, "csrf")
        # Nothing happened: the light is off, the guest still a guest, the session alive.
        light = (await client.get("/api/homes/a/devices/light.living_room")).json()
        members = (await client.get("/api/homes/a/members")).json()["items"]
    assert light["state"]["on"] is False
    assert {m["user"]: m["role"] for m in members}["guest"] == "guest"


async def test_signing_out_ends_the_session(served: Served) -> None:
    async with served.web("owner") as client:
        cookie = client.cookies["jipsa_session"]
        answer = await client.post("/api/auth/logout")
        assert answer.status_code == 204
        assert "jipsa_session=" in answer.headers["set-cookie"]
    async with served.client() as replay:  # the old cookie, sent again on purpose
        replay.cookies.set("jipsa_session", cookie)
        problem(await replay.get("/api/auth/session"), 401, "unauthenticated")
        problem(await replay.get("/api/homes/a"), 401, "unauthenticated")


async def test_a_tokens_session_has_no_csrf_token_and_only_its_home(served: Served) -> None:
    served.server.accounts.set_role("owner", "b", Role.MEMBER)
    async with served.client("owner") as client:
        session = (await client.get("/api/auth/session")).json()
    assert session["csrf_token"] is None
    assert [h["id"] for h in session["homes"]] == ["a"]


@pytest.mark.parametrize("authorization", [
    "Bearer jipsa_1_not-the-secret", "Bearer nonsense", "Bearer", "Basic b3duZXI6cGFzc3dvcmQ=", "jipsa_1_x",
    "Bearer jipsa_99999999999999999999_x",
])
async def test_a_bad_authorization_header_is_401(served: Served, authorization: str) -> None:
    async with httpx.AsyncClient(base_url=served.url, headers={"Authorization": authorization}) as client:
        answer = await client.get("/api/homes/a")
    problem(answer, 401, "unauthenticated")
    assert answer.headers["www-authenticate"] == "Bearer"


async def test_a_new_token_shows_its_secret_once(served: Served) -> None:
    async with served.web("member") as client:
        made = await client.post("/api/tokens", json={"home": "a", "name": "벽 패널", "scopes": ["read"],
                                                       "expires_in_days": 30})
        assert made.status_code == 201, made.text
        secret, token = made.json()["secret"], made.json()["token"]
        listed = await client.get("/api/tokens")
    assert secret.startswith("jipsa_")
    assert token["name"] == "벽 패널" and token["home"] == "a" and token["user"] == "member"
    assert token["scopes"] == ["read"] and token["revoked"] is False and token["expires_at"]
    assert secret not in listed.text and "secret" not in listed.text
    assert token["id"] in [t["id"] for t in listed.json()["items"]]
    bearer = {"Authorization": f"Bearer {secret}"}
    async with httpx.AsyncClient(base_url=served.url, headers=bearer) as made_one:
        assert (await made_one.get("/api/homes/a/devices")).status_code == 200
        problem(await made_one.post("/api/homes/a/devices/light.living_room/commands",
                                    json={"command": "turn_on"}), 403, "forbidden")  # read only


@pytest.mark.parametrize(("body", "status"), [
    ({"home": "b", "name": "x", "scopes": ["read"]}, 404),
    ({"home": "nowhere", "name": "x", "scopes": ["read"]}, 404),
    ({"home": "a", "name": "x", "scopes": ["root"]}, 422),
    ({"home": "a", "name": "x", "scopes": []}, 422),
    ({"home": "a", "name": "", "scopes": ["read"]}, 422),
    ({"home": "a", "name": "x", "scopes": ["read"], "expires_in_days": 0}, 422),
    ({"home": "a", "name": "x", "scopes": ["read"], "secret": "jipsa_1_mine"}, 422),
], ids=["not-my-home", "no-such-home", "unknown-scope", "no-scope", "no-name", "expired", "own-secret"])
async def test_a_token_that_cannot_be_made_is_refused(
        served: Served, body: dict[str, Any], status: int) -> None:
    async with served.web("member") as client:
        problem(await client.post("/api/tokens", json=body), status)
        assert [t["name"] for t in (await client.get("/api/tokens")).json()["items"]] == ["tests"]


async def test_a_revoked_token_stops_working_at_once(served: Served) -> None:
    async with served.client("member") as program, served.web("member") as person:
        assert (await program.get("/api/homes/a")).status_code == 200
        answer = await person.delete(f"/api/tokens/{served.token_ids['member']}")
        assert answer.status_code == 204
        problem(await program.get("/api/homes/a"), 401, "unauthenticated")
        [token] = (await person.get("/api/tokens")).json()["items"]
    assert token["revoked"] is True and token["last_used_at"]


async def test_an_owner_sees_and_revokes_the_tokens_of_their_home(served: Served) -> None:
    served.server.accounts.set_role("stranger", "a", Role.GUEST)
    served.add_token("stranger-in-a", "stranger", "a", [Scope.READ])
    async with served.web("owner") as owner:
        listed = (await owner.get("/api/tokens")).json()["items"]
        assert {(t["user"], t["home"]) for t in listed} == {
            ("owner", "a"), ("member", "a"), ("guest", "a"), ("stranger", "a")}  # not the stranger's in b
        assert (await owner.delete(f"/api/tokens/{served.token_ids['member']}")).status_code == 204
    async with served.client("member") as member:
        problem(await member.get("/api/homes/a"), 401)


@pytest.mark.parametrize(("who", "whose"), [
    ("member", "owner"), ("guest", "member"), ("stranger", "owner"), ("member", "stranger")])
async def test_nobody_else_can_revoke_or_see_a_token(served: Served, who: str, whose: str) -> None:
    async with served.web(who) as client:
        problem(await client.delete(f"/api/tokens/{served.token_ids[whose]}"), 404, "not-found")
        listed = (await client.get("/api/tokens")).json()["items"]
    assert [t["user"] for t in listed] == [who]
    async with served.client(whose) as victim:
        assert (await victim.get("/api/auth/session")).status_code == 200


@pytest.mark.parametrize("token_id", ["999", "0", "-1", "99999999999999999999999"])
async def test_revoking_a_token_that_does_not_exist_is_404(served: Served, token_id: str) -> None:
    async with served.web("owner") as client:
        problem(await client.delete(f"/api/tokens/{token_id}"), 404, "not-found")
