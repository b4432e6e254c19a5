"""Creating the schema on first open and bringing older schemas up to :data:`SCHEMA_VERSION`.

The version lives in the ``meta`` table under ``schema_version``. A new database gets the current
schema in one go; an older one runs the steps in :data:`UPGRADES` one version at a time, in the same
transaction as the version bump, so an upgrade either happens entirely or not at all (PostgreSQL and
SQLite both have transactional DDL). A database written by a newer jipsa is refused rather than
guessed at: this code cannot know what the newer schema means.

A change to the schema adds a step here, bumps :data:`~jipsa.store.schema.SCHEMA_VERSION` and adds a
test that opens a database of the old version.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from jipsa.core.errors import StorageError
from jipsa.store.schema import SCHEMA_VERSION, VERSION_2_TABLES, meta, metadata

VERSION_KEY = "schema_version"



def _to_2(conn: Connection) -> None:
    """Version 2: request history, schedules and routines made by voice."""
    metadata.create_all(conn, tables=list(VERSION_2_TABLES))


UPGRADES: Mapping[int, Callable[[Connection], None]] = {1: _to_2}
"""``version → step`` that turns a schema of ``version`` into one of ``version + 1``."""

_PG_MIGRATION_LOCK = 0x6A69707361  # "jipsa": serialises concurrent first opens of one database


def read_schema_version(conn: Connection) -> int | None:
    """The schema version of the database, or ``None`` where jipsa has not created its tables yet."""
    if not sa.inspect(conn).has_table(meta.name):
        return None
    text = conn.execute(sa.select(meta.c.value).where(meta.c.key == VERSION_KEY)).scalar_one_or_none()
    if text is None:
        raise StorageError("the database has a 'meta' table without a schema version: "
                           "it was not written by jipsa or is damaged")
    try:
        return int(text)
    except ValueError as exc:
        raise StorageError(f"the database's schema version {text!r} is not a number") from exc


def migrate(conn: Connection, *, where: str = "the database") -> int | None:
    """Bring the schema to :data:`SCHEMA_VERSION` inside the caller's transaction.

    Returns the version found before (``None`` for a new database). Raises :class:`StorageError`
    for a schema newer than this code or an older one no step upgrades.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_MIGRATION_LOCK)))
    found = read_schema_version(conn)
    if found is None:
        metadata.create_all(conn)
        conn.execute(sa.insert(meta).values(key=VERSION_KEY, value=str(SCHEMA_VERSION)))
        return None
    if found > SCHEMA_VERSION:
        raise StorageError(f"{where} has schema version {found}, newer than the {SCHEMA_VERSION} this "
                           "version of jipsa understands; upgrade jipsa or use another database")
    for version in range(found, SCHEMA_VERSION):
        step = UPGRADES.get(version)
        if step is None:
            raise StorageError(f"{where} has schema version {found} and jipsa cannot upgrade "
                               f"version {version}")
        step(conn)
    if found != SCHEMA_VERSION:
        conn.execute(sa.update(meta).where(meta.c.key == VERSION_KEY).values(value=str(SCHEMA_VERSION)))
    return found
