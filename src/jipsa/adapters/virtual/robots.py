"""The robot vacuum: cleans on its battery, returns to its dock when done or running low, charges there."""

from __future__ import annotations

from jipsa.adapters.virtual.behaviour import Behaviour, World
from jipsa.core.capabilities import Value
from jipsa.core.devices import Device
from jipsa.core.messages import Command

CLEANING_MINUTES = 40.0
"""How long a cleaning run of an apartment takes."""
RETURN_MINUTES = 3.0
"""How long the way back to the dock takes."""
DRAIN_PER_MINUTE = 1.0
"""Battery percent used per minute of cleaning or travelling."""
CHARGE_PER_MINUTE = 0.8
"""Battery percent gained per minute on the dock (an empty battery is full in about two hours)."""
LOW_BATTERY = 15.0
"""Battery percent at which it gives up cleaning and heads home."""


class RobotVacuum(Behaviour):
    """A robot vacuum.

    ``start`` cleans (resuming a paused or stopped run), draining the battery; after
    :data:`CLEANING_MINUTES` or at :data:`LOW_BATTERY` it is ``returning``, then ``docked`` and charging.
    ``return_to_base`` sends it home, ``pause`` holds it where it is, ``stop`` ends the run (``idle``).
    """

    def __init__(self, device: Device, state: dict[str, Value], world: World) -> None:
        super().__init__(device, state, world)
        self._battery = self.number("battery", 100.0)
        self._clean_left: float | None = None
        self._return_left = 0.0
        phase = self.get("vacuum_state")
        if phase in ("cleaning", "paused"):
            self._clean_left = CLEANING_MINUTES * 60
        elif phase == "returning":
            self._return_left = RETURN_MINUTES * 60

    def command(self, command: Command) -> None:
        name, phase = command.command, self.get("vacuum_state")
        if name == "start":
            if phase in ("docked", "returning") or self._clean_left is None:
                self._clean_left = CLEANING_MINUTES * 60 * self.world.jitter(0.1)
            self._phase("cleaning")
        elif name == "pause" and phase in ("cleaning", "returning"):
            self._phase("paused")
        elif name == "stop" and phase != "docked":
            self._clean_left = None
            self._phase("idle")
        elif name == "return_to_base" and phase not in ("docked", "returning"):
            self._go_home()
        elif command.capability != "vacuum":
            super().command(command)

    def step(self, seconds: float) -> None:
        left = seconds
        while left > 0:
            phase = self.get("vacuum_state")
            if phase == "cleaning":
                until_low = max(0.0, (self._battery - LOW_BATTERY) / DRAIN_PER_MINUTE * 60)
                spent = min(left, self._clean_left or 0.0, until_low)
                self._drain(spent)
                self._clean_left = (self._clean_left or 0.0) - spent
                if self._clean_left <= 0 or self._battery <= LOW_BATTERY:
                    self._go_home()
            elif phase == "returning":
                spent = min(left, self._return_left)
                self._drain(spent)
                self._return_left -= spent
                if self._return_left <= 0:
                    self._phase("docked")
            else:
                if phase == "docked":
                    self._battery = min(100.0, self._battery + CHARGE_PER_MINUTE * left / 60)
                spent = left
            left -= spent
        self.set("battery", round(self._battery))

    def _go_home(self) -> None:
        self._clean_left = None
        self._return_left = RETURN_MINUTES * 60
        self._phase("returning")

    def _drain(self, seconds: float) -> None:
        self._battery = max(0.0, self._battery - DRAIN_PER_MINUTE * seconds / 60)

    def _phase(self, phase: str) -> None:
        self.set("vacuum_state", phase)
