"""The accounts' data: their tables, the records read from and written to them, and what a name may be.

The accounts live in a database of their own (``home.accounts.db`` beside ``home.db`` by default), so
the tables have a :class:`~sqlalchemy.MetaData` apart from :mod:`jipsa.store.schema`'s; their names differ
from the home store's all the same, so that both may share one PostgreSQL database. Times are
:class:`~jipsa.store.schema.UtcDateTime`. Credentials are kept only as hashes: argon2 for passwords,
SHA-256 for session and token secrets. :mod:`jipsa.store.accounts` reads and writes them.

::

    users        id ↑ → name, name_key (NFC, lower case, unique), display_name, password_hash, created_at
    memberships  (user_id, home) → role                                       index (home)
    sessions     secret_hash → user_id, csrf_token, created_at, expires_at    index (user_id)
    api_tokens   id ↑ → user_id, home, name, secret_hash, scopes, created_at, expires_at?,
                 last_used_at?, revoked_at?                                   index (user_id), (home)
    audit_log    id ↑ → at, home, user, via, device_id, command, args (JSON), ok, error?, text?
                 index (home, id)
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from jipsa.core.access import Role, Scope
from jipsa.core.capabilities import Value
from jipsa.core.errors import AccountError, StorageError
from jipsa.store.schema import UtcDateTime

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

metadata = sa.MetaData()

users = sa.Table(
    "users", metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(64), nullable=False),
    # Names are unique regardless of case: the key is the lower-cased name.
    sa.Column("name_key", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.String(100), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sqlite_autoincrement=True,
)

memberships = sa.Table(
    "memberships", metadata,
    sa.Column("user_id", _ID, sa.ForeignKey("users.id"), primary_key=True),
    sa.Column("home", sa.String(64), primary_key=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Index("memberships_home", "home"),
)

sessions = sa.Table(
    "sessions", metadata,
    sa.Column("secret_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", _ID, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.Index("sessions_user_id", "user_id"),
)

api_tokens = sa.Table(
    "api_tokens", metadata,
    # Never reused (AUTOINCREMENT on SQLite): a token id names one token for ever, also after deletion.
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("user_id", _ID, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("home", sa.String(64), nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("secret_hash", sa.String(64), nullable=False),
    sa.Column("scopes", sa.String(100), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=True),
    sa.Column("last_used_at", UtcDateTime, nullable=True),
    sa.Column("revoked_at", UtcDateTime, nullable=True),
    sa.Index("api_tokens_user_id", "user_id"),
    sa.Index("api_tokens_home", "home"),
    sqlite_autoincrement=True,
)

audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("home", sa.String(64), nullable=False),
    # A name, not a key: the log outlives the people in it.
    sa.Column("user", sa.String(64), nullable=False),
    sa.Column("via", sa.String(64), nullable=False),
    sa.Column("device_id", sa.String(255), nullable=False),
    sa.Column("command", sa.String(255), nullable=False),
    sa.Column("args", sa.Text, nullable=False),
    sa.Column("ok", sa.Boolean, nullable=False),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("text", sa.Text, nullable=True),
    sa.Index("audit_log_home_id", "home", "id"),
    sqlite_autoincrement=True,
)


# -- the records ---------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class User:
    """A person who may sign in."""

    id: int
    """The store's id."""
    name: str
    """The sign-in name, as given (unique regardless of case)."""
    display_name: str
    """The name shown to people."""
    created_at: datetime
    """When the account was made."""


@dataclass(frozen=True, slots=True)
class Member:
    """A person's standing in one home."""

    user: User
    """The person."""
    home: str
    """The home's id."""
    role: Role
    """What the person may do there."""


@dataclass(frozen=True, slots=True)
class Token:
    """An API token, without its secret (which is shown once, when made)."""

    id: int
    """The token's id (also inside its secret)."""
    user: str
    """Its owner's user name."""
    home: str
    """The one home it is for."""
    name: str
    """What its owner called it."""
    scopes: frozenset[Scope]
    """What it may be used for (within its owner's role)."""
    created_at: datetime
    """When it was made."""
    expires_at: datetime | None
    """When it stops working by itself, if ever."""
    last_used_at: datetime | None
    """When it was last used, to the minute (:data:`LAST_USED_EVERY`)."""
    revoked: bool
    """Whether it was revoked."""


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in browser."""

    user: User
    """Who signed in."""
    csrf_token: str
    """What the browser must echo in ``X-CSRF-Token`` on every change."""
    created_at: datetime
    """When the person signed in."""
    expires_at: datetime
    """When the session ends by itself."""


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One command, as written to the audit log."""

    at: datetime
    """When it was sent (aware)."""
    home: str
    """The home's id."""
    user: str
    """Who sent it (``system`` for jipsa's own schedules)."""
    via: str
    """How: ``web``, ``token:<id>``, ``cli``, ``schedule``."""
    device_id: str
    """The device it was for."""
    command: str
    """The command's name."""
    args: Mapping[str, Value]
    """The command's arguments."""
    ok: bool
    """Whether it was carried out."""
    error: str | None = None
    """Why not, if not."""
    text: str | None = None
    """What the person said, where it came from the assistant."""

    def __post_init__(self) -> None:
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise ValueError(f"an audit time must be time-zone aware, not {self.at!r}")


