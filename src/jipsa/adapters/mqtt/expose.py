"""jipsa devices as Home Assistant MQTT discovery configs: the device simulator's side of the wire.

:func:`discovery_messages` announces a device as standard discovery configs (retained), one entity per
thing Home Assistant can show: a light for a light, a climate entity for an AC, boiler, heater or
thermostat, a switch, sensors, selects and buttons for a washer. All entities share a device block, an
availability topic ``<base>/<device id>/availability`` and one JSON state topic ``<base>/<device id>/state``
(:func:`state_payload`) read through value templates; each command goes to
``<base>/<device id>/<key>/set``, and :func:`apply` turns such a message back into a jipsa
:class:`Command`.

The one non-standard hint is the device block's ``model_id``, ``jipsa.<type>``, which tells jipsa's own
discovery the type of appliances Home Assistant has no component for (washer, TV, refrigerator …).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from jipsa.adapters.mqtt.binding import Publish, as_number
from jipsa.adapters.mqtt.convert import COLOR_HS, color_from_hs
from jipsa.core.capabilities import ATTRIBUTE_OWNER, CATALOGUE, Value, ValueKind
from jipsa.core.devices import Device, DeviceClass, DeviceType
from jipsa.core.errors import CommandRejectedError
from jipsa.core.messages import Command
from jipsa.core.validation import validate_command

T = DeviceType
DEFAULT_BASE = "jipsa-sim"
"""The simulator's topic root."""

_CLIMATE = frozenset({T.AIR_CONDITIONER, T.HEATER, T.BOILER, T.THERMOSTAT})
_FANS = frozenset({T.FAN, T.AIR_PURIFIER})
_HUMIDIFIERS = frozenset({T.HUMIDIFIER, T.DEHUMIDIFIER})

_BINARY_CLASS: Mapping[DeviceClass, str] = {
    DeviceClass.MOTION: "motion", DeviceClass.OCCUPANCY: "occupancy", DeviceClass.DOOR: "door",
    DeviceClass.WINDOW: "window", DeviceClass.BATTERY: "battery", DeviceClass.LEAK: "moisture",
    DeviceClass.SMOKE: "smoke", DeviceClass.VIBRATION: "vibration",
}
_SENSOR_CLASS: Mapping[str, str] = {
    "temperature": "temperature", "humidity": "humidity", "pm25": "pm25", "pm10": "pm10", "power": "power",
    "battery": "battery", "cabin_temperature": "temperature", "remaining_minutes": "duration",
}
_BOOL_PAYLOADS: Mapping[str, tuple[str, str]] = {
    "locked": ("LOCKED", "UNLOCKED"), "valve_open": ("open", "closed"),
}
"""How a yes/no attribute appears in the state JSON (``ON``/``OFF`` unless listed)."""


def _node(device: Device) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", device.id)


def state_topic(device: Device, base: str = DEFAULT_BASE) -> str:
    """The device's JSON state topic."""
    return f"{base}/{device.id}/state"


def availability_topic(device: Device, base: str = DEFAULT_BASE) -> str:
    """The device's availability topic (``online``/``offline``)."""
    return f"{base}/{device.id}/availability"


def command_topic(device: Device, key: str, base: str = DEFAULT_BASE) -> str:
    """Where commands for one attribute or command of the device arrive."""
    return f"{base}/{device.id}/{key}/set"


class _Configs:
    """Collects the entity configs of one device."""

    def __init__(self, device: Device, prefix: str, base: str) -> None:
        self.device = device
        self.prefix = prefix
        self.base = base
        self.done: set[str] = set()
        self.out: list[Publish] = []

    def tpl(self, key: str) -> str:
        return "{{ value_json." + key + " }}"

    def cmd(self, key: str) -> str:
        return command_topic(self.device, key, self.base)

    def add(self, component: str, object_id: str, config: dict[str, Any], *, name: str | None = None,
            covers: tuple[str, ...] = ()) -> None:
        dev = self.device
        block: dict[str, Any] = {"identifiers": [f"jipsa_{dev.id}"], "name": dev.name,
                                 "model_id": f"jipsa.{dev.type.value}"}
        if dev.manufacturer:
            block["manufacturer"] = dev.manufacturer
        if dev.model:
            block["model"] = dev.model
        if dev.area:
            block["suggested_area"] = dev.area
        unique = f"{_node(dev)}_{object_id}"
        full = {"name": name, "unique_id": unique, "object_id": unique,
                "device": block, "availability_topic": availability_topic(dev, self.base), **config}
        if "state_topic" not in full and component not in ("button",):
            full["state_topic"] = state_topic(dev, self.base)
        topic = f"{self.prefix}/{component}/{_node(dev)}/{object_id}/config"
        self.out.append(Publish(topic, json.dumps(full, ensure_ascii=False).encode(), retain=True))
        self.done.update(covers)

    def limits(self, attribute: str) -> Any:
        attr = self.device.attribute(attribute)
        if attr is None:  # pragma: no cover - callers check `has`
            raise KeyError(attribute)
        return attr


