"""The air the virtual appliances live in: one room per area, its temperature, humidity and dust.

Appliances act on a room (an air conditioner cools it, a purifier cleans it) and sensors read it, so a
temperature sensor sees what the air conditioner beside it does. With nothing acting, every room relaxes
towards the ambient values, as a closed apartment slowly follows the weather. All rates are per second of
simulated time; nothing here knows a clock.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from jipsa.core.capabilities import Value

READINGS: tuple[str, ...] = ("temperature", "humidity", "pm25", "pm10")
"""The attributes a room provides to every device in it that measures them."""

_FALLBACK: Mapping[str, float] = {"temperature": 24.0, "humidity": 50.0, "pm25": 15.0, "pm10": 30.0}
_RELAX_SECONDS: Mapping[str, float] = {
    "temperature": 12 * 3600.0, "humidity": 3 * 3600.0, "pm25": 4 * 3600.0, "pm10": 4 * 3600.0}
"""Time constants of the drift towards ambient: an apartment takes half a day to follow the weather,
its air a few hours to take back moisture and dust."""


@dataclass(frozen=True, slots=True)
class Ambient:
    """The values rooms drift back to when nothing acts on them."""

    temperature: float | None = 28.0
    """Outside temperature in °C (a Korean summer by default); ``None``: each room's starting value."""
    humidity: float | None = None
    """Relative humidity in %; ``None``: each room's starting value."""
    pm25: float | None = None
    """Fine dust in µg/m³; ``None``: each room's starting value."""
    pm10: float | None = None
    """Coarse dust in µg/m³; ``None``: each room's starting value."""

    def value(self, quantity: str) -> float | None:
        """The ambient value of one of :data:`READINGS`."""
        result: float | None = getattr(self, quantity)
        return result


class Room:
    """The air of one area (or of one device that has no area)."""

    __slots__ = ("baseline", "values")

    def __init__(self, values: Mapping[str, float], baseline: Mapping[str, float]) -> None:
        self.values: dict[str, float] = dict(values)
        """Current temperature, humidity, pm25 and pm10, as floats."""
        self.baseline: dict[str, float] = dict(baseline)
        """What each value relaxes towards."""

    @classmethod
    def from_readings(cls, readings: Iterable[Mapping[str, Value]], ambient: Ambient) -> Room:
        """A room whose values come from the first device reading each quantity, else from ``ambient``."""
        found: dict[str, float] = {}
        for state in readings:
            for quantity in READINGS:
                value = state.get(quantity)
                if quantity not in found and isinstance(value, int | float) and not isinstance(value, bool):
                    found[quantity] = float(value)
        values: dict[str, float] = {}
        baseline: dict[str, float] = {}
        for quantity in READINGS:
            outside = ambient.value(quantity)
            start = found.get(quantity, outside if outside is not None else _FALLBACK[quantity])
            values[quantity] = start
            baseline[quantity] = outside if outside is not None else start
        return cls(values, baseline)

    def __getitem__(self, quantity: str) -> float:
        return self.values[quantity]

    def drift(self, seconds: float) -> None:
        """Relax every value towards its baseline for ``seconds``."""
        for quantity, target in self.baseline.items():
            self.values[quantity] = relax(self.values[quantity], target, _RELAX_SECONDS[quantity], seconds)

    def push(self, quantity: str, target: float, rate: float, seconds: float, *,
             up: bool = True, down: bool = True) -> None:
        """Move ``quantity`` towards ``target`` at ``rate`` per second, never past it.

        ``up``/``down`` say which way the appliance can move it (a cooler only lowers the temperature).
        """
        current = self.values[quantity]
        if (current < target and not up) or (current > target and not down):
            return
        self.values[quantity] = toward(current, target, rate * seconds)

    def decay(self, quantity: str, floor: float, per_second: float, seconds: float) -> None:
        """Exponential decay towards ``floor`` (a purifier's filter removes a share of the dust)."""
        current = self.values[quantity]
        if current > floor:
            self.values[quantity] = floor + (current - floor) * math.exp(-per_second * seconds)

    def reading(self, quantity: str) -> Value:
        """The value a sensor reports: 0.1 °C, whole percent, whole µg/m³."""
        value = self.values[quantity]
        if quantity == "temperature":
            return round(value, 1)
        if quantity == "humidity":
            return float(round(value))
        return round(value)


def toward(value: float, target: float, max_step: float) -> float:
    """``value`` moved towards ``target`` by at most ``max_step``, never past it."""
    if value < target:
        return min(target, value + max_step)
    return max(target, value - max_step)


def relax(value: float, target: float, time_constant: float, seconds: float) -> float:
    """Newton's law of cooling: ``value`` after ``seconds`` of exponential approach to ``target``."""
    return target + (value - target) * math.exp(-seconds / time_constant)
