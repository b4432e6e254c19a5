"""AccountStore on SQLite (and once on PostgreSQL): people, roles, sessions, tokens and the audit log.

Every test uses a real database in ``tmp_path``, a manual clock and an argon2 hasher with cheap
parameters. The PostgreSQL test makes its own database and drops it; without a server it is skipped,
except under ``CI=true``, where it fails.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path
from typing import NoReturn

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jipsa.core.access import Role, Scope
from jipsa.core.clock import ManualClock
from jipsa.core.errors import AccountError, StorageError
from jipsa.store.accounts import LAST_USED_EVERY, AccountStore, AuditRecord

PASSWORD = "correct horse"
READ_CONTROL = frozenset({Scope.READ, Scope.CONTROL})


def cheap_hasher(time_cost: int = 1) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=8, parallelism=1)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "accounts" / "home.accounts.db"


@pytest.fixture
def store(db_path: Path, clock: ManualClock) -> Iterator[AccountStore]:
    with AccountStore.sqlite(db_path, clock=clock, hasher=cheap_hasher()) as opened:
        yield opened


@pytest.fixture
def home(store: AccountStore) -> AccountStore:
    """The store with an owner ``kim`` and a member ``lee`` of ``home``."""
    for name in ("kim", "lee"):
        store.add_user(name, PASSWORD)
    store.set_role("kim", "home", Role.OWNER)
    store.set_role("lee", "home", Role.MEMBER)
    return store


def reason_of(excinfo: pytest.ExceptionInfo[AccountError]) -> str:
    return excinfo.value.reason


# -- users ----------------------------------------------------------------------------------------------


def test_a_user_is_added_and_read_back(store: AccountStore, clock: ManualClock) -> None:
    assert not store.has_users()
    made = store.add_user("Kim", PASSWORD, display_name="김철수")
    assert store.has_users()
    assert made.name == "Kim" and made.display_name == "김철수" and made.created_at == clock.now()
    assert store.user("kim") == store.user("KIM") == made
    assert store.users() == [made]
    assert store.add_user("lee", PASSWORD).display_name == "lee"  # defaults to the name


def test_users_are_listed_by_name_regardless_of_case(store: AccountStore) -> None:
    for name in ("park", "Kim", "lee", "김철수"):
        store.add_user(name, PASSWORD)
    assert [u.name for u in store.users()] == ["Kim", "lee", "park", "김철수"]


@pytest.mark.parametrize(("first", "second"), [
    ("kim", "kim"), ("kim", "KIM"), ("Anna.B", "anna.b"), ("김철수", "김철수"),
    ("한글", "\u1112\u1161\u11ab\u1100\u1173\u11af"),  # the same name, decomposed (as macOS types it)
])
def test_names_are_unique_regardless_of_case_and_form(store: AccountStore, first: str, second: str) -> None:
    store.add_user(first, PASSWORD)
    with pytest.raises(AccountError) as excinfo:
        store.add_user(second, "another password")
    assert reason_of(excinfo) == "exists"
    assert len(store.users()) == 1


@pytest.mark.parametrize("name", ["kim", "김철수", "kim.lee_2-x", "a" * 64, "Ωmega", "0"])
def test_valid_names(store: AccountStore, name: str) -> None:
    assert store.add_user(name, PASSWORD).name == name


@pytest.mark.parametrize("name", ["", "a" * 65, "kim lee", " kim", "kim/lee", "kim@home", "kim\x00",
                                  "²", "kim\n", "😀", "kim:1"])
def test_invalid_names(store: AccountStore, name: str) -> None:
    with pytest.raises(AccountError) as excinfo:
        store.add_user(name, PASSWORD)
    assert reason_of(excinfo) == "invalid"
    assert store.user(name) is None


@pytest.mark.parametrize(("password", "ok"), [
    ("x" * 8, True), ("x" * 1024, True), ("비밀번호는안알려줌", True), ("with spaces ok", True),
    ("", False), ("x" * 7, False), ("x" * 1025, False), ("lone\ud800surrogate", False),
])
def test_password_lengths(store: AccountStore, password: str, ok: bool) -> None:
    if ok:
        store.add_user("kim", password)
        assert store.authenticate("kim", password) is not None
    else:
        with pytest.raises(AccountError) as excinfo:
            store.add_user("kim", password)
        assert reason_of(excinfo) == "invalid"
        assert not store.has_users()


@pytest.mark.parametrize("display_name", ["", "   ", "x" * 101, "tab\there"])
def test_invalid_display_names(store: AccountStore, display_name: str) -> None:
    with pytest.raises(AccountError) as excinfo:
        store.add_user("kim", PASSWORD, display_name=display_name)
    assert reason_of(excinfo) == "invalid"


@pytest.mark.parametrize(("name", "password", "signed_in"), [
    ("kim", PASSWORD, True),
    ("KIM", PASSWORD, True),
    ("kim", PASSWORD.upper(), False),
    ("kim", PASSWORD + " ", False),
    ("kim", "", False),
    ("nobody", PASSWORD, False),
    ("", PASSWORD, False),
    ("kim\x00", PASSWORD, False),
    ("kim", "x" * 5000, False),
    ("kim", "\ud800", False),
])
def test_authenticate(home: AccountStore, name: str, password: str, signed_in: bool) -> None:
    user = home.authenticate(name, password)
    assert (user is not None) == signed_in
    if user is not None:
        assert user.name == "kim"


def test_a_hash_made_with_older_parameters_is_renewed_on_sign_in(db_path: Path, clock: ManualClock) -> None:
    with AccountStore.sqlite(db_path, clock=clock, hasher=cheap_hasher(time_cost=1)) as store:
        store.add_user("kim", PASSWORD)
    before = raw_rows(db_path, "users")[0]["password_hash"]
    with AccountStore.sqlite(db_path, clock=clock, hasher=cheap_hasher(time_cost=2)) as store:
        assert store.authenticate("kim", "wrong password") is None
        assert raw_rows(db_path, "users")[0]["password_hash"] == before  # only a right password rehashes
        assert store.authenticate("kim", PASSWORD) is not None
        after = raw_rows(db_path, "users")[0]["password_hash"]
        assert after != before and "t=2" in after
        assert store.authenticate("kim", PASSWORD) is not None


def test_a_new_password_replaces_the_old_and_ends_sessions(home: AccountStore) -> None:
    secret, _ = home.create_session("kim")
    token_secret, _ = home.create_token("kim", "home", "script", READ_CONTROL)
    home.set_password("KIM", "a new password")
    assert home.authenticate("kim", PASSWORD) is None
    assert home.authenticate("kim", "a new password") is not None
    assert home.session(secret) is None
    assert home.token(token_secret) is not None  # tokens are not sessions


@pytest.mark.parametrize(("name", "password", "reason"), [
    ("nobody", "a new password", "not_found"), ("kim", "short", "invalid")])
def test_set_password_refuses(home: AccountStore, name: str, password: str, reason: str) -> None:
    with pytest.raises(AccountError) as excinfo:
        home.set_password(name, password)
    assert reason_of(excinfo) == reason


def test_removing_a_user_removes_everything_of_theirs(home: AccountStore) -> None:
    session, _ = home.create_session("lee")
    token, _ = home.create_token("lee", "home", "script", READ_CONTROL)
    home.remove_user("LEE")
    assert home.user("lee") is None
    assert home.session(session) is None and home.token(token) is None
    assert home.tokens(user="lee") == [] and [m.user.name for m in home.members("home")] == ["kim"]
    assert home.homes_of("lee") == {}
    home.add_user("lee", PASSWORD)  # the name is free again, with nothing of the old account
    assert home.homes_of("lee") == {} and home.tokens() == []
    with pytest.raises(AccountError) as excinfo:
        home.remove_user("nobody")
    assert reason_of(excinfo) == "not_found"


# -- roles ----------------------------------------------------------------------------------------------


def test_roles_and_members(home: AccountStore) -> None:
    home.add_user("Park", PASSWORD)
    member = home.set_role("park", "home", Role.GUEST)
    assert (member.user.name, member.home, member.role) == ("Park", "home", Role.GUEST)
    home.set_role("park", "cabin", Role.OWNER)
    assert [(m.user.name, m.role) for m in home.members("home")] == [
        ("kim", Role.OWNER), ("lee", Role.MEMBER), ("Park", Role.GUEST)]
    assert home.homes_of("PARK") == {"cabin": Role.OWNER, "home": Role.GUEST}
    assert home.role("park", "home") is Role.GUEST
    assert home.role("park", "elsewhere") is None and home.role("nobody", "home") is None
    assert home.set_role("park", "home", Role.MEMBER).role is Role.MEMBER  # a change, not a second row
    assert len(home.members("home")) == 3 and home.members("nowhere") == []


@pytest.mark.parametrize("action", [
    "demote the last owner", "remove the last owner from the home", "remove the last owner's account"])
def test_a_home_keeps_an_owner(home: AccountStore, action: str) -> None:
    with pytest.raises(AccountError) as excinfo:
        if action == "demote the last owner":
            home.set_role("kim", "home", Role.MEMBER)
        elif action == "remove the last owner from the home":
            home.remove_member("kim", "home")
        else:
            home.remove_user("kim")
    assert reason_of(excinfo) == "last_owner"
    assert home.role("kim", "home") is Role.OWNER


def test_with_two_owners_one_may_step_down(home: AccountStore) -> None:
    home.set_role("lee", "home", Role.OWNER)
    assert home.set_role("kim", "home", Role.OWNER).role is Role.OWNER  # no change: always allowed
    home.set_role("kim", "home", Role.GUEST)
    with pytest.raises(AccountError) as excinfo:
        home.remove_member("lee", "home")
    assert reason_of(excinfo) == "last_owner"
    home.remove_member("kim", "home")
    assert [m.user.name for m in home.members("home")] == ["lee"]


@pytest.mark.parametrize(("call", "reason"), [
    (lambda s: s.set_role("nobody", "home", Role.MEMBER), "not_found"),
    (lambda s: s.set_role("lee", "", Role.MEMBER), "invalid"),
    (lambda s: s.set_role("lee", "a home", Role.MEMBER), "invalid"),
    (lambda s: s.set_role("lee", "h" * 65, Role.MEMBER), "invalid"),
    (lambda s: s.remove_member("lee", "elsewhere"), "not_found"),
    (lambda s: s.remove_member("lee", "ho\x00me"), "not_found"),
    (lambda s: s.remove_member("nobody", "home"), "not_found"),
])
def test_membership_refusals(home: AccountStore, call: Callable[[AccountStore], object], reason: str) -> None:
    with pytest.raises(AccountError) as excinfo:
        call(home)
    assert reason_of(excinfo) == reason


# -- sessions -------------------------------------------------------------------------------------------


def test_sessions_last_their_time(home: AccountStore, clock: ManualClock, db_path: Path) -> None:
    secret, made = home.create_session("Kim", ttl=timedelta(hours=1))
    assert made.expires_at == clock.now() + timedelta(hours=1) and made.user.name == "kim"
    found = home.session(secret)
    assert found == made and len(found.csrf_token) >= 40 and found.csrf_token != secret
    clock.advance(timedelta(minutes=59))
    assert home.session(secret) is not None
    clock.advance(timedelta(minutes=1))
    assert home.session(secret) is None
    assert raw_rows(db_path, "sessions") == []  # an expired session is deleted when seen


def test_signing_out_ends_one_session(home: AccountStore) -> None:
    first, _ = home.create_session("kim")
    second, _ = home.create_session("kim")
    assert first != second
    home.end_session(first)
    home.end_session("not a session")
    assert home.session(first) is None and home.session(second) is not None


def test_sessions_of_unknown_people_are_refused(store: AccountStore) -> None:
    with pytest.raises(AccountError) as excinfo:
        store.create_session("nobody")
    assert reason_of(excinfo) == "not_found"


# -- tokens ---------------------------------------------------------------------------------------------


def test_a_token_is_made_and_found(home: AccountStore, clock: ManualClock) -> None:
    secret, made = home.create_token("LEE", "home", "home assistant", READ_CONTROL)
    assert secret.startswith(f"jipsa_{made.id}_") and len(secret) > 40
    assert (made.user, made.home, made.name, made.scopes) == ("lee", "home", "home assistant", READ_CONTROL)
    assert made.created_at == clock.now() and not made.revoked and made.last_used_at is None
    found = home.token(secret)
    assert found == dataclasses.replace(made, last_used_at=clock.now())
    assert home.get_token(made.id) == found
    assert home.get_token(made.id + 1) is None and home.get_token(0) is None and home.get_token(2**70) is None


def test_tokens_are_listed_newest_first(home: AccountStore) -> None:
    home.set_role("lee", "cabin", Role.OWNER)
    ids = [home.create_token(user, place, "t", READ_CONTROL)[1].id
           for user, place in [("kim", "home"), ("lee", "home"), ("lee", "cabin")]]
    home.revoke_token(ids[0])
    assert [t.id for t in home.tokens()] == ids[::-1]
    assert [t.id for t in home.tokens(user="LEE")] == ids[:0:-1]
    assert [t.id for t in home.tokens(home="home")] == [ids[1], ids[0]]
    assert [t.id for t in home.tokens(user="lee", home="home")] == [ids[1]]
    assert home.tokens(user="nobody") == [] and home.tokens(user="\x00") == [] and home.tokens(home="") == []


def test_a_wrong_secret_with_a_right_id_is_refused(home: AccountStore) -> None:
    secret, made = home.create_token("kim", "home", "t", READ_CONTROL)
    other, _ = home.create_token("kim", "home", "t", READ_CONTROL)
    forged = f"jipsa_{made.id}_{other.split('_', 2)[2]}"
    assert home.token(forged) is None
    assert home.token(secret) is not None


@pytest.mark.parametrize("mangle", [
    lambda s: "", lambda s: "jipsa_", lambda s: "jipsa_1", lambda s: "jipsa_1_", lambda s: "jipsa_x_abc",
    lambda s: s + "x", lambda s: s[:-1], lambda s: s.upper(), lambda s: " " + s, lambda s: s + "\n",
    lambda s: "Bearer " + s, lambda s: s.replace("jipsa_", "jipsa_0"), lambda s: "jipsa_99_" + "a" * 43,
    lambda s: "jipsa_" + "9" * 30 + "_abc", lambda s: "jipsa_1_\x00", lambda s: s + "\ud800",
    lambda s: s.replace("jipsa_1_", "jipsa_１_"),  # a full-width digit
])
def test_malformed_secrets_find_nothing(home: AccountStore, mangle: Callable[[str], str]) -> None:
    secret, made = home.create_token("kim", "home", "t", READ_CONTROL)
    assert made.id == 1
    assert home.token(mangle(secret)) is None
    assert home.token(secret) is not None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(), st.from_regex(r"jipsa_[0-9]{0,25}_.{0,60}", fullmatch=True),
                      st.binary().map(lambda b: b.decode("utf-8", "surrogateescape"))))
def test_looking_up_arbitrary_text_never_raises(home: AccountStore, text: str) -> None:
    assert home.token(text) is None
    assert home.session(text) is None
    home.end_session(text)
    assert home.user(text) is None or text.lower() in ("kim", "lee")
    assert isinstance(home.homes_of(text), dict) and isinstance(home.members(text), list)


def test_a_revoked_token_stops_at_once(home: AccountStore, clock: ManualClock) -> None:
    secret, made = home.create_token("kim", "home", "t", READ_CONTROL)
    assert home.token(secret) is not None
    assert home.revoke_token(made.id) is True
    assert home.token(secret) is None
    assert home.revoke_token(made.id) is False and home.revoke_token(999) is False
    listed = home.get_token(made.id)
    assert listed is not None and listed.revoked


def test_a_token_expires(home: AccountStore, clock: ManualClock) -> None:
    expires = clock.now() + timedelta(days=1)
    secret, made = home.create_token("kim", "home", "t", READ_CONTROL, expires_at=expires)
    assert made.expires_at == clock.now() + timedelta(days=1)
    clock.advance(timedelta(days=1) - timedelta(seconds=1))
    assert home.token(secret) is not None
    clock.advance(1)
    assert home.token(secret) is None


def test_leaving_a_home_revokes_the_tokens_for_it(home: AccountStore) -> None:
    home.set_role("lee", "cabin", Role.MEMBER)
    for_home, _ = home.create_token("lee", "home", "t", READ_CONTROL)
    for_cabin, _ = home.create_token("lee", "cabin", "t", READ_CONTROL)
    home.set_role("lee", "home", Role.GUEST)
    assert home.token(for_home) is not None  # a new role keeps the token (the role limits it)
    home.remove_member("lee", "home")
    assert home.token(for_home) is None and home.token(for_cabin) is not None
    home.set_role("lee", "home", Role.MEMBER)
    assert home.token(for_home) is None  # coming back does not revive it


def test_a_token_stops_once_its_owner_is_no_member(home: AccountStore, db_path: Path) -> None:
    secret, _ = home.create_token("lee", "home", "t", READ_CONTROL)
    with closing(sqlite3.connect(db_path)) as conn, conn:  # as if removed behind the store's back
        conn.execute("DELETE FROM memberships WHERE home = 'home' AND role = 'member'")
    assert home.token(secret) is None


def test_last_used_moves_at_most_once_a_minute(home: AccountStore, clock: ManualClock) -> None:
    secret, made = home.create_token("kim", "home", "t", READ_CONTROL)
    first = clock.now()

    def last_used() -> datetime | None:
        token = home.get_token(made.id)
        assert token is not None
        return token.last_used_at

    assert home.token(secret) is not None and last_used() == first
    clock.advance(LAST_USED_EVERY - timedelta(seconds=1))
    assert home.token(secret) is not None and last_used() == first
    clock.advance(1)
    found = home.token(secret)
    assert found is not None and found.last_used_at == last_used() == clock.now()


@pytest.mark.parametrize(("user", "place", "name", "scopes", "days", "reason"), [
    ("nobody", "home", "t", [Scope.READ], None, "not_found"),
    ("lee", "cabin", "t", [Scope.READ], None, "invalid"),  # not a member there
    ("lee", "", "t", [Scope.READ], None, "invalid"),
    ("lee", "home", "", [Scope.READ], None, "invalid"),
    ("lee", "home", "x" * 101, [Scope.READ], None, "invalid"),
    ("lee", "home", "t", [], None, "invalid"),
    ("lee", "home", "t", ["root"], None, "invalid"),
    ("lee", "home", "t", [Scope.READ], 0, "invalid"),
    ("lee", "home", "t", [Scope.READ], -1, "invalid"),
])
def test_token_refusals(home: AccountStore, clock: ManualClock, user: str, place: str, name: str,
                        scopes: list[Scope], days: int | None, reason: str) -> None:
    expires = clock.now() + timedelta(days=days) if days is not None else None
    with pytest.raises(AccountError) as excinfo:
        home.create_token(user, place, name, scopes, expires_at=expires)
    assert reason_of(excinfo) == reason
    assert home.tokens() == []


# -- the audit log --------------------------------------------------------------------------------------


def record(clock: ManualClock, n: int, place: str = "home", **changes: object) -> AuditRecord:
    made = AuditRecord(at=clock.now(), home=place, user="kim", via="token:1", device_id=f"light.{n}",
                       command="turn_on", args={"brightness": n, "ok": True, "mode": None, "x": 0.5},
                       ok=True)
    return dataclasses.replace(made, **changes)  # type: ignore[arg-type]


def test_the_audit_log_pages_newest_first(store: AccountStore, clock: ManualClock) -> None:
    store.add_audit([record(clock, n) for n in range(5)])
    store.add_audit([record(clock, 99, place="cabin")])
    store.add_audit([])
    clock.advance(60)
    store.add_audit([record(clock, 5, ok=False, error="unavailable", text="불 켜 줘")])
    newest = store.audit("home")
    assert [e.device_id for e in newest] == [f"light.{n}" for n in (5, 4, 3, 2, 1, 0)]
    assert newest[0].error == "unavailable" and newest[0].text == "불 켜 줘" and not newest[0].ok
    assert newest[0].at == clock.now() and newest[1].args == {"brightness": 4, "ok": True, "mode": None,
                                                                "x": 0.5}
    first = store.audit("home", limit=2)
    second = store.audit("home", limit=2, before_id=first[-1].id)
    rest = store.audit("home", limit=10, before_id=second[-1].id)
    assert [e.id for e in first + second + rest] == [e.id for e in newest]
    assert store.audit("home", before_id=newest[-1].id) == [] and store.audit("home", limit=0) == []
    assert [e.device_id for e in store.audit("cabin")] == ["light.99"]
    assert store.audit("nowhere") == [] and store.audit("\x00") == []


def test_audit_misuse_raises_builtins(store: AccountStore, clock: ManualClock) -> None:
    with pytest.raises(ValueError, match="aware"):
        record(clock, 1, at=datetime(2026, 1, 1))
    with pytest.raises(TypeError):
        store.add_audit([record(clock, 1, args={"x": [1, 2]})])
    with pytest.raises(ValueError):
        store.audit("home", limit=-1)
    assert store.audit("home") == []


# -- what is stored -------------------------------------------------------------------------------------


def raw_rows(db_path: Path, table: str) -> list[dict[str, object]]:
    with closing(sqlite3.connect(db_path)) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute(f"SELECT * FROM {table}")]


def test_only_hashes_of_secrets_are_stored(home: AccountStore, db_path: Path) -> None:
    session, _ = home.create_session("kim")
    token, _ = home.create_token("kim", "home", "t", READ_CONTROL)
    home.close()
    dump = "\n".join(str(row) for table in ("users", "sessions", "api_tokens", "memberships")
                     for row in raw_rows(db_path, table))
    for secret in (PASSWORD, session, token, token.split("_", 2)[2]):
        assert secret not in dump
    for secret in (session, token):
        assert hashlib.sha256(secret.encode()).hexdigest() in dump
    assert "$argon2id$" in dump


def test_accounts_persist_across_opens(db_path: Path, clock: ManualClock) -> None:
    with AccountStore.sqlite(db_path, clock=clock, hasher=cheap_hasher()) as store:
        store.add_user("kim", PASSWORD)
        store.set_role("kim", "home", Role.OWNER)
        secret, _ = store.create_token("kim", "home", "t", READ_CONTROL)
    with AccountStore.sqlite(db_path, clock=clock, hasher=cheap_hasher()) as store:
        assert store.authenticate("kim", PASSWORD) is not None
        assert store.token(secret) is not None and store.role("kim", "home") is Role.OWNER


def test_open_failures_are_storage_errors(tmp_path: Path, clock: ManualClock) -> None:
    (tmp_path / "a file").write_text("")
    with pytest.raises(StorageError):
        AccountStore.sqlite(tmp_path / "a file" / "accounts.db", clock=clock)
    (tmp_path / "not a db").write_bytes(b"\x00garbage" * 1000)
    with pytest.raises(StorageError):
        AccountStore.sqlite(tmp_path / "not a db", clock=clock)
    with pytest.raises(StorageError, match="unsupported"):
        AccountStore("mysql://localhost/x", clock=clock)
    with pytest.raises(StorageError, match="URL"):
        AccountStore("::not a url::", clock=clock)


def test_a_closed_store_refuses_use(store: AccountStore) -> None:
    store.close()
    store.close()
    with pytest.raises(RuntimeError, match="closed"):
        store.users()


# -- PostgreSQL -----------------------------------------------------------------------------------------

_PG_CANDIDATES = ["postgresql+psycopg://postgres@127.0.0.1:5432/test",
                  "postgresql+psycopg://root@127.0.0.1:5432/test"]


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL tests cannot run under CI=true: {reason}")
    pytest.skip(reason)


@pytest.fixture
def pg_url() -> Iterator[sa.URL]:
    """A fresh database on the server at ``JIPSA_TEST_POSTGRES_URL`` or 127.0.0.1:5432, dropped after."""
    if importlib.util.find_spec("psycopg") is None:
        _unavailable('the psycopg driver is not installed (pip install "psycopg[binary]")')
    configured = os.environ.get("JIPSA_TEST_POSTGRES_URL")
    errors: list[str] = []
    for text in [configured] if configured else _PG_CANDIDATES:
        admin = sa.create_engine(text, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool,
                                 connect_args={"connect_timeout": 3})
        name = f"jipsa_test_{uuid.uuid4().hex[:12]}"
        try:
            with admin.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        except sa.exc.SQLAlchemyError as exc:
            errors.append(f"{admin.url.render_as_string(hide_password=True)}: {exc.__cause__ or exc}")
            admin.dispose()
            continue
        try:
            yield admin.url.set(database=name)
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
        return
    _unavailable("no PostgreSQL server reachable: " + "; ".join(errors))


@pytest.mark.integration
def test_accounts_on_postgresql(pg_url: sa.URL, clock: ManualClock) -> None:
    with AccountStore(pg_url.set(drivername="postgresql"), clock=clock, hasher=cheap_hasher()) as store:
        assert store.url.startswith("postgresql+psycopg://")
        store.add_user("Kim", PASSWORD, display_name="김철수")
        store.add_user("이영희", PASSWORD)
        with pytest.raises(AccountError, match="exists"):
            store.add_user("KIM", PASSWORD)
        store.set_role("kim", "home", Role.OWNER)
        store.set_role("이영희", "home", Role.GUEST)
        with pytest.raises(AccountError) as excinfo:
            store.set_role("kim", "home", Role.MEMBER)
        assert reason_of(excinfo) == "last_owner"
        assert [m.user.name for m in store.members("home")] == ["Kim", "이영희"]
        assert store.authenticate("KIM", PASSWORD) is not None and store.authenticate("kim", "nope") is None

        session, _ = store.create_session("kim", ttl=timedelta(hours=1))
        secret, made = store.create_token("이영희", "home", "t", READ_CONTROL,
                                          expires_at=clock.now() + timedelta(days=1))
        found = store.token(secret)
        assert found is not None and found.scopes == READ_CONTROL and found.expires_at == made.expires_at
        for text in ("jipsa_1_\x00", "\x00", "jipsa_" + "9" * 18 + "_abc", "jipsa_1_" + "a" * 43):
            assert store.token(text) is None and store.session(text) is None
            assert store.user(text) is None and store.members(text) == [] and store.audit(text) == []
        store.remove_member("이영희", "home")
        assert store.token(secret) is None
        clock.advance(timedelta(hours=2))
        assert store.session(session) is None

        store.add_audit([record(clock, n, text="불\x00켜") for n in range(3)])
        entries = store.audit("home", limit=2)
        assert [e.device_id for e in entries] == ["light.2", "light.1"]
        assert store.audit("home", before_id=entries[-1].id)[0].device_id == "light.0"
        assert entries[0].at == clock.now() and entries[0].text == "불\ufffd켜"
        store.add_user("park", PASSWORD)
        store.set_role("park", "home", Role.MEMBER)
        store.create_token("park", "home", "t", READ_CONTROL)
        store.remove_user("park")
        assert [t.user for t in store.tokens()] == ["이영희"]

    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            types = dict(conn.execute(sa.text(
                "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = current_schema()")).all())
            stored = conn.execute(sa.text("SELECT secret_hash FROM api_tokens")).scalar_one()
    finally:
        engine.dispose()
    assert types["api_tokens.id"] == "bigint" and types["audit_log.ok"] == "boolean"
    assert types["sessions.expires_at"] == "timestamp with time zone"
    assert stored == hashlib.sha256(secret.encode()).hexdigest()