def discovery_messages(device: Device, *, prefix: str = "homeassistant",
                       base: str = DEFAULT_BASE) -> list[Publish]:
    """Retained discovery configs announcing ``device`` (publish an empty payload to each to remove it)."""
    c = _Configs(device, prefix, base)
    main = _MAIN.get(device.type)
    if main is not None:
        main(c)
    for cap in device.capabilities:
        if cap not in c.done:
            _EXTRA.get(cap, _generic(cap))(c)
    return c.out


def removal_messages(device: Device, *, prefix: str = "homeassistant",
                     base: str = DEFAULT_BASE) -> list[Publish]:
    """Empty retained payloads on every config topic of ``device``: it is gone."""
    return [Publish(p.topic, b"", retain=True) for p in discovery_messages(device, prefix=prefix, base=base)]


def availability_payload(device: Device, available: bool, *, base: str = DEFAULT_BASE) -> Publish:
    """The retained availability message of a device."""
    return Publish(availability_topic(device, base), b"online" if available else b"offline", retain=True)


# --- main entities by type ----------------------------------------------------------------------

def _light(c: _Configs) -> None:
    dev = c.device
    config: dict[str, Any] = {"command_topic": c.cmd("on"), "state_value_template": c.tpl("on")}
    if dev.has("brightness"):
        config |= {"brightness_command_topic": c.cmd("brightness"), "brightness_scale": 100,
                   "brightness_state_topic": state_topic(dev, c.base),
                   "brightness_value_template": c.tpl("brightness")}
    if dev.has("color_temperature"):
        attr = c.limits("color_temp")
        config |= {"color_temp_command_topic": c.cmd("color_temp"), "color_temp_kelvin": True,
                   "color_temp_state_topic": state_topic(dev, c.base),
                   "color_temp_value_template": c.tpl("color_temp"),
                   "min_kelvin": int(attr.minimum), "max_kelvin": int(attr.maximum)}
    if dev.has("color"):
        config |= {"hs_command_topic": c.cmd("color"), "hs_state_topic": state_topic(dev, c.base),
                   "hs_value_template": c.tpl("hs")}
    c.add("light", "light", config, covers=("on_off", "brightness", "color_temperature", "color"))


def _climate(c: _Configs) -> None:
    dev = c.device
    hvac = list(c.limits("hvac_mode").values) if dev.has("hvac_mode") else ["heat"]
    config: dict[str, Any] = {
        "modes": (["off"] if dev.has("on_off") else []) + hvac,
        "mode_state_topic": state_topic(dev, c.base), "mode_state_template": c.tpl("hvac"),
        "mode_command_topic": c.cmd("hvac_mode"), "temperature_unit": "C",
    }
    if dev.has("on_off"):
        config |= {"power_command_topic": c.cmd("on")}
    if dev.has("target_temperature"):
        attr = c.limits("target_temperature")
        config |= {"temperature_command_topic": c.cmd("target_temperature"),
                   "temperature_state_topic": state_topic(dev, c.base),
                   "temperature_state_template": c.tpl("target_temperature"),
                   "min_temp": attr.minimum, "max_temp": attr.maximum, "temp_step": attr.step}
    if dev.has("temperature_measurement"):
        config |= {"current_temperature_topic": state_topic(dev, c.base),
                   "current_temperature_template": c.tpl("temperature")}
    if dev.has("fan_speed"):
        config |= {"fan_modes": list(c.limits("fan_speed").values),
                   "fan_mode_command_topic": c.cmd("fan_speed"),
                   "fan_mode_state_topic": state_topic(dev, c.base),
                   "fan_mode_state_template": c.tpl("fan_speed")}
    if dev.has("mode"):
        config |= {"preset_modes": list(c.limits("mode").values), "preset_mode_command_topic": c.cmd("mode"),
                   "preset_mode_state_topic": state_topic(dev, c.base),
                   "preset_mode_value_template": c.tpl("mode")}
    if dev.has("swing"):
        config |= {"swing_modes": list(c.limits("swing_mode").values),
                   "swing_mode_command_topic": c.cmd("swing_mode"),
                   "swing_mode_state_topic": state_topic(dev, c.base),
                   "swing_mode_state_template": c.tpl("swing_mode")}
    c.add("climate", "climate", config, covers=(
        "on_off", "target_temperature", "hvac_mode", "fan_speed", "mode", "swing", "temperature_measurement"))


