"""Appliances whose commands act at once: lights, switches, fans, plugs, TVs, speakers, locks, valves,
and the sensors that only report.
"""

from __future__ import annotations

from jipsa.adapters.virtual.behaviour import Behaviour, World
from jipsa.core.capabilities import Value
from jipsa.core.devices import Device, DeviceClass, DeviceType
from jipsa.core.messages import Command


class Light(Behaviour):
    """A light: changing brightness, colour temperature or colour also switches it on, as in Home
    Assistant."""

    turns_on = frozenset({"set_brightness", "set_color_temperature", "set_color"})


class Fan(Behaviour):
    """A fan (or a plain switch): choosing a speed switches it on."""

    turns_on = frozenset({"set_fan_speed"})


PLUG_LOAD_W = 60.0
"""What a virtual plug's load draws when on (a lamp, a laptop charger)."""


class Plug(Behaviour):
    """A smart plug: draws power while on, with a little wander from minute to minute."""

    def __init__(self, device: Device, state: dict[str, Value], world: World) -> None:
        super().__init__(device, state, world)
        self._until_wander = 60.0
        self._factor = 1.0
        self._update_power()

    def command(self, command: Command) -> None:
        super().command(command)
        self._update_power()

    def step(self, seconds: float) -> None:
        self._until_wander -= seconds
        if self._until_wander <= 0:
            self._until_wander = 60.0
            self._factor = self.world.jitter(0.03)
        self._update_power()

    def _update_power(self) -> None:
        self.set("power", round(PLUG_LOAD_W * self._factor, 1) if self.is_on else 0.0)


class Media(Behaviour):
    """A TV or speaker: volume, mute, channel and input at once; a TV plays as soon as it is on, and
    switching either off stops playback."""

    def command(self, command: Command) -> None:
        super().command(command)
        if command.command == "turn_off":
            self.set("playing", False)
        elif command.command == "turn_on" and self.device.type is DeviceType.TV:
            self.set("playing", True)


MOTION_HOLD_S = 60.0
"""How long a motion sensor stays active after it last saw movement (Aqara's default)."""


class BinarySensor(Behaviour):
    """A binary sensor: reports only; a motion sensor falls back to inactive a minute after a trigger."""

    def __init__(self, device: Device, state: dict[str, Value], world: World) -> None:
        super().__init__(device, state, world)
        self._hold: float | None = None

    def set_active(self, active: bool) -> None:
        """What the sensor senses now (movement, an open window, a leak)."""
        self.set("active", active)
        clears = self.device.device_class in (DeviceClass.MOTION, DeviceClass.VIBRATION)
        self._hold = MOTION_HOLD_S if active and clears else None

    def step(self, seconds: float) -> None:
        if self._hold is None:
            return
        self._hold -= seconds
        if self._hold <= 0:
            self._hold = None
            self.set("active", False)
