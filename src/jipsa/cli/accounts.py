"""``jipsa user`` and ``jipsa token``: the people who may sign in, their roles in homes, and API tokens.

Both work on the accounts database (``--accounts``, ``JIPSA_ACCOUNTS``) directly, so they work while
``jipsa serve`` runs too. Passwords are typed hidden or read from stdin, never given as options, so
they stay out of shell history and process lists; a token's secret is printed once, alone on stdout,
so that ``SECRET=$(jipsa token create --user kim)`` works.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NoReturn

import click

from jipsa.cli.table import pad, width
from jipsa.core.access import Role, Scope, parse_scopes
from jipsa.core.clock import SystemClock
from jipsa.core.errors import AccountError
from jipsa.store.accounts import AccountStore, Token

if TYPE_CHECKING:
    from jipsa.cli.main import _Ctx

_ROLES = click.Choice([role.value for role in Role])
_HOME_OPTION = click.option("--home-id", default=None,
                            help="The home's id [default: the home file's, e.g. home.yaml → home].")


def _fail(message: str) -> NoReturn:
    from jipsa.cli.main import _fail as fail  # late: main imports this module to register it

    fail(message)
    raise AssertionError("unreachable")  # pragma: no cover - _fail exits


@contextlib.contextmanager
def _accounts(obj: _Ctx) -> Iterator[AccountStore]:
    """The accounts store, with every error jipsa raises on purpose ending as one line (exit status 2)."""
    from jipsa.cli.main import _one_line_errors

    with _one_line_errors(), AccountStore.sqlite(obj.accounts, clock=SystemClock()) as store:
        yield store


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            _fail("no password on stdin (the first line is the password)")
        return line
    typed: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return typed


def _columns(header: Sequence[str], rows: Sequence[Sequence[str]]) -> Iterator[str]:
    """Rows as aligned columns (Hangul counted two wide), header first."""
    widths = [max(width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        yield "  ".join(pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()


def _when(at: datetime | None) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M") if at is not None else "-"


# -- jipsa user ---------------------------------------------------------------------------------------


@click.group("user")
def user_group() -> None:
    """People who may sign in, and their roles in homes."""


@user_group.command("add")
@click.argument("name")
@click.option("--display-name", default=None, help="The name shown to people [default: NAME].")
@click.option("--role", type=_ROLES, default=None,
              help="Their role in the home [default: owner for the very first user, else member].")
@_HOME_OPTION
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@click.pass_obj
def user_add(obj: _Ctx, name: str, display_name: str | None, role: str | None, home_id: str | None,
             password_stdin: bool) -> None:
    """Add a person who may sign in, as a member of the home."""
    home = home_id or obj.home_id
    with _accounts(obj) as store:
        if store.user(name) is not None:
            raise AccountError("exists", f"user {name!r} already exists")
        chosen = Role(role) if role else Role.MEMBER if store.has_users() else Role.OWNER
        added = store.add_user(name, _password(password_stdin), display_name=display_name)
        try:
            member = store.set_role(added.name, home, chosen)
        except AccountError:
            store.remove_user(added.name)  # all or nothing: no account without its home
            raise
    click.echo(f"user {added.name} added: {member.role} of {home}")


@user_group.command("list")
@click.pass_obj
def user_list(obj: _Ctx) -> None:
    """Show everyone who may sign in, with their homes and roles."""
    with _accounts(obj) as store:
        rows = [[u.name, u.display_name,
                 ", ".join(f"{home} ({role})" for home, role in store.homes_of(u.name).items()) or "-"]
                for u in store.users()]
    if not rows:
        click.echo("no users yet: jipsa user add NAME", err=True)
        return
    for line in _columns(["NAME", "DISPLAY NAME", "HOMES"], rows):
        click.echo(line)


@user_group.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@click.pass_obj
def user_passwd(obj: _Ctx, name: str, password_stdin: bool) -> None:
    """Set a person's password; they are signed out everywhere (their tokens keep working)."""
    with _accounts(obj) as store:
        if store.user(name) is None:
            raise AccountError("not_found", f"no user {name!r}")
        store.set_password(name, _password(password_stdin))
    click.echo(f"password of {name} changed; their sessions have ended")


