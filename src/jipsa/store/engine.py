"""Connections to the stores' databases: one engine recipe for SQLite (WAL, busy timeout, explicit
BEGIN, BEGIN IMMEDIATE for writers) and PostgreSQL, shared by the home store and the accounts store."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from jipsa.core.errors import StorageError

WRITE = "jipsa_write"
"""Execution option: this transaction writes (``BEGIN IMMEDIATE`` on SQLite, so it never has to upgrade
a read lock and fail with "database is locked")."""


def create_engine(url: sa.URL, busy_timeout: float) -> Engine:
    """An engine for ``url`` with jipsa's connection settings."""
    if url.get_backend_name() == "postgresql":
        # One connection is enough (the store serialises its callers); pre-ping survives a restarted server.
        return sa.create_engine(url, pool_size=1, max_overflow=0, pool_pre_ping=True)
    in_memory = url.database in (None, "", ":memory:")
    if in_memory:
        # One shared connection, or every thread would see its own empty database.
        engine = sa.create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        engine = sa.create_engine(url, pool_size=1, max_overflow=0)
    timeout_ms = int(busy_timeout * 1000)

    def on_connect(dbapi_connection: Any, record: Any) -> None:
        # We emit BEGIN ourselves (see on_begin): the sqlite3 module's implicit transactions neither
        # cover DDL, which migrations need, nor take the write lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
            if not in_memory:
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    def on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    sa.event.listen(engine, "connect", on_connect)
    sa.event.listen(engine, "begin", on_begin)
    return engine


def error_detail(exc: BaseException) -> str:
    """The driver's own message where there is one; SQLAlchemy's adds the statement and a link."""
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        return str(exc.orig) or type(exc.orig).__name__
    return str(exc) or type(exc).__name__


class Database:
    """One SQL database (SQLite or PostgreSQL) used one transaction at a time, from any thread.

    The base of the stores: it checks the URL (plain ``postgresql://`` means psycopg 3), makes the engine,
    and gives :meth:`_transaction`, which turns database errors into :class:`StorageError`. Closing twice is
    harmless; using a closed store is a programming error (``RuntimeError``).
    """

    def __init__(self, url: str | sa.URL, *, busy_timeout: float = 5.0) -> None:
        if busy_timeout < 0:
            raise ValueError("busy_timeout must not be negative")
        try:
            parsed = sa.make_url(url)
        except SQLAlchemyError as exc:
            raise StorageError(f"not a database URL: {url!r}") from exc
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        self._url = parsed.render_as_string(hide_password=True)
        backend = parsed.get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            raise StorageError(f"unsupported database {backend!r} in {self._url}: "
                               "jipsa stores in SQLite or PostgreSQL")
        self._lock = threading.Lock()
        self._closed = False
        try:
            self._engine = create_engine(parsed, busy_timeout)
        except ImportError as exc:
            raise StorageError(f"the database driver for {self._url} is not installed: {exc}") from exc
        except SQLAlchemyError as exc:
            raise StorageError(f"cannot use the database {self._url}: {error_detail(exc)}") from exc
        self._writer = self._engine.execution_options(**{WRITE: True})

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        return self._url

    def close(self) -> None:
        """Release the connection; closing twice is harmless, using a closed store is an error."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._url!r})"

    @contextmanager
    def _transaction(self, action: str, *, write: bool = False) -> Iterator[Connection]:
        """One transaction, committed on leaving; database errors become :class:`StorageError`."""
        with self._lock:
            if self._closed:
                raise RuntimeError(f"{self!r} is closed")
            try:
                with (self._writer if write else self._engine).begin() as conn:
                    yield conn
            except (SQLAlchemyError, sqlite3.Error) as exc:
                raise StorageError(f"could not {action} at {self._url}: {error_detail(exc)}") from exc
