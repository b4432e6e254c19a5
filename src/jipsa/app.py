"""The composition root: builds the store, adapters, hub and assistant from a typed configuration.

Nothing below this module reads files, environment variables or global configuration; the edges (CLI,
later HTTP) parse their configuration into :class:`Config` and hand it here.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType

from jipsa.adapters.mqtt.adapter import MqttAdapter
from jipsa.adapters.mqtt.binding import MqttDevice
from jipsa.adapters.mqtt.client import MqttSettings
from jipsa.adapters.mqtt.config import DEFAULT_PREFIX
from jipsa.adapters.virtual import VirtualAdapter
from jipsa.assistant.assistant import Assistant, Turn
from jipsa.core.clock import Clock, SystemClock
from jipsa.core.devices import Area, Device, Home
from jipsa.core.errors import HomeFileError, JipsaError
from jipsa.core.homefile import MAX_HOME_FILE_BYTES, parse_home
from jipsa.hub.hub import Hub
from jipsa.hub.ports import DeviceLink
from jipsa.nlu.normalize import compact
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
    mqtt: MqttOptions | None = None
    """The MQTT broker to find devices on; ``None`` runs without one."""
    home_id: str | None = None
    """The home's id in URLs and memberships; ``None`` means :func:`home_id_for` the home file."""
    settle_heap: bool = False
    """Keep what start-up and discovery built out of the garbage collector's scans (``gc.freeze()``): for
    a long-running process; a process that builds many homes (tests) leaves it off."""

    @property
    def database(self) -> Path:
        """The database path in effect."""
        return self.db_path or self.home_path.with_suffix(".db")

    @property
    def id(self) -> str:
        """The home's id in effect."""
        return self.home_id or home_id_for(self.home_path)


def home_id_for(path: Path) -> str:
    """A home's default id: its file name without the extension, as lower-case letters, digits, ``_``
    and ``-`` (``My Home.yaml`` → ``my_home``)."""
    slug = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "_" for ch in path.stem.lower())
    return slug.strip("_")[:64] or "home"


@dataclass(frozen=True, slots=True)
class MqttOptions:
    """Where the MQTT adapter looks for devices."""

    settings: MqttSettings
    """The broker: URL, credentials, TLS, client id."""
    prefix: str = DEFAULT_PREFIX
    """Home Assistant's discovery prefix."""
    zigbee2mqtt: str | None = "zigbee2mqtt"
    """Zigbee2MQTT's base topic, for bridges that do not publish discovery; ``None`` to ignore."""


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


def place_devices(home: Home, devices: Sequence[Device], suggested: Sequence[str | None]
                  ) -> tuple[list[Device], list[Area]]:
    """``devices`` with their area set from the suggested area names (matched to the home's areas by name,
    alias or id, ignoring spaces; an unknown one becomes a new area), and the new areas."""
    known: dict[str, str] = {}
    for area in home.areas:
        for word in (area.id, area.name, *area.aliases):
            known.setdefault(compact(word).lower(), area.id)
    new: dict[str, Area] = {}
    placed = []
    for device, hint in zip(devices, suggested, strict=True):
        area_id = device.area if device.area is not None and home.area(device.area) is not None else None
        if area_id is None and hint and hint.strip():
            key = compact(hint).lower()
            area_id = known.get(key)
            if area_id is None:
                area_id = "area_" + "".join(ch if ch.isalnum() else "_" for ch in key)[:60]
                new.setdefault(area_id, Area(area_id, hint.strip()[:100]))
                known[key] = area_id
        placed.append(replace(device, area=area_id))
    return placed, list(new.values())


def _settle_heap() -> None:
    """Keep what is built by now (the home, its language index, discovered devices) out of the garbage
    collector's scans: it lives as long as the process, and scanning it made full collections pause the
    event loop for 50–120 ms with 1,000 devices (docs/benchmarks.md)."""
    gc.freeze()


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
            self.mqtt: MqttAdapter | None = None
            if config.mqtt is not None:
                self.mqtt = MqttAdapter(config.mqtt.settings, prefix=config.mqtt.prefix,
                                        zigbee2mqtt=config.mqtt.zigbee2mqtt, on_devices=self._discovered)
                links["mqtt"] = self.mqtt
            self.hub = Hub(self.home, links=links, clock=self.clock, store=self.store)
        except BaseException:
            self.store.close()
            raise
        self.assistant = Assistant(self.hub, records=self.store, lock_pin=config.lock_pin)
        self.scheduled: asyncio.Queue[Turn] = asyncio.Queue(maxsize=100)
        """What schedules did when they ran, for the edges to show (the oldest dropped when full)."""
        self._scheduler: asyncio.Task[None] | None = None

    def _discovered(self, found: Sequence[MqttDevice], removed: Sequence[str]) -> None:
        """Put devices the MQTT adapter found into the home, each in the area its config suggests."""
        home = self.hub.home
        # Discovery carries the area a config suggests (its name) in ``area``: place it in the home's areas.
        devices, areas = place_devices(home, [d.device for d in found], [d.device.area for d in found])
        self.hub.update_devices(devices, removed, areas)
        for binding, device in zip(found, devices, strict=True):
            binding.device = device  # one object for the device, the home's
        if self.config.settle_heap:
            _settle_heap()
        logging.getLogger(__name__).info("MQTT: %d devices found or changed, %d gone", len(devices),
                                         len(removed))

    async def __aenter__(self) -> App:
        try:
            await self.hub.__aenter__()
        except BaseException:
            self.store.close()
            raise
        self._scheduler = asyncio.create_task(self._run_schedules(), name="jipsa-schedules")
        if self.config.settle_heap:
            _settle_heap()
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
