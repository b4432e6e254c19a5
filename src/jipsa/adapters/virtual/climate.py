"""Appliances that change the air of their room: air conditioners and thermostats, heaters, the boiler,
air purifiers, humidifiers and dehumidifiers.

They act on :class:`~jipsa.adapters.virtual.environment.Room` values, never on other devices: a sensor in
the same area reads the room afterwards, so it sees the change at the same, realistic pace.
"""

from __future__ import annotations

from collections.abc import Mapping

from jipsa.adapters.virtual.behaviour import Behaviour

AC_RATE = 0.1 / 60
"""°C per second an air conditioner moves its room at medium fan (about 0.1 °C a minute)."""
HEATER_RATE = 0.08 / 60
"""°C per second a space heater warms its room."""
BOILER_RATE = 0.06 / 60
"""°C per second floor heating warms every room: slow, and the whole home at once."""
FROST_GUARD = 10.0
"""°C the boiler keeps the home above in ``away`` mode."""
HUMIDITY_RATE = 0.2 / 60
"""Percentage points per second a humidifier or dehumidifier moves its room's humidity."""
DRY_TARGET = 45.0
"""% humidity an air conditioner's dry mode works towards."""

_FAN_FACTOR: Mapping[str, float] = {"low": 0.7, "medium": 1.0, "high": 1.3, "turbo": 1.6, "auto": 1.0}
_CLEAN_PER_MINUTE: Mapping[str, float] = {"low": 0.02, "medium": 0.04, "high": 0.07, "turbo": 0.1}
"""Share of the room's dust a purifier removes each minute, by fan speed."""
_DUST_FLOOR: Mapping[str, float] = {"pm25": 2.0, "pm10": 4.0}


class AirConditioner(Behaviour):
    """An air conditioner (or a thermostat, which has no power switch and so is always on).

    ``cool`` only lowers the room towards the target, ``heat`` only raises it, ``auto`` does both, ``dry``
    takes out moisture and a little heat, ``fan_only`` just moves air. Choosing a mode switches it on.
    """

    turns_on = frozenset({"set_hvac_mode"})
    default_mode = "cool"
    rate = AC_RATE

    def step(self, seconds: float) -> None:
        if not self.is_on:
            return
        target = self.number("target_temperature", 24.0)
        mode = self.get("hvac_mode") if self.has("hvac_mode") else self.default_mode
        fan = self.get("fan_speed")
        rate = self.rate * _FAN_FACTOR.get(fan if isinstance(fan, str) else "auto", 1.0)
        if mode == "cool":
            self.room.push("temperature", target, rate, seconds, up=False)
        elif mode == "heat":
            self.room.push("temperature", target, rate, seconds, down=False)
        elif mode == "auto":
            self.room.push("temperature", target, rate, seconds)
        elif mode == "dry":
            self.room.push("humidity", DRY_TARGET, HUMIDITY_RATE, seconds, up=False)
            self.room.push("temperature", target, rate * 0.3, seconds, up=False)


class Heater(AirConditioner):
    """A space heater: warms its room towards the target while on."""

    turns_on = frozenset()
    default_mode = "heat"
    rate = HEATER_RATE


class Boiler(Behaviour):
    """A gas boiler with floor heating (ondol): in ``heating`` mode it slowly warms every room of the home
    towards the target; ``away`` only guards against frost; ``hot_water`` heats no rooms."""

    def step(self, seconds: float) -> None:
        if not self.is_on:
            return
        mode = self.get("mode") if self.has("mode") else "heating"
        if mode == "hot_water":
            return
        target = self.number("target_temperature", 22.0)
        if mode == "away":
            target = min(target, FROST_GUARD)
        for room in self.world.indoor_rooms():
            room.push("temperature", target, BOILER_RATE, seconds, down=False)


class AirPurifier(Behaviour):
    """An air purifier: while on, removes a share of the room's pm2.5 and pm10 every minute.

    ``sleep`` mode runs it at low speed, ``turbo`` at turbo; otherwise its fan speed decides, and an
    ``auto`` fan speed follows how dusty the room is. Choosing a speed or mode switches it on.
    """

    turns_on = frozenset({"set_fan_speed", "set_mode"})

    def step(self, seconds: float) -> None:
        if not self.is_on:
            return
        per_second = _CLEAN_PER_MINUTE[self._speed()] / 60
        for quantity, floor in _DUST_FLOOR.items():
            boost = 1.2 if quantity == "pm10" else 1.0  # coarse dust settles on the filter faster
            self.room.decay(quantity, floor, per_second * boost, seconds)

    def _speed(self) -> str:
        mode, fan = self.get("mode"), self.get("fan_speed")
        if mode == "sleep":
            return "low"
        if mode == "turbo":
            return "turbo"
        if isinstance(fan, str) and fan in _CLEAN_PER_MINUTE:
            return fan
        pm25 = self.room["pm25"]
        return "high" if pm25 > 35 else "medium" if pm25 > 15 else "low"


class Humidifier(Behaviour):
    """A humidifier: while on, raises the room's humidity towards the target (never lowers it)."""

    raises = True

    def step(self, seconds: float) -> None:
        if not self.is_on:
            return
        target = self.number("target_humidity", 50.0)
        self.room.push("humidity", target, HUMIDITY_RATE, seconds, up=self.raises, down=not self.raises)


class Dehumidifier(Humidifier):
    """A dehumidifier: while on, lowers the room's humidity towards the target (never raises it)."""

    raises = False