def _fan(c: _Configs) -> None:
    dev = c.device
    config: dict[str, Any] = {"command_topic": c.cmd("on"), "state_value_template": c.tpl("on")}
    if dev.has("fan_speed"):
        config |= {"preset_modes": list(c.limits("fan_speed").values),
                   "preset_mode_command_topic": c.cmd("fan_speed"),
                   "preset_mode_state_topic": state_topic(dev, c.base),
                   "preset_mode_value_template": c.tpl("fan_speed")}
    if dev.has("oscillation"):
        config |= {"oscillation_command_topic": c.cmd("oscillating"),
                   "oscillation_state_topic": state_topic(dev, c.base),
                   "oscillation_value_template": c.tpl("oscillating"),
                   "payload_oscillation_on": "ON", "payload_oscillation_off": "OFF"}
    c.add("fan", "fan", config, covers=("on_off", "fan_speed", "oscillation"))


def _humidifier(c: _Configs) -> None:
    dev = c.device
    attr = c.limits("target_humidity")
    config: dict[str, Any] = {
        "device_class": dev.type.value, "command_topic": c.cmd("on"), "state_value_template": c.tpl("on"),
        "target_humidity_command_topic": c.cmd("target_humidity"),
        "target_humidity_state_topic": state_topic(dev, c.base),
        "target_humidity_state_template": c.tpl("target_humidity"),
        "min_humidity": attr.minimum, "max_humidity": attr.maximum}
    covers = ["on_off", "target_humidity"]
    if dev.has("humidity_measurement"):
        config |= {"current_humidity_topic": state_topic(dev, c.base),
                   "current_humidity_template": c.tpl("humidity")}
        covers.append("humidity_measurement")
    if dev.has("mode"):
        config |= {"modes": list(c.limits("mode").values), "mode_command_topic": c.cmd("mode"),
                   "mode_state_topic": state_topic(dev, c.base), "mode_state_template": c.tpl("mode")}
        covers.append("mode")
    c.add("humidifier", "humidifier", config, covers=tuple(covers))


def _vacuum(c: _Configs) -> None:
    c.add("vacuum", "vacuum", {"schema": "state", "command_topic": c.cmd("vacuum"),
                               "supported_features": ["start", "pause", "stop", "return_home", "status"]},
          covers=("vacuum",))


def _cover(c: _Configs) -> None:
    dev = c.device
    config: dict[str, Any] = {"command_topic": c.cmd("cover"), "position_topic": state_topic(dev, c.base),
                              "position_template": c.tpl("position"), "set_position_topic": c.cmd("position")}
    if dev.device_class is not None:
        config["device_class"] = dev.device_class.value
    if dev.has("tilt"):
        config |= {"tilt_command_topic": c.cmd("tilt_position"),
                   "tilt_status_topic": state_topic(dev, c.base),
                   "tilt_status_template": c.tpl("tilt_position"), "tilt_min": 0, "tilt_max": 100}
    c.add("cover", "cover", config, covers=("position", "tilt"))


def _lock(c: _Configs) -> None:
    c.add("lock", "lock", {"command_topic": c.cmd("locked"), "value_template": c.tpl("locked")},
          covers=("lock",))


