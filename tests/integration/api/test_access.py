"""Who may call what: every route of the API against every kind of caller, by the rights table of
docs/api.md, and the isolation of homes (a home that is not yours answers 404 for everything).

``ROUTES`` holds one row per operation in the app's OpenAPI description; a route added without a row
fails :func:`test_every_route_has_a_row`.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi.routing import APIRoute, APIWebSocketRoute

from jipsa.api import routes_auth, routes_homes, routes_live
from jipsa.core.access import Role, Scope
from tests.integration.api.conftest import PASSWORD, Served, problem, serving

RIGHTS: Mapping[Role, frozenset[str]] = {
    Role.OWNER: frozenset({"read", "control", "manage", "admin"}),
    Role.MEMBER: frozenset({"read", "control", "manage"}),
    Role.GUEST: frozenset({"read", "control"}),
}
"""The rights table of docs/api.md, written out again: what each role may do in its home."""

EVERY_SCOPE = frozenset(s.value for s in Scope)


@dataclass(frozen=True, slots=True)
class Route:
    """One operation, with a request that succeeds for a caller who may make it."""

    method: str
    """The HTTP method."""
    path: str
    """The path as the OpenAPI description writes it (``{home_id}`` …)."""
    need: str
    """``none`` (public), ``signed-in`` (any person or token), ``person`` (a web session, no token), or the
    scope it takes in the home: ``read``, ``control``, ``manage``, ``admin``."""
    ok: int
    """The status of success."""
    body: dict[str, Any] | None = None
    """The JSON body; the strings ``{home}`` and ``{visitor}`` in it become the home asked about and the
    caller's own throwaway member."""
    fill: Mapping[str, str] = field(default_factory=dict)
    """Path values of this row that differ from the usual ones."""
    in_home: bool = False
    """Whether it acts in a home although its path names none (the home is in the body)."""

    @property
    def under_home(self) -> bool:
        """Whether the route belongs to one home (and so answers 404 to anyone outside it)."""
        return self.in_home or self.path.startswith("/api/homes/{home_id}")

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


ROUTES: tuple[Route, ...] = (
    Route("GET", "/api/health", "none", 200),
    Route("POST", "/api/auth/login", "none", 200, {"username": "{visitor}", "password": PASSWORD}),
    Route("GET", "/api/auth/session", "signed-in", 200),
    Route("GET", "/api/homes", "signed-in", 200),
    Route("GET", "/api/tokens", "person", 200),
    Route("POST", "/api/tokens", "person", 201, {"home": "{home}", "name": "probe", "scopes": ["read"]},
          in_home=True),
    Route("DELETE", "/api/tokens/{token_id}", "person", 204),
    Route("POST", "/api/conversation", "control", 200, {"text": "거실 불 켜 줘", "home": "{home}"},
          in_home=True),
    Route("GET", "/api/homes/{home_id}", "read", 200),
    Route("GET", "/api/homes/{home_id}/areas", "read", 200),
    Route("GET", "/api/homes/{home_id}/devices", "read", 200),
    Route("GET", "/api/homes/{home_id}/devices/{device_id}", "read", 200),
    Route("POST", "/api/homes/{home_id}/devices/{device_id}/commands", "control", 200,
          {"command": "turn_on"}),
    Route("GET", "/api/homes/{home_id}/routines", "read", 200),
    Route("POST", "/api/homes/{home_id}/routines/{routine_id}/run", "control", 200, {}),
    Route("GET", "/api/homes/{home_id}/schedules", "read", 200),
    Route("POST", "/api/homes/{home_id}/schedules", "manage", 201, {"text": "30분 뒤에 TV 꺼 줘"}),
    Route("DELETE", "/api/homes/{home_id}/schedules/{schedule_id}", "manage", 204),
    Route("GET", "/api/homes/{home_id}/history", "manage", 200),
    Route("GET", "/api/homes/{home_id}/requests", "manage", 200),
    Route("GET", "/api/homes/{home_id}/audit", "admin", 200),
    Route("GET", "/api/homes/{home_id}/members", "admin", 200),
    Route("PUT", "/api/homes/{home_id}/members/{user}", "admin", 200, {"role": "guest"}),
    Route("DELETE", "/api/homes/{home_id}/members/{user}", "admin", 204, fill={"user": "{visitor}"}),
    Route("POST", "/api/auth/logout", "person", 204),  # last: it ends a web caller's session
)


