"""``AccountStore``: people, their roles in homes, web sessions, API tokens and the audit log.

The accounts live in their own database (SQLite by default, or PostgreSQL), created on first open, with
the same connection settings and error translation as :class:`~jipsa.store.sql.SqlStore`: every method
is one transaction, driver errors become :class:`~jipsa.core.errors.StorageError`, and requests that
cannot be done as asked raise :class:`~jipsa.core.errors.AccountError` (``exists``, ``not_found``,
``invalid``, ``last_owner``).

Secrets are never stored: passwords as argon2 hashes (the hasher is injected, so tests can make it
cheap), session and token secrets as their SHA-256. A token's secret is ``jipsa_<id>_<random>``, so a
lookup loads one row by id and compares hashes in constant time. Hashing runs outside the store's
lock, and a name that does not exist is checked against a dummy hash all the same, so the time a login
takes does not tell which names exist. Nothing here logs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from jipsa.core.access import Role, Scope
from jipsa.core.clock import Clock
from jipsa.core.errors import AccountError, StorageError
from jipsa.store import accounts_schema as t
from jipsa.store.accounts_schema import AuditEntry, AuditRecord, Member, Session, Token, User
from jipsa.store.engine import Database

__all__ = ["LAST_USED_EVERY", "MAX_PASSWORD", "MIN_PASSWORD", "TOKEN_PREFIX", "AccountStore", "AuditEntry",
           "AuditRecord", "Member", "Session", "Token", "User"]

TOKEN_PREFIX = "jipsa_"
"""How every API token's secret begins."""
LAST_USED_EVERY = timedelta(minutes=1)
"""A token's ``last_used_at`` moves at most this often, so that using it is not a write per request."""
MIN_PASSWORD, MAX_PASSWORD = 8, 1024
"""Password lengths, in characters."""

_TOKEN_RE = re.compile(r"jipsa_([0-9]{1,18})_([A-Za-z0-9_-]{1,128})")
_MAX_ID = 2**63 - 1
_PG_LOCK = 0x6A69707361_01  # serialises concurrent first opens of one PostgreSQL database


