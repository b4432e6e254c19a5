"""Zigbee2MQTT without Home Assistant discovery: the bridge's device list in, jipsa devices out.

Zigbee2MQTT publishes a retained JSON array on ``<base>/bridge/devices``; each device's
``definition.exposes`` says what it can do: *specific* exposes (``light``, ``switch``, ``lock``,
``climate``, ``fan``, ``cover``) with ``features``, and *generic* ones (``binary``, ``numeric``, ``enum``)
with a ``property``, ``access`` bits (1 published, 2 settable, 4 gettable), ``value_on``/``value_off``,
``value_min``/``value_max``/``value_step``, ``values`` and ``unit``.

Each expose is turned into the Home Assistant config Zigbee2MQTT itself would announce — state on
``<base>/<friendly_name>`` (JSON), commands as JSON on ``<base>/<friendly_name>/set``, availability on
``<base>/<friendly_name>/availability`` (``{"state":"online"}`` or plain ``online``) — and goes through the
same checks and grouping as discovery, so a device gets the same id and binding either way
(``mqtt_zigbee2mqtt_<ieee address>``). The coordinator is skipped.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from jipsa.adapters.mqtt.appliance import build_devices, slug
from jipsa.adapters.mqtt.binding import MqttDevice
from jipsa.adapters.mqtt.config import DiscoveryError, Entity, entity_from_dict
from jipsa.adapters.mqtt.discovery import Change

DEFAULT_BASE = "zigbee2mqtt"
"""Zigbee2MQTT's default base topic."""

DEFAULT_MAX_BYTES = 4 * 1024 * 1024
"""A larger device list is refused unread (a network of 200 devices is well under a megabyte)."""

_READ, _SET = 1, 2
_AVAILABILITY_TEMPLATE = "{{ value_json.state if value_json is defined else value }}"

BINARY_CLASSES: Mapping[str, str] = {
    "occupancy": "motion", "presence": "occupancy", "contact": "door", "water_leak": "moisture",
    "smoke": "smoke", "vibration": "vibration", "battery_low": "battery", "tamper": "tamper",
}
"""Zigbee2MQTT binary properties → Home Assistant binary sensor classes."""

SENSOR_CLASSES: Mapping[str, str] = {
    "temperature": "temperature", "local_temperature": "temperature", "humidity": "humidity",
    "pressure": "pressure", "battery": "battery", "power": "power", "energy": "energy",
    "voltage": "voltage", "current": "current", "illuminance": "illuminance",
    "illuminance_lux": "illuminance", "pm25": "pm25", "pm10": "pm10", "co2": "carbon_dioxide",
}
"""Zigbee2MQTT numeric properties → Home Assistant sensor classes."""

_DIAGNOSTIC = frozenset({"linkquality", "voltage", "battery_low", "update", "update_available"})
_SETTINGS_KEPT = frozenset({"program", "mode", "fan_mode", "volume", "channel", "input", "target_humidity"})


def _value(template: str) -> str:
    return "{{ value_json." + template + " }}" if template.isidentifier() else (
        "{{ value_json['" + template.replace("'", "") + "'] }}")


def _json_command(prop: str, variable: str = "value") -> str:
    return '{"' + prop.replace('"', "") + '": {{ ' + variable + " | tojson }}}"


