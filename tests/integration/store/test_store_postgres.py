"""SqlStore on a real PostgreSQL: the store contract and what only a server can show.

Each test gets a fresh database ``jipsa_test_<random>``, dropped afterwards. The server is found at
``JIPSA_TEST_POSTGRES_URL`` (an admin URL, e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/test``)
or, failing that, at 127.0.0.1:5432 as ``postgres`` or ``root``. Without a server or the psycopg driver
the tests are skipped, except under ``CI=true``, where they fail: CI must not pass by skipping.
"""

from __future__ import annotations

import importlib.util
import os
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import pytest
import sqlalchemy as sa

from jipsa.core.errors import StorageError
from jipsa.store import SCHEMA_VERSION, SqlStore

pytestmark = pytest.mark.integration

_CANDIDATES = ["postgresql+psycopg://postgres@127.0.0.1:5432/test",
               "postgresql+psycopg://root@127.0.0.1:5432/test"]


def _load_contract() -> type:
    path = Path(__file__).resolve().parents[2] / "unit" / "store" / "store_contract.py"
    spec = importlib.util.spec_from_file_location("jipsa_tests_store_contract", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    contract: type = module.StoreContract
    return contract


StoreContract = _load_contract()


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL tests cannot run under CI=true: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_admin_url() -> sa.URL:
    """A URL that reaches the server with the right to create databases."""
    if importlib.util.find_spec("psycopg") is None:
        _unavailable('the psycopg driver is not installed (pip install "psycopg[binary]")')
    configured = os.environ.get("JIPSA_TEST_POSTGRES_URL")
    errors: list[str] = []
    for text in [configured] if configured else _CANDIDATES:
        url = sa.make_url(text)
        engine = sa.create_engine(url, connect_args={"connect_timeout": 3}, poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            return url
        except sa.exc.SQLAlchemyError as exc:
            errors.append(f"{url.render_as_string(hide_password=True)}: {exc.__cause__ or exc}")
        finally:
            engine.dispose()
    _unavailable("no PostgreSQL server reachable: " + "; ".join(errors))


@pytest.fixture
def pg_url(pg_admin_url: sa.URL) -> Iterator[sa.URL]:
    """A fresh, empty database for one test, dropped afterwards."""
    name = f"jipsa_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(pg_admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield pg_admin_url.set(database=name)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture
def pg_engine(pg_url: sa.URL) -> Iterator[sa.Engine]:
    """A plain engine on the test database, to look behind the store's back."""
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


class TestPostgresStore(StoreContract):  # type: ignore[misc, valid-type]
    @pytest.fixture
    def open_store(self, pg_url: sa.URL) -> Iterator[object]:
        opened: list[SqlStore] = []

        def open_() -> SqlStore:
            opened.append(SqlStore(pg_url))
            return opened[-1]

        yield open_
        for store in opened:
            store.close()


def test_the_schema_uses_native_types(pg_url: sa.URL, pg_engine: sa.Engine) -> None:
    SqlStore(pg_url).close()
    with pg_engine.connect() as conn:
        types: dict[str, str] = dict(conn.execute(sa.text(
            "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema()")).all())
        version = conn.execute(sa.text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar()
    assert types["events.id"] == "bigint"
    assert types["events.at"] == types["device_state.updated_at"] == "timestamp with time zone"
    assert types["availability.available"] == "boolean"
    assert types["device_state.value"] == types["events.data"] == "text"
    assert version == str(SCHEMA_VERSION)


def test_plain_postgresql_urls_use_psycopg(pg_url: sa.URL) -> None:
    with SqlStore(pg_url.set(drivername="postgresql")) as store:
        assert store.url.startswith("postgresql+psycopg://")
        assert store.load_states() == {}


def test_a_newer_schema_is_refused(pg_url: sa.URL, pg_engine: sa.Engine) -> None:
    SqlStore(pg_url).close()
    with pg_engine.begin() as conn:
        conn.execute(sa.text("UPDATE meta SET value = :v"), {"v": str(SCHEMA_VERSION + 1)})
    with pytest.raises(StorageError, match="newer"):
        SqlStore(pg_url)


def test_concurrent_first_opens_create_the_schema_once(pg_url: sa.URL) -> None:
    stores: list[SqlStore] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def open_one() -> None:
        barrier.wait()
        try:
            stores.append(SqlStore(pg_url))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        assert len(stores) == 4
    finally:
        for store in stores:
            store.close()


def test_the_store_survives_a_dropped_connection(pg_url: sa.URL, pg_engine: sa.Engine) -> None:
    with SqlStore(pg_url) as store:
        store.save_availability("light.a", True, datetime(2025, 3, 1, tzinfo=UTC))
        with pg_engine.connect() as conn:  # the server (or a proxy) drops the store's connection
            killed = conn.execute(sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
        assert killed == 1
        assert store.load_availability() == {"light.a": True}


def test_an_unreachable_server_is_a_storage_error(pg_admin_url: sa.URL) -> None:
    url = pg_admin_url.set(port=1, query={"connect_timeout": "2"})
    with pytest.raises(StorageError, match="could not open"):
        SqlStore(url)
