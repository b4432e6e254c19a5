"""The family car, reached remotely: remote engine start, cabin climate, fuel, range and door locks."""

from __future__ import annotations

from jipsa.adapters.virtual.behaviour import Behaviour, World
from jipsa.adapters.virtual.environment import relax, toward
from jipsa.core.capabilities import Value
from jipsa.core.devices import Device
from jipsa.core.messages import Command

REMOTE_MINUTES = 10.0
"""A remotely started engine or climate switches itself off after this long, as real cars do."""
CABIN_RATE = 0.5 / 60
"""°C per second the climate moves the cabin towards its target."""
CABIN_RELAX_S = 2 * 3600.0
"""Time constant of a parked cabin following the outside temperature."""
FUEL_PER_MINUTE = 0.05
"""Fuel percent an idling engine burns each minute."""


class Vehicle(Behaviour):
    """A car.

    ``start_engine`` runs the engine and the climate system for at most :data:`REMOTE_MINUTES`;
    ``start_climate`` runs only the climate for as long. While either runs, the cabin moves towards
    ``climate_target``; otherwise it drifts towards the outside temperature. An idling engine burns fuel,
    and the range follows the fuel. Locks act at once.
    """

    def __init__(self, device: Device, state: dict[str, Value], world: World) -> None:
        super().__init__(device, state, world)
        self._cabin = self.number("cabin_temperature", 20.0)
        self._fuel = self.number("fuel_percent", 80.0)
        fuel = max(self._fuel, 1.0)
        self._km_per_percent = self.number("range_km", fuel * 5.0) / fuel
        self._engine_left = REMOTE_MINUTES * 60 if self.get("engine_on") else 0.0
        self._climate_left = REMOTE_MINUTES * 60 if self.get("climate_on") else 0.0

    def command(self, command: Command) -> None:
        super().command(command)
        name = command.command
        if name == "start_engine":
            self._engine_left = REMOTE_MINUTES * 60
        elif name == "stop_engine":
            self._engine_left = 0.0
        elif name == "start_climate":
            self._climate_left = REMOTE_MINUTES * 60
        elif name == "stop_climate":
            self._climate_left = 0.0

    def step(self, seconds: float) -> None:
        engine = self._engine_left if self.get("engine_on") else 0.0
        climate = self._climate_left if self.get("climate_on") else 0.0
        conditioned = min(seconds, max(engine, climate))
        target = self.number("climate_target", 22.0)
        self._cabin = toward(self._cabin, target, CABIN_RATE * conditioned)
        self._cabin = relax(self._cabin, self.room["temperature"], CABIN_RELAX_S, seconds - conditioned)
        burning = min(seconds, engine)
        self._fuel = max(0.0, self._fuel - FUEL_PER_MINUTE * burning / 60)
        self._engine_left = max(0.0, engine - seconds)
        self._climate_left = max(0.0, climate - seconds)
        if self.get("engine_on") and self._engine_left <= 0:
            self.set("engine_on", False)
        if self.get("climate_on") and self._climate_left <= 0:
            self.set("climate_on", False)
        self.set("cabin_temperature", round(self._cabin, 1))
        self.set("fuel_percent", round(self._fuel))
        self.set("range_km", round(self._fuel * self._km_per_percent))
