"""A group of entities of one appliance → the jipsa device(s) a person would name.

Home Assistant groups entities by their ``device`` block; jipsa wants one device per appliance. The
rules, in order:

1. A type hint — the simulator's ``model_id: jipsa.<type>``, else keywords in the device's name or model
   (``세탁기``/washer, ``냉장고``/fridge, ``TV``/``티비`` …) — that names an *appliance* (washer, dryer,
   dishwasher, refrigerator, TV, speaker, coffee machine, vehicle) makes the whole group one device, each
   entity giving the attribute its keywords name (a ``remaining`` sensor → ``remaining_minutes``, a
   ``program``/``코스`` select → ``program``, a ``start`` button → ``operation.start``).
2. Otherwise every entity of a component with a meaning of its own (light, fan, cover, lock, valve,
   climate, water heater, humidifier, vacuum) is one device; failing those each switch, failing those
   each binary sensor of a class jipsa knows, failing those all sensors together. Config and diagnostic
   entities never make a device of their own.
3. The remaining entities add what they read to the first device (a battery sensor → ``battery``, a
   PM2.5 sensor → ``air_quality``, a power sensor → ``power_measurement``) where its type allows it.

The device type follows from the component: climate → air conditioner, or boiler/heater when it only
heats, or thermostat when it cannot be turned off; water heater → boiler; vacuum → robot vacuum; fan →
air purifier with a purifier keyword or a PM2.5 sensor; humidifier of class ``dehumidifier`` →
dehumidifier; switch → plug (class ``outlet``, a power sensor or a plug keyword) or switch.
"""

from __future__ import annotations

import functools
import hashlib
import re
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from jipsa.adapters.mqtt.binding import Binding, MqttDevice, Part, assemble, slot
from jipsa.adapters.mqtt.components import (
    PRIMARY_BUILDERS,
    binary_sensor_part,
    button_part,
    number_part,
    select_part,
    sensor_part,
    switch_part,
)
from jipsa.adapters.mqtt.config import DeviceInfo, Entity
from jipsa.core.devices import DEFAULT_CAPABILITIES, Device, DeviceClass, DeviceType

T = DeviceType

APPLIANCES: frozenset[DeviceType] = frozenset({
    T.WASHER, T.DRYER, T.DISHWASHER, T.REFRIGERATOR, T.TV, T.SPEAKER, T.COFFEE_MACHINE, T.VEHICLE,
})
"""Types made of whatever entities the group has, guided by keywords."""

TYPE_KEYWORDS: tuple[tuple[DeviceType, tuple[str, ...]], ...] = (
    (T.DISHWASHER, ("dishwasher", "dish washer", "식기세척기", "식세기")),
    (T.WASHER, ("washer", "washing machine", "세탁기")),
    (T.DRYER, ("dryer", "tumble dryer", "건조기")),
    (T.REFRIGERATOR, ("refrigerator", "fridge", "냉장고")),
    (T.TV, ("tv", "television", "티비", "텔레비전")),
    (T.SPEAKER, ("speaker", "스피커")),
    (T.COFFEE_MACHINE, ("coffee", "espresso", "커피")),
    (T.VEHICLE, ("vehicle", "자동차")),
    (T.AIR_PURIFIER, ("purifier", "air purifier", "공기청정기", "청정기")),
    (T.DEHUMIDIFIER, ("dehumidifier", "제습기")),
    (T.HUMIDIFIER, ("humidifier", "가습기")),
    (T.BOILER, ("boiler", "보일러")),
    (T.THERMOSTAT, ("thermostat", "thermostatic", "radiator valve", "trv", "온도조절기")),
    (T.HEATER, ("heater", "히터", "난로")),
    (T.AIR_CONDITIONER, ("air conditioner", "aircon", "에어컨")),
    (T.ROBOT_VACUUM, ("robot vacuum", "vacuum", "로봇청소기", "청소기")),
    (T.GAS_VALVE, ("gas valve", "가스")),
    (T.PLUG, ("plug", "outlet", "socket", "플러그", "콘센트")),
)
"""Words in a device's name or model that say what it is (checked in order: ``dishwasher`` first)."""

STRONG = ("climate", "water_heater", "vacuum", "humidifier", "fan", "cover", "lock", "valve", "light")
"""Components that are an appliance of their own, strongest first."""