def _valve(c: _Configs) -> None:
    c.add("valve", "valve", {"command_topic": c.cmd("valve_open"), "value_template": c.tpl("valve_open"),
                             "reports_position": False}, covers=("valve",))


def _switch(c: _Configs) -> None:
    dev = c.device
    config: dict[str, Any] = {"command_topic": c.cmd("on"), "value_template": c.tpl("on")}
    config["device_class"] = "outlet" if dev.type is T.PLUG else "switch"
    c.add("switch", "on", config, covers=("on_off",))


def _binary_sensor(c: _Configs) -> None:
    dev = c.device
    config: dict[str, Any] = {"value_template": c.tpl("active")}
    if dev.device_class is not None and dev.device_class in _BINARY_CLASS:
        config["device_class"] = _BINARY_CLASS[dev.device_class]
    c.add("binary_sensor", "active", config, covers=("binary_sensor",))


_MAIN: Mapping[DeviceType, Callable[[_Configs], None]] = {
    T.LIGHT: _light, **{t: _climate for t in _CLIMATE}, **{t: _fan for t in _FANS},
    **{t: _humidifier for t in _HUMIDIFIERS}, T.ROBOT_VACUUM: _vacuum, T.COVER: _cover,
    T.DOOR_LOCK: _lock, T.GAS_VALVE: _valve, T.SWITCH: _switch, T.PLUG: _switch,
    T.BINARY_SENSOR: _binary_sensor,
}


# --- the other capabilities, one entity per attribute -------------------------------------------

def _sensor(attribute: str) -> Callable[[_Configs], None]:
    def add(c: _Configs) -> None:
        attr = c.limits(attribute)
        config: dict[str, Any] = {"value_template": c.tpl(attribute)}
        if attribute in _SENSOR_CLASS:
            config["device_class"] = _SENSOR_CLASS[attribute]
        if attr.kind is ValueKind.ENUM:
            config |= {"device_class": "enum", "options": list(attr.values)}
        if attr.unit:
            config["unit_of_measurement"] = attr.unit
        c.add("sensor", attribute, config, name=attribute.replace("_", " "))
    return add


def _setting(attribute: str) -> Callable[[_Configs], None]:
    """A writable attribute as a number, select or switch entity."""
    def add(c: _Configs) -> None:
        attr = c.limits(attribute)
        config: dict[str, Any] = {"command_topic": c.cmd(attribute), "value_template": c.tpl(attribute)}
        if attr.kind is ValueKind.BOOL:
            c.add("switch", attribute, config, name=attribute.replace("_", " "))
        elif attr.kind is ValueKind.ENUM:
            c.add("select", attribute, config | {"options": list(attr.values)},
                  name=attribute.replace("_", " "))
        else:
            config |= {"min": attr.minimum, "max": attr.maximum, "step": attr.step or 1, "mode": "box"}
            if attr.unit:
                config["unit_of_measurement"] = attr.unit
            c.add("number", attribute, config, name=attribute.replace("_", " "))
    return add


def _flag(attribute: str) -> Callable[[_Configs], None]:
    def add(c: _Configs) -> None:
        config: dict[str, Any] = {"value_template": c.tpl(attribute)}
        if attribute in _FLAG_CLASS:
            config["device_class"] = _FLAG_CLASS[attribute]
        c.add("binary_sensor", attribute, config, name=attribute.replace("_", " "))
    return add


_FLAG_CLASS = {"door_open": "door"}


def _button(capability: str, command: str) -> Callable[[_Configs], None]:
    def add(c: _Configs) -> None:
        key = f"{capability}_{command}"
        c.add("button", key, {"command_topic": c.cmd(key)}, name=command.replace("_", " "))
    return add


def _generic(capability: str) -> Callable[[_Configs], None]:
    """One entity per attribute (a setting, a reading or a flag) and a button per action."""
    def add(c: _Configs) -> None:
        cap = CATALOGUE[capability]
        for attr in cap.attributes:
            if attr.writable:
                _setting(attr.name)(c)
            elif attr.kind is ValueKind.BOOL:
                _flag(attr.name)(c)
            else:
                _sensor(attr.name)(c)
        writable = {a.name for a in cap.attributes if a.writable}
        for spec in cap.commands:
            if spec.name != "toggle" and not spec.params and not {a for a, _v in spec.sets} & writable:
                _button(capability, spec.name)(c)
    return add


