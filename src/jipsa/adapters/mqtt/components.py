"""Home Assistant entities → binding parts: one builder per component, catalogue units on the jipsa side.

Each builder reads an :class:`~jipsa.adapters.mqtt.config.Entity` and returns the :class:`Part` that
reads and writes its attributes: a light's ``on``, ``brightness`` (0–``brightness_scale`` ↔ 1–100 %),
``color_temp`` (mireds ↔ kelvin) and ``color``; a climate's mode (``off`` ↔ ``on: false``) and set point;
a cover's position between ``position_closed`` and ``position_open``. The entity kinds that carry one
value of an appliance (sensor, binary_sensor, number, select, switch, button) are built for the attribute
or command the caller chose for them (see ``appliance``). Payload defaults follow Home Assistant's.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Mapping
from typing import Any

from jipsa.adapters.mqtt.binding import (
    Action,
    Convert,
    One,
    Part,
    Payload,
    Publish,
    Reader,
    Setter,
    as_number,
    as_text,
    narrow,
)
from jipsa.adapters.mqtt.config import Entity, payload_text
from jipsa.adapters.mqtt.convert import (
    COLOR_HS,
    EnumMap,
    color_from_hs,
    color_from_rgb,
    color_from_xy,
    color_to_rgb,
    enum_map,
)
from jipsa.core.capabilities import ATTRIBUTE_OWNER, CATALOGUE, Attribute, Value, ValueKind
from jipsa.core.messages import Command


def catalogue_attribute(name: str) -> Attribute:
    """The catalogue's attribute ``name``."""
    attr = CATALOGUE[ATTRIBUTE_OWNER[name]].attribute(name)
    if attr is None:  # pragma: no cover - ATTRIBUTE_OWNER guarantees it
        raise KeyError(name)
    return attr


