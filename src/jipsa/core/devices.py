"""The home as a value: areas, devices, device types and classes, routines.

Everything here is frozen and validated on construction, so an inconsistent home cannot exist: ids are
unique, every device's area exists, every capability is in the catalogue and every narrowed attribute
stays inside the catalogue's range.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType
from typing import TypeVar, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jipsa.core.capabilities import CATALOGUE, Attribute, Capability, Value


class DeviceType(StrEnum):
    """What kind of appliance a device is; decides its default capabilities."""

    LIGHT = "light"
    SWITCH = "switch"
    PLUG = "plug"
    AIR_CONDITIONER = "air_conditioner"
    HEATER = "heater"
    BOILER = "boiler"
    THERMOSTAT = "thermostat"
    AIR_PURIFIER = "air_purifier"
    HUMIDIFIER = "humidifier"
    DEHUMIDIFIER = "dehumidifier"
    FAN = "fan"
    REFRIGERATOR = "refrigerator"
    WASHER = "washer"
    DRYER = "dryer"
    DISHWASHER = "dishwasher"
    ROBOT_VACUUM = "robot_vacuum"
    TV = "tv"
    SPEAKER = "speaker"
    COVER = "cover"
    DOOR_LOCK = "door_lock"
    GAS_VALVE = "gas_valve"
    SENSOR = "sensor"
    BINARY_SENSOR = "binary_sensor"
    COFFEE_MACHINE = "coffee_machine"
    VEHICLE = "vehicle"


class DeviceClass(StrEnum):
    """A finer meaning for sensors and covers."""

    MOTION = "motion"
    OCCUPANCY = "occupancy"
    DOOR = "door"
    WINDOW = "window"
    BATTERY = "battery"
    LEAK = "leak"
    SMOKE = "smoke"
    VIBRATION = "vibration"
    TEMPERATURE = "temperature"
    HUMIDITY = "humidity"
    PM25 = "pm25"
    PM10 = "pm10"
    GARAGE = "garage"
    GATE = "gate"
    BLIND = "blind"
    CURTAIN = "curtain"
    SHADE = "shade"


DEVICE_CLASSES_BY_TYPE: Mapping[DeviceType, frozenset[DeviceClass]] = {
    DeviceType.BINARY_SENSOR: frozenset({
        DeviceClass.MOTION, DeviceClass.OCCUPANCY, DeviceClass.DOOR, DeviceClass.WINDOW,
        DeviceClass.BATTERY, DeviceClass.LEAK, DeviceClass.SMOKE, DeviceClass.VIBRATION}),
    DeviceType.SENSOR: frozenset({
        DeviceClass.TEMPERATURE, DeviceClass.HUMIDITY, DeviceClass.PM25, DeviceClass.PM10,
        DeviceClass.BATTERY}),
    DeviceType.COVER: frozenset({
        DeviceClass.GARAGE, DeviceClass.GATE, DeviceClass.BLIND, DeviceClass.CURTAIN,
        DeviceClass.SHADE, DeviceClass.DOOR, DeviceClass.WINDOW}),
}
"""Which device classes each type accepts; types not listed take none."""

DEFAULT_CAPABILITIES: Mapping[DeviceType, tuple[str, ...]] = {
    DeviceType.LIGHT: ("on_off", "brightness"),
    DeviceType.SWITCH: ("on_off",),
    DeviceType.PLUG: ("on_off", "power_measurement"),
    DeviceType.AIR_CONDITIONER: ("on_off", "target_temperature", "hvac_mode", "fan_speed", "swing",
                                 "temperature_measurement"),
    DeviceType.HEATER: ("on_off", "target_temperature", "temperature_measurement"),
    DeviceType.BOILER: ("on_off", "target_temperature", "mode", "temperature_measurement"),
    DeviceType.THERMOSTAT: ("target_temperature", "hvac_mode", "temperature_measurement"),
    DeviceType.AIR_PURIFIER: ("on_off", "fan_speed", "mode", "air_quality"),
    DeviceType.HUMIDIFIER: ("on_off", "target_humidity", "humidity_measurement"),
    DeviceType.DEHUMIDIFIER: ("on_off", "target_humidity", "humidity_measurement"),
    DeviceType.FAN: ("on_off", "fan_speed", "oscillation"),
    DeviceType.REFRIGERATOR: ("refrigeration",),
    DeviceType.WASHER: ("on_off", "operation"),
    DeviceType.DRYER: ("on_off", "operation"),
    DeviceType.DISHWASHER: ("on_off", "operation"),
    DeviceType.ROBOT_VACUUM: ("vacuum", "battery"),
    DeviceType.TV: ("on_off", "media"),
    DeviceType.SPEAKER: ("on_off", "media"),
    DeviceType.COVER: ("position",),
    DeviceType.DOOR_LOCK: ("lock", "battery"),
    DeviceType.GAS_VALVE: ("valve",),
    DeviceType.SENSOR: (),
    DeviceType.BINARY_SENSOR: ("binary_sensor",),
    DeviceType.COFFEE_MACHINE: ("on_off", "operation"),
    DeviceType.VEHICLE: ("vehicle", "lock"),
}
"""The capabilities a device of each type has unless the home file says otherwise."""

SENSOR_CAPABILITY: Mapping[DeviceClass, str] = {
    DeviceClass.TEMPERATURE: "temperature_measurement",
    DeviceClass.HUMIDITY: "humidity_measurement",
    DeviceClass.PM25: "air_quality",
    DeviceClass.PM10: "air_quality",
    DeviceClass.BATTERY: "battery",
}
"""The capability a ``sensor`` reports, by its device class."""

SENSITIVE_COMMANDS: frozenset[tuple[str, str]] = frozenset({
    ("lock", "unlock"), ("valve", "open_valve"), ("vehicle", "start_engine"),
})
"""(capability, command) pairs a person must confirm before they run, in any home."""


def default_capabilities(device_type: DeviceType, device_class: DeviceClass | None) -> tuple[str, ...]:
    """The capabilities of a device of this type and class when the home file lists none."""
    caps = DEFAULT_CAPABILITIES[device_type]
    if device_type is DeviceType.SENSOR:
        extra = SENSOR_CAPABILITY.get(device_class) if device_class else None
        caps = (extra,) if extra else ("temperature_measurement",)
    if device_type is DeviceType.REFRIGERATOR:
        caps = (*caps, "on_off")
    return caps


@dataclass(frozen=True, slots=True)
class Area:
    """A room or place in the home."""

    id: str
    """Stable id, unique in the home (``living_room``)."""
    name: str
    """What the family calls it (``거실``)."""
    aliases: tuple[str, ...] = ()
    """Other names for it (``리빙룸``)."""
    floor: str | None = None
    """The floor it is on, if the home has several."""

    def __post_init__(self) -> None:
        _check_id(self.id, "area")
        if not self.name.strip():
            raise ValueError(f"area {self.id!r}: name is empty")


def frozen_mapping(items: Mapping[str, _V]) -> Mapping[str, _V]:
    """A read-only copy of ``items``, one object for equal contents (a thousand devices of one model share
    their limits, and most devices have none)."""
    if not items:
        return cast(Mapping[str, _V], _EMPTY)
    try:
        return cast(Mapping[str, _V], _frozen_mapping(tuple((k, type(v), v) for k, v in items.items())))
    except TypeError:  # an unhashable value: a copy of its own
        return MappingProxyType(dict(items))


_V = TypeVar("_V")
_EMPTY: Mapping[str, object] = MappingProxyType({})


@functools.lru_cache(maxsize=4096)
def _frozen_mapping(items: tuple[tuple[str, type, object], ...]) -> Mapping[str, object]:
    return MappingProxyType({k: v for k, _type, v in items})


@dataclass(frozen=True, slots=True)
class Device:
    """One appliance as the home knows it."""

    id: str
    """Stable id, unique in the home (``light.living_room``)."""
    name: str
    """What the family calls it (``거실 조명``)."""
    type: DeviceType
    """The kind of appliance."""
    area: str | None = None
    """Id of the area it is in, if any."""
    aliases: tuple[str, ...] = ()
    """Other names for it (``거실 불``, ``큰 불``)."""
    vendor: str = "virtual"
    """The adapter that reaches it."""
    device_class: DeviceClass | None = None
    """A finer meaning for sensors and covers."""
    manufacturer: str | None = None
    """Who made it (``LG``, ``Samsung``), for people; the adapter is ``vendor``."""
    model: str | None = None
    """The maker's model name, for people."""
    capabilities: tuple[str, ...] = ()
    """Capability ids; empty means the type's defaults."""
    limits: Mapping[str, Attribute] = field(default_factory=lambda: MappingProxyType({}))
    """Attributes narrowed for this device (an AC's 18–30 °C), by attribute name."""
    sensitive: tuple[str, ...] = ()
    """Extra commands of this device a person must confirm (``turn_off`` for a refrigerator)."""
    initial_state: Mapping[str, Value] = field(default_factory=lambda: MappingProxyType({}))
    """The state it starts in before it has reported anything."""

    def __post_init__(self) -> None:
        _check_id(self.id, "device")
        if not self.name.strip():
            raise ValueError(f"device {self.id!r}: name is empty")
        if self.device_class is not None:
            allowed = DEVICE_CLASSES_BY_TYPE.get(self.type, frozenset())
            if self.device_class not in allowed:
                raise ValueError(
                    f"device {self.id!r}: device class {self.device_class.value!r} does not fit "
                    f"type {self.type.value!r}")
        caps = self.capabilities or default_capabilities(self.type, self.device_class)
        for cap in caps:
            if cap not in CATALOGUE:
                raise ValueError(f"device {self.id!r}: unknown capability {cap!r}")
        if len(set(caps)) != len(caps):
            raise ValueError(f"device {self.id!r}: a capability is listed twice")
        object.__setattr__(self, "capabilities", tuple(caps))
        object.__setattr__(self, "limits", frozen_mapping(self.limits))
        object.__setattr__(self, "initial_state", frozen_mapping(self.initial_state))
        own = {a.name: a for cap in self.capability_objects() for a in cap.attributes}
        for name, attr in self.limits.items():
            # Look in the catalogue, not `attribute()`, which would find the limit itself.
            base = own.get(name)
            if base is None:
                raise ValueError(f"device {self.id!r}: limit on {name!r}, which it does not have")
            if not _narrows(attr, base):
                raise ValueError(f"device {self.id!r}: the limit on {name!r} is not a narrowing of "
                                 f"the catalogue's {base.describe_allowed()}")

    def has(self, capability_id: str) -> bool:
        """Whether the device has the capability."""
        return capability_id in self.capabilities

    def capability_objects(self) -> tuple[Capability, ...]:
        """The device's capabilities from the catalogue."""
        return tuple(CATALOGUE[c] for c in self.capabilities)

    def attribute(self, name: str) -> Attribute | None:
        """The device's attribute ``name`` (narrowed where the home narrows it), if it has one."""
        narrowed = self.limits.get(name)
        if narrowed is not None:
            return narrowed
        for cap_id in self.capabilities:
            attr = CATALOGUE[cap_id].attribute(name)
            if attr is not None:
                return attr
        return None

    def attributes(self) -> tuple[Attribute, ...]:
        """Every attribute the device has, narrowed where the home narrows it."""
        return tuple(self.limits.get(a.name, a)
                     for cap in self.capability_objects() for a in cap.attributes)

    def is_sensitive(self, capability_id: str, command: str) -> bool:
        """Whether running ``command`` on this device needs a person's confirmation."""
        return (capability_id, command) in SENSITIVE_COMMANDS or command in self.sensitive