BINARY_CLASSES: Mapping[str, DeviceClass] = {
    "motion": DeviceClass.MOTION, "occupancy": DeviceClass.OCCUPANCY, "presence": DeviceClass.OCCUPANCY,
    "door": DeviceClass.DOOR, "garage_door": DeviceClass.DOOR, "opening": DeviceClass.DOOR,
    "window": DeviceClass.WINDOW, "moisture": DeviceClass.LEAK, "smoke": DeviceClass.SMOKE,
    "vibration": DeviceClass.VIBRATION, "battery": DeviceClass.BATTERY,
}
"""Home Assistant binary sensor classes → jipsa's."""

SENSOR_CLASSES: Mapping[str, DeviceClass] = {
    "temperature": DeviceClass.TEMPERATURE, "humidity": DeviceClass.HUMIDITY, "pm25": DeviceClass.PM25,
    "pm10": DeviceClass.PM10, "battery": DeviceClass.BATTERY,
}
"""Home Assistant sensor classes → jipsa's."""

COVER_CLASSES: Mapping[str, DeviceClass] = {
    "blind": DeviceClass.BLIND, "shutter": DeviceClass.BLIND, "curtain": DeviceClass.CURTAIN,
    "shade": DeviceClass.SHADE, "awning": DeviceClass.SHADE, "garage": DeviceClass.GARAGE,
    "gate": DeviceClass.GATE, "door": DeviceClass.DOOR, "window": DeviceClass.WINDOW,
}
"""Home Assistant cover classes → jipsa's."""

_MEASUREMENTS = ("temperature_measurement", "humidity_measurement", "air_quality", "power_measurement",
                 "battery")
EXTRA_CAPABILITIES: Mapping[DeviceType, tuple[str, ...]] = {
    T.LIGHT: ("color_temperature", "color", "power_measurement"),
    T.AIR_CONDITIONER: ("mode", "humidity_measurement", "power_measurement"),
    T.HEATER: ("mode", "power_measurement"), T.BOILER: ("power_measurement",),
    T.THERMOSTAT: ("on_off", "fan_speed", "mode", "humidity_measurement", "battery"),
    T.AIR_PURIFIER: ("temperature_measurement", "humidity_measurement"),
    T.HUMIDIFIER: ("mode", "temperature_measurement"), T.DEHUMIDIFIER: ("mode", "temperature_measurement"),
    T.FAN: ("mode", "temperature_measurement", "power_measurement"),
    T.WASHER: ("power_measurement",), T.DRYER: ("power_measurement",), T.DISHWASHER: ("power_measurement",),
    T.REFRIGERATOR: ("on_off", "power_measurement"), T.COFFEE_MACHINE: ("power_measurement",),
    T.SWITCH: ("power_measurement",), T.PLUG: ("temperature_measurement",),
    T.SENSOR: _MEASUREMENTS, T.BINARY_SENSOR: ("battery", "temperature_measurement"),
    T.COVER: ("battery", "tilt"), T.DOOR_LOCK: (), T.ROBOT_VACUUM: (), T.TV: (), T.SPEAKER: (),
    T.GAS_VALVE: (), T.VEHICLE: (),
}
"""What a type takes beyond its default capabilities."""


def allowed_capabilities(device_type: DeviceType) -> frozenset[str]:
    """Every capability a device of this type may have when built from MQTT entities."""
    extra = EXTRA_CAPABILITIES.get(device_type, ())
    return frozenset(DEFAULT_CAPABILITIES[device_type]) | frozenset(extra) | {"battery"}


# --- keywords -----------------------------------------------------------------------------------

@functools.lru_cache(maxsize=4096)  # the same names and keywords, again on every rebuild of a group
def normalize_words(text: str) -> str:
    """Lower case, with everything but letters and digits turned into single spaces."""
    return " " + " ".join(re.sub(r"[^0-9a-z\uac00-\ud7a3]+", " ", text.lower()).split()) + " "


def has_word(words: str, keywords: Sequence[str]) -> bool:
    """Whether normalized ``words`` hold a keyword: whole words for ASCII, substrings for Korean."""
    for keyword in keywords:
        if keyword.isascii():
            if f" {normalize_words(keyword).strip()} " in words:
                return True
        elif keyword in words:
            return True
    return False


