"""What the API does with hostile or broken requests: body limits, malformed and mistyped JSON, security
headers, CORS, problem details for every error, and logs that never hold a secret."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from tests.integration.api.conftest import PASSWORD, Served, problem

LIMIT = 64 * 1024
COMMAND = "/api/homes/a/devices/light.living_room/commands"


def big_body(size: int) -> bytes:
    return json.dumps({"text": "가" * size}).encode()[:size]


async def chunks(body: bytes, size: int = 4096) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start:start + size]


@pytest.mark.parametrize("path", ["/api/conversation", COMMAND, "/api/auth/login"])
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_a_body_over_64_kib_is_413(served: Served, path: str, chunked: bool) -> None:
    body = b'{"text": "' + b"a" * LIMIT + b'"}'
    async with served.client("owner") as client:
        content: bytes | AsyncIterator[bytes] = chunks(body) if chunked else body
        answer = await client.post(path, content=content, headers={"Content-Type": "application/json"})
        light = (await client.get("/api/homes/a/devices/light.living_room")).json()
    problem(answer, 413, "too-large")
    assert ("transfer-encoding" in answer.request.headers) is chunked
    assert light["state"]["on"] is False


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_a_body_within_the_limit_is_read_whole(served: Served, chunked: bool) -> None:
    body = json.dumps({"command": "turn_on", "args": {}, "capability": None}).encode()
    body = body[:-1] + b" " * (LIMIT - len(body)) + b"}"  # exactly the limit, in many chunks
    async with served.client("owner") as client:
        content: bytes | AsyncIterator[bytes] = chunks(body, 1000) if chunked else body
        answer = await client.post(COMMAND, content=content, headers={"Content-Type": "application/json"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["state"]["on"] is True


async def raw_request(served: Served, head: str, body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
    """Send bytes httpx would refuse to send; the status, headers and body of the answer."""
    host, port = served.url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        await writer.drain()
        data = await asyncio.wait_for(reader.read(65536), 5)
    finally:
        writer.close()
        await writer.wait_closed()
    header, _, rest = data.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, rest


async def test_a_declared_length_over_the_limit_is_413_before_the_body_is_sent(served: Served) -> None:
    status, headers, body = await raw_request(
        served, f"POST /api/conversation HTTP/1.1\nHost: x\nAuthorization: Bearer {served.tokens['owner']}\n"
        f"Content-Type: application/json\nContent-Length: {10 * LIMIT}\n")
    assert status == 413
    assert headers["content-type"] == "application/problem+json"
    assert json.loads(body)["type"] == "urn:jipsa:problem:too-large"


@pytest.mark.parametrize(("body", "status"), [
    (b"{", 400), (b'{"command": "turn_on",}', 400), (b"[1, 2", 400), (b"\xff\xfe{}", 400), (b"{'a': 1}", 400),
    (b'{"command": "turn_on"} trailing', 400), (b"", 422), (b"null", 422), (b"NaN", 422),
], ids=["open", "trailing-comma", "array", "not-utf8", "single-quotes", "trailing", "empty", "null", "nan"])
async def test_malformed_json_is_400_and_json_of_the_wrong_shape_422(
        served: Served, body: bytes, status: int) -> None:
    async with served.client("owner") as client:
        answer = await client.post(COMMAND, content=body, headers={"Content-Type": "application/json"})
    problem(answer, status, "bad-request" if status == 400 else "invalid")


@pytest.mark.parametrize(("path", "body", "where"), [
    (COMMAND, {"command": 5}, "body.command"),
    (COMMAND, {"command": "turn_on", "args": []}, "body.args"),
    (COMMAND, {"command": "turn_on", "args": {"x": {"nested": 1}}}, "body.args.x"),
    (COMMAND, {"command": ""}, "body.command"),
    (COMMAND, [], "body"),
    (COMMAND, "turn_on", "body"),
    ("/api/conversation", {"text": 123}, "body.text"),
    ("/api/conversation", {"text": "불 켜", "conversation_id": ["x"]}, "body.conversation_id"),
    ("/api/conversation", {"text": "x" * 2001}, "body.text"),
    ("/api/conversation", {}, "body.text"),
    ("/api/homes/a/schedules", {"text": None}, "body.text"),
    ("/api/auth/login", {"username": ["owner"], "password": PASSWORD}, "body.username"),
    ("/api/homes/a/routines/movie/run", {"confirm": "yes please"}, "body.confirm"),
])
async def test_a_field_of_the_wrong_type_is_422_naming_it(
        served: Served, path: str, body: Any, where: str) -> None:
    async with served.client("owner") as client:
        found = problem(await client.post(path, json=body), 422, "invalid")
    assert any(e["where"] == where or e["where"].startswith(where + ".") for e in found["errors"]), found

    assert all(set(e) == {"where", "message"} for e in found["errors"])


@pytest.mark.parametrize(("method", "path", "body"), [
    ("POST", COMMAND, {"command": "turn_on", "device_id": "lock.front_door"}),
    ("POST", "/api/conversation", {"text": "불 켜", "user": "owner"}),
    ("POST", "/api/homes/a/schedules", {"text": "30분 뒤에 TV 꺼 줘", "created_by": "someone"}),
    ("PUT", "/api/homes/a/members/guest", {"role": "member", "admin": True}),
    ("POST", "/api/homes/a/routines/movie/run", {"as": "owner"}),
])
async def test_an_unknown_field_is_422(served: Served, method: str, path: str, body: dict[str, Any]) -> None:
    async with served.client("owner") as client:
        found = problem(await client.request(method, path, json=body), 422, "invalid")
    assert found["errors"]


async def test_a_body_that_is_not_json_is_refused(served: Served) -> None:
    async with served.client("owner") as client:
        answer = await client.post(COMMAND, content=b"command=turn_on",
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
        light = (await client.get("/api/homes/a/devices/light.living_room")).json()
    assert 400 <= answer.status_code < 500
    problem(answer, answer.status_code)
    assert light["state"]["on"] is False


SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


@pytest.mark.parametrize(("who", "method", "path"), [
    (None, "GET", "/"),
    (None, "GET", "/api/health"),
    (None, "GET", "/api/homes"),
    ("owner", "GET", "/api/homes/a/devices"),
    ("owner", "GET", "/api/homes/b"),
    ("owner", "GET", "/api/nowhere"),
    ("guest", "GET", "/api/homes/a/audit"),
    (None, "GET", "/static/nowhere.js"),
])
async def test_every_answer_carries_the_security_headers(
        served: Served, who: str | None, method: str, path: str) -> None:
    async with served.client(who) as client:
        answer = await client.request(method, path)
    for name, value in SECURITY_HEADERS.items():
        assert answer.headers[name] == value
    policy = answer.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    assert len(answer.headers.get_list("content-security-policy")) == 1


async def test_the_dashboard_is_served_with_the_policy(served: Served) -> None:
    async with served.client() as client:
        page = await client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("method", ["OPTIONS", "GET", "POST"])
async def test_cors_is_off_by_default(served: Served, method: str) -> None:
    headers = {"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST",
               "Access-Control-Request-Headers": "authorization,content-type"}
    async with served.client("owner") as client:
        answer = await client.request(method, "/api/conversation" if method != "GET" else "/api/homes",
                                      headers=headers, json={"text": "불 켜"} if method == "POST" else None)
    assert not any(name.lower().startswith("access-control-") for name in answer.headers)


@pytest.mark.parametrize(("who", "method", "path", "status"), [
    (None, "GET", "/api/nowhere", 404),
    (None, "DELETE", "/api/health", 405),
    (None, "GET", "/api/homes/a", 401),
    ("guest", "PUT", "/api/homes/a/members/guest", 403),
    ("owner", "GET", "/api/homes/a/devices/nothing.here", 404),
    ("owner", "GET", "/api/homes/a/routines?limit=0", 422),
    ("owner", "GET", "/api/homes/a/history?cursor=zz", 400),
    ("owner", "DELETE", "/api/homes/a/schedules/not-a-number", 422),
    ("owner", "GET", "/api/tokens", 403),
])
async def test_every_error_is_a_problem_document(
        served: Served, who: str | None, method: str, path: str, status: int) -> None:
    async with served.client(who) as client:
        answer = await client.request(method, path, json={"role": "owner"} if method == "PUT" else None)
        found = problem(answer, status)
    assert found["instance"] == path.split("?")[0]
    assert found.get("detail") is None or isinstance(found["detail"], str)


@pytest.fixture
def every_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every record the server logs, at every level, uvicorn's access log (which does not propagate)
    included."""
    caplog.set_level(logging.DEBUG)
    loggers = [logging.getLogger(name) for name in ("uvicorn.error", "uvicorn.access")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.addHandler(caplog.handler)
    try:
        yield caplog
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(caplog.handler)
            logger.setLevel(level)


async def test_no_secret_reaches_the_logs(served: Served, every_log: pytest.LogCaptureFixture) -> None:
    secrets = [PASSWORD, *served.tokens.values()]
    async with served.client() as client:
        await client.post("/api/auth/login", json={"username": "owner", "password": "wrong " + PASSWORD})
    async with served.web("owner") as client:
        secrets += [client.cookies["jipsa_session"], client.headers["X-CSRF-Token"]]
        made = (await client.post("/api/tokens", json={"home": "a", "name": "x", "scopes": ["read"]})).json()
        secrets.append(made["secret"])
        await client.post("/api/homes/a/devices/light.living_room/commands", json={"command": "turn_on"})
        await client.delete(f"/api/tokens/{made['token']['id']}")
    for who in ("owner", "guest"):
        async with served.client(who) as client:
            await client.get("/api/homes/a/devices")
            await client.post("/api/homes/a/devices/lock.front_door/commands", json={"command": "unlock"})
            await client.post("/api/conversation", json={"text": "거실 불 켜 줘"})
    bearer = {"Authorization": f"Bearer {made['secret']}"}
    async with httpx.AsyncClient(base_url=served.url, headers=bearer) as revoked:
        await revoked.get("/api/homes/a")
    # The server's records; the test's own HTTP client logs what it sends and receives.
    server_side = [r for r in every_log.records if not r.name.startswith(("httpx", "httpcore"))]
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in server_side)
    assert "POST /api/auth/login" in logged  # the access log was captured: the check below means something
    for secret in secrets:
        assert secret not in logged
