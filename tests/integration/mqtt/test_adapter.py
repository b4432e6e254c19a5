"""The MQTT adapter and the device simulator over a real broker: discovery, control, availability, restarts,
bad input.

The simulator announces the demo home's appliances with Home Assistant discovery; jipsa, started on a home
with the same rooms and no devices, finds them, places them in their rooms, and controls them by voice.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from jipsa.adapters.mqtt.adapter import MqttAdapter
from jipsa.adapters.mqtt.client import MqttClient, MqttSettings
from jipsa.adapters.mqtt.simulator import MqttSimulator, scaled_home
from jipsa.app import App, Config, MqttOptions
from jipsa.core import Home, SystemClock
from jipsa.core.errors import CommandUnconfirmedError
from jipsa.core.messages import Command, StateReport

from .conftest import Broker

pytestmark = pytest.mark.integration


async def _until(check: Callable[[], bool], timeout: float = 10.0, what: str = "condition") -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def _rooms_only(demo_home: Home, path: Path) -> Path:
    """A home file with the demo home's rooms and no devices: every device comes from MQTT."""
    areas = [{"id": a.id, "name": a.name} for a in demo_home.areas]
    path.write_text(yaml.safe_dump({"home": {"name": "우리집"}, "areas": areas}, allow_unicode=True),
                    encoding="utf-8")
    return path


@dataclass
class Running:
    app: App
    simulator: MqttSimulator


@pytest.fixture
async def running(broker: Broker, demo_home: Home, tmp_path: Path) -> AsyncIterator[Running]:
    tag = uuid.uuid4().hex[:8]
    simulator = MqttSimulator(demo_home, MqttSettings(broker.url, f"sim-{tag}"), clock=SystemClock(),
                              tick=3600)
    sim_task = asyncio.create_task(simulator.run())
    config = Config(home_path=_rooms_only(demo_home, tmp_path / "home.yaml"), db_path=tmp_path / "home.db",
                    mqtt=MqttOptions(MqttSettings(broker.url, f"jipsa-{tag}")))
    async with App(config) as app:
        await _until(lambda: len(app.hub.home.devices) == len(demo_home.devices), what="discovery")
        await _until(lambda: all(app.hub.state(d.id) for d in app.hub.home.devices), what="first states")
        yield Running(app, simulator)
    sim_task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await sim_task


async def test_every_simulated_appliance_is_discovered_in_its_room(running: Running, demo_home: Home) -> None:
    found = {d.name: d for d in running.app.hub.home.devices}
    for device in demo_home.devices:
        twin = found[device.name]
        assert twin.vendor == "mqtt" and twin.type == device.type, device.id
        assert twin.area == device.area, device.id


async def test_said_in_korean_done_over_mqtt(running: Running) -> None:
    app = running.app
    turn = await app.assistant.handle("거실 에어컨 24도로 켜 줘")
    assert turn.outcome == "done", turn.reply
    assert turn.reply == "거실 에어컨을 켜고 온도를 24도로 맞췄어요."
    ac = next(d for d in app.hub.home.devices if d.name == "거실 에어컨")
    assert app.hub.state(ac.id)["on"] is True and app.hub.state(ac.id)["target_temperature"] == 24
    assert running.simulator.state("climate.living_room")["target_temperature"] == 24
    turn = await app.assistant.handle("안방 불 끄고 커튼 닫아")
    assert turn.outcome == "done", turn.reply


async def test_a_device_gone_offline_is_said_so_and_comes_back(running: Running) -> None:
    app = running.app
    light = next(d for d in app.hub.home.devices if d.name == "거실 조명")
    await running.simulator.set_available("light.living_room", False)
    await _until(lambda: not app.hub.available(light.id), what="offline")
    turn = await app.assistant.handle("거실 조명 켜 줘")
    assert "응답이 없어요" in turn.reply and turn.outcome == "failed"
    await running.simulator.set_available("light.living_room", True)
    await _until(lambda: app.hub.available(light.id), what="online")
    turn = await app.assistant.handle("거실 조명 켜 줘")
    assert turn.outcome == "done", turn.reply


@dataclass
class Bare:
    adapter: MqttAdapter
    reports: list[StateReport]
    raw: MqttClient
    received: list[tuple[str, bytes]]


@pytest.fixture
async def bare(broker: Broker) -> AsyncIterator[Bare]:
    """The adapter alone (no hub) and a raw client that plays third-party devices."""
    tag = uuid.uuid4().hex[:8]
    reports: list[StateReport] = []
    adapter = MqttAdapter(MqttSettings(broker.url, f"jipsa-{tag}"), ack_timeout=0.5)
    received: list[tuple[str, bytes]] = []
    raw = MqttClient(MqttSettings(broker.url, f"raw-{tag}"),
                     lambda topic, payload: received.append((topic, payload)))
    async with raw:
        task = asyncio.create_task(adapter.run([], reports.append))
        await adapter.client.wait_connected()
        yield Bare(adapter, reports, raw, received)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