def _fmt(value: Value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _Builder:
    """Helpers bound to one entity: its payload defaults, templates and publishing.

    Setters and actions keep the builder (for :meth:`publish`) as long as the device lives; :meth:`done`
    hands the part over and lets it go, so the part's lists and sets are not kept beside the binding.
    """

    __slots__ = ("e", "part", "retain")

    def __init__(self, entity: Entity) -> None:
        self.e = entity
        self.part = Part(entity.topic, availability=entity.availability,
                         availability_mode=entity.availability_mode)
        self.retain = entity.flag("retain")

    def done(self) -> Part:
        """The finished part; the builder is only for publishing after this."""
        part = self.part
        del self.part
        return part

    def payload(self, key: str, default: str) -> str:
        value = self.e.config.get(key, default)
        return payload_text(value)

    def publish(self, topic_key: str, value: Value, template_key: str | None = None,
                name: str = "value") -> list[Publish]:
        topic = self.e.text(topic_key)
        if topic is None:
            return []
        template = self.e.template(template_key) if template_key else None
        text = template.render_command(value, name) if template else _fmt(value)
        return [] if text is None else [Publish(topic, text.encode(), self.retain)]

    def read(self, topic_key: str, template_key: str | None, attributes: tuple[str, ...],
             convert: Callable[[object], Mapping[str, Value]]) -> None:
        topic = self.e.text(topic_key)
        if topic is None:
            return
        template = self.e.template(template_key) if template_key else None

        def run(payload: Payload) -> dict[str, Value]:
            rendered = payload.render(template)
            return dict(convert(rendered)) if rendered is not None else {}
        self.part.readers.append(Reader(topic, frozenset(attributes), run))

    def read_one(self, topic_key: str, template_key: str | None, attribute: str, convert: Convert) -> None:
        topic = self.e.text(topic_key)
        if topic is None:
            return
        template = self.e.template(template_key) if template_key else None
        self.part.readers.append(Reader.single(topic, One(attribute, template, convert)))

    def switch_like(self, attribute: str, *, state_key: str = "state_topic",
                    template_key: str = "value_template", on_key: str = "payload_on",
                    off_key: str = "payload_off", on: str = "ON", off: str = "OFF",
                    state_on_key: str = "state_on", state_off_key: str = "state_off",
                    command_key: str = "command_topic",
                    command_template: str | None = "command_template") -> None:
        """A boolean attribute read as two payloads on one topic and set by publishing one of two."""
        pay_on, pay_off = self.payload(on_key, on), self.payload(off_key, off)
        st_on, st_off = self.payload(state_on_key, pay_on), self.payload(state_off_key, pay_off)
        self.read_one(state_key, template_key, attribute, lambda raw: _two_way(raw, st_on, st_off))
        if self.e.text(command_key) is not None:
            self.part.setters[attribute] = lambda value, state: self.publish(
                command_key, pay_on if value else pay_off, command_template)

    def limit(self, attribute: str, **bounds: Any) -> Attribute | None:
        attr = narrow(catalogue_attribute(attribute), **bounds)
        if attr is not None:
            attr = _shared_attribute(attr)
            self.part.limits[attribute] = attr
        return attr


@functools.lru_cache(maxsize=1024)
def _shared_attribute(attr: Attribute) -> Attribute:
    """One object for equal narrowed attributes (the same model's limits, a thousand times)."""
    return attr


def _two_way(raw: object, on: str, off: str) -> bool | None:
    text = as_text(raw)
    if text == on:
        return True
    if text == off:
        return False
    return None


def _scaled(raw: object, low: float, high: float, minimum: int, maximum: int) -> int | None:
    """A device value in ``low``–``high`` as a whole percentage, clamped to ``minimum``–``maximum``."""
    number = as_number(raw)
    if number is None or high == low:
        return None
    return max(minimum, min(maximum, round((number - low) * 100 / (high - low))))


def _unscaled(percent: float, low: float, high: float) -> int:
    return round(low + percent * (high - low) / 100)


# --- lights -------------------------------------------------------------------------------------

_COLOR_MODES = frozenset({"hs", "rgb", "xy", "rgbw", "rgbww"})


def _kelvin(raw: object, kelvin_unit: bool) -> int | None:
    number = as_number(raw)
    if number is None or number <= 0:
        return None
    return round(number if kelvin_unit else 1_000_000 / number)


def _device_temp(kelvin: float, kelvin_unit: bool) -> int:
    return round(kelvin if kelvin_unit else 1_000_000 / kelvin)


def _color_range(b: _Builder, kelvin_unit: bool) -> None:
    lo_k = b.e.number("min_kelvin") or (1_000_000 / m if (m := b.e.number("max_mireds")) else None)
    hi_k = b.e.number("max_kelvin") or (1_000_000 / m if (m := b.e.number("min_mireds")) else None)
    b.limit("color_temp", minimum=None if lo_k is None else math.ceil(lo_k),
            maximum=None if hi_k is None else math.floor(hi_k))
    b.part.lossy.add("color_temp")


def _color_from_json(color: object) -> str | None:
    if not isinstance(color, dict):
        return None
    numbers = {k: as_number(v) for k, v in color.items() if isinstance(k, str)}
    h, s = numbers.get("h"), numbers.get("s")
    if h is not None and s is not None:
        return color_from_hs(h, s)
    r, g, bl = numbers.get("r"), numbers.get("g"), numbers.get("b")
    if r is not None and g is not None and bl is not None:
        return color_from_rgb(r, g, bl)
    x, y = numbers.get("x"), numbers.get("y")
    return color_from_xy(x, y) if x is not None and y is not None else None


def light_part(entity: Entity) -> Part:
    """A light, default, JSON or template schema."""
    schema = entity.config.get("schema", "default")
    if schema == "json":
        return _json_light(entity)
    if schema == "template":
        return _template_light(entity)
    if schema not in ("default", "basic"):
        return Part(entity.topic)  # no such schema: a light that does nothing
    b = _Builder(entity)
    b.switch_like("on", template_key="state_value_template", state_on_key="payload_on",
                  state_off_key="payload_off", command_template=None)
    scale = entity.number("brightness_scale", 255) or 255
    if entity.text("brightness_command_topic") or entity.text("brightness_state_topic"):
        b.read_one("brightness_state_topic", "brightness_value_template", "brightness",
                   lambda raw: _scaled(raw, 0, scale, 0, 100) or None)
        if entity.text("brightness_command_topic"):
            b.part.setters["brightness"] = lambda v, s: b.publish(
                "brightness_command_topic", max(1, _unscaled(_num(v), 0, scale)),
                "brightness_command_template")
        if scale < 100:
            b.part.lossy.add("brightness")
    kelvin_unit = entity.flag("color_temp_kelvin")
    if entity.text("color_temp_command_topic") or entity.text("color_temp_state_topic"):
        b.read_one("color_temp_state_topic", "color_temp_value_template", "color_temp",
                   lambda raw: _kelvin(raw, kelvin_unit))
        if entity.text("color_temp_command_topic"):
            b.part.setters["color_temp"] = lambda v, s: b.publish(
                "color_temp_command_topic", _device_temp(_num(v), kelvin_unit), "color_temp_command_template")
        _color_range(b, kelvin_unit)
    if entity.text("hs_command_topic") or entity.text("hs_state_topic"):
        b.read_one("hs_state_topic", "hs_value_template", "color", _color_from_pair)
        b.part.setters["color"] = lambda v, s: b.publish(
            "hs_command_topic", "{:g},{:g}".format(*COLOR_HS[str(v)]))
    elif entity.text("rgb_command_topic") or entity.text("rgb_state_topic"):
        b.read_one("rgb_state_topic", "rgb_value_template", "color", _color_from_triple)
        b.part.setters["color"] = lambda v, s: b.publish(
            "rgb_command_topic", "{},{},{}".format(*color_to_rgb(str(v))), "rgb_command_template")
    return b.done()


def _num(value: Value) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _numbers(raw: object, count: int) -> list[float] | None:
    if not isinstance(raw, str):
        return None
    items = [as_number(x) for x in raw.split(",")]
    clean = [x for x in items if x is not None]
    return clean if len(clean) == count == len(items) else None


def _color_from_pair(raw: object) -> str | None:
    pair = _numbers(raw, 2)
    return color_from_hs(*pair) if pair else None


def _color_from_triple(raw: object) -> str | None:
    triple = _numbers(raw, 3)
    return color_from_rgb(*triple) if triple else None


def _json_light(entity: Entity) -> Part:
    b = _Builder(entity)
    modes = set(entity.strings("supported_color_modes"))
    has_brightness = entity.flag("brightness") or bool(modes - {"onoff"})
    has_temp = "color_temp" in modes or entity.flag("color_temp")
    color_modes = modes & _COLOR_MODES
    scale = entity.number("brightness_scale", 255) or 255
    kelvin_unit = entity.flag("color_temp_kelvin")
    attrs = ["on", *["brightness"] * has_brightness, *["color_temp"] * has_temp,
             *["color"] * bool(color_modes)]

    def read(raw: object) -> Mapping[str, Value]:
        if not isinstance(raw, dict):
            return {}
        out: dict[str, Value] = {}
        if raw.get("state") in ("ON", "OFF"):
            out["on"] = raw["state"] == "ON"
        if has_brightness and (pct := _scaled(raw.get("brightness"), 0, scale, 0, 100)):
            out["brightness"] = pct
        if has_temp and (kelvin := _kelvin(raw.get("color_temp"), kelvin_unit)) is not None:
            out["color_temp"] = kelvin
        if color_modes and (color := _color_from_json(raw.get("color"))) is not None:
            out["color"] = color
        return out

    topic = entity.text("state_topic")
    if topic is not None:
        b.part.readers.append(Reader(topic, frozenset(attrs), lambda p: dict(read(p.json))))

    def send(fields: dict[str, Any]) -> list[Publish]:
        return [Publish(entity.text("command_topic") or "", json.dumps(fields).encode(), b.retain)]

    b.part.setters["on"] = lambda v, s: send({"state": "ON" if v else "OFF"})
    if has_brightness:
        b.part.setters["brightness"] = lambda v, s: send(
            {"state": "ON", "brightness": max(1, _unscaled(_num(v), 0, scale))})
        if scale < 100:
            b.part.lossy.add("brightness")
    if has_temp:
        b.part.setters["color_temp"] = lambda v, s: send(
            {"state": "ON", "color_temp": _device_temp(_num(v), kelvin_unit)})
        _color_range(b, kelvin_unit)
    if color_modes:
        def color(v: Value, s: Mapping[str, Value]) -> list[Publish]:
            h, sat = COLOR_HS[str(v)]
            if "hs" in color_modes:
                return send({"state": "ON", "color": {"h": h, "s": sat}})
            r, g, bl = color_to_rgb(str(v))
            return send({"state": "ON", "color": {"r": r, "g": g, "b": bl}})
        b.part.setters["color"] = color
    return b.done()


def _template_light(entity: Entity) -> Part:
    """A light of the template schema: its state read by templates (``state_template`` gives ``on`` or
    ``off``, ``brightness_template`` 0–255, ``color_temp_template`` mireds or kelvin, ``red_template`` …),
    its commands rendered by ``command_on_template`` and ``command_off_template`` with Home Assistant's
    variables (``state``, ``brightness``, ``color_temp``, ``red``, ``green``, ``blue``, ``hue``, ``sat``).
    What it can do follows from the templates it has, as in Home Assistant."""
    b = _Builder(entity)
    kelvin_unit = entity.flag("color_temp_kelvin")
    state_t, brightness_t = entity.template("state_template"), entity.template("brightness_template")
    temp_t = entity.template("color_temp_template")
    rgb_t = [entity.template(f"{c}_template") for c in ("red", "green", "blue")]
    has_rgb = all(t is not None for t in rgb_t)
    attrs = ["on", *["brightness"] * (brightness_t is not None), *["color_temp"] * (temp_t is not None),
             *["color"] * has_rgb]

    def read(payload: Payload) -> dict[str, Value]:
        out: dict[str, Value] = {}
        state = as_text(payload.render(state_t)) if state_t is not None else None
        if state in ("on", "off"):
            out["on"] = state == "on"
        if brightness_t is not None and (pct := _scaled(payload.render(brightness_t), 0, 255, 0, 100)):
            out["brightness"] = pct
        if temp_t is not None and (kelvin := _kelvin(payload.render(temp_t), kelvin_unit)) is not None:
            out["color_temp"] = kelvin
        if has_rgb:
            r, g, bl = (as_number(payload.render(t)) for t in rgb_t)
            if r is not None and g is not None and bl is not None:
                out["color"] = color_from_rgb(r, g, bl)
        return out

    topic = entity.text("state_topic")
    if topic is not None and state_t is not None:
        b.part.readers.append(Reader(topic, frozenset(attrs), read))

    def send(on: bool, **variables: Value) -> list[Publish]:
        template = entity.template("command_on_template" if on else "command_off_template")
        text = template.render_text({"state": "on" if on else "off", **variables}) if template else None
        command = entity.text("command_topic")
        return [] if text is None or command is None else [Publish(command, text.encode(), b.retain)]

    b.part.setters["on"] = lambda v, s: send(bool(v))
    if brightness_t is not None:
        b.part.setters["brightness"] = lambda v, s: send(True, brightness=max(1, _unscaled(_num(v), 0, 255)))
        b.part.lossy.add("brightness")
    if temp_t is not None:
        b.part.setters["color_temp"] = lambda v, s: send(True, color_temp=_device_temp(_num(v), kelvin_unit))
        _color_range(b, kelvin_unit)
    if has_rgb:
        def color(v: Value, s: Mapping[str, Value]) -> list[Publish]:
            r, g, bl = color_to_rgb(str(v))
            h, sat = COLOR_HS[str(v)]
            return send(True, red=r, green=g, blue=bl, hue=h, sat=sat)
        b.part.setters["color"] = color
    return b.done()


# --- switches, locks, valves, buttons ----------------------------------------------------------

def switch_part(entity: Entity, attribute: str = "on") -> Part:
    """A switch, as ``on`` or as another yes/no setting (``muted``, ``engine_on`` …)."""
    b = _Builder(entity)
    b.switch_like(attribute)
    return b.done()


def lock_part(entity: Entity) -> Part:
    """A lock: ``LOCKED``/``UNLOCKED`` in, ``LOCK``/``UNLOCK`` out."""
    b = _Builder(entity)
    b.switch_like("locked", on_key="payload_lock", off_key="payload_unlock", on="LOCK", off="UNLOCK",
                  state_on_key="state_locked", state_off_key="state_unlocked")
    # A lock's state defaults are not its command payloads.
    b.part.readers.clear()
    locked, unlocked = b.payload("state_locked", "LOCKED"), b.payload("state_unlocked", "UNLOCKED")
    b.read_one("state_topic", "value_template", "locked", lambda raw: _two_way(raw, locked, unlocked))
    return b.done()


def valve_part(entity: Entity) -> Part:
    """A valve (a gas valve to jipsa): ``open``/``closed`` in, ``OPEN``/``CLOSE`` out."""
    b = _Builder(entity)
    opened, closed = b.payload("state_open", "open"), b.payload("state_closed", "closed")
    b.read_one("state_topic", "value_template", "valve_open", lambda raw: _two_way(raw, opened, closed))
    pay_open, pay_close = b.payload("payload_open", "OPEN"), b.payload("payload_close", "CLOSE")
    if entity.text("command_topic"):
        b.part.setters["valve_open"] = lambda v, s: b.publish(
            "command_topic", pay_open if v else pay_close, "command_template")
    return b.done()


def button_part(entity: Entity, capability: str, command: str) -> Part:
    """A button that sends one argument-less command."""
    b = _Builder(entity)
    press = b.payload("payload_press", "PRESS")
    b.part.actions[(capability, command)] = lambda c, s: b.publish("command_topic", press, "command_template")
    return b.done()


# --- readings and settings ----------------------------------------------------------------------

_TEMPERATURE_UNITS = {"°F": lambda f: (f - 32) * 5 / 9, "F": lambda f: (f - 32) * 5 / 9}
_DURATION_UNITS = {"s": 1 / 60, "sec": 1 / 60, "min": 1.0, "h": 60.0, "hr": 60.0}
_POWER_UNITS = {"kW": 1000.0, "W": 1.0, "mW": 0.001}


def reading(attribute: str, unit: str | None) -> Convert:
    """A converter from a reported value to the catalogue attribute, in its unit and kind."""
    attr = catalogue_attribute(attribute)
    if attr.kind is ValueKind.ENUM:
        words = enum_map(attribute, attr.values)
        return lambda raw: words.read(raw) if words else None
    if attr.kind is ValueKind.BOOL:
        return lambda raw: _two_way(raw, "True", "False") if not isinstance(raw, str) else (
            _two_way(raw.upper(), "ON", "OFF"))
    factor: Callable[[float], float] = lambda x: x  # noqa: E731
    if attr.unit == "°C" and unit in _TEMPERATURE_UNITS:
        factor = _TEMPERATURE_UNITS[unit]
    elif attr.unit == "min" and unit in _DURATION_UNITS:
        factor = (lambda k: lambda x: x * k)(_DURATION_UNITS[unit])
    elif attr.unit == "W" and unit in _POWER_UNITS:
        factor = (lambda k: lambda x: x * k)(_POWER_UNITS[unit])

    def convert(raw: object) -> Value | None:
        number = as_number(raw)
        if number is None:
            return None
        number = factor(number)
        return round(number) if attr.kind is ValueKind.INT else round(number, 3)
    return convert


def sensor_part(entity: Entity, attribute: str) -> Part:
    """A sensor reporting one catalogue attribute (a number, or an enum through its vocabulary)."""
    b = _Builder(entity)
    b.read_one("state_topic", "value_template", attribute,
               reading(attribute, entity.text("unit_of_measurement")))
    return b.done()


def binary_sensor_part(entity: Entity, attribute: str) -> Part:
    """A binary sensor reporting one yes/no attribute."""
    b = _Builder(entity)
    on, off = b.payload("payload_on", "ON"), b.payload("payload_off", "OFF")
    b.read_one("state_topic", "value_template", attribute, lambda raw: _two_way(raw, on, off))
    return b.done()


def number_part(entity: Entity, attribute: str) -> Part:
    """A number entity setting one numeric attribute, within its ``min``/``max``/``step``."""
    b = _Builder(entity)
    b.read_one("state_topic", "value_template", attribute,
               reading(attribute, entity.text("unit_of_measurement")))
    b.part.setters[attribute] = lambda v, s: b.publish("command_topic", v, "command_template")
    b.limit(attribute, minimum=entity.number("min", 1), maximum=entity.number("max", 100),
            step=entity.number("step", 1))
    return b.done()


def select_part(entity: Entity, attribute: str) -> Part:
    """A select entity choosing one enum attribute among the options that mean catalogue values."""
    b = _Builder(entity)
    words = enum_map(attribute, entity.strings("options"))
    if words is None:
        return b.done()
    b.read_one("state_topic", "value_template", attribute, words.read)
    b.part.setters[attribute] = _enum_setter(b, "command_topic", "command_template", words)
    b.limit(attribute, values=words.values)
    return b.done()


def _enum_setter(b: _Builder, topic_key: str, template_key: str | None, words: EnumMap) -> Setter:
    return lambda v, s: b.publish(topic_key, words.to_device.get(str(v), str(v)), template_key)


# --- climate, water heaters, humidifiers, fans --------------------------------------------------

CLIMATE_MODES = ("auto", "off", "cool", "heat", "dry", "fan_only")
"""Home Assistant's default climate modes."""

_PREFERRED_ON = ("cool", "heat", "auto", "dry", "fan_only")


def climate_part(entity: Entity, *, default_modes: tuple[str, ...] = CLIMATE_MODES,
                 temperature_state: str = "temperature_state_topic") -> Part:
    """A climate device (or a water heater): power through its mode, set point, readings, fan and swing
    modes."""
    b = _Builder(entity)
    modes = entity.strings("modes") or default_modes
    has_off = "off" in modes
    hvac = enum_map("hvac_mode", [m for m in modes if m != "off"])
    presets = enum_map("mode", [m for m in modes if m != "off"]) if entity.component == "water_heater" else (
        enum_map("mode", entity.strings("preset_modes")))
    to_c, from_c = _temperature_unit(entity)

    def mode_read(raw: object) -> Mapping[str, Value]:
        text = as_text(raw)
        if text is None:
            return {}
        if text == "off":
            return {"on": False} if has_off else {}
        out: dict[str, Value] = {"on": True} if has_off else {}
        if hvac and (value := hvac.read(text)):
            out["hvac_mode"] = value
        if entity.component == "water_heater" and presets and (value := presets.read(text)):
            out["mode"] = value
        return out
    mode_attrs = ("on",) * (has_off or entity.text("power_command_topic") is not None) + (
        ("hvac_mode", "mode") if entity.component == "water_heater" else ("hvac_mode",))
    b.read("mode_state_topic", "mode_state_template", mode_attrs, mode_read)
    if entity.text("mode_command_topic"):
        if hvac:
            b.part.setters["hvac_mode"] = _enum_setter(b, "mode_command_topic", "mode_command_template", hvac)
            b.limit("hvac_mode", values=hvac.values)
        if entity.component == "water_heater" and presets:
            b.part.setters["mode"] = _enum_setter(b, "mode_command_topic", "mode_command_template", presets)
            b.limit("mode", values=presets.values)
        if has_off and not entity.text("power_command_topic"):
            def power(v: Value, state: Mapping[str, Value]) -> list[Publish]:
                if not v:
                    return b.publish("mode_command_topic", "off", "mode_command_template")
                last = state.get("hvac_mode")
                if hvac and isinstance(last, str) and last in hvac.to_device:
                    return b.publish("mode_command_topic", hvac.to_device[last], "mode_command_template")
                choice = next((m for m in _PREFERRED_ON if m in modes), None) or next(
                    m for m in modes if m != "off")
                return b.publish("mode_command_topic", choice, "mode_command_template")
            if any(m != "off" for m in modes):
                b.part.setters["on"] = power
    if entity.text("power_command_topic"):
        pay_on, pay_off = b.payload("payload_on", "ON"), b.payload("payload_off", "OFF")
        b.part.setters["on"] = lambda v, s: b.publish(
            "power_command_topic", pay_on if v else pay_off, "power_command_template")
    b.read_one(temperature_state, "temperature_state_template", "target_temperature",
               lambda raw: _round_half(to_c(raw)))
    if entity.text("temperature_command_topic"):
        b.part.setters["target_temperature"] = lambda v, s: b.publish(
            "temperature_command_topic", from_c(_num(v)), "temperature_command_template")
        lo, hi = entity.number("min_temp"), entity.number("max_temp")
        step = entity.number("temp_step", 1.0 if entity.component == "climate" else None)
        b.limit("target_temperature", minimum=None if lo is None else to_c(lo),
                maximum=None if hi is None else to_c(hi), step=step if from_c(20.0) == 20 else None)
    b.read_one("current_temperature_topic", "current_temperature_template", "temperature",
               lambda raw: None if (c := to_c(raw)) is None else round(c, 2))
    fans = enum_map("fan_speed", entity.strings("fan_modes") or ("auto", "low", "medium", "high"))
    if fans and (entity.text("fan_mode_command_topic") or entity.text("fan_mode_state_topic")):
        b.read_one("fan_mode_state_topic", "fan_mode_state_template", "fan_speed", fans.read)
        if entity.text("fan_mode_command_topic"):
            b.part.setters["fan_speed"] = _enum_setter(
                b, "fan_mode_command_topic", "fan_mode_command_template",
                                                       fans)
            b.limit("fan_speed", values=fans.values)
    if entity.component == "climate" and presets:
        _preset(b, "mode", presets)
    swings = enum_map("swing_mode", entity.strings("swing_modes") or ("on", "off"))
    if swings and (entity.text("swing_mode_command_topic") or entity.text("swing_mode_state_topic")):
        b.read_one("swing_mode_state_topic", "swing_mode_state_template", "swing_mode", swings.read)
        if entity.text("swing_mode_command_topic"):
            b.part.setters["swing_mode"] = _enum_setter(b, "swing_mode_command_topic",
                                                        "swing_mode_command_template", swings)
            b.limit("swing_mode", values=swings.values)
    return b.done()


def _preset(b: _Builder, attribute: str, words: EnumMap) -> None:
    b.read_one("preset_mode_state_topic", "preset_mode_value_template", attribute, words.read)
    if b.e.text("preset_mode_command_topic"):
        b.part.setters[attribute] = _enum_setter(
            b, "preset_mode_command_topic", "preset_mode_command_template",
                                                 words)
        b.limit(attribute, values=words.values)


def _round_half(value: float | None) -> float | None:
    return None if value is None else round(value * 2) / 2 if abs(value * 2 - round(value * 2)) < 0.02 else (
        round(value, 2))


def _temperature_unit(entity: Entity) -> tuple[Callable[[object], float | None], Callable[[float], float]]:
    if entity.text("temperature_unit") in ("F", "°F"):
        def to_c(raw: object) -> float | None:
            n = as_number(raw)
            return None if n is None else (n - 32) * 5 / 9

        return to_c, lambda c: round(c * 9 / 5 + 32, 1)
    return as_number, lambda c: c


def water_heater_part(entity: Entity) -> Part:
    """A water heater: like a climate device whose modes are jipsa's ``mode`` (``eco``, ``turbo`` …)."""
    return climate_part(entity, default_modes=("off", "eco", "electric", "gas", "heat_pump", "high_demand",
                                               "performance"))


def humidifier_part(entity: Entity) -> Part:
    """A humidifier or dehumidifier: power, target and current humidity, modes."""
    b = _Builder(entity)
    b.switch_like("on", template_key="state_value_template", command_template="command_template")
    b.read_one("target_humidity_state_topic", "target_humidity_state_template", "target_humidity",
               lambda raw: None if (n := as_number(raw)) is None else round(n))
    b.part.setters["target_humidity"] = lambda v, s: b.publish(
        "target_humidity_command_topic", v, "target_humidity_command_template")
    b.limit("target_humidity", minimum=entity.number("min_humidity", 0),
            maximum=entity.number("max_humidity", 100))
    b.read_one("current_humidity_topic", "current_humidity_template", "humidity", reading("humidity", "%"))
    words = enum_map("mode", entity.strings("modes"))
    if words:
        b.read_one("mode_state_topic", "mode_state_template", "mode", words.read)
        if entity.text("mode_command_topic"):
            b.part.setters["mode"] = _enum_setter(b, "mode_command_topic", "mode_command_template", words)
            b.limit("mode", values=words.values)
    return b.done()


FAN_LEVELS: Mapping[int, tuple[str, ...]] = {
    1: ("high",), 2: ("low", "high"), 3: ("low", "medium", "high"), 4: ("low", "medium", "high", "turbo"),
}
"""The fan speeds of a device with a small speed range, by the number of steps."""

_PERCENT_LEVELS = (("low", 33), ("medium", 66), ("high", 100))


def fan_part(entity: Entity) -> Part:
    """A fan: power, speed as percentage or as presets, other presets as jipsa's ``mode``, oscillation."""
    b = _Builder(entity)
    b.switch_like("on", template_key="state_value_template", command_template="command_template")
    presets = entity.strings("preset_modes")
    speeds = enum_map("fan_speed", presets)
    speed_words = sum(1 for v in (speeds.values if speeds else ()) if v not in ("auto",))
    if speeds and speed_words >= 2:
        _preset(b, "fan_speed", speeds)
    else:
        modes = enum_map("mode", presets)
        if modes:
            _preset(b, "mode", modes)
        if entity.text("percentage_command_topic") or entity.text("percentage_state_topic"):
            _percentage(b)
    b.switch_like("oscillating", state_key="oscillation_state_topic",
                  template_key="oscillation_value_template", on_key="payload_oscillation_on",
                  off_key="payload_oscillation_off", on="oscillate_on", off="oscillate_off",
                  state_on_key="payload_oscillation_on", state_off_key="payload_oscillation_off",
                  command_key="oscillation_command_topic", command_template="oscillation_command_template")
    return b.done()


def _percentage(b: _Builder) -> None:
    low = int(b.e.number("speed_range_min", 1) or 1)
    high = int(b.e.number("speed_range_max", 100) or 100)
    steps = high - low + 1
    if steps < 1:
        return
    levels = FAN_LEVELS.get(steps)

    def read(raw: object) -> Value | None:
        number = as_number(raw)
        if number is None or number < low:
            return None
        if levels:
            index = round(number) - low
            return levels[index] if 0 <= index < len(levels) else None
        percent = (number - low + 1) * 100 / steps
        return next((name for name, top in _PERCENT_LEVELS if percent <= top), "high")

    def write(v: Value, s: Mapping[str, Value]) -> list[Publish]:
        if levels:
            if v not in levels:
                return []
            return b.publish("percentage_command_topic", low + levels.index(str(v)),
                             "percentage_command_template")
        top = dict(_PERCENT_LEVELS).get(str(v))
        if top is None:
            return []
        return b.publish("percentage_command_topic", low - 1 + math.ceil(top * steps / 100),
                         "percentage_command_template")
    b.read_one("percentage_state_topic", "percentage_value_template", "fan_speed", read)
    if b.e.text("percentage_command_topic"):
        b.part.setters["fan_speed"] = write
        b.limit("fan_speed", values=levels or tuple(name for name, _top in _PERCENT_LEVELS))


# --- covers and vacuums -------------------------------------------------------------------------

def cover_part(entity: Entity) -> Part:
    """A cover: position between ``position_closed`` and ``position_open``, open/close/stop payloads."""
    b = _Builder(entity)
    closed, opened = entity.number("position_closed", 0) or 0.0, entity.number("position_open", 100)
    opened = 100.0 if opened is None else opened
    if entity.text("position_topic"):
        b.read_one("position_topic", "position_template", "position",
                   lambda raw: _scaled(raw, closed, opened, 0, 100))
    else:
        st_open, st_closed = b.payload("state_open", "open"), b.payload("state_closed", "closed")
        b.read_one("state_topic", "value_template", "position",
                   lambda raw: {True: 100, False: 0, None: None}[_two_way(raw, st_open, st_closed)])
    if abs(opened - closed) < 100:
        b.part.lossy.add("position")
    command = entity.text("command_topic")
    payloads: dict[str, Any] = {"open": entity.config.get("payload_open", "OPEN"),
                                "close": entity.config.get("payload_close", "CLOSE"),
                                "stop": entity.config.get("payload_stop", "STOP")}

    def set_position(v: Value, s: Mapping[str, Value]) -> list[Publish]:
        raw = _unscaled(_num(v), closed, opened)
        return b.publish("set_position_topic", raw, "set_position_template", name="position")

    def send(name: str) -> Action | None:
        payload = payloads[name]
        if command and payload is not None:
            return lambda c, s: b.publish("command_topic", payload_text(payload))
        target = {"open": 100, "close": 0}.get(name)
        if target is not None and entity.text("set_position_topic"):
            return lambda c, s: set_position(target, s)
        return None

    for name in ("open", "close", "stop"):
        if (action := send(name)) is not None:
            b.part.actions[("position", name)] = action
    if entity.text("set_position_topic"):
        b.part.setters["position"] = set_position
    elif command:
        # Without a position topic, fully open and fully closed are the positions it can be sent to.
        opener, closer = send("open"), send("close")
        if opener and closer:
            b.part.setters["position"] = lambda v, s: (opener if _num(v) >= 50 else closer)(
                Command("-", "position", "open"), s)
        b.part.lossy.add("position")
    _tilt(b)
    return b.done()


def _tilt(b: _Builder) -> None:
    """A cover's slats: ``tilt_min``..``tilt_max`` on the wire, 0–100 % in jipsa (100 is open)."""
    entity = b.e
    low, high = entity.number("tilt_min", 0) or 0.0, entity.number("tilt_max", 100)
    high = 100.0 if high is None else high
    if low == high:
        return
    b.read_one("tilt_status_topic", "tilt_status_template", "tilt_position",
               lambda raw: _scaled(raw, low, high, 0, 100))
    if entity.text("tilt_command_topic") is None:
        return
    b.part.setters["tilt_position"] = lambda v, s: b.publish(
        "tilt_command_topic", _unscaled(_num(v), low, high), "tilt_command_template", name="tilt_position")
    if abs(high - low) < 100:
        b.part.lossy.add("tilt_position")


_VACUUM_COMMANDS: tuple[tuple[str, str, str, str], ...] = (
    ("start", "payload_start", "start", "start"), ("pause", "payload_pause", "pause", "pause"),
    ("stop", "payload_stop", "stop", "stop"),
    ("return_to_base", "payload_return_to_base", "return_to_base", "return_home"),
)
_VACUUM_DEFAULT_FEATURES = ("start", "stop", "return_home", "status", "clean_spot")


def vacuum_part(entity: Entity) -> Part:
    """A vacuum of the state schema: JSON state (``state``, ``battery_level``), command payloads."""
    b = _Builder(entity)
    states = enum_map("vacuum_state", ("docked", "cleaning", "paused", "returning", "idle", "error"))
    battery = reading("battery", "%")

    def read(raw: object) -> Mapping[str, Value]:
        if not isinstance(raw, dict):
            return {}
        out: dict[str, Value] = {}
        if states and (state := states.read(raw.get("state"))):
            out["vacuum_state"] = state
        if (level := battery(raw.get("battery_level"))) is not None:
            out["battery"] = level
        return out
    topic = entity.text("state_topic")
    if topic is not None:
        b.part.readers.append(Reader(topic, frozenset({"vacuum_state", "battery"}),
                                     lambda p: dict(read(p.json))))
        b.part.fallback.add("battery")
    features = set(entity.strings("supported_features") or _VACUUM_DEFAULT_FEATURES)
    for command, key, default, feature in _VACUUM_COMMANDS:
        if feature in features and entity.text("command_topic"):
            payload = b.payload(key, default)
            b.part.actions[("vacuum", command)] = (
                lambda p: lambda c, s: b.publish("command_topic", p))(payload)
    return b.done()


PRIMARY_BUILDERS: Mapping[str, Callable[[Entity], Part]] = {
    "light": light_part, "climate": climate_part, "water_heater": water_heater_part,
    "humidifier": humidifier_part, "fan": fan_part, "cover": cover_part, "lock": lock_part,
    "valve": valve_part, "vacuum": vacuum_part,
}
"""Builders of the components whose attributes are fixed by the component itself."""

