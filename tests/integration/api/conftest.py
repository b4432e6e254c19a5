"""A real jipsa HTTP server for API tests: the demo home (and a second home), people in every role, and
uvicorn listening on a free port in the test's own event loop, reached over real HTTP and WebSocket."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from argon2 import PasswordHasher

from jipsa.api import ApiSettings, Server, create_api
from jipsa.app import App, Config
from jipsa.core.access import Role, Scope
from jipsa.core.clock import SystemClock
from jipsa.store.accounts import AccountStore

PASSWORD = "correct horse battery"
"""Every test person's password."""

PEOPLE = {"owner": Role.OWNER, "member": Role.MEMBER, "guest": Role.GUEST}
"""The people of home ``a`` and their roles; ``stranger`` belongs to home ``b`` only."""


@dataclass
class Served:
    """A running server and ways to reach it."""

    url: str
    """``http://127.0.0.1:<port>``."""
    server: Server
    """The homes and accounts behind it."""
    tokens: dict[str, str] = field(default_factory=dict)
    """An API token (all scopes the role allows) per person, for home ``a`` (``stranger``: home ``b``)."""
    token_ids: dict[str, int] = field(default_factory=dict)
    """The id of each token in ``tokens``."""

    @property
    def ws_url(self) -> str:
        """``ws://127.0.0.1:<port>``."""
        return "ws" + self.url.removeprefix("http")

    def add_token(self, key: str, user: str, home: str, scopes: Iterable[Scope]) -> int:
        """Make another token (for ``user`` in ``home``), reachable as ``client(key)``; its id."""
        secret, token = self.server.accounts.create_token(user, home, key, scopes)
        self.tokens[key], self.token_ids[key] = secret, token.id
        return token.id

    def client(self, who: str | None = None) -> httpx.AsyncClient:
        """A client authenticated with ``who``'s token (or none)."""
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return httpx.AsyncClient(base_url=self.url, headers=headers, timeout=10)

    @contextlib.asynccontextmanager
    async def web(self, who: str) -> AsyncIterator[httpx.AsyncClient]:
        """A client signed in as ``who`` through the web login, sending the CSRF header."""
        async with httpx.AsyncClient(base_url=self.url, timeout=10) as client:
            answer = await client.post("/api/auth/login", json={"username": who, "password": PASSWORD})
            assert answer.status_code == 200, answer.text
            client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
            yield client


def problem(answer: httpx.Response, status: int, slug: str | None = None) -> dict[str, Any]:
    """The RFC 9457 body of ``answer``, after checking its status, media type and required members."""
    assert answer.status_code == status, f"{answer.status_code} (not {status}): {answer.text}"
    assert answer.headers["content-type"] == "application/problem+json", answer.headers["content-type"]
    body: dict[str, Any] = answer.json()
    assert body["status"] == status
    assert isinstance(body["title"], str) and body["title"]
    assert body["type"].startswith("urn:jipsa:problem:")
    if slug is not None:
        assert body["type"] == f"urn:jipsa:problem:{slug}", body
    return body


async def eventually(check: Callable[[], Awaitable[bool]], *, within: float = 3.0) -> None:
    """Wait until ``check()`` holds (for what the server writes behind), failing after ``within`` s."""
    deadline = time.monotonic() + within
    while not await check():
        assert time.monotonic() < deadline, f"not true within {within} s"
        await asyncio.sleep(0.05)


def _free_socket() -> socket.socket:
    # IPPROTO_TCP named, so that asyncio turns Nagle off on accepted connections (as it does on sockets
    # it makes itself); otherwise every keep-alive response waits ~40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    sock.setblocking(False)
    return sock


class _Uvicorn(uvicorn.Server):
    """uvicorn, stopping as soon as it is told: its own loop notices ``should_exit`` within 0.1 s and then
    waits 0.1 s more for connections to close, a fifth of a second per test."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.stop = asyncio.Event()

    async def main_loop(self) -> None:
        await self.on_tick(0)
        await self.stop.wait()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        async with asyncio.timeout(5):
            while self.server_state.connections:
                await asyncio.sleep(0.005)
            # The clients have gone; a live stream notices only at its next check, up to a second later.
            for task in self.server_state.tasks:
                task.cancel()
            while self.server_state.tasks:
                await asyncio.sleep(0.005)
        for server in self.servers:
            await server.wait_closed()


@contextlib.asynccontextmanager
async def serving(root: Path, demo_text: str, settings: ApiSettings | None = None) -> AsyncIterator[Served]:
    """Homes ``a`` (the demo home) and ``b`` (the demo home again, someone else's) behind a real server,
    their files and databases under ``root``, in the running event loop; ``settings`` if given, else
    insecure cookies (plain http), 5 sign-ins and 30 turns a minute."""
    for name in ("a", "b"):
        (root / f"{name}.yaml").write_text(demo_text, encoding="utf-8")
    clock = SystemClock()
    accounts = AccountStore.sqlite(root / "accounts.db", clock=clock,
                                   hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    for name, role in PEOPLE.items():
        accounts.add_user(name, PASSWORD)
        accounts.set_role(name, "a", role)
    accounts.add_user("stranger", PASSWORD)
    accounts.set_role("stranger", "b", Role.OWNER)
    tokens, token_ids = {}, {}
    for name, role in [*PEOPLE.items(), ("stranger", Role.OWNER)]:
        home = "b" if name == "stranger" else "a"
        scopes = [s for s in Scope if s is not Scope.ADMIN or role is Role.OWNER]
        tokens[name], token = accounts.create_token(name, home, "tests", scopes)
        token_ids[name] = token.id
    apps = {name: App(Config(home_path=root / f"{name}.yaml", tick=0.05), clock=clock)
            for name in ("a", "b")}
    server = Server(apps, accounts, settings or ApiSettings(secure_cookies=False, logins_per_minute=5,
                                                            turns_per_minute=30))
    sock = _free_socket()
    port = sock.getsockname()[1]
    web = _Uvicorn(uvicorn.Config(create_api(server), log_level="warning", lifespan="off",
                                  ws="websockets-sansio"))
    web.config.setup_event_loop = lambda: None  # type: ignore[method-assign]
    async with server:
        task = asyncio.create_task(web.serve(sockets=[sock]))
        while not web.started:
            await asyncio.sleep(0.01)
            if task.done():
                task.result()
        try:
            yield Served(f"http://127.0.0.1:{port}", server, tokens, token_ids)
        finally:
            web.stop.set()
            await task
            sock.close()
    accounts.close()


@pytest.fixture
async def served(tmp_path: Path, demo_text: str) -> AsyncIterator[Served]:
    """A server of its own for one test (see :func:`serving`)."""
    async with serving(tmp_path, demo_text) as running:
        yield running
