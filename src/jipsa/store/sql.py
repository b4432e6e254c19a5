"""``SqlStore``: the hub's :class:`~jipsa.hub.ports.Store` on SQLAlchemy Core, SQLite or PostgreSQL.

Every method runs in one transaction and commits before it returns. On SQLite the database runs in
WAL mode with ``synchronous=NORMAL``: a committed write survives the process being killed (the WAL is
in the operating system's hands), though not necessarily a power cut, which may lose the last few
commits but never corrupts the file. Writes take the write lock up front (``BEGIN IMMEDIATE``), so two
processes sharing a file wait on each other for ``busy_timeout`` instead of failing at once.

Driver and database errors surface as :class:`~jipsa.core.errors.StorageError` with the cause
chained; misuse (a naive datetime, a value that is not a :data:`~jipsa.core.capabilities.Value`, a
negative limit, a closed store) raises built-in exceptions.

One store holds one connection at a time and serialises its callers with a lock, so it may be
called from worker threads (``asyncio.to_thread``) but gains nothing from several at once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Connection

from jipsa.core.capabilities import Value
from jipsa.core.clock import Clock, SystemClock
from jipsa.core.devices import Home, Routine, RoutineAction
from jipsa.core.errors import StorageError
from jipsa.core.history import RequestRecord
from jipsa.core.messages import Event, EventType
from jipsa.core.schedules import Schedule
from jipsa.store import schema
from jipsa.store.engine import Database
from jipsa.store.migrations import migrate


class SqlStore(Database):
    """The home, device state and event history in a SQL database.

    ``url`` is a SQLAlchemy URL: ``sqlite:///path/to/jipsa.db``, ``sqlite://`` (in memory) or
    ``postgresql+psycopg://user@host/db`` (plain ``postgresql://`` means psycopg 3 too). The schema is
    created on first open and upgraded if older; a newer one is refused. ``clock`` stamps the home's
    ``saved_at``; state and event times are the ones the caller gives.
    """

    def __init__(self, url: str | sa.URL, *, busy_timeout: float = 5.0,
                 clock: Clock | None = None) -> None:
        self._clock: Clock = clock if clock is not None else SystemClock()
        super().__init__(url, busy_timeout=busy_timeout)
        try:
            with self._transaction("open the store", write=True) as conn:
                migrate(conn, where=self._url)
        except BaseException:
            self.close()
            raise

    @classmethod
    def sqlite(cls, path: str | os.PathLike[str], *, busy_timeout: float = 5.0,
               clock: Clock | None = None) -> SqlStore:
        """A store in the SQLite file at ``path`` (created if missing; its folder must exist)."""
        url = sa.URL.create("sqlite+pysqlite", database=os.fspath(path))
        return cls(url, busy_timeout=busy_timeout, clock=clock)

    def save_home(self, home: Home, source: str) -> None:
        """Keep the home (``source`` is its home file's text)."""
        del home  # the source is the truth; the home is parsed from it again on load
        with self._transaction("save the home", write=True) as conn:
            row = {"id": 1, "source": source, "saved_at": self._clock.now()}
            self._upsert(conn, schema.home, [row], keys=("id",))

    def load_home_source(self) -> str | None:
        """The home file text last saved, if any."""
        with self._transaction("load the home") as conn:
            query = sa.select(schema.home.c.source).where(schema.home.c.id == 1)
            source: str | None = conn.execute(query).scalar_one_or_none()
            return source

    # -- device state -------------------------------------------------------------------------------

    def save_states(self, states: Mapping[str, Mapping[str, Value]], at: datetime) -> None:
        """Merge attribute values into the stored state of these devices (one ``executemany``)."""
        _require_aware(at)
        with self._transaction("save device state", write=True) as conn:
            when = _time_binder(conn)(at)
            rows = [(device_id, attribute, _encode_value(value), when)
                    for device_id, values in states.items() for attribute, value in values.items()]
            if rows:
                # The driver's executemany with rows ready for it: the hub writes a burst of reports
                # through here, and SQLAlchemy's work per row would be most of the cost.
                conn.exec_driver_sql(_placed(conn, _SAVE_STATE), rows)

    def save_availability(self, device_id: str, available: bool, at: datetime) -> None:
        """Record whether a device is reachable."""
        _require_aware(at)
        row = {"device_id": device_id, "available": bool(available), "updated_at": at}
        with self._transaction("save availability", write=True) as conn:
            self._upsert(conn, schema.availability, [row], keys=("device_id",))

    def load_states(self) -> dict[str, dict[str, Value]]:
        """The stored state of every device."""
        table = schema.device_state
        query = sa.select(table.c.device_id, table.c.attribute, table.c.value).order_by(
            table.c.device_id, table.c.attribute)
        states: dict[str, dict[str, Value]] = {}
        with self._transaction("load device state") as conn:
            for device_id, attribute, text in conn.execute(query):
                states.setdefault(device_id, {})[attribute] = _decode_value(text, device_id, attribute)
        return states

    def load_availability(self) -> dict[str, bool]:
        """The stored reachability of every device that has one."""
        table = schema.availability
        with self._transaction("load availability") as conn:
            rows = conn.execute(sa.select(table.c.device_id, table.c.available))
            return {device_id: bool(available) for device_id, available in rows}

    def last_update(self) -> datetime | None:
        """When state or availability was last saved (the latest ``at`` given), if ever."""
        with self._transaction("read the last update") as conn:
            times = [conn.execute(sa.select(sa.func.max(table.c.updated_at))).scalar_one_or_none()
                     for table in (schema.device_state, schema.availability)]
        found = [t for t in times if t is not None]
        return max(found) if found else None

    # -- events -------------------------------------------------------------------------------------

    def append_events(self, events: Sequence[Event]) -> None:
        """Add events to the history, in order (one ``executemany``)."""
        if not events:
            return
        with self._transaction("append events", write=True) as conn:
            bind = _time_binder(conn)
            rows = [(bind(event.at), event.type.value, event.device_id, _dumps(dict(event.data)))
                    for event in events]
            conn.exec_driver_sql(_placed(conn, _APPEND_EVENTS), rows)

    def events(self, *, limit: int = 100, device_id: str | None = None,
               before_id: int | None = None) -> list[tuple[int, Event]]:
        """The newest events first, with their ids, optionally for one device or before an id.

        Page backwards by passing the last id of one page as ``before_id`` of the next.
        """
        if limit < 0:
            raise ValueError("limit must not be negative")
        table = schema.events
        query = sa.select(table.c.id, table.c.at, table.c.type, table.c.device_id, table.c.data)
        if device_id is not None:
            query = query.where(table.c.device_id == device_id)
        if before_id is not None:
            query = query.where(table.c.id < before_id)
        query = query.order_by(table.c.id.desc()).limit(limit)
        with self._transaction("read events") as conn:
            rows = conn.execute(query).all()
        return [(row.id, _decode_event(row.id, row.at, row.type, row.device_id, row.data)) for row in rows]

    def prune_events(self, keep: int) -> int:
        """Delete all but the newest ``keep`` events; return how many were deleted."""
        if keep < 0:
            raise ValueError("keep must not be negative")
        table = schema.events
        cutoff = (sa.select(table.c.id).order_by(table.c.id.desc()).offset(keep).limit(1)
                  .scalar_subquery())
        with self._transaction("prune events", write=True) as conn:
            deleted: int = conn.execute(sa.delete(table).where(table.c.id <= cutoff)).rowcount
        return deleted

    # -- request history ----------------------------------------------------------------------------

    def add_request(self, record: RequestRecord) -> int:
        """Keep one request and its outcome; returns its id."""
        row = {"at": record.at, "conversation_id": record.conversation_id, "user": record.user,
               "source": record.source, "text": record.text, "outcome": record.outcome,
               "reply": record.reply, "frames": _dumps([dict(f) for f in record.frames]),
               "commands": _dumps([dict(c) for c in record.commands])}
        _require_aware(record.at)
        with self._transaction("record a request", write=True) as conn:
            key = conn.execute(sa.insert(schema.requests).values(**row)).inserted_primary_key
        return int(key[0]) if key is not None else 0

    def requests(self, *, limit: int = 50, before_id: int | None = None,
                 conversation_id: str | None = None) -> list[RequestRecord]:
        """The newest requests first; page backwards with ``before_id``."""
        if limit < 0:
            raise ValueError("limit must not be negative")
        table = schema.requests
        query = sa.select(table)
        if before_id is not None:
            query = query.where(table.c.id < before_id)
        if conversation_id is not None:
            query = query.where(table.c.conversation_id == conversation_id)
        with self._transaction("read requests") as conn:
            rows = conn.execute(query.order_by(table.c.id.desc()).limit(limit)).all()
        return [RequestRecord(at=r.at, text=r.text, reply=r.reply, outcome=r.outcome,
                              conversation_id=r.conversation_id, user=r.user, source=r.source,
                              frames=tuple(_loads_list(r.frames)), commands=tuple(_loads_list(r.commands)),
                              id=r.id) for r in rows]

    # -- schedules ----------------------------------------------------------------------------------

    def add_schedule(self, *, text: str, frames: Sequence[Mapping[str, Any]], next_at: datetime,
                     created_at: datetime, clock: str | None = None, days: Sequence[int] = (),
                     created_by: str | None = None, conversation_id: str | None = None,
                     meta: Mapping[str, Any] | None = None) -> Schedule:
        """Keep a new active schedule; returns it with its id."""
        _require_aware(next_at)
        _require_aware(created_at)
        row = {"text": text, "frames": _dumps([dict(f) for f in frames]), "next_at": next_at,
               "clock": clock, "days": " ".join(str(d) for d in days), "status": "active",
               "created_at": created_at, "created_by": created_by, "conversation_id": conversation_id,
               "last_run_at": None, "meta": _dumps(dict(meta or {}))}
        with self._transaction("add a schedule", write=True) as conn:
            key = conn.execute(sa.insert(schema.schedules).values(**row)).inserted_primary_key
        new_id = int(key[0]) if key is not None else 0
        return Schedule(new_id, text, tuple(dict(f) for f in frames), next_at, clock, tuple(days),
                        "active", created_at, created_by, conversation_id, None, dict(meta or {}))

    def schedules(self, *, status: str | None = "active") -> list[Schedule]:
        """Schedules in this status (all when ``None``), soonest first."""
        table = schema.schedules
        query = sa.select(table)
        if status is not None:
            query = query.where(table.c.status == status)
        with self._transaction("read schedules") as conn:
            rows = conn.execute(query.order_by(table.c.next_at, table.c.id)).all()
        return [_decode_schedule(row) for row in rows]

    def claim_schedule(self, schedule_id: int, due: datetime | None, *, next_at: datetime | None,
                       status: str, ran_at: datetime | None) -> bool:
        """Move an active schedule on from ``due``, once: ``False`` if someone already did.

        The update only matches while the schedule is still active and still due at ``due``, so of two
        runners (or a runner before and after a restart) exactly one gets ``True`` and runs it.
        """
        table = schema.schedules
        with self._transaction("update a schedule", write=True) as conn:
            result = conn.execute(
                sa.update(table)
                .where(table.c.id == schedule_id, table.c.status == "active", table.c.next_at == due)
                .values(next_at=next_at, status=status, last_run_at=ran_at or table.c.last_run_at))
            claimed: bool = result.rowcount == 1
        return claimed

    def cancel_schedule(self, schedule_id: int) -> bool:
        """Cancel an active schedule; ``False`` if it is not active (or does not exist)."""
        table = schema.schedules
        with self._transaction("cancel a schedule", write=True) as conn:
            result = conn.execute(sa.update(table).where(table.c.id == schedule_id,
                                                         table.c.status == "active")
                                  .values(status="cancelled"))
            cancelled: bool = result.rowcount == 1
        return cancelled

    # -- routines made by voice ---------------------------------------------------------------------

    def save_routine(self, routine: Routine, at: datetime) -> None:
        """Keep (or replace) a routine made by voice."""
        _require_aware(at)
        actions = [{"device": a.device, "command": a.command, "args": dict(a.args)} for a in routine.actions]
        row = {"id": routine.id, "name": routine.name, "aliases": _dumps(list(routine.aliases)),
               "actions": _dumps(actions), "created_at": at}
        with self._transaction("save a routine", write=True) as conn:
            self._upsert(conn, schema.routines, [row], keys=("id",))

    def routines(self) -> list[Routine]:
        """The routines made by voice, oldest first."""
        table = schema.routines
        with self._transaction("read routines") as conn:
            rows = conn.execute(sa.select(table).order_by(table.c.created_at, table.c.id)).all()
        out = []
        for row in rows:
            actions = tuple(RoutineAction(a["device"], a["command"], a.get("args", {}))
                            for a in _loads_list(row.actions))
            out.append(Routine(row.id, row.name, tuple(str(x) for x in _loads_list(row.aliases)), actions))
        return out

    @staticmethod
    def _upsert(conn: Connection, table: sa.Table, rows: list[dict[str, Any]],
                keys: tuple[str, ...]) -> None:
        """Insert ``rows``, replacing the non-key columns of rows whose ``keys`` already exist."""
        dialect = conn.dialect.name
        if dialect == "sqlite":
            sqlite_stmt = sqlite_dialect.insert(table)
            set_ = {c.name: sqlite_stmt.excluded[c.name] for c in table.columns if c.name not in keys}
            conn.execute(sqlite_stmt.on_conflict_do_update(index_elements=list(keys), set_=set_), rows)
        elif dialect == "postgresql":
            pg_stmt = pg_dialect.insert(table)
            set_ = {c.name: pg_stmt.excluded[c.name] for c in table.columns if c.name not in keys}
            conn.execute(pg_stmt.on_conflict_do_update(index_elements=list(keys), set_=set_), rows)
        else:  # pragma: no cover - the constructor admits only these two
            raise StorageError(f"no upsert for {dialect}")


def _require_aware(at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"time must be time-zone aware, not {at!r}")


def _dumps(data: Any) -> str:
    return _ENCODE(data)


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

_SAVE_STATE = ("INSERT INTO device_state (device_id, attribute, value, updated_at) VALUES (?, ?, ?, ?) "
               "ON CONFLICT (device_id, attribute) DO UPDATE SET value = excluded.value, "
               "updated_at = excluded.updated_at")
_APPEND_EVENTS = "INSERT INTO events (at, type, device_id, data) VALUES (?, ?, ?, ?)"


def _placed(conn: Connection, sql: str) -> str:
    """``sql`` with ``?`` placeholders in the driver's own style (psycopg's ``%s``)."""
    return sql if conn.dialect.paramstyle == "qmark" else sql.replace("?", "%s")


def _time_binder(conn: Connection) -> Callable[[datetime], object]:
    """How the driver takes an aware time for a :class:`~jipsa.store.schema.UtcDateTime` column: the
    column type's own conversion (UTC; on SQLite the text SQLAlchemy writes there), for statements sent to
    the driver directly. A naive time is a ``ValueError``."""
    process = schema.UtcDateTime().bind_processor(conn.dialect)
    return process if process is not None else _unchanged


def _unchanged(at: datetime) -> object:
    return at


def _encode_value(value: Value) -> str:
    # bool before int: JSON keeps true/1/1.0/"1" apart, so each comes back as the type it went in.
    if value is None or isinstance(value, bool | int | float | str):
        return _dumps(value)
    raise TypeError(f"not a state value (bool, int, float, str or None): {value!r}")


def _decode_value(text: str, device_id: str, attribute: str) -> Value:
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise StorageError(f"stored value of {device_id}.{attribute} is not JSON: {text!r}") from exc
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise StorageError(f"stored value of {device_id}.{attribute} is not a state value: {text!r}")


def _loads_list(text: str) -> list[Any]:
    data = json.loads(text)
    if not isinstance(data, list):
        raise StorageError(f"stored JSON is not a list: {text[:80]!r}")
    return data


def _decode_schedule(row: Any) -> Schedule:
    meta = json.loads(row.meta)
    return Schedule(row.id, row.text, tuple(_loads_list(row.frames)), row.next_at, row.clock,
                    tuple(int(d) for d in row.days.split()), row.status, row.created_at, row.created_by,
                    row.conversation_id, row.last_run_at, meta if isinstance(meta, dict) else {})


def _decode_event(event_id: int, at: datetime, type_: str, device_id: str | None, data: str) -> Event:
    try:
        details = json.loads(data)
        if not isinstance(details, dict):
            raise ValueError("data is not an object")
        return Event(type=EventType(type_), at=at, device_id=device_id, data=details)
    except ValueError as exc:
        raise StorageError(f"stored event {event_id} cannot be read: {exc}") from exc