@dataclass(frozen=True, slots=True)
class AuditEntry(AuditRecord):
    """One command as read back from the audit log: an :class:`AuditRecord` with its id."""

    id: int = 0
    """The entry's id; page backwards with ``before_id``."""


# -- what may be stored ---------------------------------------------------------------------------------

_HOME_RE = re.compile(r"[^\s\x00-\x1f\x7f\ud800-\udfff]{1,64}")


def name_key(name: str) -> str | None:
    """The key a user name is stored under (NFC, lower case), or ``None`` if no account can have it: a
    name is 1 to 64 letters (Hangul included), ASCII digits, ``.``, ``_`` or ``-``."""
    if not isinstance(name, str) or len(name) > 256:
        return None
    name = unicodedata.normalize("NFC", name)
    if not 1 <= len(name) <= 64 or not all(ch.isalpha() or ch in "0123456789._-" for ch in name):
        return None
    key = name.lower()
    return key if len(key) <= 64 else None


def valid_name(name: str) -> str:
    """``name`` in NFC, or ``AccountError("invalid")``."""
    if name_key(name) is None:
        raise AccountError("invalid", "a user name is 1 to 64 letters, digits, '.', '_' or '-'")
    return unicodedata.normalize("NFC", name)


def valid_text(text: str, what: str, longest: int) -> str:
    """``text`` stripped, 1 to ``longest`` printable characters, or ``AccountError("invalid")``."""
    text = text.strip()
    if not 1 <= len(text) <= longest or not text.isprintable():
        raise AccountError("invalid", f"a {what} is 1 to {longest} printable characters")
    return text


def home_ok(home: str) -> bool:
    """Whether ``home`` can be a home id: 1 to 64 characters, no spaces, control characters or lone
    surrogates."""
    return isinstance(home, str) and _HOME_RE.fullmatch(home) is not None


def valid_home(home: str) -> str:
    """``home``, or ``AccountError("invalid")``."""
    if not home_ok(home):
        raise AccountError("invalid", f"not a home id: {str(home)[:70]!r}")
    return home


# -- rows and records ------------------------------------------------------------------------------------

USER_COLUMNS = (users.c.id, users.c.name, users.c.display_name, users.c.created_at)
"""The columns :func:`user_from_row` reads."""


def user_from_row(row: Any) -> User:
    """A :class:`User` from a row with :data:`USER_COLUMNS`."""
    return User(row.id, row.name, row.display_name, row.created_at)


def token_query() -> sa.Select[Any]:
    """Tokens with their owner's name, the columns :func:`token_from_row` reads."""
    tok = api_tokens
    return sa.select(tok.c.id, users.c.name.label("user"), tok.c.home, tok.c.name, tok.c.scopes,
                     tok.c.created_at, tok.c.expires_at, tok.c.last_used_at,
                     tok.c.revoked_at).join_from(tok, users)


def token_from_row(row: Any) -> Token:
    """A :class:`Token` from a row of :func:`token_query`."""
    try:
        scopes = frozenset(Scope(s) for s in row.scopes.split(",") if s)
    except ValueError as exc:
        raise StorageError(f"token {row.id} has an unknown scope: {row.scopes!r}") from exc
    return Token(row.id, row.user, row.home, row.name, scopes, row.created_at, row.expires_at,
                 row.last_used_at, row.revoked_at is not None)


def scopes_text(scopes: frozenset[Scope]) -> str:
    """Scopes as stored: ``read,control`` (in :class:`Scope`'s order)."""
    return ",".join(s.value for s in Scope if s in scopes)


def encode_args(args: Mapping[str, Value]) -> str:
    """A command's arguments as stored (JSON); ``TypeError`` for what is not a :data:`Value`."""
    for key, value in args.items():
        if not isinstance(key, str) or not (value is None or isinstance(value, bool | int | float | str)):
            raise TypeError(f"not a command argument (bool, int, float, str or None): {key!r}={value!r}")
    return json.dumps(dict(args), ensure_ascii=False, separators=(",", ":"))


def audit_row(record: AuditRecord) -> dict[str, Any]:
    """A row of the audit log. NUL characters, which PostgreSQL's text refuses, are replaced: a request
    with one in it is still audited."""
    def text(value: str | None) -> str | None:
        return value.replace("\x00", "\ufffd") if value is not None else None

    return {"at": record.at, "home": record.home, "user": text(record.user), "via": text(record.via),
            "device_id": text(record.device_id), "command": text(record.command),
            "args": encode_args(record.args), "ok": bool(record.ok), "error": text(record.error),
            "text": text(record.text)}


def entry_from_row(row: Any) -> AuditEntry:
    """An :class:`AuditEntry` from a row of the audit log."""
    args = json.loads(row.args)
    return AuditEntry(id=row.id, at=row.at, home=row.home, user=row.user, via=row.via,
                      device_id=row.device_id, command=row.command,
                      args=args if isinstance(args, dict) else {}, ok=bool(row.ok), error=row.error,
                      text=row.text)
