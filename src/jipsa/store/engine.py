"""Connections to the stores' databases: one engine recipe for SQLite (WAL, busy timeout, explicit
BEGIN, BEGIN IMMEDIATE for writers) and PostgreSQL, shared by the home store and the accounts store."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool

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