def type_hint(info: DeviceInfo | None, entities: Sequence[Entity]) -> DeviceType | None:
    """The type the simulator's ``model_id`` or the name and model suggest, if any."""
    if info and info.model_id and info.model_id.startswith("jipsa."):
        try:
            return DeviceType(info.model_id.removeprefix("jipsa."))
        except ValueError:
            pass
    sources = [info.name or "", info.model or ""] if info else []
    if info is None or not (info.name or info.model):
        sources += [e.name or "" for e in entities]
    words = normalize_words(" ".join(sources))
    return next((t for t, keywords in TYPE_KEYWORDS if has_word(words, keywords)), None)


# --- what each secondary entity gives -----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class AuxRule:
    """One way an entity gives a device an attribute or a command."""

    component: str
    """The entity's component."""
    target: str
    """The attribute, or ``capability.command`` for a button."""
    classes: tuple[str, ...] = ()
    """Home Assistant device classes that mean it (any class when empty and keywords match)."""
    keywords: tuple[str, ...] = ()
    """Words in the entity's ids or name that mean it."""
    types: frozenset[DeviceType] | None = None
    """The device types the rule applies to (all when ``None``)."""
    units: tuple[str, ...] = ()
    """Units that mean it when the class is missing."""


_WASHING = frozenset({T.WASHER, T.DRYER, T.DISHWASHER, T.COFFEE_MACHINE})
_MEDIA = frozenset({T.TV, T.SPEAKER})
_VEHICLE = frozenset({T.VEHICLE})
_R = AuxRule
AUX_RULES: tuple[AuxRule, ...] = (
    _R("sensor", "fridge_temperature", keywords=("fridge", "fridge temperature", "냉장"),
       types=frozenset({T.REFRIGERATOR})),
    _R("sensor", "freezer_temperature", keywords=("freezer", "냉동"), types=frozenset({T.REFRIGERATOR})),
    _R("sensor", "cabin_temperature", classes=("temperature",), types=frozenset({T.VEHICLE})),
    _R("sensor", "fuel_percent", keywords=("fuel", "fuel percent", "soc", "연료"), types=_VEHICLE),
    _R("sensor", "range_km", keywords=("range", "range km", "주행"), types=frozenset({T.VEHICLE})),
    _R("sensor", "temperature", classes=("temperature",), units=("°C", "°F")),
    _R("sensor", "humidity", classes=("humidity",)),
    _R("sensor", "pm25", classes=("pm25",), keywords=("pm25", "pm2 5", "초미세먼지")),
    _R("sensor", "pm10", classes=("pm10",), keywords=("pm10", "미세먼지")),
    _R("sensor", "power", classes=("power",), units=("W", "kW")),
    _R("sensor", "battery", classes=("battery",), keywords=("battery", "배터리")),
    _R("sensor", "remaining_minutes", keywords=("remaining", "remaining minutes", "remain", "time left",
                                                "남은"), types=_WASHING),
    _R("sensor", "operation_state", keywords=("operation state", "state", "status", "run state",
                                              "machine state", "상태"), types=_WASHING),
    _R("sensor", "program", keywords=("program", "course", "cycle", "코스"), types=_WASHING),
    _R("sensor", "vacuum_state", keywords=("state", "status", "상태"), types=frozenset({T.ROBOT_VACUUM})),
    _R("binary_sensor", "door_open", classes=("door", "opening"), keywords=("door", "door open", "문"),
       types=frozenset({T.REFRIGERATOR})),
    _R("binary_sensor", "playing", keywords=("playing", "재생"), types=_MEDIA),
    _R("binary_sensor", "active", classes=tuple(BINARY_CLASSES), types=frozenset({T.BINARY_SENSOR})),
    _R("number", "fridge_temperature", keywords=("fridge", "냉장"), types=frozenset({T.REFRIGERATOR})),
    _R("number", "freezer_temperature", keywords=("freezer", "냉동"), types=frozenset({T.REFRIGERATOR})),
    _R("number", "climate_target", keywords=("climate", "target", "공조"), types=frozenset({T.VEHICLE})),
    _R("number", "volume", keywords=("volume", "볼륨", "음량"), types=_MEDIA),
    _R("number", "channel", keywords=("channel", "채널"), types=_MEDIA),
    _R("number", "target_humidity", keywords=("humidity", "습도")),
    _R("number", "target_temperature", keywords=("target temperature", "setpoint", "설정 온도")),
    _R("select", "program", keywords=("program", "course", "cycle", "코스"), types=_WASHING),
    _R("select", "input", keywords=("input", "source", "입력"), types=_MEDIA),
    _R("select", "fan_speed", keywords=("fan speed", "speed", "fan", "풍량", "바람")),
    _R("select", "mode", keywords=("mode", "preset", "모드")),
    _R("switch", "muted", keywords=("mute", "muted", "음소거"), types=_MEDIA),
    _R("switch", "engine_on", keywords=("engine", "engine on", "시동"), types=frozenset({T.VEHICLE})),
    _R("switch", "climate_on", keywords=("climate", "climate on", "hvac", "공조"), types=_VEHICLE),
    _R("switch", "on", keywords=("power", "on", "전원")),
    _R("button", "operation.start", keywords=("start", "시작"), types=_WASHING),
    _R("button", "operation.pause", keywords=("pause", "일시정지"), types=_WASHING),
    _R("button", "operation.stop", keywords=("stop", "정지", "중지"), types=_WASHING),
    _R("button", "vacuum.start", keywords=("start", "clean", "시작"), types=frozenset({T.ROBOT_VACUUM})),
    _R("button", "vacuum.pause", keywords=("pause", "일시정지"), types=frozenset({T.ROBOT_VACUUM})),
    _R("button", "vacuum.stop", keywords=("stop", "정지"), types=frozenset({T.ROBOT_VACUUM})),
    _R("button", "vacuum.return_to_base", keywords=("return", "dock", "home", "복귀", "충전"),
       types=frozenset({T.ROBOT_VACUUM})),
    _R("button", "media.play", keywords=("play", "재생"), types=_MEDIA),
    _R("button", "media.pause", keywords=("pause", "일시정지"), types=_MEDIA),
)
"""How secondary entities map, first match wins."""

