"""A bounded property-based fuzz run over the API's own OpenAPI description (schemathesis): whatever a
caller sends, valid by the schema or not, the server never answers 5xx, and every error it answers is a
problem document.

schemathesis calls the server synchronously, so the server runs in a thread of its own with its own
event loop here (elsewhere it shares the test's loop).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

from jipsa.api import ApiSettings
from tests.integration.api.conftest import PASSWORD, Served, serving

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("JIPSA_FUZZ_EXAMPLES", "12"))
"""Examples per operation, per caller and per kind of data (valid by the schema, or not). The same ones
every run (derandomised), unless ``JIPSA_FUZZ_EXAMPLES`` asks for a longer, random run."""
RANDOM = "JIPSA_FUZZ_EXAMPLES" in os.environ

KNOWN: dict[str, list[str]] = {
    "home_id": ["a", "b", "nowhere"],
    "device_id": ["light.living_room", "lock.front_door", "climate.living_room", "vehicle.car", "nothing"],
    "routine_id": ["movie", "home_again", "nothing"],
    "schedule_id": ["1", "2", "0", "-1", str(2**63), str(2**64)],
    "user": ["guest", "member", "stranger", "nobody"],
    "token_id": ["1", "2", "3", "4", "5", "0", str(2**63), str(2**64)],
}
"""Values that exist, and ids just past what a database holds, for path parameters: random strings alone
would rarely get past the 404s, nor random numbers reach the edges."""


@contextlib.contextmanager
def server_in_a_thread(root: Path, demo_text: str) -> Iterator[Served]:
    """The test server, run by a thread with its own event loop, for as long as the block lasts."""
    started = threading.Event()
    found: dict[str, Any] = {}

    async def main() -> None:
        limits = ApiSettings(secure_cookies=False, logins_per_minute=10_000, turns_per_minute=10_000)
        async with serving(root, demo_text, limits) as served:
            found.update(served=served, loop=asyncio.get_running_loop(), stop=asyncio.Event())
            started.set()
            await found["stop"].wait()

    def run() -> None:
        try:
            asyncio.run(main())
        except BaseException as exc:
            found["error"] = exc
            started.set()

    thread = threading.Thread(target=run, name="api-server", daemon=True)
    thread.start()
    started.wait(30)
    if "error" in found:
        raise found["error"]
    try:
        yield found["served"]
    finally:
        found["loop"].call_soon_threadsafe(found["stop"].set)
        thread.join(30)
        if "error" in found:
            raise found["error"]


def web_session(served: Served, who: str) -> requests.Session:
    """A signed-in browser session (cookie and CSRF header)."""
    session = requests.Session()
    session.trust_env = False
    answer = session.post(f"{served.url}/api/auth/login", json={"username": who, "password": PASSWORD},
                          timeout=10)
    answer.raise_for_status()
    session.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return session


def token_session(served: Served, who: str) -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    session.headers["Authorization"] = f"Bearer {served.tokens[who]}"
    return session


def fuzz(served: Served, session: requests.Session, *, skip: frozenset[str] = frozenset()) -> list[str]:
    """Every operation's examples, sent through ``session``; what went wrong, as lines."""
    schema = schemathesis.openapi.from_url(f"{served.url}/api/openapi.json")
    wrong: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.label in skip:
            continue
        for mode in schemathesis.GenerationMode:
            try:
                wrong += fuzz_one(served, session, operation, mode)
            except Unsatisfiable:
                if mode is schemathesis.GenerationMode.POSITIVE:
                    raise
                # Nothing about the operation can be invalid (it takes no input): no negative examples.
    return wrong


def fuzz_one(served: Served, session: requests.Session, operation: schemathesis.APIOperation,
             mode: schemathesis.GenerationMode) -> list[str]:
    """One operation's examples of one kind; what went wrong, as lines."""
    wrong: list[str] = []
    path_values = {name: st.sampled_from(values) for name, values in KNOWN.items()
                   if name in operation.path_parameters}

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=not RANDOM,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode), known=st.fixed_dictionaries(path_values),
           use_known=st.booleans())
    def check(case: schemathesis.Case, known: dict[str, str], use_known: bool) -> None:
        if use_known and known:
            case.path_parameters = {**(case.path_parameters or {}), **known}
        answer = case.call(base_url=served.url, session=session, timeout=10)
        where = f"{case.method} {case.formatted_path} ({mode.value}): {answer.status_code}"
        if answer.status_code >= 500:
            wrong.append(f"{where} {answer.text[:300]} <- {case.body!r:.200}")
        elif answer.status_code >= 400:
            kind = answer.headers.get("content-type", [""])[0]
            if kind != "application/problem+json" or not answer.json().get("type"):
                wrong.append(f"{where} not a problem document: {kind} {answer.text[:200]}")

    check()
    return wrong


@pytest.mark.parametrize("who", ["owner-token", "owner-web"])
def test_no_request_makes_the_server_fail(tmp_path: Path, demo_text: str, who: str) -> None:
    with server_in_a_thread(tmp_path, demo_text) as served:
        person, how = who.split("-")
        session = web_session(served, person) if how == "web" else token_session(served, person)
        # Signing out would end the web session halfway through the run.
        wrong = fuzz(served, session, skip=frozenset({"POST /api/auth/logout"}))
    assert not wrong, "\n".join(wrong)
