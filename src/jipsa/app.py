"""The composition root: builds the store, adapters, hub and assistant from a typed configuration.

Nothing below this module reads files, environment variables or global configuration; the edges (CLI,
later HTTP) parse their configuration into :class:`Config` and hand it here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from jipsa.adapters.virtual import VirtualAdapter
from jipsa.assistant.assistant import Assistant, Turn
from jipsa.core.clock import Clock, SystemClock
from jipsa.core.devices import Home
from jipsa.core.errors import HomeFileError, JipsaError
from jipsa.core.homefile import MAX_HOME_FILE_BYTES, parse_home
from jipsa.hub.hub import Hub
from jipsa.hub.ports import DeviceLink
from jipsa.store import SqlStore


@dataclass(frozen=True, slots=True)
class Config:
    """Everything needed to run one home."""

    home_path: Path
    """The home file."""
    db_path: Path | None = None
    """The SQLite database; ``None`` means ``<home file>.db`` beside the home file."""
    tick: float = 1.0
    """Seconds between steps of the virtual appliances."""
    lock_pin: str | None = None
    """A PIN that must be said to confirm unlocking a door (``응 1234``); ``None`` for a plain yes."""
    schedule_poll: float = 1.0
    """Seconds between checks for schedules that have come due."""

    @property
    def database(self) -> Path:
        """The database path in effect."""
        return self.db_path or self.home_path.with_suffix(".db")


def read_home_file(path: Path) -> tuple[Home, str]:
    """The home in ``path`` and its text; :class:`HomeFileError` for any problem with the file."""
    try:
        size = path.stat().st_size
        if size > MAX_HOME_FILE_BYTES:
            raise HomeFileError(f"the file is larger than {MAX_HOME_FILE_BYTES} bytes", file=str(path))
        raw = path.read_bytes()
    except FileNotFoundError:
        raise HomeFileError("no such file; create one with `jipsa init`", file=str(path)) from None
    except IsADirectoryError:
        raise HomeFileError("is a directory, not a home file", file=str(path)) from None
    except OSError as exc:
        raise HomeFileError(f"cannot read: {exc.strerror}", file=str(path)) from exc
    home = parse_home(raw, str(path))
    return home, raw.decode("utf-8-sig")


class App:
    """A running home: store, adapters, hub and assistant. Use ``async with App(config):``."""

    def __init__(self, config: Config, *, clock: Clock | None = None) -> None:
        self.config = config
        self.clock = clock or SystemClock()
        self.home, source = read_home_file(config.home_path)
        self.store = SqlStore.sqlite(config.database)
        try:
            self.store.save_home(self.home, source)
            states = self.store.load_states()
            since = self.store.last_update()
            virtual = VirtualAdapter(home=self.home, clock=self.clock, states=states, since=since,
                                     tick=config.tick)
            links: dict[str, DeviceLink] = {"virtual": virtual}
            self.hub = Hub(self.home, links=links, clock=self.clock, store=self.store)
        except BaseException:
            self.store.close()
            raise
        self.assistant = Assistant(self.hub, records=self.store, lock_pin=config.lock_pin)
        self.scheduled: asyncio.Queue[Turn] = asyncio.Queue(maxsize=100)
        """What schedules did when they ran, for the edges to show (the oldest dropped when full)."""
        self._scheduler: asyncio.Task[None] | None = None

    async def __aenter__(self) -> App:
        try:
            await self.hub.__aenter__()
        except BaseException:
            self.store.close()
            raise
        self._scheduler = asyncio.create_task(self._run_schedules(), name="jipsa-schedules")
        return self

    async def run_due(self) -> None:
        """Run the schedules that are due now and queue what they did."""
        for turn in await self.assistant.run_due():
            if self.scheduled.full():
                self.scheduled.get_nowait()
            self.scheduled.put_nowait(turn)

    async def _run_schedules(self) -> None:
        while True:
            try:
                await self.run_due()
            except JipsaError as exc:  # a store error: say so and keep going
                logging.getLogger(__name__).warning("schedules: %s", exc)
            await asyncio.sleep(self.config.schedule_poll)

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self._scheduler is not None:
            self._scheduler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._scheduler
        try:
            await self.hub.__aexit__(exc_type, exc, tb)
        finally:
            self.store.close()
