"""SqlStore on SQLite: the store contract, SQLite's settings, and the errors a file can cause."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from store_contract import T0, OpenStore, StoreContract

from jipsa.core.clock import ManualClock
from jipsa.core.errors import StorageError
from jipsa.core.homefile import parse_home
from jipsa.store import SCHEMA_VERSION, SqlStore
from jipsa.store.migrations import migrate, read_schema_version


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "jipsa.db"


class TestSqliteStore(StoreContract):
    @pytest.fixture
    def open_store(self, db_path: Path) -> Iterator[OpenStore]:
        opened: list[SqlStore] = []

        def open_() -> SqlStore:
            opened.append(SqlStore.sqlite(db_path))
            return opened[-1]

        yield open_
        for store in opened:
            store.close()


class TestInMemoryStore(StoreContract):
    @pytest.fixture
    def open_store(self) -> Iterator[OpenStore]:
        opened: list[SqlStore] = []

        def open_() -> SqlStore:
            if opened:
                pytest.skip("an in-memory database does not outlive its store")
            opened.append(SqlStore("sqlite://"))
            return opened[-1]

        yield open_
        for store in opened:
            store.close()


def _sql(path: Path, statement: str, *params: object) -> list[tuple[object, ...]]:
    """Run one statement on the file with plain sqlite3, outside the store, and commit."""
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute(statement, params).fetchall()
        conn.commit()
    return rows


# -- SQLite's settings ---------------------------------------------------------------------------


def test_the_file_is_in_wal_mode_with_normal_sync(db_path: Path) -> None:
    with SqlStore.sqlite(db_path) as store:
        assert _sql(db_path, "PRAGMA journal_mode") == [("wal",)]
        # synchronous and busy_timeout are per connection: ask the store's own.
        with store._engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_a_new_file_gets_the_current_schema(db_path: Path) -> None:
    SqlStore.sqlite(db_path).close()
    assert _sql(db_path, "SELECT value FROM meta WHERE key = 'schema_version'") == [(str(SCHEMA_VERSION),)]
    tables = {name for (name,) in _sql(db_path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"meta", "home", "device_state", "availability", "events"} <= tables
    indexes = {name for (name,) in _sql(db_path, "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "events_device_id_id" in indexes


def test_two_stores_on_one_file_see_each_other(db_path: Path) -> None:
    with SqlStore.sqlite(db_path) as one, SqlStore.sqlite(db_path) as two:
        one.save_states({"light.a": {"on": True}}, T0)
        two.save_states({"light.b": {"on": False}}, T0)
        two.append_events([])
        assert one.load_states() == two.load_states() == {"light.a": {"on": True}, "light.b": {"on": False}}


def test_a_locked_database_is_a_storage_error_and_recovers(db_path: Path) -> None:
    with SqlStore.sqlite(db_path, busy_timeout=0.05) as store, closing(sqlite3.connect(db_path)) as other:
        other.isolation_level = None
        other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        with pytest.raises(StorageError, match="locked") as caught:
            store.save_states({"light.a": {"on": True}}, T0)
        assert isinstance(caught.value.__cause__, sa.exc.OperationalError)
        assert store.load_states() == {}  # readers are not blocked in WAL mode
        other.execute("COMMIT")
        store.save_states({"light.a": {"on": True}}, T0)
        assert store.load_states() == {"light.a": {"on": True}}


def test_a_write_waits_for_a_short_lock(db_path: Path) -> None:
    with SqlStore.sqlite(db_path, busy_timeout=5) as store, \
            closing(sqlite3.connect(db_path, check_same_thread=False)) as other:
        other.isolation_level = None
        other.execute("BEGIN IMMEDIATE")
        release = threading.Timer(0.2, other.execute, args=("COMMIT",))
        release.start()
        store.save_states({"light.a": {"on": True}}, T0)
        release.join()
        assert store.load_states() == {"light.a": {"on": True}}


# -- errors --------------------------------------------------------------------------------------


def test_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "jipsa.db"
    with pytest.raises(StorageError, match="unable to open database file") as caught:
        SqlStore.sqlite(path)
    assert str(path) in str(caught.value)
    assert isinstance(caught.value.__cause__, sa.exc.SQLAlchemyError)
    assert not path.parent.exists()


def test_a_file_that_is_not_a_database(db_path: Path) -> None:
    db_path.write_bytes(b"this is not a database, it is a shopping list\n" * 200)
    with pytest.raises(StorageError, match="not a database"):
        SqlStore.sqlite(db_path)
    assert db_path.read_bytes().startswith(b"this is not a database")


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(StorageError):
        SqlStore.sqlite(tmp_path)


def test_a_newer_schema_is_refused(db_path: Path) -> None:
    SqlStore.sqlite(db_path).close()
    _sql(db_path, "UPDATE meta SET value = ? WHERE key = 'schema_version'", str(SCHEMA_VERSION + 1))
    with pytest.raises(StorageError, match=rf"schema version {SCHEMA_VERSION + 1}, newer") as caught:
        SqlStore.sqlite(db_path)
    assert "upgrade jipsa" in str(caught.value)
    assert _sql(db_path, "SELECT value FROM meta") == [(str(SCHEMA_VERSION + 1),)]


def test_an_older_schema_without_an_upgrade_is_refused(db_path: Path) -> None:
    SqlStore.sqlite(db_path).close()
    _sql(db_path, "UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(StorageError, match="cannot upgrade version 0"):
        SqlStore.sqlite(db_path)


@pytest.mark.parametrize("statement", ["DELETE FROM meta", "UPDATE meta SET value = 'one'"])
def test_a_damaged_meta_table_is_refused(db_path: Path, statement: str) -> None:
    SqlStore.sqlite(db_path).close()
    _sql(db_path, statement)
    with pytest.raises(StorageError, match="schema version"):
        SqlStore.sqlite(db_path)


def test_migrate_creates_once_then_finds_the_current_version() -> None:
    engine = sa.create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            assert read_schema_version(conn) is None
            assert migrate(conn) is None
            assert read_schema_version(conn) == SCHEMA_VERSION
            assert migrate(conn) == SCHEMA_VERSION
    finally:
        engine.dispose()


def test_a_damaged_stored_value_is_a_storage_error(db_path: Path) -> None:
    with SqlStore.sqlite(db_path) as store:
        store.save_states({"light.a": {"on": True}}, T0)
        store.append_events([])
        _sql(db_path, "UPDATE device_state SET value = '[1, 2]'")
        with pytest.raises(StorageError, match=r"light\.a\.on is not a state value"):
            store.load_states()
        _sql(db_path, "UPDATE device_state SET value = '{oops'")
        with pytest.raises(StorageError, match="not JSON"):
            store.load_states()


def test_a_damaged_event_is_a_storage_error(db_path: Path) -> None:
    with SqlStore.sqlite(db_path) as store:
        _sql(db_path, "INSERT INTO events (at, type, device_id, data) VALUES (?, 'exploded', NULL, '{}')",
             "2025-03-01 09:00:00.000000")
        with pytest.raises(StorageError, match="event 1 cannot be read"):
            store.events()


@pytest.mark.parametrize("url", ["mysql://user@localhost/jipsa", "not a url", "nosuchdb://x"])
def test_unusable_urls(url: str) -> None:
    with pytest.raises(StorageError):
        SqlStore(url)


def test_repr_and_url_hide_passwords() -> None:
    with SqlStore("sqlite://") as store:
        assert store.url == "sqlite://"
        assert repr(store) == "SqlStore('sqlite://')"


def test_the_home_is_stamped_by_the_injected_clock(db_path: Path) -> None:
    with SqlStore.sqlite(db_path, clock=ManualClock(datetime(2030, 1, 1, tzinfo=UTC))) as store:
        store.save_home(parse_home("home: {name: 집}\n"), "home: {name: 집}\n")
    assert _sql(db_path, "SELECT saved_at FROM home") == [("2030-01-01 00:00:00.000000",)]


def test_a_version_1_database_is_upgraded_keeping_its_data(db_path: Path) -> None:
    from jipsa.store import schema

    engine = sa.create_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        old = [t for t in schema.metadata.sorted_tables if t not in schema.VERSION_2_TABLES]
        schema.metadata.create_all(conn, tables=old)
        conn.execute(sa.text("INSERT INTO meta VALUES ('schema_version', '1')"))
        conn.execute(sa.text("INSERT INTO device_state VALUES "
                             "('light.x', 'on', 'true', '2025-03-01 09:00:00.000000')"))
    engine.dispose()
    with SqlStore.sqlite(db_path) as store:
        assert store.load_states() == {"light.x": {"on": True}}
        assert store.schedules() == [] and store.requests() == []
    assert _sql(db_path, "SELECT value FROM meta WHERE key = 'schema_version'") == [(str(SCHEMA_VERSION),)]
