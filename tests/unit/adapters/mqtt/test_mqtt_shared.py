"""Devices of one make share their binding and config form; each keeps only its own topics and state."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from typing import Any

from jipsa.adapters.mqtt.adapter import MqttAdapter
from jipsa.adapters.mqtt.binding import MqttDevice
from jipsa.adapters.mqtt.client import MqttSettings
from jipsa.adapters.mqtt.config import one_copy, parse_config
from jipsa.adapters.mqtt.discovery import Discovery
from jipsa.core import Device, DeviceType, validate_command


def light(n: int, **extra: Any) -> dict[str, Any]:
    base = f"house{n}/light"
    return {
        "name": None, "uniq_id": f"light_{n}", "cmd_t": f"{base}/set", "stat_t": f"{base}/state",
        "bri_cmd_t": f"{base}/brightness/set", "bri_stat_t": f"{base}/state", "bri_scl": 100,
        "stat_val_tpl": "{{ value_json.on }}", "bri_val_tpl": "{{ value_json.brightness }}",
        "avty_t": f"{base}/availability",
        "dev": {"ids": [f"lamp_{n}"], "name": f"거실 조명 {n}", "mf": "Philips Hue", "sa": "거실"},
        **extra,
    }


def discover(*payloads: dict[str, Any]) -> dict[str, MqttDevice]:
    registry = Discovery()
    for n, payload in enumerate(payloads):
        registry.handle(f"homeassistant/light/lamp_{n}/light/config", json.dumps(payload).encode())
    return {d.device.name: d for d in registry.devices.values()}


def test_devices_of_one_make_share_binding_and_form() -> None:
    devices = discover(light(0), light(1), light(2))
    first, second, third = (devices[f"거실 조명 {n}"] for n in range(3))
    assert first.binding is second.binding is third.binding
    assert first.device.limits is second.device.limits
    assert first.topics != second.topics
    # Each decodes its own topics only and keeps its own state.
    assert dict(first.decode("house0/light/state", b'{"on": "ON", "brightness": 40}').values) == {
        "on": True, "brightness": 40}
    assert not second.decode("house0/light/state", b'{"on": "ON"}').values
    assert dict(second.decode("house1/light/state", b'{"on": "OFF", "brightness": 70}').values) == {
        "on": False, "brightness": 70}
    assert first.state == {"on": True, "brightness": 40}
    assert second.state == {"on": False, "brightness": 70}
    assert first.decode("house0/light/availability", b"offline").available is False
    assert second.decode("house1/light/availability", b"online").available is True
    # Commands go to each device's own topics.
    (publish,) = second.encode(validate_command(second.device, "set_brightness", {"brightness": 30}))
    assert (publish.topic, publish.payload) == ("house1/light/brightness/set", b"30")
    (publish,) = third.encode(validate_command(third.device, "turn_on", {}))
    assert (publish.topic, publish.payload) == ("house2/light/set", b"ON")
    assert first.subscriptions == {"house0/light/state", "house0/light/availability"}


def test_a_device_reads_its_own_topics_and_not_those_that_begin_alike() -> None:
    odd_topics = {"stat_t": "house2/light", "bri_stat_t": "house2/light", "avty_t": "status/house2"}
    devices = discover(light(1), light(10), light(2, **odd_topics))
    one, ten, odd = (devices[f"거실 조명 {n}"] for n in (1, 10, 2))
    assert sorted(one.topics) == ["house1/light/availability", "house1/light/brightness/set",
                                  "house1/light/set", "house1/light/state"]
    assert not one.decode("house10/light/state", b'{"on": "ON"}').values
    assert not one.decode("house1/light/statex", b'{"on": "ON"}').values
    assert not one.decode("house1/light", b'{"on": "ON"}').values
    assert ten.decode("house10/light/state", b'{"on": "ON"}').values == {"on": True}
    # Topics with nothing in common but their first level, and one that is the others' beginning.
    assert odd.subscriptions == {"house2/light", "status/house2"}
    assert odd.decode("house2/light", b'{"on": "ON"}').values == {"on": True}
    assert odd.decode("status/house2", b"offline").available is False
    assert not odd.decode("house2/light/state", b'{"on": "OFF"}').values
    (publish,) = odd.encode(validate_command(odd.device, "set_brightness", {"brightness": 30}))
    assert publish.topic == "house2/light/brightness/set"
    assert one.state == {} and odd.state == {"on": True}
    assert odd.confirms({"on": True}) and not odd.confirms({"brightness": 30})
    assert not one.confirms({"on": True})


def test_another_make_gets_its_own_binding() -> None:
    devices = discover(light(0), light(1, bri_scl=255), light(2, stat_t="house2/light/power"))
    first, scaled, split = (devices[f"거실 조명 {n}"] for n in range(3))
    assert len({id(first.binding), id(scaled.binding), id(split.binding)}) == 3
    # 255 steps: 50 % is 128 on the device.
    (publish,) = scaled.encode(validate_command(scaled.device, "set_brightness", {"brightness": 50}))
    assert publish.payload == b"128"
    # Power on its own topic: the state topic no longer carries brightness for it, the other one does.
    assert split.decode("house2/light/power", b'{"on": "ON", "brightness": 5}').values == {"on": True}
    assert split.decode("house2/light/state", b'{"on": "OFF", "brightness": 5}').values == {"brightness": 5}


def test_same_topic_in_two_roles_is_one_slot() -> None:
    entity = parse_config("switch", "plug", None, json.dumps(
        {"cmd_t": "plug/x", "stat_t": "plug/x", "avty_t": "plug/x/lwt"}).encode())
    assert entity is not None
    assert sorted(entity.topics) == ["plug/x", "plug/x/lwt"]
    assert entity.text("command_topic") == entity.text("state_topic") == "plug/x"
    assert entity.availability[0].topic == "plug/x/lwt"


def test_state_survives_a_changed_config() -> None:
    registry = Discovery()
    topic = "homeassistant/light/lamp_0/light/config"
    registry.handle(topic, json.dumps(light(0)).encode())
    (old,) = registry.devices.values()
    old.decode("house0/light/state", b'{"on": "ON", "brightness": 40}')
    change = registry.handle(topic, json.dumps(light(0, bri_scl=255)).encode())
    (new,) = change.updated
    new.inherit(old)
    assert new.state == {"on": True, "brightness": 40}
    assert new.confirms({"on": True}) and not new.confirms({"on": False})


def test_equal_limits_are_one_mapping_and_types_stay_apart() -> None:
    a = Device("light.a", "a", DeviceType.LIGHT, initial_state={"on": True})
    b = Device("light.b", "b", DeviceType.LIGHT, initial_state={"on": True})
    c = Device("light.c", "c", DeviceType.LIGHT, initial_state={"brightness": 1})
    d = Device("light.d", "d", DeviceType.LIGHT, initial_state={"brightness": True})
    assert a.initial_state is b.initial_state
    assert c.initial_state["brightness"] is not True and d.initial_state["brightness"] is True


def test_one_copy_remembers_recent_texts_only() -> None:
    text = "".join(["house", "9", "/light/state"])
    same = "".join(["house", "9", "/light/state"])
    assert text is not same
    assert one_copy(text) is one_copy(same)
    for n in range(5000):
        one_copy(f"filler/{n}")
    later = "".join(["house", "9", "/light/state"])
    assert one_copy(later) is later  # forgotten: the table does not grow without bound


def test_adapter_takes_fed_configs_while_disconnected() -> None:
    seen: list[tuple[list[str], list[str]]] = []

    def on_devices(found: Sequence[MqttDevice], removed: Sequence[str]) -> None:
        seen.append(([d.device.name for d in found], list(removed)))

    async def main() -> MqttAdapter:
        adapter = MqttAdapter(MqttSettings("mqtt://127.0.0.1:1", "unit"), on_devices=on_devices)
        for n in range(2):
            adapter.feed(f"homeassistant/light/lamp_{n}/light/config", json.dumps(light(n)).encode())
        adapter.feed("homeassistant/light/lamp_9/light/config", b"{garbled")
        await adapter.apply_pending()
        return adapter

    adapter = asyncio.run(main())
    assert seen == [(["거실 조명 0", "거실 조명 1"], [])]
    assert adapter.dropped == 1
    assert set(adapter.devices) == {"mqtt_lamp_0", "mqtt_lamp_1"}


def test_adapter_finds_each_topics_readers_whatever_its_depth() -> None:
    """Devices filed under the beginning their topics share, or under their topics when they share none;
    a topic of thousands of levels finds nobody without a walk through each of them."""

    async def main() -> MqttAdapter:
        adapter = MqttAdapter(MqttSettings("mqtt://127.0.0.1:1", "unit"))
        adapter.feed("homeassistant/light/lamp_0/light/config", json.dumps(light(0)).encode())
        odd = light(1, stat_t="stat/one", bri_stat_t="stat/one", avty_t="lwt/one")
        adapter.feed("homeassistant/light/lamp_1/light/config", json.dumps(odd).encode())
        await adapter.apply_pending()
        return adapter

    adapter = asyncio.run(main())
    names = {topic: [d.device.name for d in adapter.readers(topic)] for topic in (
        "house0/light/state", "house0/light/availability", "house0/light/set", "house0/light",
        "stat/one", "lwt/one", "stat/one/x", "house0/light/state/" + "a/" * 20_000)}
    assert names == {
        "house0/light/state": ["거실 조명 0"], "house0/light/availability": ["거실 조명 0"],
        "house0/light/set": [], "house0/light": [], "stat/one": ["거실 조명 1"], "lwt/one": ["거실 조명 1"],
        "stat/one/x": [], "house0/light/state/" + "a/" * 20_000: []}
    # Not connected: what its client will subscribe to is the devices' topics, kept by the devices.
    wanted = {"house0/light/state", "house0/light/availability", "stat/one", "lwt/one"}
    assert set(adapter.client.subscriptions) == wanted