@dataclass(frozen=True, slots=True)
class Who:
    """A kind of caller."""

    name: str
    """The test id."""
    user: str | None
    """The person (``None``: nobody signed in)."""
    web: bool = False
    """Signed in through the web (else an API token, if ``user``)."""
    scopes: frozenset[str] = EVERY_SCOPE
    """What the credential allows (a web session: everything the role allows)."""

    @property
    def role(self) -> Role | None:
        """The person's role in home ``a``."""
        return {"owner": Role.OWNER, "member": Role.MEMBER, "guest": Role.GUEST}.get(self.user or "")

    def expected(self, route: Route) -> int:
        """The status docs/api.md promises this caller for ``route`` in home ``a``."""
        if route.need == "none":
            return route.ok
        if self.user is None:
            return 401
        if route.need == "signed-in":
            return route.ok
        if route.need == "person" and not self.web:
            return 403
        if route.under_home and self.role is None:
            return 404
        if route.need == "person" or self.role is None:
            return route.ok
        allowed = route.need in RIGHTS[self.role] and route.need in self.scopes
        return route.ok if allowed else 403


CALLERS = (
    Who("nobody", None),
    Who("owner", "owner"),
    Who("member", "member"),
    Who("guest", "guest"),
    Who("owner-web", "owner", web=True),
    Who("member-web", "member", web=True),
    Who("guest-web", "guest", web=True),
    Who("owner-read-only", "owner", scopes=frozenset({"read"})),
    Who("owner-control-only", "owner", scopes=frozenset({"control"})),
    Who("owner-manage-only", "owner", scopes=frozenset({"manage"})),
    Who("stranger", "stranger"),
    Who("stranger-web", "stranger", web=True),
)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared(tmp_path_factory: pytest.TempPathFactory, demo_text: str) -> AsyncIterator[Served]:
    """One server for every caller of the table (understanding Korean is set up once per home); each
    caller gets a schedule, member and token of its own to delete."""
    async with serving(tmp_path_factory.mktemp("access"), demo_text) as running:
        yield running


_numbers = itertools.count(1)


@contextlib.asynccontextmanager
async def client_of(served: Served, who: Who) -> AsyncIterator[httpx.AsyncClient]:
    """A client that calls as ``who``."""
    if who.web and who.user is not None:
        async with served.web(who.user) as client:
            yield client
        return
    key = who.user
    if who.user is not None and who.scopes != EVERY_SCOPE:
        key = f"{who.name}-{next(_numbers)}"
        served.add_token(key, who.user, "a", [Scope(s) for s in who.scopes])
    async with served.client(key) as client:
        yield client


async def prepare(served: Served, who: Who) -> dict[str, str]:
    """What the usual requests act on: a schedule to delete, a member to remove (who also signs in), a
    token to revoke; each new, so that callers sharing a server do not take each other's."""
    accounts = served.server.accounts
    visitor = f"visitor{next(_numbers)}"
    accounts.add_user(visitor, PASSWORD)
    accounts.set_role(visitor, "a", Role.GUEST)
    app = served.server.apps["a"]
    now = app.clock.now()
    schedule = app.store.add_schedule(text="1시간 뒤에 TV 꺼 줘", frames=[], next_at=now + timedelta(hours=1),
                                      created_at=now)
    owner = who.user or "owner"
    _, spare = accounts.create_token(owner, "b" if owner == "stranger" else "a", "spare", [Scope.READ])
    return {"home_id": "a", "device_id": "light.living_room", "routine_id": "home_again",
            "schedule_id": str(schedule.id), "user": "guest", "token_id": str(spare.id), "visitor": visitor}


async def call(client: httpx.AsyncClient, route: Route, values: Mapping[str, str]) -> httpx.Response:
    """Make ``route``'s request, its path and body filled with ``values``."""
    fill = {k: v.format_map(values) for k, v in route.fill.items()}
    path = route.path.format_map({**values, **fill})
    body = ({k: v.format_map({"home": values["home_id"], **values}) if isinstance(v, str) else v
             for k, v in route.body.items()} if route.body is not None else None)
    return await client.request(route.method, path, json=body)


