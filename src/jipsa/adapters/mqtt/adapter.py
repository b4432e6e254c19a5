"""The MQTT adapter: devices announced by Home Assistant discovery or a Zigbee2MQTT bridge, over one broker.

:class:`MqttAdapter` is a :class:`~jipsa.hub.ports.DeviceLink`. It subscribes to the discovery prefix
(``homeassistant/#``) and to Zigbee2MQTT's ``bridge/devices``; what they announce becomes jipsa devices
(:mod:`.discovery`, :mod:`.z2m`), handed to ``on_devices`` in batches (a burst of retained configs at start
is one batch, so the home is rebuilt once, not once per entity). Their state and availability topics are
subscribed to and decoded into state reports for the hub.

A command is published at QoS 1 and counts as done only when the device's next report confirms it — the
values it should set (:meth:`MqttDevice.expected`) or, for a command that sets none, any report — within
``ack_timeout``; otherwise :class:`CommandUnconfirmedError`: the reply says it was sent, not that it
happened. Bad input on any topic is logged with the topic and ignored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from jipsa.adapters.mqtt.binding import MqttDevice, Payload
from jipsa.adapters.mqtt.client import MqttClient, MqttSettings
from jipsa.adapters.mqtt.config import DEFAULT_PREFIX, DiscoveryError
from jipsa.adapters.mqtt.discovery import Change, Discovery
from jipsa.adapters.mqtt.z2m import Zigbee2Mqtt
from jipsa.core.capabilities import Value
from jipsa.core.devices import Device
from jipsa.core.errors import CommandUnconfirmedError, DeviceUnavailableError
from jipsa.core.messages import Command, StateReport
from jipsa.hub.ports import ReportSink

log = logging.getLogger(__name__)

ACK_TIMEOUT = 3.0
"""Seconds a device has to confirm a command with a state report."""

MAX_STATE_BYTES = 64 * 1024
"""The largest state or availability message taken."""

MAX_BRIDGE_BYTES = 4 * 1024 * 1024
"""The largest Zigbee2MQTT device list taken (a bridge with hundreds of devices)."""

BATCH_SECONDS = 0.05
"""How long discovery messages are gathered before the home is updated once for all of them."""

DevicesChanged = Callable[[Sequence[MqttDevice], Sequence[str]], None]
"""Told of devices found or changed, and of ids gone, once per batch."""


@dataclass(slots=True)
class _Waiter:
    expected: dict[str, Value]
    done: asyncio.Future[None]


@dataclass(slots=True)
class _Pending:
    added: dict[str, MqttDevice] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)

    def take(self, change: Change) -> None:
        for device in (*change.added, *change.updated):
            self.added[device.device.id] = device
            self.removed.discard(device.device.id)
        for device_id in change.removed:
            self.added.pop(device_id, None)
            self.removed.add(device_id)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)


class MqttAdapter:
    """Devices on an MQTT broker, found by discovery, as the hub's ``mqtt`` link."""

    name = "mqtt"

    def __init__(self, settings: MqttSettings, *, prefix: str = DEFAULT_PREFIX,
                 zigbee2mqtt: str | None = "zigbee2mqtt", on_devices: DevicesChanged | None = None,
                 ack_timeout: float = ACK_TIMEOUT, max_config_bytes: int = 64 * 1024,
                 max_state_bytes: int = MAX_STATE_BYTES, max_bridge_bytes: int = MAX_BRIDGE_BYTES) -> None:
        # The connection takes the largest message any topic may carry; each kind of topic is then held
        # to its own limit: discovery configs, the Zigbee2MQTT device list, state messages.
        settings = replace(settings, max_payload=max(max_config_bytes, max_state_bytes, max_bridge_bytes))
        self.settings = settings
        self.max_state_bytes = max_state_bytes
        self.prefix = prefix.rstrip("/")
        self.zigbee2mqtt = zigbee2mqtt.rstrip("/") if zigbee2mqtt else None
        self.ack_timeout = ack_timeout
        self._on_devices = on_devices
        self._discovery = Discovery(prefix=self.prefix, max_bytes=max_config_bytes)
        self._z2m = Zigbee2Mqtt(self.zigbee2mqtt, max_bytes=max_bridge_bytes) if self.zigbee2mqtt else None
        self.client = MqttClient(settings, self._on_message, wanted=_Wanted(self))
        self.devices: dict[str, MqttDevice] = {}
        """The devices known now, by id."""
        self._by_key: dict[str, MqttDevice | list[MqttDevice]] = {}
        """The devices under each :attr:`~MqttDevice.keys` text: one device alone (most), or a list."""
        self._depth = 0
        """The most levels below the first of any key filed (a topic is looked up no deeper)."""
        self._pending = _Pending()
        self._wake = asyncio.Event()
        self._sink: ReportSink | None = None
        self._waiters: dict[str, list[_Waiter]] = {}
        self.dropped = 0
        """Messages ignored as malformed, oversized or from an unknown topic."""

    # -- DeviceLink --------------------------------------------------------------------------------

    async def run(self, devices: Sequence[Device], sink: ReportSink) -> None:
        """Serve the broker until cancelled (``devices`` from the home file with vendor ``mqtt`` are
        found by discovery like any other)."""
        del devices
        self._sink = sink
        topics = [f"{self.prefix}/#"]
        if self._z2m is not None:
            topics.append(self._z2m.bridge_topic)
        await self.client.subscribe(*topics)
        async with asyncio.TaskGroup() as tasks:
            tasks.create_task(self.client.run(), name="mqtt:client")
            tasks.create_task(self._apply_changes(), name="mqtt:discovery")

    async def send(self, command: Command) -> None:
        """Publish ``command`` (QoS 1) and wait until the device's report confirms it."""
        device = self.devices.get(command.device_id)
        if device is None:
            raise DeviceUnavailableError(command.device_id, "its MQTT discovery config is gone")
        publishes, expected = device.command(command)
        if not publishes:
            raise DeviceUnavailableError(command.device_id, f"it has no MQTT topic for {command.command}")
        loop = asyncio.get_running_loop()
        waiter = _Waiter(expected, loop.create_future())
        waiters = self._waiters.setdefault(command.device_id, [])
        waiters.append(waiter)
        try:
            for p in publishes:
                await self.client.publish(p.topic, p.payload, qos=1, retain=p.retain)
            try:
                async with asyncio.timeout(self.ack_timeout):
                    await waiter.done
            except TimeoutError:
                raise CommandUnconfirmedError(command.device_id, self.ack_timeout) from None
        finally:
            waiters.remove(waiter)

    def feed(self, topic: str, payload: bytes) -> None:
        """Take one message as if it had come from the broker (benchmarks and tests)."""
        self._on_message(topic, payload)

    async def apply_pending(self) -> None:
        """Apply the discovery changes gathered so far now, without the batching pause."""
        pending, self._pending = self._pending, _Pending()
        if pending:
            await self._apply(pending)

    # -- incoming ----------------------------------------------------------------------------------

    def readers(self, topic: str) -> list[MqttDevice]:
        """The devices that read ``topic``: those filed under it or under a beginning of it that ends
        before a level (a device's topics are filed under the beginning they share)."""
        index = self._by_key
        found: list[MqttDevice] = []
        key = topic
        if topic.count("/") > self._depth:
            # No key has that many levels: start from the longest beginning that could be one, so a
            # topic of thousands of levels costs no more than the keys' own depth.
            cut = -1
            for _level in range(self._depth + 1):
                cut = topic.index("/", cut + 1)
            key = topic[:cut]
        while True:
            entry = index.get(key)
            if entry is not None:
                for device in (entry,) if isinstance(entry, MqttDevice) else entry:
                    if device.reads(topic):
                        found.append(device)
            cut = key.rfind("/")
            if cut <= 0:
                return found
            key = key[:cut]

    def _on_message(self, topic: str, payload: bytes) -> None:
        devices = self.readers(topic)
        if devices:
            if len(payload) > self.max_state_bytes:
                self.dropped += 1
                log.warning("%s: %d bytes is over the %d-byte limit for state; ignored", topic, len(payload),
                            self.max_state_bytes)
                return
            message = Payload(payload)  # its JSON is parsed once for every device reading the topic
            for device in devices:
                self._report(device, topic, message)
            return
        try:
            if topic.startswith(self.prefix + "/") and topic.endswith("/config"):
                change = self._discovery.handle(topic, payload)
            elif self._z2m is not None and topic == self._z2m.bridge_topic:
                change = self._z2m.handle(payload)
            else:
                self.dropped += 1
                return
        except DiscoveryError as exc:
            self.dropped += 1
            log.warning("%s: ignored: %s", topic, exc)
            return
        if change:
            self._pending.take(change)
            self._wake.set()

    def _report(self, device: MqttDevice, topic: str, message: Payload) -> None:
        decoded = device.decode(topic, message)
        if not decoded.values and decoded.available is None:
            self.dropped += 1
            log.debug("%s: nothing usable for %s", topic, device.device.id)
            return
        device_id = device.device.id
        if self._sink is not None:
            self._sink(StateReport(device_id, decoded.values, decoded.available))
        if decoded.values:
            for waiter in self._waiters.get(device_id, ()):
                if not waiter.done.done() and device.confirms(waiter.expected):
                    waiter.done.set_result(None)

    # -- discovery batches -------------------------------------------------------------------------

    async def _apply_changes(self) -> None:
        while True:
            await self._wake.wait()
            await asyncio.sleep(BATCH_SECONDS)  # gather the rest of a burst
            self._wake.clear()
            pending, self._pending = self._pending, _Pending()
            if pending:
                await self._apply(pending)

    async def _apply(self, pending: _Pending) -> None:
        # The index changes only where the batch touches it: a batch costs its own size, not the number
        # of devices known.
        touched: dict[str, bool] = {}  # topic → whether it was subscribed before the batch
        for device_id in (*pending.removed, *pending.added):
            old = self.devices.pop(device_id, None)
            if old is None:
                continue
            if device_id in pending.added:
                pending.added[device_id].inherit(old)
            for topic in old.subscriptions:
                touched.setdefault(topic, True)
            for key in old.keys:
                self._unfile(key, old)
        for device_id, device in pending.added.items():
            for topic in device.subscriptions:
                if topic not in touched:
                    touched[topic] = bool(self.readers(topic))
            self.devices[device_id] = device
            for key in device.keys:
                self._file(key, device)
        if self._on_devices is not None:
            try:
                self._on_devices(list(pending.added.values()), sorted(pending.removed))
            except ValueError as exc:  # the home refused them: keep serving the ones it has
                log.warning("discovered devices not taken: %s", exc)
        new_topics, old_topics = [], []
        for topic, was in sorted(touched.items()):
            now = bool(self.readers(topic))
            if now and not was:
                new_topics.append(topic)
            elif was and not now:
                old_topics.append(topic)
        if old_topics:
            await self.client.unsubscribe(*old_topics)
        if new_topics:
            await self.client.subscribe_wanted(*new_topics)

    def _file(self, key: str, device: MqttDevice) -> None:
        self._depth = max(self._depth, key.count("/"))
        others = self._by_key.get(key)
        if others is None:
            self._by_key[key] = device
        elif isinstance(others, MqttDevice):
            self._by_key[key] = [others, device]
        else:
            others.append(device)

    def _unfile(self, key: str, device: MqttDevice) -> None:
        others = self._by_key.get(key)
        if others is device:
            del self._by_key[key]
        elif isinstance(others, list):
            others.remove(device)
            if len(others) == 1:
                self._by_key[key] = others[0]


class _Wanted:
    """The state and availability topics of the adapter's devices, as its client subscribes to them."""

    def __init__(self, adapter: MqttAdapter) -> None:
        self._adapter = adapter

    def __contains__(self, topic: object) -> bool:
        return isinstance(topic, str) and bool(self._adapter.readers(topic))

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for device in self._adapter.devices.values():
            for topic in device.subscriptions:
                if topic not in seen:
                    seen.add(topic)
                    yield topic