_RULES_BY_COMPONENT: Mapping[str, tuple[AuxRule, ...]] = {
    component: tuple(r for r in AUX_RULES if r.component == component)
    for component in {r.component for r in AUX_RULES}}
"""The rules of each component, in order."""

_AUX_BUILDERS: Mapping[str, Callable[[Entity, str], Part]] = {
    "sensor": sensor_part, "binary_sensor": binary_sensor_part, "number": number_part,
    "select": select_part, "switch": switch_part,
}


def _matches(rule: AuxRule, entity: Entity, words: str, device_type: DeviceType) -> bool:
    if rule.component != entity.component or (rule.types is not None and device_type not in rule.types):
        return False
    if rule.classes and entity.device_class in rule.classes:
        return True
    if rule.units and entity.device_class is None and entity.text("unit_of_measurement") in rule.units:
        return True
    return bool(rule.keywords) and has_word(words, rule.keywords)


Recipe = tuple[Callable[..., Part], tuple[str, ...]]
"""A part builder and its arguments after the entity: how an entity becomes a part of a device."""


def aux_recipe(entity: Entity, device_type: DeviceType, *, main_switch: bool = False) -> Recipe | None:
    """How a secondary entity gives a device of ``device_type`` a part, if any rule maps it."""
    builder = PRIMARY_BUILDERS.get(entity.component)
    if builder is not None:
        return builder, ()
    words = normalize_words(entity.words)
    for rule in _RULES_BY_COMPONENT.get(entity.component, ()):
        if _matches(rule, entity, words, device_type):
            if "." in rule.target:
                capability, command = rule.target.split(".", 1)
                return button_part, (capability, command)
            return _AUX_BUILDERS[entity.component], (rule.target,)
    if main_switch and entity.component == "switch":
        return switch_part, ("on",)
    return None


# --- building the devices of a group ------------------------------------------------------------

def slug(text: str, limit: int = 80) -> str:
    """A stable id fragment: lower case, ``[a-z0-9_.-]``; a short hash keeps apart texts it would merge."""
    clean = re.sub(r"[^a-z0-9_.-]+", "_", text.lower()).strip("_") or "x"
    if clean != text.lower() or len(clean) > limit:
        digest = hashlib.sha1(text.encode()).hexdigest()[:6]
        clean = f"{clean[:limit]}_{digest}"
    return clean


def _config_only(entity: Entity) -> bool:
    return entity.text("entity_category") in ("config", "diagnostic")


def _rank(entity: Entity) -> int:
    if entity.component in STRONG:
        return STRONG.index(entity.component)
    return len(STRONG) + ("switch", "binary_sensor", "sensor").index(entity.component) \
        if entity.component in ("switch", "binary_sensor", "sensor") else 99


