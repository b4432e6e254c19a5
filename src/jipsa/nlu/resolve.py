"""Which devices a request means: names, areas, device-type nouns, "all", the speaker's room.

Rules, in order (docs/intents.md has the long form):

1. A device named by its name or alias is meant, whatever else is said.
2. A device-type noun with an area means every device of that type there (``거실 조명`` with two lights
   there means both, as Home Assistant does for an area and a domain).
3. A type noun with ``다/전부/모든`` means every device of that type in the home.
4. A type noun alone means the one in the area carried from the previous clause, else the one in the
   speaker's area (``--area``), else the only one in the home; several equally fitting devices give an
   ambiguous result holding all of them.
5. An area alone means everything in it that can do what was asked (for on/off: the appliances people
   switch, see ``SWITCHABLE_TYPES``).
6. Nothing named: the devices that can do what was asked, narrowed the same way as 4.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from jipsa.core.devices import Device, DeviceClass, DeviceType, Home

DOMAINS: dict[DeviceType, str] = {
    DeviceType.LIGHT: "light", DeviceType.SWITCH: "switch", DeviceType.PLUG: "switch",
    DeviceType.AIR_CONDITIONER: "climate", DeviceType.HEATER: "climate", DeviceType.BOILER: "climate",
    DeviceType.THERMOSTAT: "climate", DeviceType.AIR_PURIFIER: "fan", DeviceType.HUMIDIFIER: "humidifier",
    DeviceType.DEHUMIDIFIER: "humidifier", DeviceType.FAN: "fan", DeviceType.REFRIGERATOR: "climate",
    DeviceType.WASHER: "switch", DeviceType.DRYER: "switch", DeviceType.DISHWASHER: "switch",
    DeviceType.ROBOT_VACUUM: "vacuum", DeviceType.TV: "media_player", DeviceType.SPEAKER: "media_player",
    DeviceType.COVER: "cover", DeviceType.DOOR_LOCK: "lock", DeviceType.GAS_VALVE: "valve",
    DeviceType.SENSOR: "sensor", DeviceType.BINARY_SENSOR: "binary_sensor",
    DeviceType.COFFEE_MACHINE: "switch", DeviceType.VEHICLE: "switch",
}
"""The Home Assistant domain of each device type, for the ``domain`` slot."""

Need = Callable[[Device], bool]


@dataclass(frozen=True, slots=True)
class Wanted:
    """What a clause names."""

    devices: tuple[str, ...] = ()
    """Device ids named directly."""
    device_ambiguous: bool = False
    """A spoken name fits several devices."""
    types: tuple[tuple[DeviceType, DeviceClass | None], ...] = ()
    """Device-type nouns."""
    areas: tuple[str, ...] = ()
    """Area ids named."""
    every: bool = False
    """다/전부/모든 was said."""
    main: tuple[str, ...] | None = None
    """The main light was asked for (큰 불, 메인 조명, 천장등): the main light of the room meant; the
    devices the home itself calls so, for when no room is meant."""
    placed: tuple[str, ...] | None = None
    """The named devices whose room narrows a kind named beside them (거실 TV랑 에어컨 → the living
    room's AC); ``None`` for all. A device called by a kind's word (티비 for the living-room TV) places
    nothing: 에어컨이랑 티비 꺼 leaves the air conditioner unnarrowed."""

    @property
    def named(self) -> bool:
        """Whether any device or type was named."""
        return bool(self.devices or self.types)


@dataclass(frozen=True, slots=True)
class Resolution:
    """The devices a clause means."""

    targets: tuple[str, ...]
    """Device ids in home-file order."""
    ambiguous: bool = False
    """Several devices fit equally."""
    unsupported: bool = False
    """A named device cannot do what was asked."""


class Resolver:
    """Target resolution against one home."""

    def __init__(self, home: Home) -> None:
        self.home = home
        self._order = {d.id: i for i, d in enumerate(home.devices)}
        self._cars = frozenset(d.id for d in home.devices if d.has("vehicle"))
        lights = [d for d in home.devices if d.type is DeviceType.LIGHT]
        self._main = frozenset(d.id for d in main_lights(lights))

    def sort(self, ids: Iterable[str]) -> tuple[str, ...]:
        """Device ids, deduplicated, in home-file order."""
        return tuple(sorted(set(ids), key=lambda i: self._order.get(i, 1 << 30)))

    def of_type(self, dtype: DeviceType, dclass: DeviceClass | None) -> list[Device]:
        """Devices of a type, narrowed to the class when any device has it."""
        found = [d for d in self.home.devices if d.type is dtype]
        if dclass is not None:
            narrowed = [d for d in found if d.device_class is dclass]
            if narrowed:
                return narrowed
        if dclass is not None and (dtype is DeviceType.BINARY_SENSOR or dclass in (
                DeviceClass.GARAGE, DeviceClass.GATE)):
            return []  # a garage door or a gate is not another cover (curtains and blinds are alike)
        return found

    def resolve(self, wanted: Wanted, need: Need, *, context_area: str | None, speaker_area: str | None,
                default_types: Sequence[DeviceType] = (), area_need: Need | None = None) -> Resolution:
        """The devices ``wanted`` means, restricted to those that satisfy ``need``."""
        ambiguous = wanted.device_ambiguous
        chosen: list[str] = []
        unsupported = False
        for dev_id in wanted.devices:
            dev = self.home.device(dev_id)
            if dev is not None and need(dev):
                chosen.append(dev_id)
            else:
                unsupported = True
        if unsupported and not chosen and not wanted.types:
            return Resolution((), unsupported=True)
        placed = wanted.devices if wanted.placed is None else wanted.placed
        named_areas = {d.area for d in (self.home.device(i) for i in placed) if d and d.area}
        for dtype, dclass in wanted.types:
            cands = [d for d in self.of_type(dtype, dclass) if need(d)]
            if not cands and self.of_type(dtype, dclass):
                unsupported = True
            if wanted.main is not None and dtype is DeviceType.LIGHT:
                cands = [d for d in cands if d.id in self._main] or cands
                if wanted.main and not wanted.areas and not any(
                        d.area in (context_area, speaker_area) for d in cands if d.area is not None):
                    cands = [d for d in cands if d.id in wanted.main] or cands  # the home's own 큰 불
            picked, amb = self._narrow(cands, wanted, context_area or _one(named_areas), speaker_area)
            chosen.extend(d.id for d in picked)
            ambiguous = ambiguous or amb
        if not wanted.named:
            broad = wanted.areas or wanted.every
            pool = [d for d in self.home.devices if (area_need or need)(d)] if broad else \
                [d for d in self.home.devices if need(d)]
            if self._cars and any(d.id not in self._cars for d in pool):
                # the car is meant when named (차 온도 22도로) or when nothing else could do it (시동 꺼)
                pool = [d for d in pool if d.id not in self._cars]
            picked, amb = [], False
            preferred = [d for d in pool if d.type in default_types]
            if preferred:
                picked, amb = self._narrow(preferred, wanted, context_area, speaker_area)
            if not picked:
                picked, amb = self._narrow(pool, wanted, context_area, speaker_area)
            chosen.extend(d.id for d in picked)
            ambiguous = ambiguous or amb
        if not chosen:
            return Resolution((), unsupported=unsupported)
        return Resolution(self.sort(chosen), ambiguous=ambiguous and len(set(chosen)) > 1)

    @staticmethod
    def _narrow(cands: list[Device], wanted: Wanted, context_area: str | None,
                speaker_area: str | None) -> tuple[list[Device], bool]:
        if wanted.areas:
            return [d for d in cands if d.area in wanted.areas], False
        if wanted.every:
            return cands, False
        for area in (context_area, speaker_area):
            if area is not None:
                here = [d for d in cands if d.area == area]
                if here:
                    return here, False
        return cands, len(cands) > 1


_MAIN_MARKS = ("메인", "큰", "천장", "main", "ceiling")
_SIDE_MARKS = ("무드", "스탠드", "간접", "수면", "취침", "독서", "별빛", "장식", "책상", "식탁", "펜던트",
               "lamp", "mood", "night", "desk")


def main_lights(lights: Sequence[Device]) -> list[Device]:
    """The main light of each area among ``lights``: the only one there, else the one called main,
    big or ceiling (메인 조명, 큰 불, 천장등), else those not called a lamp or mood light."""
    by_area: dict[str | None, list[Device]] = {}
    for d in lights:
        by_area.setdefault(d.area, []).append(d)
    out: list[Device] = []
    for group in by_area.values():
        if len(group) > 1:
            said = {d.id: " ".join((d.name, *d.aliases)).lower() for d in group}
            marked = [d for d in group if any(w in said[d.id] for w in _MAIN_MARKS)]
            plain = [d for d in group if not any(w in said[d.id] for w in _SIDE_MARKS)]
            group = marked or plain or group
        out.extend(group)
    return out


def _one(areas: set[str]) -> str | None:
    return next(iter(areas)) if len(areas) == 1 else None


def domain_of(home: Home, targets: Sequence[str]) -> str | None:
    """The one Home Assistant domain of all targets, if they share one."""
    domains = {DOMAINS[d.type] for d in (home.device(t) for t in targets) if d is not None}
    return domains.pop() if len(domains) == 1 else None
