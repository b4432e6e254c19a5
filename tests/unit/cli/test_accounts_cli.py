"""``jipsa user`` and ``jipsa token`` through click's test runner, on a real accounts database.

No home file is needed: the accounts database lies beside where the home file would be
(``home.accounts.db``) and the home's id comes from its name (``home``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from jipsa.cli.main import cli
from jipsa.core.access import Role, Scope
from jipsa.core.clock import SystemClock
from jipsa.store.accounts import AccountStore

Jipsa = Callable[..., Result]
Accounts = Callable[[], AccountStore]
PASSWORD = "a good password"


@pytest.fixture
def jipsa(tmp_path: Path) -> Jipsa:
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None) -> Result:
        return runner.invoke(cli, ["--home", str(tmp_path / "home.yaml"), *args], input=stdin,
                             catch_exceptions=False)

    return invoke


@pytest.fixture
def accounts(tmp_path: Path) -> Accounts:
    return lambda: AccountStore.sqlite(tmp_path / "home.accounts.db", clock=SystemClock())


@pytest.fixture
def two_people(jipsa: Jipsa) -> Jipsa:
    """kim (the first user: owner) and lee (member) of ``home``."""
    for name in ("kim", "lee"):
        assert jipsa("user", "add", name, "--password-stdin", stdin=f"{PASSWORD}\n").exit_code == 0
    return jipsa


def refused(result: Result, *words: str) -> None:
    """Exit status 2 and one line on stderr that says why."""
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("jipsa: "), result.stderr
    for word in words:
        assert word in lines[0]
    assert "Traceback" not in result.output


def test_the_first_user_is_the_owner_and_the_next_a_member(jipsa: Jipsa,
                                                           accounts: Accounts) -> None:
    first = jipsa("user", "add", "kim", "--display-name", "김철수", "--password-stdin", stdin=f"{PASSWORD}\n")
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == "user kim added: owner of home"
    second = jipsa("user", "add", "lee", "--password-stdin", stdin=f"{PASSWORD}\r\nignored\n")
    assert second.stdout.strip() == "user lee added: member of home"
    listing = jipsa("user", "list").stdout.splitlines()
    assert listing[0].split() == ["NAME", "DISPLAY", "NAME", "HOMES"]
    assert listing[1].split() == ["kim", "김철수", "home", "(owner)"]
    assert listing[2].split() == ["lee", "lee", "home", "(member)"]
    with accounts() as store:
        assert store.authenticate("lee", PASSWORD) is not None  # the first line, without its \r\n


def test_a_password_is_prompted_for_twice_and_hidden(jipsa: Jipsa, accounts: Accounts) -> None:
    result = jipsa("user", "add", "kim", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    with accounts() as store:
        assert store.authenticate("kim", PASSWORD) is not None


@pytest.mark.parametrize(("args", "role", "home"), [
    (["--role", "guest"], Role.GUEST, "home"), (["--home-id", "cabin"], Role.MEMBER, "cabin"),
    (["--role", "owner", "--home-id", "cabin"], Role.OWNER, "cabin")])
def test_adding_with_a_role_or_home(two_people: Jipsa, accounts: Accounts, args: list[str],
                                    role: Role, home: str) -> None:
    result = two_people("user", "add", "park", *args, "--password-stdin", stdin=f"{PASSWORD}\n")
    assert result.stdout.strip() == f"user park added: {role} of {home}"
    with accounts() as store:
        assert store.homes_of("park") == {home: role}


@pytest.mark.parametrize(("args", "stdin", "words"), [
    (["user", "add", "KIM", "--password-stdin"], f"{PASSWORD}\n", ["already exists"]),
    (["user", "add", "park", "--password-stdin"], "short\n", ["8 to 1024"]),
    (["user", "add", "park", "--password-stdin"], "", ["no password"]),
    (["user", "add", "park lee", "--password-stdin"], f"{PASSWORD}\n", ["user name"]),
    (["user", "add", "park", "--home-id", "a b", "--password-stdin"], f"{PASSWORD}\n", ["home id"]),
    (["user", "passwd", "nobody", "--password-stdin"], f"{PASSWORD}\n", ["no user"]),
    (["user", "remove", "nobody"], None, ["no user"]),
    (["user", "role", "nobody", "member"], None, ["no user"]),
    (["user", "leave", "lee", "--home-id", "cabin"], None, ["not a member"]),
])
def test_refusals_are_one_line(two_people: Jipsa, accounts: Accounts, args: list[str],
                               stdin: str | None, words: list[str]) -> None:
    refused(two_people(*args, stdin=stdin), *words)
    with accounts() as store:
        assert [u.name for u in store.users()] == ["kim", "lee"]  # nothing half made


@pytest.mark.parametrize("args", [["user", "role", "kim", "member"], ["user", "leave", "kim"],
                                  ["user", "remove", "kim"]])
def test_the_last_owner_stays(two_people: Jipsa, accounts: Accounts, args: list[str]) -> None:
    refused(two_people(*args), "last owner")
    with accounts() as store:
        assert store.role("kim", "home") is Role.OWNER


def test_roles_change_and_people_leave(two_people: Jipsa, accounts: Accounts) -> None:
    assert two_people("user", "role", "lee", "owner").stdout.strip() == "lee is now owner of home"
    assert two_people("user", "role", "kim", "guest").exit_code == 0
    assert "kim is no longer a member of home" in two_people("user", "leave", "kim").stdout
    assert two_people("user", "remove", "kim").stdout.strip() == "user kim removed"
    with accounts() as store:
        assert [(m.user.name, m.role) for m in store.members("home")] == [("lee", Role.OWNER)]


def test_a_new_password(two_people: Jipsa, accounts: Accounts) -> None:
    result = two_people("user", "passwd", "kim", "--password-stdin", stdin="another password\n")
    assert result.exit_code == 0 and "password of kim changed" in result.stdout
    with accounts() as store:
        assert store.authenticate("kim", "another password") is not None
        assert store.authenticate("kim", PASSWORD) is None


def test_a_token_secret_is_shown_once(two_people: Jipsa, accounts: Accounts) -> None:
    made = two_people("token", "create", "--user", "lee", "--name", "home assistant", "--expires-days", "30")
    assert made.exit_code == 0, made.output
    secret = made.stdout.splitlines()[-1]
    assert made.stdout.strip() == secret and secret.startswith("jipsa_1_")
    assert "not be shown again" in made.stderr and secret not in made.stderr
    with accounts() as store:
        token = store.token(secret)
        assert token is not None and token.scopes == {Scope.READ, Scope.CONTROL} and token.expires_at
    listing = two_people("token", "list")
    assert listing.stdout.splitlines()[0].split()[:5] == ["ID", "USER", "HOME", "NAME", "SCOPES"]
    row = listing.stdout.splitlines()[1]
    assert row.split()[:4] == ["1", "lee", "home", "home"] and "read,control" in row and "active" in row
    assert secret not in listing.output and secret.split("_", 2)[2] not in listing.output


def test_tokens_are_revoked(two_people: Jipsa, accounts: Accounts) -> None:
    secret = two_people("token", "create", "--user", "kim", "--scopes", "read, admin").stdout.strip()
    two_people("token", "create", "--user", "lee")
    assert two_people("token", "revoke", "1").stdout.strip() == "token 1 revoked"
    assert two_people("token", "revoke", "1").stdout.strip() == "token 1 was already revoked"
    refused(two_people("token", "revoke", "99"), "no token 99")
    with accounts() as store:
        assert store.token(secret) is None
    mine = two_people("token", "list", "--user", "kim").stdout.splitlines()
    assert len(mine) == 2 and "read,admin" in mine[1] and mine[1].endswith("revoked")
    everyone = two_people("token", "list").stdout.splitlines()
    assert [line.split()[0] for line in everyone[1:]] == ["2", "1"]


def test_leaving_a_home_revokes_its_tokens(two_people: Jipsa) -> None:
    two_people("token", "create", "--user", "lee")
    two_people("user", "leave", "lee")
    assert two_people("token", "list").stdout.splitlines()[1].endswith("revoked")


@pytest.mark.parametrize(("args", "words"), [
    (["--user", "nobody"], ["no user"]),
    (["--user", "kim", "--home-id", "cabin"], ["not a member"]),
    (["--user", "kim", "--scopes", "read,root"], ["--scopes", "unknown scope"]),
    (["--user", "kim", "--scopes", ","], ["at least one scope"]),
    (["--user", "kim", "--name", " "], ["token name"]),
])
def test_token_refusals(two_people: Jipsa, args: list[str], words: list[str]) -> None:
    result = two_people("token", "create", *args)
    refused(result, *words)
    assert result.stdout == ""


def test_empty_lists_say_so(jipsa: Jipsa) -> None:
    assert jipsa("user", "list").stderr.strip() == "no users yet: jipsa user add NAME"
    assert jipsa("token", "list").stderr.strip() == "no tokens"