@dataclass(frozen=True, slots=True)
class Routine:
    """A named set of actions run together (a scene)."""

    id: str
    """Stable id, unique in the home."""
    name: str
    """What the family calls it (``영화 모드``)."""
    aliases: tuple[str, ...] = ()
    """Other ways to ask for it (``영화 볼 거야``)."""
    actions: tuple[RoutineAction, ...] = ()
    """What it does, in order."""

    def __post_init__(self) -> None:
        _check_id(self.id, "routine")


@dataclass(frozen=True, slots=True)
class RoutineAction:
    """One command a routine sends."""

    device: str
    """Target device id."""
    command: str
    """Command name (``turn_off``, ``set_temperature`` …)."""
    args: Mapping[str, Value] = field(default_factory=lambda: MappingProxyType({}))
    """Command arguments."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "args", MappingProxyType(dict(self.args)))


@dataclass(frozen=True, slots=True)
class HomeInfo:
    """The home's own settings."""

    name: str = "우리집"
    """What the family calls the home."""
    language: str = "ko"
    """``ko`` or ``en``: the language replies are given in."""
    timezone: str = "Asia/Seoul"
    """IANA time zone of the home."""
    style: str = "polite"
    """Reply style in Korean: ``polite`` (해요체) or ``casual`` (반말)."""

    def __post_init__(self) -> None:
        if self.language not in ("ko", "en"):
            raise ValueError(f"language must be 'ko' or 'en', not {self.language!r}")
        if self.style not in ("polite", "casual"):
            raise ValueError(f"style must be 'polite' or 'casual', not {self.style!r}")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {self.timezone!r} (an IANA name such as Asia/Seoul)"
                             ) from None

    @property
    def zone(self) -> ZoneInfo:
        """The home's time zone."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class Home:
    """A whole home: its settings, areas, devices and routines."""

    info: HomeInfo
    """The home's own settings."""
    areas: tuple[Area, ...] = ()
    """Its rooms and places."""
    devices: tuple[Device, ...] = ()
    """Its appliances."""
    routines: tuple[Routine, ...] = ()
    """Its scenes."""
    _areas: Mapping[str, Area] = field(init=False, repr=False, compare=False)
    _devices: Mapping[str, Device] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        areas = {a.id: a for a in self.areas}
        if len(areas) != len(self.areas):
            raise ValueError("two areas share an id")
        devices = {d.id: d for d in self.devices}
        if len(devices) != len(self.devices):
            dupes = sorted({d.id for d in self.devices if sum(x.id == d.id for x in self.devices) > 1})
            raise ValueError(f"device ids used twice: {', '.join(dupes)}")
        for dev in self.devices:
            if dev.area is not None and dev.area not in areas:
                raise ValueError(f"device {dev.id!r}: unknown area {dev.area!r}")
        routine_ids = [r.id for r in self.routines]
        if len(set(routine_ids)) != len(routine_ids):
            raise ValueError("two routines share an id")
        for routine in self.routines:
            for action in routine.actions:
                if action.device not in devices:
                    raise ValueError(
                        f"routine {routine.id!r}: unknown device {action.device!r}")
        object.__setattr__(self, "_areas", MappingProxyType(areas))
        object.__setattr__(self, "_devices", MappingProxyType(devices))

    @property
    def name(self) -> str:
        """The home's name."""
        return self.info.name

    @property
    def language(self) -> str:
        """The home's reply language."""
        return self.info.language

    def device(self, device_id: str) -> Device | None:
        """The device with this id, if the home has it."""
        return self._devices.get(device_id)

    def area(self, area_id: str) -> Area | None:
        """The area with this id, if the home has it."""
        return self._areas.get(area_id)

    def devices_in(self, area_id: str) -> tuple[Device, ...]:
        """The devices in an area, in home-file order."""
        return tuple(d for d in self.devices if d.area == area_id)

    def routine(self, routine_id: str) -> Routine | None:
        """The routine with this id, if the home has it."""
        return next((r for r in self.routines if r.id == routine_id), None)

    def with_devices(self, devices: Sequence[Device] = (), removed: Collection[str] = (),
                     areas: Sequence[Area] = ()) -> Home:
        """A copy with ``devices`` added (or replaced, by id), ``removed`` taken out and ``areas`` added:
        what an adapter discovered. Routine actions on a removed device are dropped with it."""
        gone = set(removed)
        new = {d.id: d for d in devices}
        kept = [new.pop(d.id, d) for d in self.devices if d.id not in gone]
        routines = self.routines
        if gone:
            routines = tuple(replace(r, actions=tuple(a for a in r.actions if a.device not in gone))
                             for r in self.routines)
        return replace(self, areas=(*self.areas, *(a for a in areas if a.id not in self._areas)),
                       devices=(*kept, *new.values()), routines=routines)


def _narrows(attr: Attribute, base: Attribute) -> bool:
    """Whether ``attr`` is ``base`` with a range, step or choices no wider than the catalogue's."""
    if (attr.name, attr.kind, attr.unit, attr.writable, attr.nullable) != (
            base.name, base.kind, base.unit, base.writable, base.nullable):
        return False
    if not set(attr.values) <= set(base.values):
        return False
    if base.minimum is not None and (attr.minimum is None or attr.minimum < base.minimum):
        return False
    return not (base.maximum is not None and (attr.maximum is None or attr.maximum > base.maximum))


def _check_id(value: str, what: str) -> None:
    if not value or not value.strip() or any(ch.isspace() for ch in value) or len(value) > 200:
        raise ValueError(f"{what} id {value!r} must be non-empty, at most 200 characters, no spaces")