@user_group.command("remove")
@click.argument("name")
@click.pass_obj
def user_remove(obj: _Ctx, name: str) -> None:
    """Delete a person's account, memberships, sessions and tokens."""
    with _accounts(obj) as store:
        store.remove_user(name)
    click.echo(f"user {name} removed")


@user_group.command("role")
@click.argument("name")
@click.argument("role", type=_ROLES)
@_HOME_OPTION
@click.pass_obj
def user_role(obj: _Ctx, name: str, role: str, home_id: str | None) -> None:
    """Give a person a role in the home (making them a member if they are not)."""
    home = home_id or obj.home_id
    with _accounts(obj) as store:
        member = store.set_role(name, home, Role(role))
    click.echo(f"{member.user.name} is now {member.role} of {home}")


@user_group.command("leave")
@click.argument("name")
@_HOME_OPTION
@click.pass_obj
def user_leave(obj: _Ctx, name: str, home_id: str | None) -> None:
    """Take a person out of the home; their tokens for it are revoked."""
    home = home_id or obj.home_id
    with _accounts(obj) as store:
        store.remove_member(name, home)
    click.echo(f"{name} is no longer a member of {home}; their tokens for it are revoked")


# -- jipsa token --------------------------------------------------------------------------------------


@click.group("token")
def token_group() -> None:
    """API tokens: how programs act for a person in one home."""


@token_group.command("create")
@click.option("--user", "user_name", required=True, help="The person the token acts for.")
@click.option("--name", "token_name", default="cli", show_default=True, help="What the token is for.")
@click.option("--scopes", default="read,control", show_default=True,
              help="What it may do: read, control, manage, admin (comma-separated).")
@click.option("--expires-days", type=click.IntRange(1, 3650), default=None,
              help="Stop working after this many days [default: never].")
@_HOME_OPTION
@click.pass_obj
def token_create(obj: _Ctx, user_name: str, token_name: str, scopes: str, expires_days: int | None,
                 home_id: str | None) -> None:
    """Make a token and print its secret, once."""
    try:
        scope_set = parse_scopes(scopes)
    except ValueError as exc:
        _fail(f"--scopes: {exc}")
    home = home_id or obj.home_id
    clock = SystemClock()
    expires = clock.now() + timedelta(days=expires_days) if expires_days is not None else None
    with _accounts(obj) as store:
        secret, token = store.create_token(user_name, home, token_name, scope_set, expires_at=expires)
    click.echo(f"token {token.id} for {token.user} in {home} ({_scopes(token)})"
               + (f", until {_when(token.expires_at)}" if token.expires_at else "")
               + ". Copy the secret now: it will not be shown again.", err=True)
    click.echo(secret)


@token_group.command("list")
@click.option("--user", "user_name", default=None, help="Only this person's tokens.")
@click.pass_obj
def token_list(obj: _Ctx, user_name: str | None) -> None:
    """Show tokens (never their secrets), newest first."""
    with _accounts(obj) as store:
        now = SystemClock().now()
        rows = [[str(tok.id), tok.user, tok.home, tok.name, _scopes(tok), _when(tok.created_at),
                 _when(tok.last_used_at), _status(tok, now)] for tok in store.tokens(user=user_name)]
    if not rows:
        click.echo("no tokens", err=True)
        return
    header = ["ID", "USER", "HOME", "NAME", "SCOPES", "CREATED", "LAST USED", "STATUS"]
    for line in _columns(header, rows):
        click.echo(line)


@token_group.command("revoke")
@click.argument("token_id", metavar="ID", type=click.IntRange(min=1))
@click.pass_obj
def token_revoke(obj: _Ctx, token_id: int) -> None:
    """Stop a token at once."""
    with _accounts(obj) as store:
        if store.get_token(token_id) is None:
            raise AccountError("not_found", f"no token {token_id}")
        revoked = store.revoke_token(token_id)
    click.echo(f"token {token_id} revoked" if revoked else f"token {token_id} was already revoked")


def _scopes(token: Token) -> str:
    return ",".join(s.value for s in Scope if s in token.scopes)


def _status(token: Token, now: datetime) -> str:
    if token.revoked:
        return "revoked"
    return "expired" if token.expires_at is not None and token.expires_at <= now else "active"