def build_devices(group_id: str, entities: Sequence[Entity]) -> list[MqttDevice]:
    """The jipsa devices of one group of entities (``group_id`` already prefixed, e.g. ``mqtt_…``)."""
    entities = sorted(entities, key=lambda e: e.topic)
    info = _merge_info(entities)
    hint = type_hint(info, entities)
    signature = _signature(entities)
    if hint in APPLIANCES:
        assert hint is not None
        recipes = [(e, r) for e in entities if (r := aux_recipe(e, hint, main_switch=not _config_only(e)))]
        device = _assemble(recipes, group_id, hint, None, info, entities, signature)
        return [device] if device else []
    leaders = _leaders(entities)
    if not leaders:
        return []
    out: list[MqttDevice] = []
    for index, leader in enumerate(leaders):
        device_type, device_class = _type_of(leader, entities, hint)
        recipes = [(leader, _leader_recipe(leader))]
        if index == 0:
            for entity in entities:
                if entity not in leaders and (recipe := aux_recipe(entity, device_type)) is not None:
                    recipes.append((entity, recipe))
        device_id = group_id if len(leaders) == 1 else f"{group_id}_{slug(leader.object_id, 40)}"
        name = (info.name if info and info.name else None) or leader.name or leader.object_id
        if len(leaders) > 1 and leader.name and leader.name != name:
            name = f"{name} {leader.name}"
        device = _assemble(recipes, device_id, device_type, device_class, info, entities, signature,
                           name=name)
        if device is not None:
            out.append(device)
    return out


def _signature(entities: Sequence[Entity]) -> int:
    """What a group's devices are built from, as one 64-bit hash: its entities' topics and configs."""
    summary = hashlib.blake2b(digest_size=8)
    for entity in entities:
        summary.update(entity.topic.encode())
        summary.update(b"\0" + entity.digest.to_bytes(8, "big", signed=True))
    return int.from_bytes(summary.digest(), "big")


def _leaders(entities: Sequence[Entity]) -> list[Entity]:
    """The entities that each make a device (rule 2 of the module docstring)."""
    candidates = [e for e in entities if not _config_only(e)]
    strong = [e for e in candidates if e.component in STRONG]
    if strong:
        return sorted(strong, key=lambda e: (_rank(e), e.topic))
    switches = [e for e in candidates if e.component == "switch"]
    if switches:
        return switches
    binaries = [e for e in candidates if e.component == "binary_sensor" and e.device_class in BINARY_CLASSES
                and e.device_class != "battery"]
    if binaries:
        return binaries
    sensors = [e for e in entities if e.component == "sensor" and _sensor_attribute(e) is not None]
    order = list(SENSOR_CLASSES)
    sensors.sort(key=lambda e: order.index(e.device_class) if e.device_class in order else len(order))
    return sensors[:1]


def _sensor_attribute(entity: Entity) -> str | None:
    words = normalize_words(entity.words)
    rules = _RULES_BY_COMPONENT.get(entity.component, ())
    rule = next((r for r in rules if _matches(r, entity, words, T.SENSOR)), None)
    return rule.target if rule else None


def _leader_recipe(leader: Entity) -> Recipe:
    builder = PRIMARY_BUILDERS.get(leader.component)
    if builder is not None:
        return builder, ()
    if leader.component == "switch":
        return switch_part, ("on",)
    if leader.component == "binary_sensor":
        return binary_sensor_part, ("active",)
    return sensor_part, (_sensor_attribute(leader) or "temperature",)


def _type_of(leader: Entity, entities: Sequence[Entity], hint: DeviceType | None) -> tuple[
        DeviceType, DeviceClass | None]:
    component = leader.component
    chooser = _TYPE_BY_COMPONENT.get(component)
    if chooser is not None:
        return chooser(leader, entities, hint), None
    if component == "cover":
        return T.COVER, COVER_CLASSES.get(leader.device_class or "")
    if component == "binary_sensor":
        return T.BINARY_SENSOR, BINARY_CLASSES.get(leader.device_class or "")
    sensor_class = SENSOR_CLASSES.get(leader.device_class or "")
    if sensor_class is None and _sensor_attribute(leader) in ("pm25", "pm10"):
        sensor_class = DeviceClass.PM25
    return T.SENSOR, sensor_class


def _climate_type(leader: Entity, entities: Sequence[Entity], hint: DeviceType | None) -> DeviceType:
    modes = set(leader.strings("modes") or ("auto", "off", "cool", "heat", "dry", "fan_only"))
    can_turn_off = "off" in modes or leader.text("power_command_topic") is not None
    if hint in (T.THERMOSTAT, T.HEATER, T.BOILER, T.AIR_CONDITIONER):
        return hint
    if not can_turn_off:
        return T.THERMOSTAT
    if not modes & {"cool", "dry", "fan_only", "heat_cool"}:
        return T.HEATER  # it can only heat
    return T.AIR_CONDITIONER