async def test_every_route_has_a_row(served: Served) -> None:
    async with served.client() as client:
        spec = (await client.get("/api/openapi.json")).json()
    described = {f"{method.upper()} {path}" for path, ops in spec["paths"].items() for method in ops}
    routed = set()
    for module in (routes_auth, routes_homes, routes_live):
        for route in module.router.routes:
            if isinstance(route, APIRoute):
                routed |= {f"{method} {route.path}" for method in route.methods}
            elif isinstance(route, APIWebSocketRoute):
                routed.add(f"WEBSOCKET {route.path}")
    assert described == {str(r) for r in ROUTES}
    # Nothing is left out of the description; the one WebSocket is tested in test_live.py.
    assert routed == described | {"WEBSOCKET /api/homes/{home_id}/events"}


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("who", CALLERS, ids=lambda w: w.name)
async def test_every_route_answers_each_caller_as_the_rights_table_says(shared: Served, who: Who) -> None:
    values = await prepare(shared, who)
    wrong = []
    async with client_of(shared, who) as client:
        for route in ROUTES:
            if route.path == "/api/auth/login":  # a fresh client, or the caller's cookie would change
                async with shared.client() as fresh:
                    answer = await call(fresh, route, values)
            else:
                answer = await call(client, route, values)
            if answer.status_code != who.expected(route):
                wrong.append(f"{route}: {answer.status_code} (expected {who.expected(route)}) {answer.text}")
            elif answer.status_code >= 400:
                problem(answer, answer.status_code)
    assert not wrong, "\n".join(wrong)


OUTSIDERS_OF_B = tuple(w for w in CALLERS if w.name in ("owner", "member", "guest", "owner-read-only",
                                                          "owner-web", "guest-web"))


@pytest.mark.parametrize("who", OUTSIDERS_OF_B, ids=lambda w: w.name)
async def test_another_home_answers_404_for_everything(served: Served, who: Who) -> None:
    if not who.web:
        # The owner of ``a`` is even a member of ``b``: a token for ``a`` must not reach it all the same.
        served.server.accounts.set_role("owner", "b", Role.MEMBER)
    values = {**await prepare(served, who), "home_id": "b"}
    wrong = []
    async with client_of(served, who) as client:
        for route in ROUTES:
            if not route.under_home or (route.need == "person" and not who.web):
                continue
            answer = await call(client, route, values)
            if answer.status_code != 404:
                wrong.append(f"{route}: {answer.status_code} {answer.text}")
            else:
                problem(answer, 404, "not-found")
    assert not wrong, "\n".join(wrong)


async def test_a_home_you_may_not_see_looks_like_one_that_does_not_exist(served: Served) -> None:
    async with served.client("owner") as client:
        theirs = problem(await client.get("/api/homes/b/devices/light.living_room"), 404, "not-found")
        nowhere = problem(await client.get("/api/homes/nowhere/devices/light.living_room"), 404, "not-found")
        listed = (await client.get("/api/homes")).json()["items"]
    assert {k: v for k, v in theirs.items() if k != "instance"} == {
        k: v for k, v in nowhere.items() if k != "instance"}
    assert [h["id"] for h in listed] == ["a"]


async def test_a_persons_own_homes_are_listed_with_their_role(served: Served) -> None:
    served.server.accounts.set_role("member", "b", Role.GUEST)
    async with served.web("member") as client:
        homes = (await client.get("/api/homes")).json()["items"]
    async with served.client("member") as client:
        token_homes = (await client.get("/api/homes")).json()["items"]
    assert [(h["id"], h["role"]) for h in homes] == [("a", "member"), ("b", "guest")]
    assert [(h["id"], h["role"]) for h in token_homes] == [("a", "member")]  # a token sees its home only


async def test_a_web_session_of_a_member_of_two_homes_reaches_both(served: Served) -> None:
    served.server.accounts.set_role("member", "b", Role.GUEST)
    async with served.web("member") as client:
        a = await client.get("/api/homes/a/devices/lock.front_door")
        b = await client.get("/api/homes/b/devices/lock.front_door")
        b_history = await client.get("/api/homes/b/history")
    assert (a.status_code, b.status_code) == (200, 200)
    problem(b_history, 403, "forbidden")  # a guest in ``b``
