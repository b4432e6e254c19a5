"""The capability catalogue: what a device can report and what it can be told to do.

A capability (``on_off``, ``target_temperature``, ``operation`` …) groups typed attributes (with range,
step, unit or enum values) and the commands that change them. Capability and attribute identifiers are
stable wire strings. A device type gives default capabilities (see ``devices``); a device may narrow an
attribute's range or enum values in the home file.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

Value = bool | int | float | str | None
"""A value of an attribute or a command argument, as it crosses the wire."""


class ValueKind(StrEnum):
    """The type of an attribute or command parameter."""

    BOOL = "bool"
    INT = "int"
    FLOAT = "float"
    ENUM = "enum"
    STRING = "string"


@dataclass(frozen=True, slots=True)
class Attribute:
    """One typed value of a capability: a reading, a setting, or both."""

    name: str
    """Stable wire name, e.g. ``target_temperature``."""
    kind: ValueKind
    """The value's type."""
    minimum: float | None = None
    """Smallest allowed value (numbers only)."""
    maximum: float | None = None
    """Largest allowed value (numbers only)."""
    step: float | None = None
    """Granularity of settable values (numbers only); ``None`` means any value in range."""
    unit: str | None = None
    """Unit of the value: ``°C``, ``%``, ``min``, ``µg/m³`` …"""
    values: tuple[str, ...] = ()
    """Allowed values of an enum, in a meaningful order (weakest to strongest for levels)."""
    writable: bool = False
    """Whether a command can set it (a reading such as a measured temperature is not)."""
    nullable: bool = False
    """Whether ``None`` is a valid value (e.g. no remaining time when a washer is idle)."""

    def __post_init__(self) -> None:
        if self.kind is ValueKind.ENUM and not self.values:
            raise ValueError(f"enum attribute {self.name!r} needs values")
        for label, bound in (("minimum", self.minimum), ("maximum", self.maximum)):
            # NaN compares false with everything, so a NaN bound would silently accept any value.
            if bound is not None and (isinstance(bound, bool) or not math.isfinite(bound)):
                raise ValueError(f"attribute {self.name!r}: {label} must be a finite number")
        if self.step is not None and (isinstance(self.step, bool) or not math.isfinite(self.step)
                                      or self.step <= 0):
            raise ValueError(f"attribute {self.name!r}: step must be a positive number")
        if (self.minimum is not None and self.maximum is not None
                and self.minimum > self.maximum):
            raise ValueError(f"attribute {self.name!r}: minimum above maximum")

    def narrowed(self, *, minimum: float | None = None, maximum: float | None = None,
                 step: float | None = None, values: tuple[str, ...] | None = None) -> Attribute:
        """A copy with a narrower range or fewer enum values; widening is refused."""
        numeric = self.kind in (ValueKind.INT, ValueKind.FLOAT)
        if not numeric and (minimum is not None or maximum is not None or step is not None):
            raise ValueError(f"{self.name}: only a number has a range or a step")
        if values is not None and self.kind is not ValueKind.ENUM:
            raise ValueError(f"{self.name}: only a list of choices can be narrowed to fewer values")
        for label, number in (("minimum", minimum), ("maximum", maximum), ("step", step)):
            if number is not None and (isinstance(number, bool) or not math.isfinite(number)):
                raise ValueError(f"{self.name}: {label} must be a finite number")
        lo = self.minimum if minimum is None else minimum
        hi = self.maximum if maximum is None else maximum
        if self.minimum is not None and lo is not None and lo < self.minimum:
            raise ValueError(f"{self.name}: minimum {lo} is below the catalogue's {self.minimum}")
        if self.maximum is not None and hi is not None and hi > self.maximum:
            raise ValueError(f"{self.name}: maximum {hi} is above the catalogue's {self.maximum}")
        if values is not None:
            unknown = [v for v in values if v not in self.values]
            if unknown:
                raise ValueError(f"{self.name}: unknown values {unknown}; known: {list(self.values)}")
            if not values:
                raise ValueError(f"{self.name}: at least one value is needed")
        if self.step and step is not None and not _on_grid(step / self.step, 1):
            # A finer step would let the device accept values the catalogue refuses.
            raise ValueError(f"{self.name}: step {_fmt(step)} is not a multiple of the catalogue's "
                             f"{_fmt(self.step)}")
        if self.step and minimum is not None and self.minimum is not None and not _on_grid(
                (minimum - self.minimum) / self.step, 0):
            raise ValueError(f"{self.name}: minimum {_fmt(minimum)} is off the catalogue's "
                             f"{_fmt(self.step)} steps")
        return replace(self, minimum=lo, maximum=hi, step=self.step if step is None else step,
                       values=self.values if values is None else values)

    def describe_allowed(self) -> str:
        """The allowed range or values, for messages (``18–30 °C``, ``low, medium, high``)."""
        if self.kind is ValueKind.ENUM:
            return ", ".join(self.values)
        if self.kind is ValueKind.BOOL:
            return "true, false"
        if self.minimum is not None and self.maximum is not None:
            unit = f" {self.unit}" if self.unit else ""
            return f"{_fmt(self.minimum)}–{_fmt(self.maximum)}{unit}"
        return self.kind.value

    def check(self, value: object) -> str | None:
        """Why ``value`` is not valid here (an English reason code), or ``None`` when it is."""
        if value is None:
            return None if self.nullable else "null"
        if self.kind is ValueKind.BOOL:
            return None if isinstance(value, bool) else "type"
        if self.kind in (ValueKind.INT, ValueKind.FLOAT):
            if isinstance(value, bool) or not isinstance(value, int | float):
                return "type"
            if self.kind is ValueKind.INT and isinstance(value, float) and not value.is_integer():
                return "type"
            if isinstance(value, float) and not math.isfinite(value):
                return "type"
            if self.minimum is not None and value < self.minimum:
                return "range"
            if self.maximum is not None and value > self.maximum:
                return "range"
            if self.step and self.minimum is not None and not _on_grid(
                    (value - self.minimum) / self.step, 0):
                return "step"
            return None
        if self.kind is ValueKind.ENUM:
            return None if isinstance(value, str) and value in self.values else "enum"
        return None if isinstance(value, str) else "type"

    def coerce(self, value: Value) -> Value:
        """The canonical Python form of a valid value (``24.0`` → ``24`` for an int attribute)."""
        if self.kind is ValueKind.INT and isinstance(value, float):
            return int(value)
        if self.kind is ValueKind.FLOAT and isinstance(value, int | float) and not isinstance(value, bool):
            value = float(value)
            if self.step and self.minimum is not None and math.isfinite(value):
                # `check` accepts a value within rounding of the grid (24.500000001); store the grid point.
                ratio = (value - self.minimum) / self.step
                if _on_grid(ratio, 0) and ratio != round(ratio):
                    return round(self.minimum + round(ratio) * self.step, 9)
            return value
        return value


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _on_grid(ratio: float, minimum_steps: int) -> bool:
    """Whether ``ratio`` is a whole number (within rounding) of at least ``minimum_steps``."""
    return abs(ratio - round(ratio)) <= 1e-6 and round(ratio) >= minimum_steps


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """A command of a capability and the attributes its parameters set."""

    name: str
    """Stable wire name, e.g. ``set_temperature``."""
    params: tuple[tuple[str, str], ...] = ()
    """``(parameter name, attribute name)`` pairs: each parameter is validated as that attribute."""
    sets: tuple[tuple[str, Value], ...] = ()
    """Attribute values the command sets with no parameter (``turn_on`` sets ``on`` to true)."""
    optional: tuple[str, ...] = ()
    """Parameters that may be left out."""