_EXTRA: Mapping[str, Callable[[_Configs], None]] = {"lock": _lock, "binary_sensor": _flag("active")}
"""Capabilities the main entity leaves over that need more than :func:`_generic`."""


# --- state and commands -------------------------------------------------------------------------

def state_payload(device: Device, values: Mapping[str, Value], *, base: str = DEFAULT_BASE) -> Publish:
    """The state message for some attribute values (give ``on`` and ``hvac_mode`` together for climate)."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        attr = device.attribute(name)
        if attr is None:
            continue
        if attr.kind is ValueKind.BOOL:
            on, off = _BOOL_PAYLOADS.get(name, ("ON", "OFF"))
            out[name] = on if value else off
        else:
            out[name] = value
    if device.type in _CLIMATE:
        hvac = values.get("hvac_mode") if device.has("hvac_mode") else "heat"
        if device.has("on_off") and values.get("on") is False:
            out["hvac"] = "off"
        elif hvac is not None and (values.get("on") is True or not device.has("on_off")):
            out["hvac"] = hvac
    if "color" in values and isinstance(values["color"], str) and values["color"] in COLOR_HS:
        out["hs"] = "{:g},{:g}".format(*COLOR_HS[values["color"]])
    if device.type is T.ROBOT_VACUUM and "vacuum_state" in values:
        out["state"] = values["vacuum_state"]
    return Publish(state_topic(device, base), json.dumps(out, ensure_ascii=False).encode(), retain=True)


_COVER = {"OPEN": "open", "CLOSE": "close", "STOP": "stop"}


def apply(device: Device, topic: str, payload: bytes, *, base: str = DEFAULT_BASE) -> Command | None:
    """The command a message on one of the device's command topics asks for; ``None`` if none or invalid."""
    prefix = f"{base}/{device.id}/"
    if not topic.startswith(prefix) or not topic.endswith("/set"):
        return None
    key = topic[len(prefix):-len("/set")]
    text = payload.decode("utf-8", errors="replace").strip()
    try:
        return _command(device, key, text)
    except CommandRejectedError:
        return None


def _command(device: Device, key: str, text: str) -> Command | None:
    if key == "cover":
        command = _COVER.get(text)
        return validate_command(device, command, {}, "position") if command else None
    if key == "vacuum":
        return validate_command(device, text, {}, "vacuum") if text else None
    capability, _sep, command = key.partition("_")
    if device.has(capability) and CATALOGUE[capability].command(command) is not None:
        return validate_command(device, command, {}, capability)
    if key == "color":
        pair = [as_number(x) for x in text.split(",")]
        if len(pair) != 2 or pair[0] is None or pair[1] is None:
            return None
        color = color_from_hs(pair[0], pair[1])
        return validate_command(device, "set_color", {"color": color}) if color else None
    attr = device.attribute(key)
    if attr is None:
        return None
    value: Value
    if attr.kind is ValueKind.BOOL:
        if text in ("ON", "LOCK", "OPEN"):
            value = True
        elif text in ("OFF", "UNLOCK", "CLOSE"):
            value = False
        else:
            return None
    elif attr.kind in (ValueKind.INT, ValueKind.FLOAT):
        number = as_number(text)
        if number is None:
            return None
        value = int(number) if attr.kind is ValueKind.INT and number.is_integer() else number
    else:
        value = text
    return _setting_command(device, key, value)


def _setting_command(device: Device, attribute: str, value: Value) -> Command | None:
    """The catalogue command that sets ``attribute`` to ``value`` (``turn_on``, ``set_brightness`` …)."""
    cap = CATALOGUE[ATTRIBUTE_OWNER[attribute]]
    for spec in cap.commands:
        if (attribute, value) in spec.sets and all(p in spec.optional for p, _a in spec.params):
            return validate_command(device, spec.name, {}, cap.id)
    for spec in sorted(cap.commands, key=lambda s: len(s.sets)):
        for param, attr in spec.params:
            if attr == attribute:
                return validate_command(device, spec.name, {param: value}, cap.id)
    return None