_PLUG = {"name": "Dryer plug", "unique_id": "plug77", "command_topic": "tasmota/plug77/cmnd/POWER",
         "state_topic": "tasmota/plug77/stat/POWER", "payload_on": "ON", "payload_off": "OFF",
         "device": {"identifiers": ["plug77"], "name": "Dryer plug", "manufacturer": "Tasmota"}}


async def test_a_command_nobody_confirms_is_reported_as_unconfirmed(bare: Bare) -> None:
    await bare.raw.publish("homeassistant/switch/plug77/config", json.dumps(_PLUG).encode(), retain=True)
    await _until(lambda: bool(bare.adapter.devices), what="discovery")
    device_id = next(iter(bare.adapter.devices))
    with pytest.raises(CommandUnconfirmedError):
        await bare.adapter.send(Command(device_id, "on_off", "turn_on"))
    # The plug answers this time: the command is confirmed by its state report.
    async def answer() -> None:
        await asyncio.sleep(0.05)
        await bare.raw.publish("tasmota/plug77/stat/POWER", b"ON")
    helper = asyncio.create_task(answer())
    await bare.adapter.send(Command(device_id, "on_off", "turn_on"))
    await helper
    assert bare.reports[-1].values.get("on") is True


async def test_bad_input_is_logged_and_ignored(bare: Bare, caplog: pytest.LogCaptureFixture) -> None:
    bad = [
        ("homeassistant/light/x1/config", b"{not json"),
        ("homeassistant/light/x2/config", b"[1, 2, 3]"),
        ("homeassistant/teleporter/x3/config", json.dumps({"name": "t", "command_topic": "t/x"}).encode()),
        ("homeassistant/light/x4/config", b"{" + b'"name": "' + b"a" * 1_000_000 + b'"}'),
        ("homeassistant/switch/x5/config", json.dumps({"name": 5, "command_topic": ["no"]}).encode()),
    ]
    for topic, payload in bad:
        await bare.raw.publish(topic, payload)
    # A flood of messages under the prefix that are no configs, then of garbage on a device's state topic.
    for n in range(100):
        await bare.raw.publish(f"homeassistant/sensor/nobody{n}/state", b"\xff\xfe garbage")
    await bare.raw.publish("homeassistant/switch/plug77/config", json.dumps(_PLUG).encode())
    await _until(lambda: len(bare.adapter.devices) == 1, what="the good device")
    await asyncio.sleep(0.1)  # the adapter subscribes to the plug's state topic
    for _ in range(100):
        await bare.raw.publish("tasmota/plug77/stat/POWER", b"\x00\x01 not a state")
    # Another config that tries to take over the plug's unique id from a different topic is refused.
    takeover = dict(_PLUG, name="Evil", command_topic="evil/cmd")
    await bare.raw.publish("homeassistant/switch/evil/config", json.dumps(takeover).encode())
    await bare.raw.publish("tasmota/plug77/stat/POWER", b"ON")
    await _until(lambda: any(r.values.get("on") is True for r in bare.reports), what="the good report")
    (device,) = bare.adapter.devices.values()
    assert device.device.name == "Dryer plug"
    assert bare.adapter.dropped >= len(bad) + 200
    assert "teleporter" in caplog.text or "x3" in caplog.text


async def test_state_reports_survive_a_broker_restart(broker: Broker, bare: Bare) -> None:
    """A sensor keeps reporting while the broker stops and starts again: every report reaches jipsa."""
    sensor = {"name": "Meter", "unique_id": "meter9", "state_topic": "meter9/power",
              "device_class": "power", "unit_of_measurement": "W",
              "device": {"identifiers": ["meter9"], "name": "Dryer meter"}}
    await bare.raw.publish("homeassistant/sensor/meter9/config", json.dumps(sensor).encode(), retain=True)
    await _until(lambda: bool(bare.adapter.devices), what="discovery")
    total = 400

    async def publish_all() -> None:
        for n in range(1, total + 1):
            await bare.raw.publish("meter9/power", str(n).encode())
            await asyncio.sleep(0.001)

    sender = asyncio.create_task(publish_all())
    await _until(lambda: len(bare.reports) > 50, what="the first reports")
    broker.stop()
    await asyncio.sleep(0.3)
    broker.start()
    await asyncio.wait_for(sender, 30)
    seen = lambda: {r.values.get("power") for r in bare.reports}  # noqa: E731
    await _until(lambda: set(range(1, total + 1)) <= seen(), timeout=15, what="every report")