@dataclass(frozen=True, slots=True)
class Capability:
    """A named group of attributes and commands."""

    id: str
    """Stable wire name, e.g. ``on_off``."""
    attributes: tuple[Attribute, ...]
    """The attributes, settings and readings alike."""
    commands: tuple[CommandSpec, ...] = ()
    """The commands; empty for a capability that only reports."""
    _attr_index: Mapping[str, Attribute] = field(init=False, repr=False, compare=False)
    _cmd_index: Mapping[str, CommandSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_attr_index", {a.name: a for a in self.attributes})
        object.__setattr__(self, "_cmd_index", {c.name: c for c in self.commands})
        for cmd in self.commands:
            for _param, attr in cmd.params:
                if attr not in self._attr_index:
                    raise ValueError(f"{self.id}.{cmd.name}: unknown attribute {attr!r}")

    def attribute(self, name: str) -> Attribute | None:
        """The attribute called ``name``, if this capability has it."""
        return self._attr_index.get(name)

    def command(self, name: str) -> CommandSpec | None:
        """The command called ``name``, if this capability has it."""
        return self._cmd_index.get(name)


# One-letter kinds keep the catalogue table readable.
B, I, F, E, S = ValueKind.BOOL, ValueKind.INT, ValueKind.FLOAT, ValueKind.ENUM, ValueKind.STRING  # noqa: E741


def _set(name: str, attr: str, param: str | None = None) -> CommandSpec:
    return CommandSpec(name, params=((param or attr, attr),))


CAPABILITIES: tuple[Capability, ...] = (
    Capability("on_off", (Attribute("on", B, writable=True),), (
        CommandSpec("turn_on", sets=(("on", True),)),
        CommandSpec("turn_off", sets=(("on", False),)),
        CommandSpec("toggle"),
    )),
    Capability("brightness", (Attribute("brightness", I, 1, 100, 1, "%", writable=True),), (
        _set("set_brightness", "brightness"),
    )),
    Capability("color_temperature", (
        Attribute("color_temp", I, 2000, 6500, 1, "K", writable=True),), (
        _set("set_color_temperature", "color_temp"),
    )),
    Capability("color", (Attribute("color", E, values=(
        "white", "warm_white", "red", "orange", "yellow", "green", "blue", "purple", "pink"),
        writable=True),), (
        _set("set_color", "color"),
    )),
    Capability("target_temperature", (
        Attribute("target_temperature", F, 5, 80, 0.5, "°C", writable=True),), (
        _set("set_temperature", "target_temperature", "temperature"),
    )),
    Capability("hvac_mode", (Attribute("hvac_mode", E, values=(
        "cool", "heat", "dry", "fan_only", "auto"), writable=True),), (
        _set("set_hvac_mode", "hvac_mode"),
    )),
    Capability("fan_speed", (Attribute("fan_speed", E, values=(
        "low", "medium", "high", "turbo", "auto"), writable=True),), (
        _set("set_fan_speed", "fan_speed"),
    )),
    Capability("mode", (Attribute("mode", E, values=(
        "auto", "sleep", "turbo", "eco", "heating", "away", "hot_water", "quiet", "normal"),
        writable=True),), (
        _set("set_mode", "mode"),
    )),
    Capability("oscillation", (Attribute("oscillating", B, writable=True),), (
        CommandSpec("oscillate_on", sets=(("oscillating", True),)),
        CommandSpec("oscillate_off", sets=(("oscillating", False),)),
    )),
    Capability("swing", (Attribute("swing_mode", E, values=("off", "on", "vertical", "horizontal", "both"),
                                   writable=True),), (
        _set("set_swing_mode", "swing_mode"),
    )),
    Capability("target_humidity", (
        Attribute("target_humidity", I, 30, 80, 5, "%", writable=True),), (
        _set("set_humidity", "target_humidity", "humidity"),
    )),
    Capability("position", (Attribute("position", I, 0, 100, 1, "%", writable=True),), (
        CommandSpec("open", sets=(("position", 100),)),
        CommandSpec("close", sets=(("position", 0),)),
        CommandSpec("stop"),
        _set("set_position", "position"),
    )),
    Capability("tilt", (Attribute("tilt_position", I, 0, 100, 1, "%", writable=True),), (
        CommandSpec("open_tilt", sets=(("tilt_position", 100),)),
        CommandSpec("close_tilt", sets=(("tilt_position", 0),)),
        _set("set_tilt_position", "tilt_position"),
    )),
    Capability("lock", (Attribute("locked", B, writable=True),), (
        CommandSpec("lock", sets=(("locked", True),)),
        CommandSpec("unlock", sets=(("locked", False),)),
    )),
    Capability("valve", (Attribute("valve_open", B, writable=True),), (
        CommandSpec("open_valve", sets=(("valve_open", True),)),
        CommandSpec("close_valve", sets=(("valve_open", False),)),
    )),
    Capability("operation", (
        Attribute("operation_state", E, values=("idle", "running", "paused", "finished")),
        Attribute("remaining_minutes", I, 0, 1440, 1, "min", nullable=True),
        Attribute("program", E, values=(
            "standard", "quick", "heavy", "delicate", "eco", "rinse", "dry", "espresso", "americano"),
            writable=True),
    ), (
        CommandSpec("start"),
        CommandSpec("pause"),
        CommandSpec("stop"),
        _set("set_program", "program"),
    )),
    Capability("vacuum", (
        Attribute("vacuum_state", E, values=("docked", "cleaning", "paused", "returning", "idle")),
    ), (
        CommandSpec("start"),
        CommandSpec("pause"),
        CommandSpec("stop"),
        CommandSpec("return_to_base"),
    )),
    Capability("media", (
        Attribute("volume", I, 0, 100, 1, "%", writable=True),
        Attribute("muted", B, writable=True),
        Attribute("channel", I, 1, 999, 1, writable=True),
        Attribute("input", E, values=("tv", "hdmi1", "hdmi2", "hdmi3", "usb", "bluetooth"),
                  writable=True),
        Attribute("playing", B),
    ), (
        _set("set_volume", "volume"),
        CommandSpec("mute", sets=(("muted", True),)),
        CommandSpec("unmute", sets=(("muted", False),)),
        _set("set_channel", "channel"),
        _set("set_input", "input"),
        CommandSpec("play", sets=(("playing", True),)),
        CommandSpec("pause", sets=(("playing", False),)),
    )),
    Capability("refrigeration", (
        Attribute("fridge_temperature", I, 0, 7, 1, "°C", writable=True),
        Attribute("freezer_temperature", I, -24, -14, 1, "°C", writable=True),
        Attribute("door_open", B),
    ), (
        _set("set_fridge_temperature", "fridge_temperature", "temperature"),
        _set("set_freezer_temperature", "freezer_temperature", "temperature"),
    )),
    Capability("temperature_measurement", (Attribute("temperature", F, -40, 100, None, "°C"),)),
    Capability("humidity_measurement", (Attribute("humidity", F, 0, 100, None, "%"),)),
    Capability("air_quality", (
        Attribute("pm25", I, 0, 1000, 1, "µg/m³"),
        Attribute("pm10", I, 0, 1000, 1, "µg/m³"),
    )),
    Capability("power_measurement", (Attribute("power", F, 0, 100000, None, "W"),)),
    Capability("battery", (Attribute("battery", I, 0, 100, 1, "%"),)),
    Capability("binary_sensor", (Attribute("active", B),)),
    Capability("vehicle", (
        Attribute("engine_on", B, writable=True),
        Attribute("climate_on", B, writable=True),
        Attribute("cabin_temperature", F, -40, 80, None, "°C"),
        Attribute("climate_target", F, 16, 30, 0.5, "°C", writable=True),
        Attribute("fuel_percent", I, 0, 100, 1, "%"),
        Attribute("range_km", I, 0, 2000, 1, "km"),
    ), (
        CommandSpec("start_engine", sets=(("engine_on", True),)),
        CommandSpec("stop_engine", sets=(("engine_on", False),)),
        CommandSpec("start_climate", params=(("temperature", "climate_target"),),
                    sets=(("climate_on", True),), optional=("temperature",)),
        CommandSpec("stop_climate", sets=(("climate_on", False),)),
    )),
)

CATALOGUE: Mapping[str, Capability] = {cap.id: cap for cap in CAPABILITIES}
"""Every capability by id."""


def capability(capability_id: str) -> Capability:
    """The catalogue's capability ``capability_id``; ``KeyError`` for an unknown one."""
    return CATALOGUE[capability_id]


ATTRIBUTE_OWNER: Mapping[str, str] = {
    attr.name: cap.id for cap in CAPABILITIES for attr in cap.attributes
}
"""Which capability each attribute name belongs to (attribute names are unique in the catalogue)."""

if len(ATTRIBUTE_OWNER) != sum(len(c.attributes) for c in CAPABILITIES):  # pragma: no cover
    raise RuntimeError("attribute names in the catalogue must be unique")