class AccountStore(Database):
    """Users, memberships, sessions, tokens and the audit log in a SQL database.

    ``url`` is a SQLAlchemy URL (``sqlite:///path``, ``postgresql://user@host/db``); the tables are made
    on first open. ``clock`` stamps every time; ``hasher`` hashes passwords (argon2's defaults if none).
    """

    def __init__(self, url: str | sa.URL, *, clock: Clock, hasher: PasswordHasher | None = None) -> None:
        self._clock = clock
        self._hasher = hasher if hasher is not None else PasswordHasher()
        self._dummy: str | None = None
        super().__init__(url)
        if self._engine.dialect.name == "sqlite":
            sa.event.listen(self._engine, "connect", _foreign_keys_on)
        try:
            with self._transaction("create the accounts tables", write=True) as conn:
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_LOCK)))
                t.metadata.create_all(conn)
        except BaseException:
            self.close()
            raise

    @classmethod
    def sqlite(cls, path: str | os.PathLike[str], *, clock: Clock,
               hasher: PasswordHasher | None = None) -> AccountStore:
        """Accounts in the SQLite file at ``path``, made (with its folder) if missing."""
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot make the folder of {os.fspath(path)}: {exc.strerror}") from exc
        return cls(sa.URL.create("sqlite+pysqlite", database=os.fspath(path)), clock=clock, hasher=hasher)

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        return self._url

    # -- users ----------------------------------------------------------------------------------------

    def has_users(self) -> bool:
        """Whether anyone has an account yet."""
        with self._transaction("count users") as conn:
            return conn.execute(sa.select(t.users.c.id).limit(1)).first() is not None

    def add_user(self, name: str, password: str, *, display_name: str | None = None) -> User:
        """Make an account; ``exists`` if the name is taken in any case, ``invalid`` for a bad field."""
        name = t.valid_name(name)
        shown = t.valid_text(name if display_name is None else display_name, "display name", 100)
        hashed = self._hash(password)
        now = self._clock.now()
        row = {"name": name, "name_key": t.name_key(name), "display_name": shown, "password_hash": hashed,
               "created_at": now}
        try:
            with self._transaction("add a user", write=True) as conn:
                if _user_row(conn, name) is not None:
                    raise AccountError("exists", f"user {name!r} already exists")
                key = conn.execute(sa.insert(t.users).values(**row)).inserted_primary_key
        except StorageError as exc:
            if isinstance(exc.__cause__, IntegrityError):  # made by someone else meanwhile
                raise AccountError("exists", f"user {name!r} already exists") from exc
            raise
        return User(int(key[0]) if key is not None else 0, name, shown, now)

    def set_password(self, name: str, password: str) -> None:
        """Change a password; the person's sessions end (tokens stay)."""
        hashed = self._hash(password)
        with self._transaction("change a password", write=True) as conn:
            user = _require_user(conn, name)
            conn.execute(sa.update(t.users).where(t.users.c.id == user.id).values(password_hash=hashed))
            conn.execute(sa.delete(t.sessions).where(t.sessions.c.user_id == user.id))

    def remove_user(self, name: str) -> None:
        """Delete an account with its memberships, sessions and tokens; ``last_owner`` if a home would be
        left without an owner."""
        with self._transaction("remove a user", write=True) as conn:
            user = _require_user(conn, name)
            owned = conn.execute(sa.select(t.memberships.c.home).where(
                t.memberships.c.user_id == user.id, t.memberships.c.role == Role.OWNER.value)).scalars()
            for home in list(owned):
                _keep_an_owner(conn, home, user)
            for table in (t.sessions, t.api_tokens, t.memberships):
                conn.execute(sa.delete(table).where(table.c.user_id == user.id))
            conn.execute(sa.delete(t.users).where(t.users.c.id == user.id))

    def user(self, name: str) -> User | None:
        """The account of this name (in any case), if any."""
        with self._transaction("read a user") as conn:
            return _user_row(conn, name)

    def users(self) -> list[User]:
        """Every account, by name."""
        with self._transaction("read users") as conn:
            rows = conn.execute(sa.select(*t.USER_COLUMNS).order_by(t.users.c.name_key)).all()
        return [t.user_from_row(row) for row in rows]

    def authenticate(self, name: str, password: str) -> User | None:
        """The person, if ``password`` is theirs; ``None`` otherwise, taking as long for unknown names."""
        key = t.name_key(name)
        query = sa.select(*t.USER_COLUMNS, t.users.c.password_hash).where(t.users.c.name_key == key)
        with self._transaction("read a user") as conn:
            row = conn.execute(query).first() if key is not None else None
        if row is None:
            self._verify(self._dummy_hash(), password)
            return None
        if not self._verify(row.password_hash, password):
            return None
        if self._hasher.check_needs_rehash(row.password_hash):
            rehashed = self._hasher.hash(password)
            with self._transaction("rehash a password", write=True) as conn:
                conn.execute(sa.update(t.users).where(t.users.c.id == row.id,
                                                      t.users.c.password_hash == row.password_hash)
                             .values(password_hash=rehashed))
        return t.user_from_row(row)

    # -- memberships ----------------------------------------------------------------------------------

    def set_role(self, name: str, home: str, role: Role) -> Member:
        """Make the person a member of ``home`` with ``role``, or change their role there."""
        role = Role(role)
        home = t.valid_home(home)
        m = t.memberships
        with self._transaction("set a role", write=True) as conn:
            user = _require_user(conn, name)
            where = (m.c.user_id == user.id, m.c.home == home)
            current = conn.execute(sa.select(m.c.role).where(*where)).scalar_one_or_none()
            if current is None:
                conn.execute(sa.insert(m).values(user_id=user.id, home=home, role=role.value))
            elif current != role.value:
                if current == Role.OWNER.value:
                    _keep_an_owner(conn, home, user)
                conn.execute(sa.update(m).where(*where).values(role=role.value))
        return Member(user, home, role)

    def remove_member(self, name: str, home: str) -> None:
        """Take the person out of ``home``; their tokens for it are revoked."""
        m = t.memberships
        with self._transaction("remove a member", write=True) as conn:
            user = _require_user(conn, name)
            where = (m.c.user_id == user.id, m.c.home == home)
            current = (conn.execute(sa.select(m.c.role).where(*where)).scalar_one_or_none()
                       if t.home_ok(home) else None)
            if current is None:
                raise AccountError("not_found", f"{user.name} is not a member of {home!r}")
            if current == Role.OWNER.value:
                _keep_an_owner(conn, home, user)
            conn.execute(sa.delete(m).where(*where))
            tok = t.api_tokens
            conn.execute(sa.update(tok).where(tok.c.user_id == user.id, tok.c.home == home,
                                              tok.c.revoked_at.is_(None)).values(revoked_at=self._clock.now()))

    def role(self, name: str, home: str) -> Role | None:
        """The person's role in ``home``, if they belong to it."""
        return self.homes_of(name).get(home)

    def members(self, home: str) -> list[Member]:
        """Everyone in ``home``, by name."""
        if not t.home_ok(home):
            return []
        query = (sa.select(*t.USER_COLUMNS, t.memberships.c.role).join_from(t.users, t.memberships)
                 .where(t.memberships.c.home == home).order_by(t.users.c.name_key))
        with self._transaction("read members") as conn:
            rows = conn.execute(query).all()
        return [Member(t.user_from_row(row), home, Role(row.role)) for row in rows]

    def homes_of(self, name: str) -> dict[str, Role]:
        """The homes the person belongs to, with their role in each (none for an unknown name)."""
        key = t.name_key(name)
        if key is None:
            return {}
        m = t.memberships
        query = (sa.select(m.c.home, m.c.role).join_from(m, t.users)
                 .where(t.users.c.name_key == key).order_by(m.c.home))
        with self._transaction("read memberships") as conn:
            return {home: Role(role) for home, role in conn.execute(query)}

    # -- sessions -------------------------------------------------------------------------------------

    def create_session(self, name: str, *, ttl: timedelta = timedelta(days=14)) -> tuple[str, Session]:
        """Sign the person in: the session's secret (for the cookie, shown only now) and the session."""
        if ttl <= timedelta(0):
            raise ValueError("a session must last a while")
        secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = self._clock.now()
        with self._transaction("start a session", write=True) as conn:
            user = _require_user(conn, name)
            conn.execute(sa.delete(t.sessions).where(t.sessions.c.expires_at <= now))  # housekeeping
            conn.execute(sa.insert(t.sessions).values(secret_hash=_sha256(secret), user_id=user.id,
                                                      csrf_token=csrf, created_at=now, expires_at=now + ttl))
        return secret, Session(user, csrf, now, now + ttl)

    def session(self, secret: str) -> Session | None:
        """The live session of this secret; ``None`` if unknown or expired (an expired one is deleted)."""
        digest = _sha256(secret)
        if digest is None:
            return None
        s = t.sessions
        query = sa.select(*t.USER_COLUMNS, s.c.csrf_token, s.c.created_at.label("started_at"),
                          s.c.expires_at).join_from(s, t.users).where(s.c.secret_hash == digest)
        with self._transaction("read a session") as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        if row.expires_at <= self._clock.now():
            self.end_session(secret)
            return None
        return Session(t.user_from_row(row), row.csrf_token, row.started_at, row.expires_at)

    def end_session(self, secret: str) -> None:
        """Sign out: the session of this secret ends (nothing happens for an unknown one)."""
        digest = _sha256(secret)
        if digest is not None:
            with self._transaction("end a session", write=True) as conn:
                conn.execute(sa.delete(t.sessions).where(t.sessions.c.secret_hash == digest))

    # -- API tokens -----------------------------------------------------------------------------------

    def create_token(self, name: str, home: str, token_name: str, scopes: Iterable[Scope], *,
                     expires_at: datetime | None = None) -> tuple[str, Token]:
        """Make a token for a member of ``home``: its secret (shown only now) and the token."""
        token_name = t.valid_text(token_name, "token name", 100)
        try:
            scope_set = frozenset(Scope(s) for s in scopes)
        except ValueError as exc:
            raise AccountError("invalid", str(exc)) from None
        if not scope_set:
            raise AccountError("invalid", "a token needs at least one scope")
        now = self._clock.now()
        if expires_at is not None and expires_at <= now:
            raise AccountError("invalid", "a token cannot expire before it is made")
        tok = t.api_tokens
        with self._transaction("make a token", write=True) as conn:
            user = _require_user(conn, name)
            if not _is_member(conn, user.id, home):
                raise AccountError("invalid", f"{user.name} is not a member of {home!r}")
            # The secret holds the id, so the row comes first and gets its hash once the id is known.
            key = conn.execute(sa.insert(tok).values(
                user_id=user.id, home=home, name=token_name, secret_hash="", scopes=t.scopes_text(scope_set),
                created_at=now, expires_at=expires_at)).inserted_primary_key
            token_id = int(key[0]) if key is not None else 0
            secret = f"{TOKEN_PREFIX}{token_id}_{secrets.token_urlsafe(32)}"
            conn.execute(sa.update(tok).where(tok.c.id == token_id).values(secret_hash=_sha256(secret)))
        return secret, Token(token_id, user.name, home, token_name, scope_set, now, expires_at, None, False)

    def token(self, secret: str) -> Token | None:
        """The token this secret belongs to, while it works: ``None`` for a malformed, unknown, revoked or
        expired secret, or once its owner has left its home. Never raises for what a client sends."""
        match = _TOKEN_RE.fullmatch(secret) if isinstance(secret, str) else None
        if match is None:
            return None
        token_id, digest = int(match.group(1)), _sha256(secret)
        tok, m = t.api_tokens, t.memberships
        query = (t.token_query().add_columns(tok.c.secret_hash, m.c.role)
                 .outerjoin(m, sa.and_(m.c.user_id == tok.c.user_id, m.c.home == tok.c.home))
                 .where(tok.c.id == token_id))
        with self._transaction("read a token") as conn:
            row = conn.execute(query).first()
        now = self._clock.now()
        if (row is None or digest is None or not hmac.compare_digest(row.secret_hash, digest)
                or row.revoked_at is not None or row.role is None
                or (row.expires_at is not None and row.expires_at <= now)):
            return None
        found = t.token_from_row(row)
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_EVERY:
            with self._transaction("note a token's use", write=True) as conn:
                conn.execute(sa.update(tok).where(tok.c.id == token_id).values(last_used_at=now))
            found = dataclasses.replace(found, last_used_at=now)
        return found

    def get_token(self, token_id: int) -> Token | None:
        """The token of this id, revoked or not, if it exists."""
        if not 0 < token_id <= _MAX_ID:
            return None
        with self._transaction("read a token") as conn:
            row = conn.execute(t.token_query().where(t.api_tokens.c.id == token_id)).first()
        return t.token_from_row(row) if row is not None else None

    def tokens(self, *, user: str | None = None, home: str | None = None) -> list[Token]:
        """Tokens, newest first, revoked ones too; only this person's or this home's if given."""
        query = t.token_query().order_by(t.api_tokens.c.id.desc())
        if user is not None:
            key = t.name_key(user)
            if key is None:
                return []
            query = query.where(t.users.c.name_key == key)
        if home is not None:
            if not t.home_ok(home):
                return []
            query = query.where(t.api_tokens.c.home == home)
        with self._transaction("read tokens") as conn:
            return [t.token_from_row(row) for row in conn.execute(query)]

    def revoke_token(self, token_id: int) -> bool:
        """Stop a token at once; ``True`` if it had not been revoked yet (``False`` also if unknown)."""
        if not 0 < token_id <= _MAX_ID:
            return False
        tok = t.api_tokens
        with self._transaction("revoke a token", write=True) as conn:
            result = conn.execute(sa.update(tok).where(tok.c.id == token_id, tok.c.revoked_at.is_(None))
                                  .values(revoked_at=self._clock.now()))
            revoked: bool = result.rowcount == 1
        return revoked

    # -- audit log ------------------------------------------------------------------------------------

    def add_audit(self, records: Sequence[AuditRecord]) -> None:
        """Write commands to the audit log, in order, in one transaction."""
        rows = [t.audit_row(record) for record in records]
        if rows:
            with self._transaction("write the audit log", write=True) as conn:
                conn.execute(sa.insert(t.audit_log), rows)

    def audit(self, home: str, *, limit: int = 50, before_id: int | None = None) -> list[AuditEntry]:
        """The home's audit log, newest first; page backwards with the last id as ``before_id``."""
        if limit < 0:
            raise ValueError("limit must not be negative")
        if not t.home_ok(home):
            return []
        a = t.audit_log
        query = sa.select(a).where(a.c.home == home)
        if before_id is not None:
            query = query.where(a.c.id < min(max(before_id, 0), _MAX_ID))
        with self._transaction("read the audit log") as conn:
            rows = conn.execute(query.order_by(a.c.id.desc()).limit(limit)).all()
        return [t.entry_from_row(row) for row in rows]

    # -- internals ------------------------------------------------------------------------------------

    def _hash(self, password: str) -> str:
        if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD or _sha256(password) is None:
            raise AccountError("invalid", f"a password is {MIN_PASSWORD} to {MAX_PASSWORD} characters")
        return self._hasher.hash(password)

    def _verify(self, hashed: str, password: str) -> bool:
        try:
            return len(password) <= MAX_PASSWORD and self._hasher.verify(hashed, password)
        except (VerificationError, InvalidHashError, UnicodeEncodeError):
            return False

    def _dummy_hash(self) -> str:
        if self._dummy is None:  # made once, with the store's own hasher, so it costs what a real one does
            self._dummy = self._hasher.hash(secrets.token_urlsafe(16))
        return self._dummy


