"""Motorised covers: curtains, blinds, shades, garage doors and gates that travel to a position."""

from __future__ import annotations

from collections.abc import Mapping

from jipsa.adapters.virtual.behaviour import Behaviour, World
from jipsa.adapters.virtual.environment import toward
from jipsa.core.capabilities import Value
from jipsa.core.devices import Device, DeviceClass
from jipsa.core.messages import Command

TRAVEL_SECONDS: Mapping[DeviceClass | None, float] = {
    DeviceClass.CURTAIN: 10.0, DeviceClass.BLIND: 15.0, DeviceClass.SHADE: 15.0,
    DeviceClass.GARAGE: 20.0, DeviceClass.GATE: 20.0, None: 10.0,
}
"""Seconds a cover of each class takes from fully closed to fully open."""


class Cover(Behaviour):
    """A cover: ``open``, ``close`` and ``set_position`` start it travelling at a steady speed, the
    reported position following every step; ``stop`` halts it where it is."""

    def __init__(self, device: Device, state: dict[str, Value], world: World) -> None:
        super().__init__(device, state, world)
        self._position = self.number("position", 0.0)
        self._target = self._position
        travel = TRAVEL_SECONDS.get(device.device_class, TRAVEL_SECONDS[None])
        self._speed = 100.0 / travel

    @property
    def moving(self) -> bool:
        """Whether it is travelling."""
        return self._position != self._target

    def command(self, command: Command) -> None:
        if command.capability != "position":
            super().command(command)
        elif command.command == "stop":
            self._target = self._position = float(round(self._position))
            self.set("position", round(self._position))
        else:
            before = self.get("position")
            super().command(command)
            self._target = self.number("position", self._position)
            self.set("position", before)  # it only gets there by travelling

    def step(self, seconds: float) -> None:
        if not self.moving:
            return
        self._position = toward(self._position, self._target, self._speed * seconds)
        self.set("position", round(self._position))
