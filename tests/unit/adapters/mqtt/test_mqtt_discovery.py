"""MQTT discovery: configs as Zigbee2MQTT, Tasmota and ESPHome send them, bad input, grouping."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jipsa.adapters.mqtt.binding import MqttDevice, Publish
from jipsa.adapters.mqtt.discovery import (
    Change,
    Discovery,
    DiscoveryError,
    DiscoveryTopic,
    parse_config,
    parse_topic,
)
from jipsa.core import Command, CommandRejectedError, DeviceClass, DeviceType, validate_command


def config(registry: Discovery, topic: str, payload: dict[str, Any] | bytes) -> Change:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode()
    return registry.handle(topic, raw)


def only(registry: Discovery) -> MqttDevice:
    (device,) = registry.devices.values()
    return device


def send(binding: MqttDevice, command: str, **args: Any) -> list[Publish]:
    return binding.encode(validate_command(binding.device, command, args))


# --- topics and configs -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("topic", "expected"),
    [
        (
            "homeassistant/light/0x0017880104e45517/light/config",
            DiscoveryTopic("light", "0x0017880104e45517", "light"),
        ),
        ("homeassistant/switch/1C4A5B_RL_1/config", DiscoveryTopic("switch", None, "1C4A5B_RL_1")),
        ("homeassistant/status", None),
        ("homeassistant/light/a/b/c/config", None),
        ("homeassistant/light//x/config", None),
        ("other/light/x/config", None),
        ("homeassistant/light/x y/config", None),
        ("homeassistant/light/x/state", None),
    ],
)
def test_parse_topic(topic: str, expected: DiscoveryTopic | None) -> None:
    assert parse_topic(topic, "homeassistant") == expected


def test_abbreviations_and_base_topic_expand() -> None:
    entity = parse_config(
        "switch",
        "relay",
        "kitchen",
        json.dumps(
            {
                "~": "tasmota/kitchen",
                "stat_t": "~/stat/POWER",
                "cmd_t": "~/cmnd/POWER",
                "avty_t": "~/LWT",
                "pl_on": "ON",
                "pl_off": "OFF",
                "pl_avail": "Online",
                "pl_not_avail": "Offline",
                "uniq_id": "ABC_RL_1",
                "dev": {
                    "ids": ["ABC"],
                    "name": "주방 플러그",
                    "mf": "Tasmota",
                    "mdl": "Sonoff S26",
                    "sa": "kitchen",
                },
                "json_attr_t": "~/tele/STATE",
                "bri_cmd_t": "brightness/~",
            }
        ).encode(),
    )
    assert entity is not None
    assert entity.text("state_topic") == "tasmota/kitchen/stat/POWER"
    assert entity.text("command_topic") == "tasmota/kitchen/cmnd/POWER"
    assert entity.text("brightness_command_topic") == "brightness/tasmota/kitchen"
    assert entity.unique_id == "ABC_RL_1"
    assert entity.device is not None and entity.device.suggested_area == "kitchen"
    assert entity.device.manufacturer == "Tasmota" and entity.device.model == "Sonoff S26"
    (avail,) = entity.availability
    assert (avail.topic, avail.payload_available, avail.payload_not_available) == (
        "tasmota/kitchen/LWT",
        "Online",
        "Offline",
    )


def test_empty_payload_means_remove() -> None:
    assert parse_config("light", "x", None, b"") is None


@pytest.mark.parametrize(
    ("component", "payload", "message"),
    [
        ("light", b"{not json", "not valid JSON"),
        ("light", b"[1, 2]", "JSON object"),
        ("light", b'"text"', "JSON object"),
        ("teapot", b"{}", "unsupported component"),
        ("light", json.dumps({"stat_t": "a"}).encode(), "needs 'command_topic'"),
        ("sensor", json.dumps({"name": "x"}).encode(), "needs 'state_topic'"),
        ("light", json.dumps({"cmd_t": 5}).encode(), "command_topic"),
        ("light", json.dumps({"cmd_t": "a/+/b"}).encode(), "not a valid topic"),
        ("light", json.dumps({"cmd_t": "a", "bri_scl": "255"}).encode(), "brightness_scale must be a number"),
        ("climate", json.dumps({"modes": "heat"}).encode(), "modes must be a list"),
        ("sensor", json.dumps({"stat_t": "a", "val_tpl": "{{ states('x') }}"}).encode(), "value_template"),
        ("sensor", json.dumps({"stat_t": "a", "dev": {"ids": [{"a": 1}]}}).encode(), "identifiers"),
        ("sensor", json.dumps({"stat_t": "a", "dev": "x"}).encode(), "device must be"),
        ("sensor", json.dumps({"stat_t": "a", "avty_t": "b", "avty": [{"t": "c"}]}).encode(), "not both"),
        ("sensor", json.dumps({"stat_t": "a", "avty_mode": "most"}).encode(), "availability_mode"),
        ("switch", json.dumps({"cmd_t": "a", "pl_on": {"x": 1}}).encode(), "payload_on"),
        ("light", json.dumps({"cmd_t": "a", "~": 3}).encode(), "base topic"),
        ("light", b"{" * 5000 + b"}" * 5000, "not valid JSON"),
    ],
)
def test_bad_configs_are_refused_with_the_topic(component: str, payload: bytes, message: str) -> None:
    topic = f"homeassistant/{component}/node/thing/config"
    with pytest.raises(DiscoveryError) as info:
        parse_config(component, "thing", "node", payload, topic=topic)
    assert info.value.topic == topic
    assert message in str(info.value)
    assert str(info.value).startswith(topic)


def test_oversized_configs_are_refused_unread() -> None:
    big = json.dumps({"cmd_t": "a", "name": "x" * 70_000}).encode()
    with pytest.raises(DiscoveryError, match="limit"):
        parse_config("light", "x", None, big)
    registry = Discovery(max_bytes=100)
    with pytest.raises(DiscoveryError, match="100-byte limit"):
        config(registry, "homeassistant/light/x/config", {"cmd_t": "a", "name": "y" * 200})
    assert parse_config("light", "x", None, big, max_bytes=1_000_000) is not None


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
_KEYS = st.sampled_from(
    [
        "stat_t",
        "cmd_t",
        "~",
        "avty_t",
        "avty",
        "avty_mode",
        "pl_on",
        "val_tpl",
        "uniq_id",
        "dev",
        "bri_scl",
        "modes",
        "min_temp",
        "temp_stat_tpl",
        "pos_open",
        "ops",
        "schema",
        "name",
        "dev_cla",
        "sup_clrm",
        "pct_cmd_t",
        "spd_rng_max",
        "pr_modes",
        "pl_prs",
        "ret",
        "cmps",
        "hum_cmd_t",
        "set_pos_tpl",
    ]
)
_COMPONENTS = st.sampled_from(
    [
        "light",
        "switch",
        "climate",
        "fan",
        "cover",
        "lock",
        "sensor",
        "binary_sensor",
        "humidifier",
        "vacuum",
        "number",
        "select",
        "button",
        "water_heater",
        "valve",
        "device",
        "alarm_control_panel",
    ]
)


@settings(max_examples=400)
@given(_COMPONENTS, st.dictionaries(_KEYS | st.text(max_size=8), _VALUES, max_size=10))
def test_random_configs_raise_only_discovery_error(component: str, data: dict[str, Any]) -> None:
    registry = Discovery()
    try:
        change = config(registry, f"homeassistant/{component}/node/thing/config", data)
    except DiscoveryError:
        return
    for binding in change.added:
        binding.decode("x", b"\xff\xfe garbage")
        for topic in binding.subscriptions:
            binding.decode(topic, b'{"state": [1, {"x": null}]}')


@settings(max_examples=300)
@given(_COMPONENTS, st.binary(max_size=300))
def test_random_bytes_raise_only_discovery_error(component: str, payload: bytes) -> None:
    with contextlib.suppress(DiscoveryError):
        Discovery().handle(f"homeassistant/{component}/thing/config", payload)


# --- Zigbee2MQTT's own discovery ----------------------------------------------------------------

Z2M_DEV = {
    "identifiers": ["zigbee2mqtt_0x00158d0004a1b2c3"],
    "name": "안방 온습도계",
    "manufacturer": "Aqara",
    "model": "Temperature and humidity sensor (WSDCGQ11LM)",
    "via_device": "zigbee2mqtt_bridge_0x00124b",
}
Z2M_AVTY = [
    {"topic": "zigbee2mqtt/bridge/state", "value_template": "{{ value_json.state }}"},
    {"topic": "zigbee2mqtt/안방 온습도계/availability", "value_template": "{{ value_json.state }}"},
]


def z2m_sensor(prop: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": prop.capitalize(),
        "state_topic": "zigbee2mqtt/안방 온습도계",
        "availability": Z2M_AVTY,
        "availability_mode": "all",
        "value_template": f"{{{{ value_json.{prop} }}}}",
        "unique_id": f"0x00158d0004a1b2c3_{prop}_zigbee2mqtt",
        "device": Z2M_DEV,
        "state_class": "measurement",
        **extra,
    }


def test_z2m_multisensor_is_one_sensor_device() -> None:
    registry = Discovery()
    node = "homeassistant/sensor/0x00158d0004a1b2c3"
    config(
        registry,
        f"{node}/temperature/config",
        z2m_sensor("temperature", device_class="temperature", unit_of_measurement="°C"),
    )
    config(
        registry,
        f"{node}/humidity/config",
        z2m_sensor("humidity", device_class="humidity", unit_of_measurement="%"),
    )
    config(
        registry,
        f"{node}/battery/config",
        z2m_sensor("battery", device_class="battery", unit_of_measurement="%", entity_category="diagnostic"),
    )
    config(
        registry,
        f"{node}/linkquality/config",
        z2m_sensor("linkquality", unit_of_measurement="lqi", entity_category="diagnostic"),
    )
    binding = only(registry)
    assert binding.device.id == "mqtt_zigbee2mqtt_0x00158d0004a1b2c3"
    assert binding.device.type is DeviceType.SENSOR
    assert binding.device.device_class is DeviceClass.TEMPERATURE
    assert set(binding.device.capabilities) == {"temperature_measurement", "humidity_measurement", "battery"}
    decoded = binding.decode(
        "zigbee2mqtt/안방 온습도계", b'{"temperature":23.41,"humidity":51.2,"battery":91,"linkquality":120}'
    )
    assert dict(decoded.values) == {"temperature": 23.41, "humidity": 51.2, "battery": 91}
    assert binding.decode("zigbee2mqtt/bridge/state", b'{"state":"online"}').available is False  # mode all
    assert binding.decode("zigbee2mqtt/안방 온습도계/availability", b'{"state":"online"}').available is True
    assert binding.decode("zigbee2mqtt/안방 온습도계/availability", b'{"state":"offline"}').available is False
    assert binding.decode("zigbee2mqtt/안방 온습도계", b"\x00garbage").values == {}


def test_z2m_json_light_encodes_and_scales_brightness() -> None:
    registry = Discovery()
    config(
        registry,
        "homeassistant/light/0x0017880104e45517/light/config",
        {
            "name": None,
            "schema": "json",
            "state_topic": "zigbee2mqtt/거실 조명",
            "command_topic": "zigbee2mqtt/거실 조명/set",
            "brightness": True,
            "brightness_scale": 254,
            "supported_color_modes": ["xy", "color_temp"],
            "min_mireds": 153,
            "max_mireds": 500,
            "unique_id": "0x0017880104e45517_light_zigbee2mqtt",
            "device": {
                "identifiers": ["zigbee2mqtt_0x0017880104e45517"],
                "name": "거실 조명",
                "manufacturer": "Philips",
                "model": "Hue White and Color Ambiance E26/E27 (9290022166)",
            },
        },
    )
    binding = only(registry)
    assert binding.device.type is DeviceType.LIGHT
    assert set(binding.device.capabilities) == {"on_off", "brightness", "color_temperature", "color"}
    assert binding.device.attribute("color_temp").minimum == 2000  # type: ignore[union-attr]
    assert send(binding, "set_brightness", brightness=50) == [
        Publish("zigbee2mqtt/거실 조명/set", b'{"state": "ON", "brightness": 127}')
    ]
    assert send(binding, "turn_off") == [Publish("zigbee2mqtt/거실 조명/set", b'{"state": "OFF"}')]
    assert json.loads(send(binding, "set_color", color="red")[0].payload)["color"] == {
        "r": 255,
        "g": 0,
        "b": 0,
    }
    state = (
        b'{"state":"ON","brightness":254,"color_temp":370,"color":{"x":0.1532,"y":0.0475},"linkquality":87}'
    )
    assert dict(binding.decode("zigbee2mqtt/거실 조명", state).values) == {
        "on": True,
        "brightness": 100,
        "color_temp": 2703,
        "color": "blue",
    }
    command = validate_command(binding.device, "set_brightness", {"brightness": 50})
    assert binding.expected(command) == {"brightness": 50}  # 127 of 254 reads back as 50 %
    assert binding.decode("zigbee2mqtt/거실 조명", b'{"brightness":127}').values == {"brightness": 50}


# --- Tasmota ------------------------------------------------------------------------------------

TASMOTA_DEV = {
    "ids": ["1C4A5B"],
    "name": "세탁실 플러그",
    "mdl": "Sonoff Pow R2",
    "sw": "13.2.0",
    "mf": "Tasmota",
}


def test_tasmota_relay_with_power_monitoring_is_a_plug() -> None:
    registry = Discovery()
    config(
        registry,
        "homeassistant/switch/1C4A5B_RL_1/config",
        {
            "name": None,
            "stat_t": "tele/tasmota_1C4A5B/STATE",
            "avty_t": "tele/tasmota_1C4A5B/LWT",
            "pl_avail": "Online",
            "pl_not_avail": "Offline",
            "cmd_t": "cmnd/tasmota_1C4A5B/POWER",
            "val_tpl": "{{value_json.POWER}}",
            "pl_off": "OFF",
            "pl_on": "ON",
            "uniq_id": "1C4A5B_RL_1",
            "dev": TASMOTA_DEV,
        },
    )
    config(
        registry,
        "homeassistant/sensor/1C4A5B_ENERGY_Power/config",
        {
            "name": "ENERGY Power",
            "stat_t": "tele/tasmota_1C4A5B/SENSOR",
            "avty_t": "tele/tasmota_1C4A5B/LWT",
            "pl_avail": "Online",
            "pl_not_avail": "Offline",
            "uniq_id": "1C4A5B_ENERGY_Power",
            "dev": TASMOTA_DEV,
            "unit_of_meas": "W",
            "val_tpl": "{{value_json['ENERGY']['Power']}}",
            "dev_cla": "power",
            "stat_cla": "measurement",
        },
    )
    binding = only(registry)
    assert binding.device.id == "mqtt_1c4a5b"
    assert binding.device.type is DeviceType.PLUG
    assert binding.device.name == "세탁실 플러그"
    assert set(binding.device.capabilities) == {"on_off", "power_measurement"}
    assert send(binding, "turn_on") == [Publish("cmnd/tasmota_1C4A5B/POWER", b"ON")]
    assert dict(
        binding.decode("tele/tasmota_1C4A5B/STATE", b'{"Time":"2026-07-01T12:00:00","POWER":"ON"}').values
    ) == {"on": True}
    assert dict(
        binding.decode("tele/tasmota_1C4A5B/SENSOR", b'{"ENERGY":{"Power":1234,"Voltage":221}}').values
    ) == {"power": 1234.0}
    assert binding.decode("tele/tasmota_1C4A5B/LWT", b"Offline").available is False
    assert binding.decode("tele/tasmota_1C4A5B/LWT", b"Online").available is True
    assert binding.decode("tele/tasmota_1C4A5B/LWT", b"Rebooting").available is None


def test_a_multi_relay_board_becomes_one_device_per_relay() -> None:
    registry = Discovery()
    dev = {"ids": ["A0B1C2"], "name": "거실 스위치", "mf": "Tasmota", "mdl": "Sonoff 4CH"}
    for relay in (1, 2):
        change = config(
            registry,
            f"homeassistant/switch/A0B1C2_RL_{relay}/config",
            {
                "name": f"Relay {relay}",
                "stat_t": "stat/tasmota_A0B1C2/RESULT",
                "cmd_t": f"cmnd/tasmota_A0B1C2/POWER{relay}",
                "val_tpl": f"{{{{value_json.POWER{relay}}}}}",
                "uniq_id": f"A0B1C2_RL_{relay}",
                "dev": dev,
            },
        )
    assert [d.device.id for d in change.added] == ["mqtt_a0b1c2_a0b1c2_rl_1", "mqtt_a0b1c2_a0b1c2_rl_2"]
    assert change.removed == ("mqtt_a0b1c2",)
    names = sorted(d.device.name for d in registry.devices.values())
    assert names == ["거실 스위치 Relay 1", "거실 스위치 Relay 2"]
    relay2 = registry.devices["mqtt_a0b1c2_a0b1c2_rl_2"]
    assert relay2.device.type is DeviceType.SWITCH
    assert send(relay2, "turn_off") == [Publish("cmnd/tasmota_A0B1C2/POWER2", b"OFF")]
    assert dict(relay2.decode("stat/tasmota_A0B1C2/RESULT", b'{"POWER2":"ON"}').values) == {"on": True}
    assert dict(relay2.decode("stat/tasmota_A0B1C2/RESULT", b'{"POWER1":"ON"}').values) == {}


# --- ESPHome ------------------------------------------------------------------------------------

ESP_DEV = {
    "ids": "a4cf12b3c4d5",
    "name": "living-ac",
    "sw": "esphome v2024.6.1 Jun 20 2024",
    "mdl": "esp32dev",
    "mf": "espressif",
    "cns": [["mac", "A4:CF:12:B3:C4:D5"]],
    "sa": "거실",
}


def test_esphome_air_conditioner() -> None:
    registry = Discovery()
    config(
        registry,
        "homeassistant/climate/living-ac/living_ac/config",
        {
            "name": "Living AC",
            "mode_cmd_t": "living-ac/climate/living_ac/mode/command",
            "mode_stat_t": "living-ac/climate/living_ac/mode/state",
            "modes": ["off", "cool", "heat", "dry", "fan_only", "heat_cool"],
            "temp_cmd_t": "living-ac/climate/living_ac/target_temperature/command",
            "temp_stat_t": "living-ac/climate/living_ac/target_temperature/state",
            "curr_temp_t": "living-ac/climate/living_ac/current_temperature/state",
            "min_temp": 16,
            "max_temp": 30,
            "temp_step": 1,
            "fan_mode_cmd_t": "living-ac/climate/living_ac/fan_mode/command",
            "fan_mode_stat_t": "living-ac/climate/living_ac/fan_mode/state",
            "fan_modes": ["auto", "low", "middle", "high"],
            "act_t": "living-ac/climate/living_ac/action/state",
            "avty_t": "living-ac/status",
            "uniq_id": "ESPclimateliving_ac",
            "dev": ESP_DEV,
        },
    )
    config(
        registry,
        "homeassistant/sensor/living-ac/wifi_signal/config",
        {
            "name": "WiFi Signal",
            "stat_t": "living-ac/sensor/wifi_signal/state",
            "avty_t": "living-ac/status",
            "unit_of_meas": "dBm",
            "dev_cla": "signal_strength",
            "ent_cat": "diagnostic",
            "uniq_id": "ESPsensorwifi_signal",
            "dev": ESP_DEV,
        },
    )
    config(
        registry,
        "homeassistant/switch/living-ac/beeper/config",
        {
            "name": "Beeper",
            "stat_t": "living-ac/switch/beeper/state",
            "cmd_t": "living-ac/switch/beeper/command",
            "avty_t": "living-ac/status",
            "uniq_id": "ESPswitchbeeper",
            "dev": ESP_DEV,
            "ent_cat": "config",
        },
    )
    binding = only(registry)
    device = binding.device
    assert device.type is DeviceType.AIR_CONDITIONER
    assert device.area == "거실"
    assert set(device.capabilities) == {
        "on_off",
        "target_temperature",
        "hvac_mode",
        "fan_speed",
        "temperature_measurement",
    }
    assert device.attribute("hvac_mode").values == ("cool", "heat", "dry", "fan_only", "auto")  # type: ignore[union-attr]
    assert device.attribute("fan_speed").values == ("low", "medium", "high", "auto")  # type: ignore[union-attr]
    limits = device.attribute("target_temperature")
    assert limits is not None and (limits.minimum, limits.maximum, limits.step) == (16, 30, 1)
    assert send(binding, "set_temperature", temperature=24) == [
        Publish("living-ac/climate/living_ac/target_temperature/command", b"24")
    ]
    assert send(binding, "set_fan_speed", fan_speed="medium") == [
        Publish("living-ac/climate/living_ac/fan_mode/command", b"middle")
    ]
    assert send(binding, "set_hvac_mode", hvac_mode="auto") == [
        Publish("living-ac/climate/living_ac/mode/command", b"heat_cool")
    ]
    assert send(binding, "turn_off") == [Publish("living-ac/climate/living_ac/mode/command", b"off")]
    # Turning on goes back to the last mode the device reported.
    assert dict(binding.decode("living-ac/climate/living_ac/mode/state", b"dry").values) == {
        "on": True,
        "hvac_mode": "dry",
    }
    assert dict(binding.decode("living-ac/climate/living_ac/mode/state", b"off").values) == {"on": False}
    assert send(binding, "turn_on") == [Publish("living-ac/climate/living_ac/mode/command", b"dry")]
    assert dict(binding.decode("living-ac/climate/living_ac/current_temperature/state", b"27.8").values) == {
        "temperature": 27.8
    }
    with pytest.raises(CommandRejectedError) as rejected:
        validate_command(device, "set_temperature", {"temperature": 31})
    assert rejected.value.allowed == "16–30 °C"
    assert binding.decode("living-ac/status", b"offline").available is False
    assert binding.expected(validate_command(device, "set_temperature", {"temperature": 24})) == {
        "target_temperature": 24
    }


def test_esphome_cover_and_template_position() -> None:
    registry = Discovery()
    config(
        registry,
        "homeassistant/cover/bedroom-blind/blind/config",
        {
            "name": "안방 블라인드",
            "dev_cla": "blind",
            "cmd_t": "bedroom-blind/cover/blind/command",
            "stat_t": "bedroom-blind/cover/blind/state",
            "pos_t": "bedroom-blind/cover/blind/position/state",
            "set_pos_t": "bedroom-blind/cover/blind/position/command",
            "uniq_id": "ESPcoverblind",
        },
    )
    binding = only(registry)
    assert binding.device.id == "mqtt_espcoverblind"
    assert (binding.device.type, binding.device.device_class) == (DeviceType.COVER, DeviceClass.BLIND)
    assert binding.device.name == "안방 블라인드"
    assert send(binding, "open") == [Publish("bedroom-blind/cover/blind/command", b"OPEN")]
    assert send(binding, "stop") == [Publish("bedroom-blind/cover/blind/command", b"STOP")]
    assert send(binding, "set_position", position=40) == [
        Publish("bedroom-blind/cover/blind/position/command", b"40")
    ]
    assert dict(binding.decode("bedroom-blind/cover/blind/position/state", b"40").values) == {"position": 40}
    assert binding.expected(validate_command(binding.device, "close")) == {"position": 0}


# --- component payload formats ------------------------------------------------------------------


def single(component: str, payload: dict[str, Any], topic: str | None = None) -> MqttDevice:
    registry = Discovery()
    config(registry, topic or f"homeassistant/{component}/test/thing/config", payload)
    return only(registry)


def test_lock_payloads() -> None:
    binding = single(
        "lock",
        {
            "name": "현관 도어락",
            "cmd_t": "door/set",
            "stat_t": "door/state",
            "pl_lock": "L",
            "pl_unlk": "U",
            "stat_locked": "locked",
            "stat_unlocked": "unlocked",
        },
    )
    assert binding.device.type is DeviceType.DOOR_LOCK
    assert send(binding, "unlock") == [Publish("door/set", b"U")]
    assert binding.decode("door/state", b"locked").values == {"locked": True}
    assert binding.decode("door/state", b"jammed").values == {}


def test_fan_percentage_and_presets() -> None:
    binding = single(
        "fan",
        {
            "name": "공기청정기",
            "cmd_t": "p/on/set",
            "stat_t": "p/on",
            "pct_cmd_t": "p/pct/set",
            "pct_stat_t": "p/pct",
            "pr_mode_cmd_t": "p/preset/set",
            "pr_mode_stat_t": "p/preset",
            "pr_modes": ["auto", "sleep", "nature"],
            "spd_rng_min": 1,
            "spd_rng_max": 3,
        },
    )
    assert binding.device.type is DeviceType.AIR_PURIFIER  # the name says so
    assert binding.device.attribute("fan_speed").values == ("low", "medium", "high")  # type: ignore[union-attr]
    assert binding.device.attribute("mode").values == ("auto", "sleep")  # type: ignore[union-attr]
    assert send(binding, "set_fan_speed", fan_speed="high") == [Publish("p/pct/set", b"3")]
    assert send(binding, "set_mode", mode="sleep") == [Publish("p/preset/set", b"sleep")]
    assert binding.decode("p/pct", b"2").values == {"fan_speed": "medium"}
    plain = single(
        "fan", {"name": "선풍기", "cmd_t": "f/set", "pct_cmd_t": "f/pct/set", "pct_stat_t": "f/pct"}
    )
    assert plain.device.type is DeviceType.FAN
    assert send(plain, "set_fan_speed", fan_speed="medium") == [Publish("f/pct/set", b"66")]
    assert plain.decode("f/pct", b"20").values == {"fan_speed": "low"}


def test_humidifier_target_and_class() -> None:
    binding = single(
        "humidifier",
        {
            "name": "제습기",
            "dev_cla": "dehumidifier",
            "cmd_t": "h/set",
            "stat_t": "h/state",
            "hum_cmd_t": "h/target/set",
            "hum_stat_t": "h/target",
            "min_hum": 35,
            "max_hum": 85,
            "curr_hum_t": "h/current",
        },
    )
    assert binding.device.type is DeviceType.DEHUMIDIFIER
    limits = binding.device.attribute("target_humidity")
    assert limits is not None and (limits.minimum, limits.maximum) == (35, 80)
    assert send(binding, "set_humidity", humidity=55) == [Publish("h/target/set", b"55")]
    assert binding.decode("h/current", b"61.5").values == {"humidity": 61.5}


def test_vacuum_state_schema() -> None:
    binding = single(
        "vacuum",
        {
            "name": "로봇청소기",
            "schema": "state",
            "cmd_t": "v/command",
            "stat_t": "v/state",
            "sup_feat": ["start", "pause", "stop", "return_home", "status", "battery"],
            "pl_ret": "dock",
        },
    )
    assert binding.device.type is DeviceType.ROBOT_VACUUM
    assert send(binding, "return_to_base") == [Publish("v/command", b"dock")]
    assert send(binding, "start") == [Publish("v/command", b"start")]
    assert dict(
        binding.decode("v/state", b'{"state":"cleaning","battery_level":61,"fan_speed":"max"}').values
    ) == {"vacuum_state": "cleaning", "battery": 61}


def test_water_heater_is_a_boiler() -> None:
    binding = single(
        "water_heater",
        {
            "name": "보일러",
            "mode_cmd_t": "b/mode/set",
            "mode_stat_t": "b/mode",
            "modes": ["off", "eco", "performance"],
            "temp_cmd_t": "b/temp/set",
            "temp_stat_t": "b/temp",
            "curr_temp_t": "b/current",
            "min_temp": 40,
            "max_temp": 60,
        },
    )
    assert binding.device.type is DeviceType.BOILER
    assert binding.device.attribute("mode").values == ("turbo", "eco")  # type: ignore[union-attr]
    assert send(binding, "set_mode", mode="eco") == [Publish("b/mode/set", b"eco")]
    assert send(binding, "turn_off") == [Publish("b/mode/set", b"off")]
    assert binding.decode("b/mode", b"performance").values == {"on": True, "mode": "turbo"}


def test_heat_only_climate_is_a_heater_and_without_off_a_thermostat() -> None:
    heater = single(
        "climate",
        {
            "name": "Study heater",
            "modes": ["off", "heat"],
            "mode_cmd_t": "s/mode/set",
            "temp_cmd_t": "s/temp/set",
        },
    )
    assert heater.device.type is DeviceType.HEATER
    assert "hvac_mode" not in heater.device.capabilities
    trv = single(
        "climate",
        {
            "name": "Radiator",
            "modes": ["heat", "auto"],
            "temp_cmd_t": "r/temp/set",
            "temperature_unit": "F",
            "min_temp": 41,
            "max_temp": 86,
        },
    )
    assert trv.device.type is DeviceType.THERMOSTAT
    assert send(trv, "set_temperature", temperature=20) == [Publish("r/temp/set", b"68")]


def test_number_select_and_button_on_a_korean_washer() -> None:
    registry = Discovery()
    dev = {"ids": ["washer-01"], "name": "세탁기", "mf": "Samsung"}
    config(
        registry,
        "homeassistant/switch/washer-01/power/config",
        {"name": "전원", "cmd_t": "w/power/set", "stat_t": "w/power", "dev": dev, "uniq_id": "w-power"},
    )
    config(
        registry,
        "homeassistant/select/washer-01/course/config",
        {
            "name": "코스",
            "cmd_t": "w/course/set",
            "stat_t": "w/course",
            "dev": dev,
            "uniq_id": "w-course",
            "ops": ["표준", "쾌속", "울", "불림"],
        },
    )
    config(
        registry,
        "homeassistant/sensor/washer-01/remaining/config",
        {"name": "남은 시간", "stat_t": "w/remaining", "unit_of_meas": "h", "dev": dev, "uniq_id": "w-rem"},
    )
    config(
        registry,
        "homeassistant/sensor/washer-01/status/config",
        {"name": "상태", "stat_t": "w/status", "dev": dev, "uniq_id": "w-status"},
    )
    config(
        registry,
        "homeassistant/button/washer-01/start/config",
        {"name": "시작", "cmd_t": "w/start", "pl_prs": "GO", "dev": dev, "uniq_id": "w-start"},
    )
    binding = only(registry)
    assert binding.device.type is DeviceType.WASHER
    assert set(binding.device.capabilities) == {"on_off", "operation"}
    assert binding.device.attribute("program").values == ("standard", "quick", "delicate")  # type: ignore[union-attr]
    assert send(binding, "set_program", program="quick") == [Publish("w/course/set", "쾌속".encode())]
    assert send(binding, "start") == [Publish("w/start", b"GO")]
    assert send(binding, "pause") == []  # no pause button: the runtime reports it cannot be sent
    assert binding.decode("w/remaining", b"1.5").values == {"remaining_minutes": 90}
    assert binding.decode("w/status", b"Washing").values == {"operation_state": "running"}
    assert binding.decode("w/course", "울".encode()).values == {"program": "delicate"}


# --- the registry ------------------------------------------------------------------------------

LIGHT = {"name": "현관 조명", "cmd_t": "e/set", "stat_t": "e/state", "uniq_id": "entrance-light"}


def test_add_update_remove_and_repeat() -> None:
    registry = Discovery()
    topic = "homeassistant/light/entrance/config"
    change = config(registry, topic, LIGHT)
    (added,) = change.added
    assert added.device.id == "mqtt_entrance-light"
    assert config(registry, topic, LIGHT) == Change()  # a retained repeat changes nothing
    change = config(registry, topic, {**LIGHT, "bri_cmd_t": "e/bri/set"})
    assert [d.device.id for d in change.updated] == ["mqtt_entrance-light"]
    assert change.updated[0].device.has("brightness")
    assert config(registry, topic, b"").removed == ("mqtt_entrance-light",)
    assert registry.devices == {}
    assert registry.handle("homeassistant/status", b"online") == Change()


def test_takeover_by_another_topic_is_refused_and_the_original_kept() -> None:
    registry = Discovery()
    config(registry, "homeassistant/light/entrance/config", LIGHT)
    with pytest.raises(DiscoveryError, match="already belongs"):
        config(registry, "homeassistant/light/evil/config", {**LIGHT, "cmd_t": "evil/set"})
    assert send(only(registry), "turn_on") == [Publish("e/set", b"ON")]
    dev = {"ids": ["0xabc"], "name": "도어락"}
    config(registry, "homeassistant/lock/0xabc/lock/config", {"cmd_t": "l/set", "uniq_id": "l1", "dev": dev})
    with pytest.raises(DiscoveryError, match="node"):
        config(
            registry, "homeassistant/lock/other/lock/config", {"cmd_t": "x/set", "uniq_id": "l2", "dev": dev}
        )


def test_a_bad_update_keeps_the_previous_config() -> None:
    registry = Discovery()
    topic = "homeassistant/light/entrance/config"
    config(registry, topic, LIGHT)
    with pytest.raises(DiscoveryError):
        config(registry, topic, b"{broken")
    assert send(only(registry), "turn_off") == [Publish("e/set", b"OFF")]


def test_availability_any_and_latest() -> None:
    binding = single(
        "switch",
        {
            "name": "Plug",
            "cmd_t": "p/set",
            "avty_mode": "any",
            "avty": [{"t": "a/one"}, {"t": "a/two", "pl_avail": "up", "pl_not_avail": "down"}],
        },
    )
    assert binding.decode("a/one", b"offline").available is False
    assert binding.decode("a/two", b"up").available is True
    assert binding.decode("a/one", b"online").available is True
    latest = single("switch", {"name": "Plug", "cmd_t": "p/set", "avty": [{"t": "a/one"}, {"t": "a/two"}]})
    assert latest.decode("a/one", b"online").available is True
    assert latest.decode("a/two", b"offline").available is False


def test_device_based_discovery() -> None:
    registry = Discovery()
    config(
        registry,
        "homeassistant/device/kitchen-sensor/config",
        {
            "dev": {"ids": "kitchen-sensor", "name": "주방 센서"},
            "o": {"name": "custom"},
            "stat_t": "kitchen/sensor/state",
            "cmps": {
                "t": {
                    "p": "sensor",
                    "dev_cla": "temperature",
                    "unit_of_meas": "°C",
                    "val_tpl": "{{ value_json.t }}",
                    "uniq_id": "ks-t",
                },
                "h": {
                    "p": "sensor",
                    "dev_cla": "humidity",
                    "val_tpl": "{{ value_json.h }}",
                    "uniq_id": "ks-h",
                },
            },
        },
    )
    binding = only(registry)
    assert set(binding.device.capabilities) == {"temperature_measurement", "humidity_measurement"}
    assert dict(binding.decode("kitchen/sensor/state", b'{"t": 22.5, "h": 40}').values) == {
        "temperature": 22.5,
        "humidity": 40.0,
    }
    assert config(registry, "homeassistant/device/kitchen-sensor/config", b"").removed == (binding.device.id,)


def test_unmappable_groups_make_no_device() -> None:
    registry = Discovery()
    change = config(
        registry,
        "homeassistant/sensor/esp/uptime/config",
        {"name": "Uptime", "stat_t": "esp/uptime", "unit_of_meas": "s", "ent_cat": "diagnostic"},
    )
    assert change == Change() and registry.devices == {}
    assert len(registry.entities()) == 1


def test_encode_of_an_unknown_command_sends_nothing() -> None:
    binding = single("light", LIGHT)
    assert binding.encode(Command(binding.device.id, "media", "set_volume", {"volume": 3})) == []
    assert binding.expected(Command(binding.device.id, "media", "set_volume", {"volume": 3})) == {}


# --- configs kept on disk -------------------------------------------------------------------------


def washer_entity(n: int, kind: str) -> tuple[str, dict[str, Any]]:
    dev = {"ids": [f"washer{n}"], "name": f"세탁기 {n}", "mf": "Samsung", "mdl": "Bespoke AI"}
    if kind == "power":
        return f"homeassistant/switch/washer{n}/power/config", {
            "name": "Power",
            "uniq_id": f"washer{n}_power",
            "stat_t": f"w/{n}/state",
            "cmd_t": f"w/{n}/set",
            "val_tpl": "{{ value_json.power }}",
            "dev": dev,
        }
    return f"homeassistant/sensor/washer{n}/remaining/config", {
        "name": "Remaining time",
        "uniq_id": f"washer{n}_remaining",
        "stat_t": f"w/{n}/state",
        "unit_of_meas": "min",
        "val_tpl": "{{ value_json.remaining }}",
        "dev": dev,
    }


def test_an_entity_long_since_parsed_is_read_back_for_its_group(monkeypatch: pytest.MonkeyPatch) -> None:
    """Discovery keeps configs on disk, not as objects: a late sibling finds an entity parsed long ago."""
    monkeypatch.setattr("jipsa.adapters.mqtt.discovery._RECENT_ENTITIES", 2)
    registry = Discovery()
    for n in range(5):
        config(registry, *washer_entity(n, "power"))
    for n in range(5):
        change = config(registry, *washer_entity(n, "remaining"))
        (washer,) = change.updated
        assert washer.device.type is DeviceType.WASHER
        assert {"on", "remaining_minutes"} <= washer.readable
    assert len(registry.devices) == 5 and len(registry.entities()) == 10
    # Removing one entity rebuilds its group from the other, read back from disk.
    change = registry.handle(washer_entity(3, "power")[0], b"")
    (washer,) = change.updated
    assert "on" not in washer.readable and "remaining_minutes" in washer.readable
    # An unchanged config is still known by its digest: nothing to do.
    assert config(registry, *washer_entity(1, "power")) == Change()


def test_a_config_that_cannot_be_kept_is_refused_and_nothing_changes() -> None:
    registry = Discovery()
    config(registry, *washer_entity(0, "power"))
    registry.close()
    with pytest.raises(DiscoveryError, match="cannot keep the config"):
        config(registry, *washer_entity(1, "power"))
    assert list(registry.devices) == ["mqtt_washer0"]


# --- template-schema lights ------------------------------------------------------------------------


def test_a_template_schema_light_reads_and_commands_through_its_templates() -> None:
    registry = Discovery()
    config(
        registry,
        "homeassistant/light/rgbw_strip/light/config",
        {
            "schema": "template",
            "name": "주방 LED",
            "uniq_id": "rgbw_strip_1",
            "cmd_t": "strip/1/set",
            "stat_t": "strip/1/state",
            "cmd_on_tpl": (
                '{"state": "on"{%- if brightness is defined -%}, "brightness": {{ brightness }}{%- endif -%}'
                '{%- if red is defined -%}, "rgb": [{{ red }}, {{ green }}, {{ blue }}]{%- endif -%}'
                '{%- if color_temp is defined -%}, "mireds": {{ color_temp }}{%- endif -%}}'
            ),
            "cmd_off_tpl": '{"state": "off"}',
            "stat_tpl": "{{ value_json.state }}",
            "bri_tpl": "{{ value_json.brightness }}",
            "clr_temp_tpl": "{{ value_json.mireds }}",
            "r_tpl": "{{ value_json.rgb[0] }}",
            "g_tpl": "{{ value_json.rgb[1] }}",
            "b_tpl": "{{ value_json.rgb[2] }}",
            "min_mirs": 153,
            "max_mirs": 500,
        },
    )
    light = only(registry)
    assert light.device.type is DeviceType.LIGHT
    assert {"on_off", "brightness", "color_temperature", "color"} <= set(light.device.capabilities)
    assert send(light, "turn_off") == [Publish("strip/1/set", b'{"state": "off"}')]
    assert send(light, "turn_on") == [Publish("strip/1/set", b'{"state": "on"}')]
    assert send(light, "set_brightness", brightness=50) == [
        Publish("strip/1/set", b'{"state": "on", "brightness": 128}')
    ]
    assert send(light, "set_color_temperature", color_temp=4000) == [
        Publish("strip/1/set", b'{"state": "on", "mireds": 250}')
    ]
    (publish,) = send(light, "set_color", color="red")
    assert json.loads(publish.payload) == {"state": "on", "rgb": [255, 0, 0]}
    state = light.decode(
        "strip/1/state", b'{"state": "on", "brightness": 255, "mireds": 370, "rgb": [0, 0, 255]}'
    )
    assert dict(state.values) == {"on": True, "brightness": 100, "color_temp": 2703, "color": "blue"}
    assert dict(light.decode("strip/1/state", b'{"state": "off"}').values) == {"on": False}
    assert not light.decode("strip/1/state", b"garbage").values


def test_a_template_schema_light_without_its_command_templates_is_refused() -> None:
    with pytest.raises(DiscoveryError, match="command_off_template"):
        Discovery().handle(
            "homeassistant/light/x/config",
            json.dumps({"schema": "template", "cmd_t": "x/set", "cmd_on_tpl": "on"}).encode(),
        )