def _foreign_keys_on(dbapi_connection: Any, record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _sha256(secret: str) -> str | None:
    try:
        return hashlib.sha256(secret.encode("utf-8")).hexdigest()
    except UnicodeEncodeError:  # lone surrogates: no secret of ours
        return None


def _user_row(conn: Connection, name: str) -> User | None:
    key = t.name_key(name)
    if key is None:
        return None
    row = conn.execute(sa.select(*t.USER_COLUMNS).where(t.users.c.name_key == key)).first()
    return t.user_from_row(row) if row is not None else None


def _require_user(conn: Connection, name: str) -> User:
    user = _user_row(conn, name)
    if user is None:
        raise AccountError("not_found", f"no user {str(name)[:70]!r}")
    return user


def _is_member(conn: Connection, user_id: int, home: str) -> bool:
    m = t.memberships
    query = sa.select(m.c.role).where(m.c.user_id == user_id, m.c.home == home)
    return t.home_ok(home) and conn.execute(query).first() is not None


def _keep_an_owner(conn: Connection, home: str, leaving: User) -> None:
    """``last_owner`` unless ``home`` has an owner besides ``leaving``.

    Every owner row is locked (PostgreSQL; SQLite's write lock already covers it), so of two owners
    stepping down at once the second sees the first gone and is refused.
    """
    m = t.memberships
    owners = conn.execute(sa.select(m.c.user_id).where(m.c.home == home, m.c.role == Role.OWNER.value)
                          .with_for_update()).scalars().all()
    if not any(owner != leaving.id for owner in owners):
        raise AccountError("last_owner", f"{leaving.name} is the last owner of {home!r}; make someone "
                           "else an owner first")