def _fan_type(leader: Entity, entities: Sequence[Entity], hint: DeviceType | None) -> DeviceType:
    pm25 = any(e.component == "sensor" and _sensor_attribute(e) in ("pm25", "pm10") for e in entities)
    return T.AIR_PURIFIER if hint is T.AIR_PURIFIER or pm25 else T.FAN


def _humidifier_type(leader: Entity, entities: Sequence[Entity], hint: DeviceType | None) -> DeviceType:
    dry = leader.device_class == "dehumidifier" or hint is T.DEHUMIDIFIER
    return T.DEHUMIDIFIER if dry else T.HUMIDIFIER


def _switch_type(leader: Entity, entities: Sequence[Entity], hint: DeviceType | None) -> DeviceType:
    if hint in (T.LIGHT, T.FAN, T.HEATER, T.SWITCH, T.PLUG):
        return hint
    power = any(e.component == "sensor" and _sensor_attribute(e) == "power" for e in entities)
    return T.PLUG if leader.device_class == "outlet" or power else T.SWITCH


_TYPE_BY_COMPONENT: Mapping[str, Callable[[Entity, Sequence[Entity], DeviceType | None], DeviceType]] = {
    "climate": _climate_type,
    "water_heater": lambda leader, entities, hint: T.BOILER,
    "vacuum": lambda leader, entities, hint: T.ROBOT_VACUUM,
    "humidifier": _humidifier_type,
    "fan": _fan_type,
    "lock": lambda leader, entities, hint: T.DOOR_LOCK,
    "valve": lambda leader, entities, hint: T.GAS_VALVE,
    "light": lambda leader, entities, hint: T.LIGHT,
    "switch": _switch_type,
}


def _merge_info(entities: Sequence[Entity]) -> DeviceInfo | None:
    blocks = [e.device for e in entities if e.device is not None]
    if not blocks:
        return None

    def first(field: str) -> str | None:
        return next((v for b in blocks if (v := getattr(b, field))), None)
    return DeviceInfo(blocks[0].identifiers, first("name"), first("manufacturer"), first("model"),
                      first("model_id"), first("suggested_area"))


def _assemble(recipes: list[tuple[Entity, Recipe]], device_id: str, device_type: DeviceType,
              device_class: DeviceClass | None, info: DeviceInfo | None, entities: Sequence[Entity],
              signature: object, name: str | None = None) -> MqttDevice | None:
    name = name or (info.name if info and info.name else None) or next(
        (e.name for e in entities if e.name), None) or entities[0].object_id
    allowed = allowed_capabilities(device_type)
    if device_type is T.SENSOR and device_class is None:
        # Without a class a sensor's capability is whatever it reads.
        allowed = frozenset(_MEASUREMENTS)
    # The device's topics, each once, in the order its entities name them; each entity's topics as
    # the device's slots. Devices whose recipes, forms and slots are equal share one binding.
    slots: dict[str, int] = {}
    for entity, _recipe in recipes:
        for topic in entity.topics:
            slots.setdefault(topic, len(slots))
    placed = [tuple(slots[t] for t in entity.topics) for entity, _recipe in recipes]
    key = (allowed, tuple((recipe, entity.form, where) for (entity, recipe), where in zip(recipes, placed,
                                                                                         strict=True)))
    binding = _BINDINGS.get(key)
    if binding is None:
        parts = [builder(entity.placed(tuple(slot(i) for i in where)), *args)
                 for (entity, (builder, args)), where in zip(recipes, placed, strict=True)]
        binding = assemble(parts, allowed=allowed)
        if binding is None:
            return None
        _BINDINGS[key] = binding
    device = Device(
        id=device_id, name=name, type=device_type, area=info.suggested_area if info else None, vendor="mqtt",
        device_class=device_class, manufacturer=info.manufacturer if info else None,
        model=info.model if info else None, capabilities=binding.capabilities, limits=binding.limits)
    return MqttDevice(device, binding, tuple(slots), signature)


_BINDINGS: weakref.WeakValueDictionary[object, Binding] = weakref.WeakValueDictionary()
"""Bindings by what they are built from, as long as a device holds them."""
