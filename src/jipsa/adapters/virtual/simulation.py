"""The virtual home: a pure, synchronous simulation of every device whose vendor is ``virtual``.

Time moves only when a caller says what time it is now (:meth:`VirtualHome.advance`,
:meth:`VirtualHome.apply`), so a test or a demo can run a day in milliseconds and the adapter can drive it
from any :class:`~jipsa.core.clock.Clock`. Each call returns one :class:`StateReport` per device whose
reported state changed, holding only the changed values.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType

from jipsa.adapters.virtual.appliances import CycleAppliance, Refrigerator
from jipsa.adapters.virtual.basic import BinarySensor, Fan, Light, Media, Plug
from jipsa.adapters.virtual.behaviour import Behaviour, World, default_value, room_key
from jipsa.adapters.virtual.climate import (
    AirConditioner,
    AirPurifier,
    Boiler,
    Dehumidifier,
    Heater,
    Humidifier,
)
from jipsa.adapters.virtual.covers import Cover
from jipsa.adapters.virtual.environment import READINGS, Ambient, Room
from jipsa.adapters.virtual.robots import RobotVacuum
from jipsa.adapters.virtual.vehicle import Vehicle
from jipsa.core.capabilities import Value
from jipsa.core.devices import Device, DeviceType, Home
from jipsa.core.errors import UnknownDeviceError
from jipsa.core.messages import Command, StateReport
from jipsa.core.validation import valid_state_values

VENDOR = "virtual"
"""The ``vendor`` of the devices this simulation serves."""

BEHAVIOURS: Mapping[DeviceType, type[Behaviour]] = {
    DeviceType.LIGHT: Light, DeviceType.SWITCH: Fan, DeviceType.FAN: Fan, DeviceType.PLUG: Plug,
    DeviceType.TV: Media, DeviceType.SPEAKER: Media,
    DeviceType.AIR_CONDITIONER: AirConditioner, DeviceType.THERMOSTAT: AirConditioner,
    DeviceType.HEATER: Heater, DeviceType.BOILER: Boiler, DeviceType.AIR_PURIFIER: AirPurifier,
    DeviceType.HUMIDIFIER: Humidifier, DeviceType.DEHUMIDIFIER: Dehumidifier,
    DeviceType.REFRIGERATOR: Refrigerator, DeviceType.WASHER: CycleAppliance,
    DeviceType.DRYER: CycleAppliance, DeviceType.DISHWASHER: CycleAppliance,
    DeviceType.COFFEE_MACHINE: CycleAppliance, DeviceType.ROBOT_VACUUM: RobotVacuum,
    DeviceType.COVER: Cover, DeviceType.VEHICLE: Vehicle, DeviceType.BINARY_SENSOR: BinarySensor,
}
"""The behaviour of each device type; types not listed (locks, valves, sensors) act at once or only
report."""

MAX_STEP_S = 60.0
"""The longest step of the integration: every behaviour sees at least minute resolution…"""
MAX_STEPS = 1440
"""…up to a day; a longer gap is crossed in this many coarser steps, so work stays bounded."""


class VirtualHome:
    """Every virtual device of a home, living in simulated time.

    ``states`` (the stored state, by device id) is laid over each device's ``initial_state``; attributes
    missing from both start at sensible defaults. ``at`` is the simulated time of that state. ``rng``
    adds small variations (plug loads, cleaning runs); without it the simulation is deterministic.
    ``ambient`` is what rooms drift back to (28 °C by default).
    """

    def __init__(self, home: Home, states: Mapping[str, Mapping[str, Value]] | None, at: datetime,
                 rng: random.Random | None = None, *, ambient: Ambient | None = None) -> None:
        if at.tzinfo is None:
            raise ValueError("at must be time-zone aware")
        self._at = at
        ambient = ambient or Ambient()
        self._world = World(ambient=ambient, rng=rng)
        devices = [d for d in home.devices if d.vendor == VENDOR]
        stored = states or {}
        merged = {d.id: _start_state(d, stored.get(d.id)) for d in devices}
        members: dict[str, list[Device]] = {}
        for device in devices:
            members.setdefault(room_key(device), []).append(device)
        for key, group in members.items():
            readers = sorted(group, key=lambda d: d.type is not DeviceType.SENSOR)  # sensors first
            room = Room.from_readings([merged[d.id] for d in readers], ambient)
            self._world.rooms[key] = room
            if any(d.type is not DeviceType.VEHICLE for d in group):
                self._world.indoor.add(key)
            for device in group:
                _fill_defaults(device, merged[device.id], room)
        self._behaviours: dict[str, Behaviour] = {
            d.id: BEHAVIOURS.get(d.type, Behaviour)(d, merged[d.id], self._world) for d in devices}

    @property
    def at(self) -> datetime:
        """The simulated time the state belongs to."""
        return self._at

    @property
    def device_ids(self) -> tuple[str, ...]:
        """The simulated devices, in home-file order."""
        return tuple(self._behaviours)

    def simulates(self, device_id: str) -> bool:
        """Whether the device is one of this simulation's."""
        return device_id in self._behaviours

    def state(self, device_id: str) -> Mapping[str, Value]:
        """A read-only copy of one device's state; :class:`UnknownDeviceError` if not simulated."""
        return MappingProxyType(dict(self._behaviour(device_id).state))

    def snapshot(self) -> dict[str, dict[str, Value]]:
        """A copy of every simulated device's state."""
        return {device_id: dict(b.state) for device_id, b in self._behaviours.items()}

    def advance(self, now: datetime) -> list[StateReport]:
        """Move the world forward to ``now`` (a time in the past changes nothing); what changed."""
        before = self.snapshot()
        self._run_until(now)
        return self._changes(before)

    def apply(self, command: Command, now: datetime) -> list[StateReport]:
        """Advance to ``now``, then carry out a validated command; what changed, one report per device."""
        behaviour = self._behaviour(command.device_id)
        before = self.snapshot()
        self._run_until(now)
        behaviour.command(command)
        return self._changes(before)

    def set_door(self, device_id: str, is_open: bool, now: datetime) -> list[StateReport]:
        """Open or close a refrigerator's door at ``now`` (demos and tests); what changed."""
        behaviour = self._behaviour(device_id)
        if not isinstance(behaviour, Refrigerator):
            raise ValueError(f"{device_id} is not a refrigerator")
        before = self.snapshot()
        self._run_until(now)
        behaviour.set_door(is_open)
        return self._changes(before)

    def set_active(self, device_id: str, active: bool, now: datetime) -> list[StateReport]:
        """Make a binary sensor sense something (movement, an open window, a leak) or stop sensing it.

        A motion sensor falls back to inactive by itself a minute after it was last triggered.
        """
        behaviour = self._behaviour(device_id)
        if not isinstance(behaviour, BinarySensor):
            raise ValueError(f"{device_id} is not a binary sensor")
        before = self.snapshot()
        self._run_until(now)
        behaviour.set_active(active)
        return self._changes(before)

    def _behaviour(self, device_id: str) -> Behaviour:
        behaviour = self._behaviours.get(device_id)
        if behaviour is None:
            raise UnknownDeviceError(device_id)
        return behaviour

    def _run_until(self, now: datetime) -> None:
        total = (now - self._at).total_seconds()
        if total <= 0:
            return
        steps = min(MAX_STEPS, max(1, math.ceil(total / MAX_STEP_S)))
        seconds = total / steps
        rooms = list(self._world.rooms.values())
        behaviours = list(self._behaviours.values())
        for _ in range(steps):
            for room in rooms:
                room.drift(seconds)
            for behaviour in behaviours:
                behaviour.step(seconds)
        for behaviour in behaviours:
            behaviour.sync()
        self._at = now

    def _changes(self, before: Mapping[str, Mapping[str, Value]]) -> list[StateReport]:
        reports = []
        for device_id, behaviour in self._behaviours.items():
            old = before[device_id]
            changed = {name: value for name, value in behaviour.state.items()
                       if name not in old or old[name] != value or type(old[name]) is not type(value)}
            if changed:
                reports.append(StateReport(device_id, changed))
        return reports


def _start_state(device: Device, stored: Mapping[str, Value] | None) -> dict[str, Value]:
    state = dict(device.initial_state)
    if stored:
        good, _problems = valid_state_values(device, stored)  # stale attributes of an older home are dropped
        state.update(good)
    return state


def _fill_defaults(device: Device, state: dict[str, Value], room: Room) -> None:
    for attr in device.attributes():
        if attr.name in state:
            continue
        if attr.name in READINGS:
            state[attr.name] = room.reading(attr.name)
        elif attr.name == "cabin_temperature":
            state[attr.name] = room.reading("temperature")
        else:
            state[attr.name] = default_value(attr)