async def test_commands_sent_across_a_broker_restart_all_arrive(broker: Broker, demo_home: Home) -> None:
    tag = uuid.uuid4().hex[:8]
    simulator = MqttSimulator(demo_home, MqttSettings(broker.url, f"sim-{tag}"), clock=SystemClock(),
                              tick=3600)
    sim_task = asyncio.create_task(simulator.run())
    adapter = MqttAdapter(MqttSettings(broker.url, f"jipsa-{tag}"), ack_timeout=15)
    task = asyncio.create_task(adapter.run([], lambda report: None))
    try:
        await _until(lambda: len(adapter.devices) == len(demo_home.devices), what="discovery")
        switchable = [d for d in adapter.devices.values()
                      if d.device.has("on_off") and ("on_off", "turn_on") in d.commands()
                      and not d.device.is_sensitive("on_off", "turn_on")]
        assert len(switchable) >= 10

        async def send(device_id: str) -> None:
            await adapter.send(Command(device_id, "on_off", "turn_on"))

        half = len(switchable) // 2
        senders = [asyncio.create_task(send(d.device.id)) for d in switchable[:half]]
        await asyncio.sleep(0.01)
        broker.stop()
        senders += [asyncio.create_task(send(d.device.id)) for d in switchable[half:]]
        await asyncio.sleep(0.3)
        broker.start()
        await asyncio.wait_for(asyncio.gather(*senders), 30)
        assert simulator.commands >= len(switchable)
        # Every simulated appliance they stand for is on (matched by name: ids differ across the broker).
        by_name = {d.name: d.id for d in demo_home.devices}
        simulated = [by_name[d.device.name] for d in switchable]
        assert len(simulated) == len(switchable)
        assert all(simulator.state(device_id).get("on") is True for device_id in simulated), [
            device_id for device_id in simulated if simulator.state(device_id).get("on") is not True]
    finally:
        for t in (task, sim_task):
            t.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await t


async def test_a_scaled_home_simulated_as_houses_obeys_commands_in_each(broker: Broker,
                                                                       demo_home: Home) -> None:
    """Three copies of the demo home, each simulated as a house of its own: a command to a device of the
    third house is confirmed by that device's report, and changes nothing in the other houses."""
    tag = uuid.uuid4().hex[:8]
    home = scaled_home(demo_home, 3 * len(demo_home.devices))
    simulator = MqttSimulator(home, MqttSettings(broker.url, f"sim-{tag}"), clock=SystemClock(), tick=3600,
                              household=len(demo_home.devices))
    sim_task = asyncio.create_task(simulator.run())
    adapter = MqttAdapter(MqttSettings(broker.url, f"jipsa-{tag}"))
    task = asyncio.create_task(adapter.run([], lambda report: None))
    try:
        await _until(lambda: len(adapter.devices) == len(home.devices), what="discovery")
        light = next(d for d in demo_home.devices if d.type.value == "light")
        copies = [light.id, f"{light.id}_2", f"{light.id}_3"]
        before = [simulator.state(device_id).get("on") for device_id in copies]
        third = next(d for d in adapter.devices.values() if d.device.name == f"{light.name} 3")
        command = "turn_off" if before[2] else "turn_on"
        await adapter.send(Command(third.device.id, "on_off", command))  # confirmed by its report
        assert simulator.state(copies[2]).get("on") is (command == "turn_on")
        assert [simulator.state(device_id).get("on") for device_id in copies[:2]] == before[:2]
    finally:
        for t in (task, sim_task):
            t.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await t


def test_a_household_must_hold_a_device(demo_home: Home) -> None:
    with pytest.raises(ValueError, match="household"):
        MqttSimulator(demo_home, MqttSettings("mqtt://127.0.0.1:1", "sim"), clock=SystemClock(), household=0)


async def test_a_zigbee2mqtt_bridge_without_discovery(bare: Bare) -> None:
    """A bridge that only publishes its device list: the light is found, switched and confirmed."""
    features = [
        {"type": "binary", "name": "state", "property": "state", "access": 7, "value_on": "ON",
         "value_off": "OFF"},
        {"type": "numeric", "name": "brightness", "property": "brightness", "access": 7, "value_min": 0,
         "value_max": 254},
    ]
    devices = [
        {"ieee_address": "0x00124b0001", "friendly_name": "Coordinator", "type": "Coordinator",
         "definition": None},
        {"ieee_address": "0x0017880104aa", "friendly_name": "hall/lamp", "type": "Router",
         "definition": {"model": "LED1836G9", "vendor": "IKEA", "description": "bulb",
                        "exposes": [{"type": "light", "features": features}]}},
    ]
    await bare.raw.subscribe("zigbee2mqtt/hall/lamp/set")
    got = [payload for topic, payload in bare.received if topic == "zigbee2mqtt/hall/lamp/set"]

    async def bridge_side() -> None:
        # The bridge obeys: whatever is set is reported back as the lamp's state.
        while not any(topic == "zigbee2mqtt/hall/lamp/set" for topic, _ in bare.received):
            await asyncio.sleep(0.01)
        state = {"state": "ON", "brightness": 254}
        await bare.raw.publish("zigbee2mqtt/hall/lamp", json.dumps(state).encode())

    await bare.raw.publish("zigbee2mqtt/bridge/devices", json.dumps(devices).encode(), retain=True)
    await _until(lambda: len(bare.adapter.devices) == 1, what="the bridge's lamp")
    (lamp,) = bare.adapter.devices.values()
    assert lamp.device.type.value == "light"
    await asyncio.sleep(0.1)
    helper = asyncio.create_task(bridge_side())
    await bare.adapter.send(Command(lamp.device.id, "on_off", "turn_on"))
    await helper
    got = [payload for topic, payload in bare.received if topic == "zigbee2mqtt/hall/lamp/set"]
    assert json.loads(got[0])["state"] == "ON"