def _features(expose: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    features = expose.get("features")
    out: dict[str, Mapping[str, Any]] = {}
    if isinstance(features, list):
        for feature in features:
            if isinstance(feature, dict) and isinstance(feature.get("name"), str):
                out.setdefault(feature["name"], feature)
    return out


def _prop(feature: Mapping[str, Any]) -> str:
    prop = feature.get("property", feature.get("name"))
    if not isinstance(prop, str) or not prop:
        raise ValueError("an expose without a property")
    return prop


class _Device:
    """Builds the entities of one Zigbee2MQTT device."""

    def __init__(self, item: Mapping[str, Any], base: str, where: str) -> None:
        self.item = item
        self.base = base
        self.where = where
        self.ieee = str(item["ieee_address"])
        self.name = str(item["friendly_name"])
        self.state = f"{base}/{self.name}"
        definition = item.get("definition") or {}
        description, model = definition.get("description"), definition.get("model")
        self.device = {
            "identifiers": [f"zigbee2mqtt_{self.ieee}"], "name": self.name,
            "manufacturer": definition.get("vendor") if isinstance(definition.get("vendor"), str) else None,
            "model": f"{description} ({model})" if isinstance(description, str) and isinstance(model, str)
            else model if isinstance(model, str) else None,
        }
        self.entities: list[Entity] = []

    def add(self, component: str, object_id: str, config: dict[str, Any]) -> None:
        full = {"device": self.device, "state_topic": self.state, "unique_id": f"{self.ieee}_{object_id}_z2m",
                "availability": [{"topic": f"{self.state}/availability",
                                  "value_template": _AVAILABILITY_TEMPLATE}], **config}
        topic = f"{self.where}#{self.ieee}/{component}/{object_id}"
        payload = json.dumps(full, sort_keys=True, default=str).encode()
        self.entities.append(entity_from_dict(component, object_id, slug(self.ieee), full, topic=topic,
                                              payload=payload))

    # -- specific exposes ------------------------------------------------------------------------

    def light(self, expose: Mapping[str, Any]) -> None:
        f = _features(expose)
        state = f.get("state")
        if state is None:
            return
        endpoint = expose.get("endpoint")
        object_id = f"light_{endpoint}" if isinstance(endpoint, str) else "light"
        bri, temp = f.get("brightness"), f.get("color_temp")
        if isinstance(endpoint, str):
            config: dict[str, Any] = {
                "command_topic": f"{self.state}/set/{_prop(state)}",
                "state_value_template": _value(_prop(state)),
                "payload_on": state.get("value_on", "ON"), "payload_off": state.get("value_off", "OFF")}
            if bri is not None:
                config |= {"brightness_command_topic": f"{self.state}/set/{_prop(bri)}",
                           "brightness_state_topic": self.state,
                           "brightness_value_template": _value(_prop(bri)),
                           "brightness_scale": bri.get("value_max", 254)}
            self.add("light", object_id, config)
            return
        modes = [m for name, m in (("color_temp", "color_temp"), ("color_xy", "xy"), ("color_hs", "hs"))
                 if name in f]
        if not modes:
            modes = ["brightness"] if bri is not None else ["onoff"]
        config = {"schema": "json", "command_topic": f"{self.state}/set", "supported_color_modes": modes,
                  "brightness": bri is not None, "brightness_scale": (bri or {}).get("value_max", 254)}
        if temp is not None:
            config |= {"min_mireds": temp.get("value_min", 153), "max_mireds": temp.get("value_max", 500)}
        self.add("light", object_id, config)

    def switch(self, expose: Mapping[str, Any]) -> None:
        state = _features(expose).get("state")
        if state is None:
            return
        prop = _prop(state)
        on, off = state.get("value_on", "ON"), state.get("value_off", "OFF")
        endpoint = expose.get("endpoint")
        self.add("switch", f"switch_{endpoint}" if isinstance(endpoint, str) else "switch", {
            "command_topic": f"{self.state}/set", "value_template": _value(prop),
            "payload_on": json.dumps({prop: on}), "payload_off": json.dumps({prop: off}),
            "state_on": on, "state_off": off})

    def lock(self, expose: Mapping[str, Any]) -> None:
        state = _features(expose).get("state")
        if state is None:
            return
        prop = _prop(state)
        on, off = state.get("value_on", "LOCK"), state.get("value_off", "UNLOCK")
        self.add("lock", "lock", {
            "command_topic": f"{self.state}/set", "value_template": _value(prop),
            "payload_lock": json.dumps({prop: on}), "payload_unlock": json.dumps({prop: off}),
            "state_locked": on, "state_unlocked": off})

    def climate(self, expose: Mapping[str, Any]) -> None:
        f = _features(expose)
        setpoint = next((f[n] for n in ("occupied_heating_setpoint", "current_heating_setpoint",
                                         "occupied_cooling_setpoint") if n in f), None)
        config: dict[str, Any] = {"modes": ["heat"]}
        if setpoint is not None:
            prop = _prop(setpoint)
            config |= {"temperature_command_topic": f"{self.state}/set",
                       "temperature_command_template": _json_command(prop),
                       "temperature_state_template": _value(prop), "temperature_state_topic": self.state}
            for key, field in (("min_temp", "value_min"), ("max_temp", "value_max"),
                               ("temp_step", "value_step")):
                if isinstance(setpoint.get(field), int | float):
                    config[key] = setpoint[field]
        if "local_temperature" in f:
            config |= {"current_temperature_topic": self.state,
                       "current_temperature_template": _value(_prop(f["local_temperature"]))}
        for name, modes_key, topic_prefix, tpl_key in (
                ("system_mode", "modes", "mode", "mode_state_template"),
                ("preset", "preset_modes", "preset_mode", "preset_mode_value_template"),
                ("fan_mode", "fan_modes", "fan_mode", "fan_mode_state_template")):
            feature = f.get(name)
            if feature is None or not isinstance(feature.get("values"), list):
                continue
            prop = _prop(feature)
            config |= {modes_key: [str(v) for v in feature["values"]],
                       f"{topic_prefix}_command_topic": f"{self.state}/set",
                       f"{topic_prefix}_command_template": _json_command(prop),
                       f"{topic_prefix}_state_topic": self.state, tpl_key: _value(prop)}
        self.add("climate", "climate", config)

    def fan(self, expose: Mapping[str, Any]) -> None:
        f = _features(expose)
        state = f.get("state")
        if state is None:
            return
        prop = _prop(state)
        config: dict[str, Any] = {
            "command_topic": f"{self.state}/set", "state_value_template": _value(prop),
            "payload_on": json.dumps({prop: "ON"}), "payload_off": json.dumps({prop: "OFF"}),
            "state_on": "ON", "state_off": "OFF"}
        mode = f.get("mode") or f.get("fan_mode")
        if mode is not None and isinstance(mode.get("values"), list):
            mprop = _prop(mode)
            config |= {"preset_modes": [str(v) for v in mode["values"] if v not in ("off", "on")],
                       "preset_mode_command_topic": f"{self.state}/set",
                       "preset_mode_command_template": _json_command(mprop),
                       "preset_mode_state_topic": self.state, "preset_mode_value_template": _value(mprop)}
        self.add("fan", "fan", config)

    def cover(self, expose: Mapping[str, Any]) -> None:
        f = _features(expose)
        state = f.get("state")
        prop = _prop(state) if state is not None else "state"
        config: dict[str, Any] = {
            "command_topic": f"{self.state}/set", "payload_open": json.dumps({prop: "OPEN"}),
            "payload_close": json.dumps({prop: "CLOSE"}), "payload_stop": json.dumps({prop: "STOP"}),
            "value_template": _value(prop), "state_open": "OPEN", "state_closed": "CLOSE"}
        position = f.get("position")
        if position is not None:
            pprop = _prop(position)
            config |= {"position_topic": self.state, "position_template": _value(pprop),
                       "set_position_topic": f"{self.state}/set",
                       "set_position_template": _json_command(pprop, "position")}
        tilt = f.get("tilt")
        if tilt is not None:
            tprop = _prop(tilt)
            config |= {"tilt_status_topic": self.state, "tilt_status_template": _value(tprop),
                       "tilt_command_topic": f"{self.state}/set",
                       "tilt_command_template": _json_command(tprop, "tilt_position")}
            for key, field in (("tilt_min", "value_min"), ("tilt_max", "value_max")):
                if isinstance(tilt.get(field), int | float) and not isinstance(tilt.get(field), bool):
                    config[key] = tilt[field]
        self.add("cover", "cover", config)

    # -- generic exposes -------------------------------------------------------------------------

    def generic(self, expose: Mapping[str, Any]) -> None:
        kind = expose.get("type")
        prop = _prop(expose)
        access = expose.get("access", _READ)
        access = access if isinstance(access, int) and not isinstance(access, bool) else _READ
        settable = bool(access & _SET)
        category = "diagnostic" if prop in _DIAGNOSTIC else (
            "config" if settable and prop not in _SETTINGS_KEPT else None)
        common: dict[str, Any] = {"name": prop.replace("_", " "), "value_template": _value(prop)}
        if category:
            common["entity_category"] = category
        if kind == "binary":
            on, off = expose.get("value_on", True), expose.get("value_off", False)
            if settable:
                self.add("switch", prop, common | {
                    "command_topic": f"{self.state}/set", "payload_on": json.dumps({prop: on}),
                    "payload_off": json.dumps({prop: off}), "state_on": str(on), "state_off": str(off)})
            elif access & _READ:
                config = common | {"payload_on": on, "payload_off": off}
                if prop in BINARY_CLASSES:
                    config["device_class"] = BINARY_CLASSES[prop]
                self.add("binary_sensor", prop, config)
        elif kind == "numeric":
            unit = expose.get("unit") if isinstance(expose.get("unit"), str) else None
            config = common | ({"unit_of_measurement": unit} if unit else {})
            if settable:
                for key, field in (("min", "value_min"), ("max", "value_max"), ("step", "value_step")):
                    if isinstance(expose.get(field), int | float) and not isinstance(expose.get(field), bool):
                        config[key] = expose[field]
                self.add("number", prop, config | {"command_topic": f"{self.state}/set",
                                                   "command_template": _json_command(prop)})
            elif access & _READ:
                if prop in SENSOR_CLASSES:
                    config["device_class"] = SENSOR_CLASSES[prop]
                self.add("sensor", prop, config)
        elif kind == "enum" and prop != "action" and isinstance(expose.get("values"), list):
            options = [str(v) for v in expose["values"]]
            if settable:
                self.add("select", prop, common | {"options": options, "command_topic": f"{self.state}/set",
                                                   "command_template": _json_command(prop)})
            elif access & _READ:
                self.add("sensor", prop, common | {"device_class": "enum", "options": options})


_SPECIFIC = {"light": _Device.light, "switch": _Device.switch, "lock": _Device.lock,
             "climate": _Device.climate, "fan": _Device.fan, "cover": _Device.cover}


def device_entities(item: Mapping[str, Any], *, base: str = DEFAULT_BASE,
                    where: str = f"{DEFAULT_BASE}/bridge/devices") -> list[Entity]:
    """The Home Assistant style entities of one entry of the device list; ``DiscoveryError`` if malformed."""
    what = f"{where} [{item.get('friendly_name', '?')!s:.60}]"
    try:
        if not isinstance(item.get("ieee_address"), str) or not isinstance(item.get("friendly_name"), str):
            raise ValueError("needs ieee_address and friendly_name")
        builder = _Device(item, base, where)
        definition = item.get("definition")
        exposes = definition.get("exposes") if isinstance(definition, dict) else None
        for expose in exposes if isinstance(exposes, list) else []:
            if not isinstance(expose, dict):
                continue
            specific = _SPECIFIC.get(str(expose.get("type")))
            if specific is not None:
                specific(builder, expose)
            elif expose.get("type") in ("binary", "numeric", "enum") and "property" in expose:
                builder.generic(expose)
        return builder.entities
    except DiscoveryError as exc:
        raise DiscoveryError(what, exc.message) from None
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise DiscoveryError(what, f"malformed device entry: {exc}") from None


def parse_devices(payload: bytes, *, base: str = DEFAULT_BASE,
                  max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[list[MqttDevice], list[DiscoveryError]]:
    """The devices of a ``bridge/devices`` payload, and the entries that had to be skipped."""
    where = f"{base}/bridge/devices"
    if len(payload) > max_bytes:
        raise DiscoveryError(where, f"device list of {len(payload)} bytes is over the {max_bytes}-byte limit")
    try:
        items = json.loads(payload) if payload else []
    except (ValueError, RecursionError) as exc:
        raise DiscoveryError(where, f"device list is not valid JSON: {exc}") from None
    if not isinstance(items, list):
        raise DiscoveryError(where, "the device list must be a JSON array")
    devices: list[MqttDevice] = []
    skipped: list[DiscoveryError] = []
    for item in items:
        if not isinstance(item, dict) or item.get("type") == "Coordinator":
            continue
        try:
            entities = device_entities(item, base=base, where=where)
            if entities:
                devices.extend(build_devices("mqtt_" + slug(f"zigbee2mqtt_{item['ieee_address']}"), entities))
        except DiscoveryError as exc:
            skipped.append(exc)
        except (ValueError, KeyError, TypeError) as exc:
            name = item.get("friendly_name")
            skipped.append(DiscoveryError(where, f"cannot make a device of {name!r}: {exc}"))
    return devices, skipped


class Zigbee2Mqtt:
    """The devices of one Zigbee2MQTT bridge, updated from its retained device list."""

    def __init__(self, base: str = DEFAULT_BASE, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.base = base
        """Zigbee2MQTT's base topic."""
        self.max_bytes = max_bytes
        """Device lists larger than this are refused."""
        self.skipped: tuple[DiscoveryError, ...] = ()
        """Entries of the last list that could not be used (for the runtime to log)."""
        self._devices: dict[str, MqttDevice] = {}

    @property
    def bridge_topic(self) -> str:
        """The topic of the device list."""
        return f"{self.base}/bridge/devices"

    @property
    def devices(self) -> Mapping[str, MqttDevice]:
        """Every device now known, by id."""
        return MappingProxyType(self._devices)

    def handle(self, payload: bytes) -> Change:
        """Take a new device list; what changed since the last one."""
        devices, skipped = parse_devices(payload, base=self.base, max_bytes=self.max_bytes)
        self.skipped = tuple(skipped)
        after = {d.device.id: d for d in devices}
        before = self._devices
        self._devices = after
        return Change(
            added=tuple(d for i, d in after.items() if i not in before),
            updated=tuple(d for i, d in after.items() if i in before and (
                before[i].signature != d.signature or before[i].device != d.device)),
            removed=tuple(i for i in before if i not in after))
