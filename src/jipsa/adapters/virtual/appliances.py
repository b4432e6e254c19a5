"""Kitchen and laundry appliances: machines that run a timed cycle (washer, dryer, dishwasher, coffee
machine) and refrigerators.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from jipsa.adapters.virtual.behaviour import Behaviour, World
from jipsa.adapters.virtual.environment import toward
from jipsa.core.capabilities import Value
from jipsa.core.devices import Device, DeviceType
from jipsa.core.messages import Command

CYCLE_MINUTES: Mapping[DeviceType, Mapping[str, float]] = {
    DeviceType.WASHER: {"standard": 60, "quick": 30, "heavy": 90, "delicate": 50, "rinse": 20,
                        "eco": 75, "dry": 120},
    DeviceType.DRYER: {"standard": 80, "quick": 40, "delicate": 60, "heavy": 100, "eco": 110, "dry": 80},
    DeviceType.DISHWASHER: {"standard": 120, "quick": 40, "heavy": 150, "eco": 180, "delicate": 90,
                            "rinse": 15},
    DeviceType.COFFEE_MACHINE: {"espresso": 1, "americano": 2},
}
"""How long a cycle runs, by appliance type and program, in minutes."""

_FALLBACK_MINUTES: Mapping[DeviceType, float] = {
    DeviceType.WASHER: 60, DeviceType.DRYER: 80, DeviceType.DISHWASHER: 120, DeviceType.COFFEE_MACHINE: 2}


def cycle_minutes(device_type: DeviceType, program: Value) -> float:
    """The length of a cycle of ``program`` on this kind of appliance."""
    table = CYCLE_MINUTES.get(device_type, {})
    if isinstance(program, str) and program in table:
        return table[program]
    return _FALLBACK_MINUTES.get(device_type, 60)


class CycleAppliance(Behaviour):
    """A washer, dryer, dishwasher or coffee machine.

    ``start`` switches it on if needed and runs a cycle as long as its program (or resumes a paused
    one); ``remaining_minutes`` counts down each minute; at the end it is ``finished`` with 0 minutes
    left. ``pause`` holds the cycle, ``stop`` (or switching off) abandons it: ``idle``, no remaining time.
    """

    def __init__(self, device: Device, state: dict[str, Value], world: World) -> None:
        super().__init__(device, state, world)
        self._left: float | None = None
        if state.get("operation_state") in ("running", "paused"):
            remaining = state.get("remaining_minutes")
            minutes = (float(remaining) if isinstance(remaining, int | float) and remaining > 0
                       else cycle_minutes(device.type, state.get("program")))
            self._left = minutes * 60
            self._show()

    def command(self, command: Command) -> None:
        name = command.command
        if command.capability == "operation" and name == "start":
            self.set("on", True)
            phase = self.get("operation_state")
            if phase == "paused" and self._left is not None:
                self.set("operation_state", "running")
            elif phase != "running" or self._left is None:
                self._left = cycle_minutes(self.device.type, self.get("program")) * 60
                self.set("operation_state", "running")
                self._show()
        elif command.capability == "operation" and name == "pause":
            if self.get("operation_state") == "running":
                self.set("operation_state", "paused")
        elif command.capability == "operation" and name == "stop":
            self._reset()
        else:
            super().command(command)
            if not self.is_on:
                self._reset()

    def step(self, seconds: float) -> None:
        if self.get("operation_state") != "running" or self._left is None:
            return
        self._left -= seconds
        if self._left <= 0:
            self._left = None
            self.set("operation_state", "finished")
            self.set("remaining_minutes", 0)
        else:
            self._show()

    def _show(self) -> None:
        if self._left is not None:
            self.set("remaining_minutes", max(1, math.ceil(self._left / 60 - 1e-9)))

    def _reset(self) -> None:
        self._left = None
        self.set("operation_state", "idle")
        self.set("remaining_minutes", None)


_COMPARTMENTS: Mapping[str, tuple[float, float, float]] = {
    # attribute: (°C/min warming with the door open, °C/min recovery when closed, °C/min warming when off)
    "fridge_temperature": (0.5, 0.25, 0.05),
    "freezer_temperature": (0.8, 0.3, 0.08),
}


class Refrigerator(Behaviour):
    """A refrigerator: each compartment warms while the door is open and cools back to its setpoint once
    it is closed; switched off, it slowly takes the kitchen's temperature.

    The catalogue has one value per compartment, which a fridge's display shows: the setpoint when all is
    well, the warmer actual temperature after the door was left open. Setting it changes the setpoint.
    """

    def __init__(self, device: Device, state: dict[str, Value], world: World) -> None:
        super().__init__(device, state, world)
        self._setpoints = {name: self.number(name) for name in _COMPARTMENTS if self.has(name)}
        self._warmth = dict.fromkeys(self._setpoints, 0.0)

    def set_door(self, is_open: bool) -> None:
        """Open or close the door."""
        self.set("door_open", is_open)

    def command(self, command: Command) -> None:
        super().command(command)
        for name in self._setpoints:
            if name in self.state and command.command == f"set_{name}":
                self._setpoints[name] = self.number(name)
        self._show()

    def step(self, seconds: float) -> None:
        minutes = seconds / 60
        door_open = bool(self.get("door_open"))
        for name, (opened, recovery, off) in _COMPARTMENTS.items():
            if name not in self._setpoints:
                continue
            room_gap = max(0.0, self.room["temperature"] - self._setpoints[name])
            warmth = self._warmth[name]
            if door_open:
                warmth = toward(warmth, room_gap, opened * minutes)
            elif self.is_on:
                warmth = toward(warmth, 0.0, recovery * minutes)
            else:
                warmth = toward(warmth, room_gap, off * minutes)
            self._warmth[name] = warmth
        self._show()

    def _show(self) -> None:
        for name, setpoint in self._setpoints.items():
            self.state[name] = round(setpoint + self._warmth[name])
