"""The device simulator: the virtual appliances as MQTT devices that announce themselves and obey commands.

``jipsa simulate --mqtt mqtt://127.0.0.1:1883 --home demo`` runs :class:`MqttSimulator`: every device of
the home (or of the home repeated up to ``--devices`` devices) publishes Home Assistant discovery configs
(retained), its availability and a JSON state, and turns messages on its command topics into commands on
the virtual simulation (:mod:`jipsa.adapters.virtual`), whose state changes are published back. So the
whole system runs over a real broker with no hardware, and a benchmark can load it with many devices.

A :class:`~jipsa.adapters.virtual.simulation.VirtualHome` steps every device it holds on each command, so
a home scaled to thousands of devices would cost thousands of steps per command. ``household`` splits
the devices, in order, into houses of that many, each a simulation of its own: with the size of the
original home, each copy :func:`scaled_home` makes is its own house (its boiler heats its own rooms), and
a command costs the size of one house, however many there are.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace

from jipsa.adapters.mqtt.binding import Publish
from jipsa.adapters.mqtt.client import MqttClient, MqttSettings
from jipsa.adapters.mqtt.config import DEFAULT_PREFIX
from jipsa.adapters.mqtt.expose import apply, availability_payload, discovery_messages, state_payload
from jipsa.adapters.virtual.simulation import VirtualHome
from jipsa.core.capabilities import Value
from jipsa.core.clock import Clock
from jipsa.core.devices import Device, Home
from jipsa.core.errors import JipsaError, UnknownDeviceError
from jipsa.core.messages import StateReport

log = logging.getLogger(__name__)

PUBLISH_CONCURRENCY = 256
"""Publishes kept in flight at once while announcing many devices."""

DRAIN_WORKERS = 64
"""State messages published concurrently (each waits for its PUBACK). Each carries the device's whole
state as it is when it is sent, so a later message is never older than an earlier one."""


def scaled_home(home: Home, count: int) -> Home:
    """``home`` with its devices repeated until there are ``count`` (ids and names numbered from the
    second copy on), for loading the system with many devices."""
    if count <= len(home.devices):
        return replace(home, devices=home.devices[:count], routines=())
    devices: list[Device] = list(home.devices)
    copy = 2
    while len(devices) < count:
        for device in home.devices:
            if len(devices) >= count:
                break
            devices.append(replace(device, id=f"{device.id}_{copy}", name=f"{device.name} {copy}",
                                   aliases=()))
        copy += 1
    return replace(home, devices=tuple(devices), routines=())


class MqttSimulator:
    """Virtual appliances served over an MQTT broker."""

    def __init__(self, home: Home, settings: MqttSettings, *, clock: Clock, prefix: str = DEFAULT_PREFIX,
                 base: str = "jipsa-sim", tick: float = 1.0, household: int | None = None) -> None:
        if household is not None and household < 1:
            raise ValueError(f"household must be at least 1 device, not {household}")
        self.home = home
        self.prefix = prefix
        self.base = base
        self.tick = tick
        self._clock = clock
        self.client = MqttClient(settings, self._on_message)
        size = household or max(1, len(home.devices))
        now = clock.now()
        self._houses = [VirtualHome(replace(home, devices=home.devices[at:at + size], routines=()), None, now)
                        for at in range(0, len(home.devices), size)]
        self._sim: dict[str, VirtualHome] = {
            device_id: house for house in self._houses for device_id in house.device_ids}
        self.devices: dict[str, Device] = {d.id: d for d in home.devices}
        self._outbox: asyncio.Queue[str] = asyncio.Queue()
        self._queued: set[str] = set()
        self.commands = 0
        """Commands obeyed so far."""
        self.announced = asyncio.Event()
        """Set once every device's discovery config and first state are published."""

    async def run(self) -> None:
        """Announce every device, then serve commands and publish state changes until cancelled."""
        await self.client.subscribe(f"{self.base}/+/+/set")
        async with asyncio.TaskGroup() as tasks:
            tasks.create_task(self.client.run(), name="simulator:client")
            await self.client.wait_connected()
            await self._publish_all(self._announcements())
            self.announced.set()
            for n in range(DRAIN_WORKERS):
                tasks.create_task(self._drain(), name=f"simulator:outbox:{n}")
            tasks.create_task(self._advance(), name="simulator:time")

    def _announcements(self) -> list[Publish]:
        out: list[Publish] = []
        for device in self.devices.values():
            out.extend(discovery_messages(device, prefix=self.prefix, base=self.base))
            out.append(availability_payload(device, True, base=self.base))
            out.append(state_payload(device, self.state(device.id), base=self.base))
        return out

    async def set_available(self, device_id: str, available: bool) -> None:
        """Say a device went offline (or came back), as its availability topic would."""
        p = availability_payload(self.devices[device_id], available, base=self.base)
        await self.client.publish(p.topic, p.payload, qos=1, retain=p.retain)

    async def _publish_all(self, publishes: Sequence[Publish]) -> None:
        limit = asyncio.Semaphore(PUBLISH_CONCURRENCY)

        async def one(p: Publish) -> None:
            async with limit:
                await self.client.publish(p.topic, p.payload, qos=1, retain=p.retain)

        for start in range(0, len(publishes), 10_000):
            async with asyncio.TaskGroup() as tasks:
                for p in publishes[start:start + 10_000]:
                    tasks.create_task(one(p))

    async def _drain(self) -> None:
        while True:
            device_id = await self._outbox.get()
            self._queued.discard(device_id)
            p = state_payload(self.devices[device_id], self.state(device_id), base=self.base)
            await self.client.publish(p.topic, p.payload, qos=1, retain=p.retain)

    def state(self, device_id: str) -> Mapping[str, Value]:
        """The simulated state of one device now."""
        house = self._sim.get(device_id)
        # Devices no behaviour simulates (not of vendor ``virtual``) report their initial state.
        return house.state(device_id) if house is not None else self.devices[device_id].initial_state

    async def _advance(self) -> None:
        while True:
            await asyncio.sleep(self.tick)
            now = self._clock.now()
            for house in self._houses:
                self._queue(house.advance(now))

    def _on_message(self, topic: str, payload: bytes) -> None:
        parts = topic.split("/")
        device = self.devices.get(parts[1]) if len(parts) == 4 else None
        if device is None:
            return
        command = apply(device, topic, payload, base=self.base)
        if command is None:
            log.warning("%s: not a command %s understands: %r", topic, device.id, payload[:100])
            reports = [StateReport(device.id, {})]
        else:
            house = self._sim.get(device.id)
            try:
                if house is None:
                    raise UnknownDeviceError(device.id)
                reports = house.apply(command, self._clock.now())
            except JipsaError as exc:
                log.warning("%s: refused: %s", topic, exc)
                reports = []
            self.commands += 1
        # Always say the state again, so whoever sent it sees what happened (or that nothing did).
        self._queue(reports or [StateReport(device.id, {})])

    def _queue(self, reports: Sequence[StateReport]) -> None:
        for report in reports:
            device_id = report.device_id
            if device_id in self.devices and device_id not in self._queued:
                self._queued.add(device_id)
                self._outbox.put_nowait(device_id)
