"""The base of every simulated appliance: its state, its room, immediate command effects, defaults.

A behaviour owns the reported state of one device (a plain dict of attribute values). The simulation calls
:meth:`Behaviour.command` with a validated command, :meth:`Behaviour.step` with the seconds that passed,
and :meth:`Behaviour.sync` to copy the room's readings into the device. Subclasses (one module per
family: ``basic``, ``climate``, ``appliances``, ``robots``, ``vehicle``, ``covers``) change what a
command or the passing time does.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field

from jipsa.adapters.virtual.environment import READINGS, Ambient, Room
from jipsa.core.capabilities import Attribute, Value, ValueKind
from jipsa.core.devices import Device
from jipsa.core.messages import Command
from jipsa.core.validation import command_effects

_PREFERRED: Mapping[str, Value] = {
    "on": False, "brightness": 100, "color_temp": 4000, "color": "white", "target_temperature": 24.0,
    "hvac_mode": "cool", "fan_speed": "auto", "mode": "auto", "target_humidity": 50, "position": 0,
    "locked": True, "valve_open": False, "operation_state": "idle", "remaining_minutes": None,
    "program": "standard", "vacuum_state": "docked", "volume": 10, "muted": False, "channel": 1,
    "input": "tv", "playing": False, "fridge_temperature": 3, "freezer_temperature": -18,
    "door_open": False, "power": 0.0, "battery": 100, "active": False, "engine_on": False,
    "climate_on": False, "cabin_temperature": 20.0, "climate_target": 22.0, "fuel_percent": 80,
    "range_km": 400,
}
"""What an attribute starts as when neither the home file nor the stored state says."""


def default_value(attr: Attribute) -> Value:
    """A sensible starting value for ``attr``, inside the device's (possibly narrowed) range."""
    preferred = _PREFERRED.get(attr.name)
    if attr.kind is ValueKind.ENUM:
        return preferred if preferred in attr.values else attr.values[0]
    if attr.kind is ValueKind.BOOL:
        return bool(preferred)
    if attr.kind is ValueKind.STRING:
        return preferred if isinstance(preferred, str) else ""
    if preferred is None and attr.nullable:
        return None
    number = float(preferred) if isinstance(preferred, int | float) else 0.0
    if attr.minimum is not None:
        number = max(number, attr.minimum)
    if attr.maximum is not None:
        number = min(number, attr.maximum)
    return attr.coerce(number)


@dataclass(slots=True)
class World:
    """What every behaviour shares: the rooms, the ambient and the randomness."""

    ambient: Ambient
    """Where rooms drift back to."""
    rng: random.Random | None = None
    """Source of small variations; ``None`` keeps the simulation deterministic."""
    rooms: dict[str, Room] = field(default_factory=dict)
    """Rooms by area id (a device with no area has a room of its own, keyed ``device:<id>``)."""
    indoor: set[str] = field(default_factory=set)
    """Keys of the rooms inside the home (not a parking space holding only the car)."""

    def room_for(self, device: Device) -> Room:
        """The room the device stands in."""
        return self.rooms[room_key(device)]

    def indoor_rooms(self) -> list[Room]:
        """The rooms the home's heating reaches."""
        return [room for key, room in self.rooms.items() if key in self.indoor]

    def jitter(self, spread: float) -> float:
        """A factor around 1 (``1 ± spread``), or exactly 1 without randomness."""
        return 1.0 if self.rng is None else 1.0 + self.rng.uniform(-spread, spread)


def room_key(device: Device) -> str:
    """Which room a device belongs to."""
    return device.area if device.area is not None else f"device:{device.id}"


class Behaviour:
    """A device whose commands take effect at once and that does nothing on its own.

    Subclasses override :meth:`command` and :meth:`step`; they read and write ``state`` through
    :meth:`get` and :meth:`set`, which ignore attributes the device does not have.
    """

    turns_on: frozenset[str] = frozenset()
    """Commands that also switch the device on (``set_brightness`` on a light that is off)."""

    def __init__(self, device: Device, state: dict[str, Value], world: World) -> None:
        self.device = device
        """The device as the home knows it."""
        self.state = state
        """Its reported state, attribute by attribute; the simulation diffs it to make reports."""
        self.world = world
        """The rooms and randomness it shares with the others."""
        self.room = world.room_for(device)
        """The air around it."""
        self._readings = tuple(q for q in READINGS if device.attribute(q) is not None)

    def has(self, name: str) -> bool:
        """Whether the device has the attribute."""
        return self.device.attribute(name) is not None

    def get(self, name: str) -> Value:
        """The attribute's current value (``None`` when missing)."""
        return self.state.get(name)

    def set(self, name: str, value: Value) -> None:
        """Set the attribute if the device has it."""
        if self.device.attribute(name) is not None:
            self.state[name] = value

    def number(self, name: str, default: float = 0.0) -> float:
        """The attribute as a float (``default`` when missing or not a number)."""
        value = self.state.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        return default

    @property
    def is_on(self) -> bool:
        """Whether it is switched on (a device without ``on_off`` always is)."""
        return bool(self.state.get("on", True)) if self.has("on") else True

    def command(self, command: Command) -> None:
        """Carry out a validated command."""
        effects = command_effects(self.device, command, self.state)
        if command.command in self.turns_on:
            effects.setdefault("on", True)
        for name, value in effects.items():
            self.set(name, value)

    def step(self, seconds: float) -> None:
        """Let ``seconds`` of simulated time pass (the simulation keeps each step short)."""

    def sync(self) -> None:
        """Copy the room's temperature, humidity and dust into the attributes that measure them."""
        for quantity in self._readings:
            self.state[quantity] = self.room.reading(quantity)
