"""Each type through the simulator's discovery configs and back: type, capabilities, commands, state."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jipsa.adapters.mqtt.binding import MqttDevice
from jipsa.adapters.mqtt.discovery import Discovery
from jipsa.adapters.mqtt.expose import apply, discovery_messages, state_payload, state_topic
from jipsa.core import Attribute, Command, Device, DeviceType, Home, Value, ValueKind, validate_command

EXTRA_DEVICES = (
    Device(id="switch.hall", name="복도 스위치", type=DeviceType.SWITCH),
    Device(id="heater.study", name="서재 히터", type=DeviceType.HEATER),
    Device(id="thermostat.floor", name="바닥 온도조절기", type=DeviceType.THERMOSTAT),
    Device(id="speaker.kitchen", name="주방 스피커", type=DeviceType.SPEAKER),
)
"""Types the demo home lacks."""


def all_devices(home: Home) -> list[Device]:
    devices = [*home.devices, *EXTRA_DEVICES]
    assert {d.type for d in devices} == set(DeviceType), "every type of the catalogue is covered"
    return devices


def discovered(device: Device) -> MqttDevice:
    registry = Discovery()
    for message in discovery_messages(device):
        assert message.retain
        registry.handle(message.topic, message.payload)
    (only,) = registry.devices.values()
    return only


def sample(attr: Attribute) -> Value:
    """A valid value of an attribute that is not its first or default (so a round trip shows)."""
    if attr.kind is ValueKind.BOOL:
        return True
    if attr.kind is ValueKind.ENUM:
        return attr.values[-1]
    if attr.kind is ValueKind.STRING:
        return "x"
    lo, hi = attr.minimum or 0, attr.maximum if attr.maximum is not None else 100
    value = lo + (attr.step or 1) * int((hi - lo) / (attr.step or 1) * 0.6)
    return int(value) if attr.kind is ValueKind.INT else float(value)


def attribute(device: Device, name: str) -> Attribute:
    attr = device.attribute(name)
    assert attr is not None
    return attr


def commands(device: Device) -> Iterator[Command]:
    for cap in device.capability_objects():
        for spec in cap.commands:
            args = {param: sample(attribute(device, attr)) for param, attr in spec.params
                    if param not in spec.optional}
            yield validate_command(device, spec.name, args, cap.id)


@pytest.fixture(scope="module")
def devices(demo_home: Home) -> list[Device]:
    return all_devices(demo_home)


def test_every_type_comes_back_with_its_type_class_and_capabilities(devices: list[Device]) -> None:
    for device in devices:
        got = discovered(device).device
        assert got.type is device.type, device.id
        assert got.device_class == device.device_class, device.id
        assert set(got.capabilities) == set(device.capabilities), device.id
        assert got.vendor == "mqtt"
        assert got.name == device.name
        assert got.area == device.area
        assert got.manufacturer == device.manufacturer and got.model == device.model
        for attr in device.attributes():
            assert got.attribute(attr.name) == attr, f"{device.id}: limits of {attr.name}"


def test_every_command_round_trips(devices: list[Device]) -> None:
    for device in devices:
        binding = discovered(device)
        for command in commands(device):
            if command.command == "toggle":
                continue  # toggle needs a known state; see test_toggle_uses_the_last_state
            mirrored = Command(binding.device.id, command.capability, command.command, command.args)
            publishes = binding.encode(mirrored)
            assert publishes, f"{device.id}: {command.command} sends nothing"
            back = [apply(device, p.topic, p.payload) for p in publishes]
            assert command in back, f"{device.id}: {command} came back as {back}"
            if len(publishes) == 1:
                assert back == [command]


def test_toggle_uses_the_last_state(demo_home: Home) -> None:
    device = demo_home.device("light.kitchen")
    assert device is not None
    binding = discovered(device)
    binding.decode(state_topic(device), state_payload(device, {"on": True}).payload)
    toggle = Command(binding.device.id, "on_off", "toggle")
    (message,) = binding.encode(toggle)
    assert apply(device, message.topic, message.payload) == validate_command(device, "turn_off")
    assert binding.expected(toggle) == {"on": False}


def test_every_state_round_trips(devices: list[Device]) -> None:
    for device in devices:
        binding = discovered(device)
        values = {a.name: sample(a) for a in device.attributes()}
        values |= dict(device.initial_state)
        values = {k: v for k, v in values.items() if v is not None}
        message = state_payload(device, values)
        decoded = binding.decode(message.topic, message.payload)
        assert decoded.available is None
        if values.get("on") is False and binding.device.has("hvac_mode"):
            # Home Assistant's climate folds power into its mode: while off, the mode is not reported.
            del values["hvac_mode"]
        assert dict(decoded.values) == values, device.id


def test_expected_values_are_what_the_state_report_shows(devices: list[Device]) -> None:
    for device in devices:
        binding = discovered(device)
        for command in commands(device):
            mirrored = Command(binding.device.id, command.capability, command.command, command.args)
            expected = binding.expected(mirrored)
            assert set(expected) <= binding.readable
            if expected:
                state = {a.name: sample(a) for a in device.attributes()} | expected
                message = state_payload(device, state)
                decoded = binding.decode(message.topic, message.payload)
                assert {k: decoded.values.get(k) for k in expected} == expected, (device.id, command)
