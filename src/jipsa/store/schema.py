"""The store's tables, one schema for SQLite and PostgreSQL.

Only portable types are used: JSON is kept as text (``json.dumps``), times as
``DateTime(timezone=True)`` through :class:`UtcDateTime`, which stores UTC and gives back aware
datetimes in UTC on every backend (``timestamptz`` on PostgreSQL, fixed-width text on SQLite, which
therefore also sorts correctly).

::

    meta          key → value             schema_version lives here
    home          id = 1 → source, saved_at
    device_state  (device_id, attribute) → value (JSON), updated_at
    availability  device_id → available, updated_at
    events        id ↑ → at, type, device_id?, data (JSON)     index (device_id, id)
    requests      id ↑ → at, conversation_id?, user?, source, text, outcome, reply, frames, commands (JSON)
    schedules     id ↑ → text, frames (JSON), next_at?, clock?, days, status, created_at, created_by?,
                  conversation_id?, last_run_at?, meta (JSON)             index (status, next_at)
    routines      id → name, aliases (JSON), actions (JSON), created_at     routines made by voice
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

SCHEMA_VERSION = 2
"""The version of the schema this code reads and writes; see :mod:`jipsa.store.migrations`."""


class UtcDateTime(sa.types.TypeDecorator[datetime]):
    """An aware datetime stored as UTC; naive datetimes are refused (``ValueError``)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"a stored time must be time-zone aware, not {value!r}")
        utc = value.astimezone(UTC)
        # SQLite has no time zones: keep naive UTC there, aware UTC where the column is timestamptz.
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise ValueError(f"not a stored time: {value!r}")
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = sa.MetaData()

meta = sa.Table(
    "meta", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

home = sa.Table(
    "home", metadata,
    # One row: the check keeps it one.
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("saved_at", UtcDateTime, nullable=False),
    sa.CheckConstraint("id = 1", name="home_single_row"),
)

device_state = sa.Table(
    "device_state", metadata,
    sa.Column("device_id", sa.String(255), primary_key=True),
    sa.Column("attribute", sa.String(255), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
)

availability = sa.Table(
    "availability", metadata,
    sa.Column("device_id", sa.String(255), primary_key=True),
    sa.Column("available", sa.Boolean, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
)

events = sa.Table(
    "events", metadata,
    # BIGINT identity on PostgreSQL; on SQLite the rowid with AUTOINCREMENT, so that ids are never
    # reused after pruning and a client's ``before_id`` cursor stays meaningful.
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True,
              autoincrement=True),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("type", sa.String(64), nullable=False),
    sa.Column("device_id", sa.String(255), nullable=True),
    sa.Column("data", sa.Text, nullable=False),
    sa.Index("events_device_id_id", "device_id", "id"),
    sqlite_autoincrement=True,
)

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

requests = sa.Table(
    "requests", metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("conversation_id", sa.String(255), nullable=True),
    sa.Column("user", sa.String(255), nullable=True),
    sa.Column("source", sa.String(32), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("outcome", sa.String(32), nullable=False),
    sa.Column("reply", sa.Text, nullable=False),
    sa.Column("frames", sa.Text, nullable=False),
    sa.Column("commands", sa.Text, nullable=False),
    sqlite_autoincrement=True,
)

schedules = sa.Table(
    "schedules", metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("frames", sa.Text, nullable=False),
    sa.Column("next_at", UtcDateTime, nullable=True),
    sa.Column("clock", sa.String(5), nullable=True),
    sa.Column("days", sa.String(32), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("created_by", sa.String(255), nullable=True),
    sa.Column("conversation_id", sa.String(255), nullable=True),
    sa.Column("last_run_at", UtcDateTime, nullable=True),
    sa.Column("meta", sa.Text, nullable=False),
    sa.Index("schedules_status_next_at", "status", "next_at"),
    sqlite_autoincrement=True,
)

routines = sa.Table(
    "routines", metadata,
    sa.Column("id", sa.String(255), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("aliases", sa.Text, nullable=False),
    sa.Column("actions", sa.Text, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
)

VERSION_2_TABLES = (requests, schedules, routines)
"""The tables version 2 added."""
