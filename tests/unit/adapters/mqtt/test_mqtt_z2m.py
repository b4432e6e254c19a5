"""Zigbee2MQTT's bridge/devices list: exposes mapped to the same bindings as discovery."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jipsa.adapters.mqtt.binding import MqttDevice, Publish
from jipsa.adapters.mqtt.discovery import Change, DiscoveryError
from jipsa.adapters.mqtt.z2m import Zigbee2Mqtt, parse_devices
from jipsa.core import DeviceClass, DeviceType, validate_command

STATE, SET, GET = 1, 2, 4


def binary(
    name: str, on: Any = True, off: Any = False, access: int = STATE, prop: str | None = None
) -> dict[str, Any]:
    return {
        "type": "binary",
        "name": name,
        "property": prop or name,
        "access": access,
        "value_on": on,
        "value_off": off,
    }


def numeric(name: str, access: int = STATE, prop: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"type": "numeric", "name": name, "property": prop or name, "access": access, **extra}


def enum(name: str, values: list[str], access: int = STATE | SET | GET) -> dict[str, Any]:
    return {"type": "enum", "name": name, "property": name, "access": access, "values": values}


def device(
    ieee: str, name: str, model: str, vendor: str, description: str, exposes: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "ieee_address": ieee,
        "friendly_name": name,
        "type": "Router",
        "network_address": 1234,
        "supported": True,
        "interview_completed": True,
        "power_source": "Mains (single phase)",
        "definition": {"model": model, "vendor": vendor, "description": description, "exposes": exposes},
    }


LIGHT = device(
    "0x0017880104e45517",
    "거실 조명",
    "9290022166",
    "Philips",
    "Hue white and color ambiance E26/E27",
    [
        {
            "type": "light",
            "features": [
                binary("state", "ON", "OFF", STATE | SET | GET) | {"value_toggle": "TOGGLE"},
                numeric("brightness", STATE | SET | GET, value_min=0, value_max=254),
                numeric("color_temp", STATE | SET | GET, unit="mired", value_min=150, value_max=500),
                {
                    "type": "composite",
                    "name": "color_xy",
                    "property": "color",
                    "access": 7,
                    "features": [numeric("x", 7), numeric("y", 7)],
                },
            ],
        },
        enum("effect", ["blink", "breathe", "okay"], SET),
        numeric("linkquality", unit="lqi", value_min=0, value_max=255),
    ],
)
TRV = device(
    "0x842e14fffe9a1b2c",
    "서재 라디에이터",
    "TS0601_thermostat",
    "TuYa",
    "Radiator valve with thermostat",
    [
        {
            "type": "climate",
            "features": [
                numeric(
                    "current_heating_setpoint",
                    STATE | SET,
                    unit="°C",
                    value_min=5,
                    value_max=35,
                    value_step=0.5,
                ),
                numeric("local_temperature", STATE, unit="°C"),
                enum("system_mode", ["heat", "auto", "off"], STATE | SET),
                enum("preset", ["schedule", "manual", "holiday", "boost", "eco"], STATE | SET),
            ],
        },
        binary("child_lock", "LOCK", "UNLOCK", STATE | SET),
        numeric("battery", unit="%", value_min=0, value_max=100),
    ],
)
MOTION = device(
    "0x00158d00045b6e7f",
    "현관 동작 센서",
    "RTCGQ11LM",
    "Aqara",
    "Motion sensor",
    [
        binary("occupancy"),
        numeric("illuminance_lux", unit="lx"),
        numeric("battery", unit="%"),
        numeric("voltage", unit="mV"),
        binary("battery_low"),
        numeric("linkquality", unit="lqi"),
    ],
)
GANG = device(
    "0xa4c13800c0ffee01",
    "주방 스위치",
    "TS0012",
    "TuYa",
    "Smart light switch - 2 gang",
    [
        {"type": "switch", "endpoint": "l1", "features": [binary("state", "ON", "OFF", 7, "state_l1")]},
        {"type": "switch", "endpoint": "l2", "features": [binary("state", "ON", "OFF", 7, "state_l2")]},
        enum("power_on_behavior", ["off", "on", "previous"]),
    ],
)
LOCK = device(
    "0x000d6f0011223344",
    "현관문",
    "YRD256HA20BP",
    "Yale",
    "Assure lock SL",
    [
        {
            "type": "lock",
            "features": [
                binary("state", "LOCK", "UNLOCK", STATE | SET, "state"),
                enum("lock_state", ["not_fully_locked", "locked", "unlocked"], STATE),
            ],
        },
        numeric("battery", unit="%"),
    ],
)
CURTAIN = device(
    "0x54ef441000a1b2c3",
    "거실 커튼",
    "ZNCLDJ11LM",
    "Aqara",
    "Curtain controller",
    [
        {
            "type": "cover",
            "features": [
                enum("state", ["OPEN", "CLOSE", "STOP"], SET),
                numeric("position", STATE | SET, unit="%", value_min=0, value_max=100),
            ],
        }
    ],
)
PURIFIER = device(
    "0x0c4314fffe1a2b3c",
    "공기청정기",
    "STARKVIND",
    "IKEA",
    "STARKVIND air purifier",
    [
        {
            "type": "fan",
            "features": [
                binary("state", "ON", "OFF", STATE | SET, "fan_state"),
                enum("mode", ["off", "auto", "1", "2", "3"], STATE | SET) | {"property": "fan_mode"},
            ],
        },
        numeric("pm25", unit="µg/m³"),
        binary("child_lock", "LOCK", "UNLOCK", STATE | SET),
    ],
)
COORDINATOR = {
    "ieee_address": "0x00124b0021b7a1b2",
    "friendly_name": "Coordinator",
    "type": "Coordinator",
    "definition": None,
}

DEVICES = [COORDINATOR, LIGHT, TRV, MOTION, GANG, LOCK, CURTAIN, PURIFIER]


@pytest.fixture
def bridge() -> Zigbee2Mqtt:
    z2m = Zigbee2Mqtt()
    change = z2m.handle(json.dumps(DEVICES, ensure_ascii=False).encode())
    assert not change.removed and not change.updated
    return z2m


def get(z2m: Zigbee2Mqtt, device_id: str) -> MqttDevice:
    return z2m.devices[device_id]


def test_types_and_ids(bridge: Zigbee2Mqtt) -> None:
    found = {d.device.id: (d.device.type, d.device.device_class) for d in bridge.devices.values()}
    assert found == {
        "mqtt_zigbee2mqtt_0x0017880104e45517": (DeviceType.LIGHT, None),
        "mqtt_zigbee2mqtt_0x842e14fffe9a1b2c": (DeviceType.THERMOSTAT, None),
        "mqtt_zigbee2mqtt_0x00158d00045b6e7f": (DeviceType.BINARY_SENSOR, DeviceClass.MOTION),
        "mqtt_zigbee2mqtt_0xa4c13800c0ffee01_switch_l1": (DeviceType.SWITCH, None),
        "mqtt_zigbee2mqtt_0xa4c13800c0ffee01_switch_l2": (DeviceType.SWITCH, None),
        "mqtt_zigbee2mqtt_0x000d6f0011223344": (DeviceType.DOOR_LOCK, None),
        "mqtt_zigbee2mqtt_0x54ef441000a1b2c3": (DeviceType.COVER, None),
        "mqtt_zigbee2mqtt_0x0c4314fffe1a2b3c": (DeviceType.AIR_PURIFIER, None),
    }
    assert bridge.bridge_topic == "zigbee2mqtt/bridge/devices"


def test_light(bridge: Zigbee2Mqtt) -> None:
    light = get(bridge, "mqtt_zigbee2mqtt_0x0017880104e45517")
    assert light.device.name == "거실 조명" and light.device.manufacturer == "Philips"
    assert set(light.device.capabilities) == {"on_off", "brightness", "color_temperature", "color"}
    assert light.subscriptions == {"zigbee2mqtt/거실 조명", "zigbee2mqtt/거실 조명/availability"}
    command = validate_command(light.device, "set_brightness", {"brightness": 100})
    assert light.encode(command) == [
        Publish("zigbee2mqtt/거실 조명/set", b'{"state": "ON", "brightness": 254}')
    ]
    decoded = light.decode("zigbee2mqtt/거실 조명", b'{"state":"OFF","brightness":254,"color_temp":153}')
    # 153 mired is 6536 K, past the catalogue's 6500 K: the device is the authority on its own state.
    assert dict(decoded.values) == {"on": False, "brightness": 100, "color_temp": 6536}
    assert light.decode("zigbee2mqtt/거실 조명/availability", b'{"state":"offline"}').available is False
    assert light.decode("zigbee2mqtt/거실 조명/availability", b"online").available is True


def test_thermostat(bridge: Zigbee2Mqtt) -> None:
    trv = get(bridge, "mqtt_zigbee2mqtt_0x842e14fffe9a1b2c")
    assert set(trv.device.capabilities) == {
        "on_off",
        "target_temperature",
        "mode",
        "temperature_measurement",
        "battery",
        "hvac_mode",
    }
    assert trv.device.attribute("mode").values == ("auto", "turbo", "eco", "away", "normal")  # type: ignore[union-attr]
    command = validate_command(trv.device, "set_temperature", {"temperature": 21.5})
    assert trv.encode(command) == [
        Publish("zigbee2mqtt/서재 라디에이터/set", b'{"current_heating_setpoint": 21.5}')
    ]
    assert trv.encode(validate_command(trv.device, "set_mode", {"mode": "away"})) == [
        Publish("zigbee2mqtt/서재 라디에이터/set", b'{"preset": "holiday"}')
    ]
    assert trv.encode(validate_command(trv.device, "turn_off")) == [
        Publish("zigbee2mqtt/서재 라디에이터/set", b'{"system_mode": "off"}')
    ]
    state = (
        b'{"current_heating_setpoint":19,"local_temperature":18.3,"system_mode":"heat","preset":"eco",'
        b'"battery":64,"child_lock":"UNLOCK"}'
    )
    assert dict(trv.decode("zigbee2mqtt/서재 라디에이터", state).values) == {
        "target_temperature": 19.0,
        "temperature": 18.3,
        "on": True,
        "hvac_mode": "heat",
        "mode": "eco",
        "battery": 64,
    }


def test_motion_sensor(bridge: Zigbee2Mqtt) -> None:
    motion = get(bridge, "mqtt_zigbee2mqtt_0x00158d00045b6e7f")
    assert set(motion.device.capabilities) == {"binary_sensor", "battery"}
    decoded = motion.decode(
        "zigbee2mqtt/현관 동작 센서",
        b'{"occupancy":true,"illuminance_lux":12,"battery":100,"voltage":3005,"linkquality":90}',
    )
    assert dict(decoded.values) == {"active": True, "battery": 100}


def test_two_gang_switch_uses_its_endpoints(bridge: Zigbee2Mqtt) -> None:
    second = get(bridge, "mqtt_zigbee2mqtt_0xa4c13800c0ffee01_switch_l2")
    assert second.encode(validate_command(second.device, "turn_on")) == [
        Publish("zigbee2mqtt/주방 스위치/set", b'{"state_l2": "ON"}')
    ]
    assert dict(second.decode("zigbee2mqtt/주방 스위치", b'{"state_l1":"OFF","state_l2":"ON"}').values) == {
        "on": True
    }


def test_lock_cover_and_purifier(bridge: Zigbee2Mqtt) -> None:
    lock = get(bridge, "mqtt_zigbee2mqtt_0x000d6f0011223344")
    assert lock.encode(validate_command(lock.device, "unlock")) == [
        Publish("zigbee2mqtt/현관문/set", b'{"state": "UNLOCK"}')
    ]
    assert dict(lock.decode("zigbee2mqtt/현관문", b'{"state":"LOCK","battery":40}').values) == {
        "locked": True,
        "battery": 40,
    }
    curtain = get(bridge, "mqtt_zigbee2mqtt_0x54ef441000a1b2c3")
    assert curtain.encode(validate_command(curtain.device, "set_position", {"position": 30})) == [
        Publish("zigbee2mqtt/거실 커튼/set", b'{"position": 30}')
    ]
    assert curtain.encode(validate_command(curtain.device, "close")) == [
        Publish("zigbee2mqtt/거실 커튼/set", b'{"state": "CLOSE"}')
    ]
    purifier = get(bridge, "mqtt_zigbee2mqtt_0x0c4314fffe1a2b3c")
    assert set(purifier.device.capabilities) == {"on_off", "fan_speed", "air_quality"}
    assert purifier.encode(validate_command(purifier.device, "set_fan_speed", {"fan_speed": "high"})) == [
        Publish("zigbee2mqtt/공기청정기/set", b'{"fan_mode": "3"}')
    ]
    assert dict(
        purifier.decode("zigbee2mqtt/공기청정기", b'{"fan_state":"ON","fan_mode":"auto","pm25":12}').values
    ) == {"on": True, "fan_speed": "auto", "pm25": 12}


def test_list_changes(bridge: Zigbee2Mqtt) -> None:
    renamed = dict(LOCK, friendly_name="front door")
    change = bridge.handle(json.dumps([COORDINATOR, LIGHT, renamed]).encode())
    assert change.added == ()
    assert [d.device.id for d in change.updated] == ["mqtt_zigbee2mqtt_0x000d6f0011223344"]
    assert change.updated[0].subscriptions == {
        "zigbee2mqtt/front door",
        "zigbee2mqtt/front door/availability",
    }
    assert len(change.removed) == 6
    assert bridge.handle(json.dumps([COORDINATOR, LIGHT, renamed]).encode()) == Change()


def test_malformed_entries_are_skipped_and_bad_lists_refused() -> None:
    devices, skipped = parse_devices(
        json.dumps(
            [{"friendly_name": "no address"}, dict(LIGHT, friendly_name="bad/+/name"), LIGHT, 5]
        ).encode()
    )
    assert [d.device.id for d in devices] == ["mqtt_zigbee2mqtt_0x0017880104e45517"]
    assert len(skipped) == 2 and all("bridge/devices" in str(e) for e in skipped)
    for payload in (b"{", b'{"a": 1}', b"[" * 3000):
        with pytest.raises(DiscoveryError):
            parse_devices(payload)
    with pytest.raises(DiscoveryError, match="limit"):
        parse_devices(b"[" + b" " * 100 + b"]", max_bytes=50)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "type",
                    "name",
                    "property",
                    "access",
                    "features",
                    "values",
                    "endpoint",
                    "value_on",
                    "value_min",
                    "x",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=15,
)


@settings(max_examples=300)
@given(st.lists(_JSON, max_size=4))
def test_random_exposes_never_raise_anything_but_discovery_error(exposes: list[Any]) -> None:
    item = device("0x1", "thing", "m", "v", "d", exposes)
    with contextlib.suppress(DiscoveryError):
        parse_devices(json.dumps([item]).encode())


def test_blind_with_tilt() -> None:
    blind = device(
        "0x54ef441000d4e5f6",
        "안방 블라인드",
        "E1757",
        "IKEA",
        "Roller blind",
        [
            {
                "type": "cover",
                "features": [
                    enum("state", ["OPEN", "CLOSE", "STOP"], SET),
                    numeric("position", STATE | SET, unit="%", value_min=0, value_max=100),
                    numeric("tilt", STATE | SET, unit="%", value_min=0, value_max=100),
                ],
            },
        ],
    )
    z2m = Zigbee2Mqtt()
    z2m.handle(json.dumps([COORDINATOR, blind], ensure_ascii=False).encode())
    got = get(z2m, "mqtt_zigbee2mqtt_0x54ef441000d4e5f6")
    assert {"position", "tilt"} <= set(got.device.capabilities)
    assert got.encode(validate_command(got.device, "set_tilt_position", {"tilt_position": 40})) == [
        Publish("zigbee2mqtt/안방 블라인드/set", b'{"tilt": 40}')
    ]
    assert dict(got.decode("zigbee2mqtt/안방 블라인드", b'{"position":100,"tilt":75}').values) == {
        "position": 100,
        "tilt_position": 75,
    }
