"""From what a clause said to an intent and its arguments, for the devices it names.

:func:`plan` reads the clause alone (actions, setting nouns, values, numbers) and says what kind of thing
is asked and which devices could do it (:attr:`Plan.need`); after resolution :func:`finish` picks the
intent and the arguments in catalogue units for the chosen devices (docs/intents.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from jipsa.core.capabilities import Value
from jipsa.core.devices import Device, DeviceType
from jipsa.nlu.lexicon import ADJUSTMENTS, SWITCHABLE_TYPES, Action
from jipsa.nlu.numbers import Quantity

T = DeviceType
_APPLIANCES = (T.WASHER, T.DRYER, T.DISHWASHER, T.COFFEE_MACHINE)
_CLIMATE = (T.AIR_CONDITIONER, T.HEATER, T.BOILER, T.THERMOSTAT)
_STEP = {"temperature": 1, "brightness": 10, "volume": 5, "fan_speed": 1, "humidity": 5, "channel": 1,
         "position": 10}
_ATTR_OF_PARAM = {"temperature": "target_temperature", "humidity": "target_humidity"}
_STRENGTH = (Action.STRONGER, Action.WEAKER)
_SWITCH_ON = (Action.ON, Action.RUN, Action.START, Action.DO)
_PLAIN = {Action.ON, Action.OFF, Action.OPEN, Action.CLOSE, Action.LOCK, Action.UNLOCK, Action.RUN,
          Action.START, Action.PAUSE, Action.STOP, Action.RESUME, Action.MUTE, Action.UNMUTE,
          Action.DOCK, Action.CLEAN, Action.PURIFY}


@dataclass
class Clause:
    """What one clause of an utterance said, before devices are chosen."""

    actions: list[str] = field(default_factory=list)
    """Actions in spoken order."""
    attribute: str | None = None
    """The setting or reading named (``temperature``, ``volume``, ``fridge`` …)."""
    values: list[tuple[tuple[str, str], ...]] = field(default_factory=list)
    """Setting values named, each with its candidate attributes."""
    quantities: list[Quantity] = field(default_factory=list)
    """Numbers with units (times excluded)."""
    absolute: bool = False
    """A number was said with 로/으로/까지/to: a target, not a change."""
    more: bool = False
    maximum: bool = False
    minimum: bool = False
    negative: bool = False
    question: bool = False
    remaining: bool = False
    state_of: str | None = None
    """The state predicate of a question (``on``, ``open``, ``locked``)."""
    feature: str | None = None
    """The part of a car meant: ``climate`` (차 에어컨/히터) or ``lock`` (차 문)."""
    past: str | None = None
    """The action said in the past tense (잠갔어, 껐어): with a question mark it asks about state."""
    negated: bool = False
    """The action was said with -지 말다 (켜지 마, 끄지 말고): not wanted."""
    instead: bool = False
    """What the clause names was set aside for what follows (에어컨 말고 선풍기, 24도 말고 26도로)."""
    run_for: float | None = None
    """Seconds it should run (한 시간만 틀어 줘): switched off again after that."""
    opposite: bool = False
    """The verb was said with 안 and -게 (회전 안 하게 해): make it not do so."""
    leak: bool = False
    """Something was said to leak (물 새?, 가스 새는 것 같아)."""

    @property
    def main(self) -> str | None:
        """The action that decides: the last one, skipping 하다 and 시동."""
        if Action.DOCK in self.actions:
            return Action.DOCK
        if Action.CLEAN in self.actions:
            # 청소 그만해, 청소 잠깐 멈춰: stopping the cleaning, whatever order the words were read in
            halt = next((a for a in (Action.PAUSE, Action.STOP, Action.OFF) if a in self.actions), None)
            if halt is not None:
                return halt
        if self.actions and self.actions[-1] in _SWITCH_ON and (
                Action.STRONGER in self.actions or Action.WEAKER in self.actions):
            # 바람 세게 틀어, 선풍기 약하게 틀어 줘: the strength is the request, the verb only starts it
            return next(a for a in reversed(self.actions) if a in _STRENGTH)
        if Action.CLEAN in self.actions and self.actions[-1] in (Action.START, Action.RUN, Action.ON,
                                                                 Action.DO):
            return Action.CLEAN
        if self.actions and self.actions[-1] == Action.SET:
            # 따뜻한 색으로 바꿔, 시원하게 맞춰 줘, 다른 채널로 바꿔: the change asked is the feel or the
            # direction, the verb only sets it
            feel = next((a for a in reversed(self.actions) if a in ADJUSTMENTS), None)
            if feel is not None:
                return feel
        for action in reversed(self.actions):
            if action not in (Action.DO, Action.ENGINE):
                return action
        return self.actions[-1] if self.actions else None


@dataclass(frozen=True, slots=True)
class Plan:
    """What is asked, independent of the devices."""

    kind: str
    """``plain`` (an action such as on/off/open/start), ``set``, ``query`` or ``engine``."""
    action: str = ""
    """The action of a ``plain`` or ``engine`` plan, or the direction of a relative ``set``."""
    attribute: str | None = None
    """The setting family for ``set``, the asked attribute for ``query``."""
    quantity: Quantity | None = None
    """The number given, if any."""
    delta: int = 0
    """Direction of a relative change: -1, +1, or 0 for an absolute value."""
    extreme: str | None = None
    """``max`` or ``min``."""
    choices: tuple[tuple[str, str], ...] = ()
    """``(attribute, value)`` candidates from a value word."""
    feature: str | None = None
    """The car feature meant (``climate``, ``lock``), from :attr:`Clause.feature`."""


def plan(clause: Clause) -> Plan | None:
    """What the clause asks for, or ``None`` when it asks nothing jipsa can do."""
    p = _plan(clause)
    if p is not None and clause.feature is not None:
        p = replace(p, feature=clause.feature)
    return p


def _plan(clause: Clause) -> Plan | None:
    if clause.negated:
        return None
    main = clause.main
    qty = clause.quantities[0] if clause.quantities else None
    if clause.question or clause.remaining or main == Action.STATE:
        attr = clause.attribute
        if clause.remaining and attr is None:
            attr = "remaining_minutes"
        elif attr in ("fridge", "freezer"):
            attr = f"{attr}_temperature"
        elif attr == "door":
            attr = "open"
        elif attr is None and Action.ENGINE in clause.actions:
            attr = "engine_on"  # 시동 걸려 있나: the car's engine, whatever else could be on
        elif attr is None:
            attr = clause.state_of
        return Plan("query", attribute=attr)
    if (main in (Action.ON, Action.OFF) and Action.ENGINE in clause.actions) or (
            clause.actions == [Action.ENGINE]):
        return Plan("engine", action=Action.OFF if main in (Action.OFF, Action.STOP) else Action.ON)
    direction = ADJUSTMENTS.get(main or "", 0)
    if not direction:
        direction = next((ADJUSTMENTS[a] for a in reversed(clause.actions) if a in ADJUSTMENTS), 0)
    extreme = None
    if clause.maximum:
        extreme = "min" if direction < 0 else "max"
    elif clause.minimum:
        extreme = "min"
    motion = _motion(clause, main, qty, direction)
    if motion is not None:
        return motion
    if clause.values:
        choices = tuple(c for v in clause.values for c in v)
        if clause.attribute in ("mode", "fan_speed", "color", "input", *_MOTION_ATTRS):
            wanted = "hvac_mode" if clause.attribute == "mode" else clause.attribute
            if wanted in _MOTION_ATTRS:
                wanted = "swing_mode"  # 바람 방향 자동으로: the swing, not the mode
            ranked = [c for c in choices if c[0] == wanted or (wanted == "hvac_mode" and c[0] == "mode")]
            # 에코 모드로 돌려 on a dishwasher: the named family first, the word's other meanings after
            choices = (*ranked, *(c for c in choices if c not in ranked))
        if main in (Action.OFF, Action.STOP, Action.PAUSE):
            return Plan("plain", action=main)
        return Plan("set", action=main or "", choices=choices, attribute=choices[0][0])
    attr = clause.attribute
    if attr == "fan_speed" and main in (Action.WARMER, Action.COOLER):
        attr = "temperature"  # 바람이 너무 차가워, 바람 시원하게: the air it blows, not how hard
    if attr in ("color", "color_temp") and main in (Action.BRIGHTER, Action.DARKER):
        attr = "brightness"  # 밝은 색으로, 색 좀 어둡게: how bright it shines
    if attr in ("mode", "input", "pm10", "pm25", "battery", "remaining_minutes", "fuel_percent",
                "range_km", "door"):
        attr = None
    relative_action = main in ADJUSTMENTS
    if attr == "channel" and qty is None and main in (Action.SET, Action.RUN):
        # 채널 돌려, 채널 좀 바꿔 줘: another channel, the next one
        return Plan("set", action=Action.NEXT, attribute="channel", delta=+1)
    if attr is not None:
        if attr == "volume" and qty is None and extreme is None and main in (Action.ON, Action.OFF):
            # 소리 다시 켜, 티비 소리 좀 꺼: the sound, not the set
            return Plan("plain", action=Action.UNMUTE if main == Action.ON else Action.MUTE)
        if qty is None and not relative_action and extreme is None:
            if main in _PLAIN:
                return Plan("plain", action=main)
            return None
        return Plan("set", action=main or "", attribute=attr, quantity=qty,
                    delta=0 if (clause.absolute or not relative_action) and qty is not None else direction,
                    extreme=extreme)
    if qty is not None and qty.kind in ("degree", "percent", "half", "step", "count", "number"):
        if main in (Action.OPEN, Action.CLOSE) and qty.kind in ("percent", "half"):
            return Plan("set", action=main, attribute="position", quantity=qty)
        family = {"degree": "temperature", "step": "fan_speed", "count": "channel"}.get(qty.kind)
        delta = direction if relative_action and not clause.absolute else 0
        return Plan("set", action=main or "", attribute=family, quantity=qty, delta=delta, extreme=extreme)
    if relative_action or extreme is not None:
        family = {Action.COOLER: "temperature", Action.WARMER: "temperature",
                  Action.BRIGHTER: "brightness", Action.DARKER: "brightness", Action.LOUDER: "volume",
                  Action.QUIETER: "volume",
                  Action.STRONGER: "fan_speed", Action.WEAKER: "fan_speed",
                  Action.NEXT: "channel", Action.PREVIOUS: "channel", Action.MOISTER: "humidity",
                  Action.DRIER: "humidity"}.get(main or "")
        return Plan("set", action=main or "", attribute=family, delta=direction, extreme=extreme)
    if main in _PLAIN:
        return Plan("plain", action=main or "")
    return None


_MOTION_ATTRS = ("oscillating", "swing_mode", "vane")
_MOTION_VERBS = (Action.FIX, Action.FLATTEN, Action.UPRIGHT)
_SWING_ATTRS = ("oscillating", "swing_mode")
_MOTION_QUERIES = frozenset({*_MOTION_ATTRS, "tilt_position"})
_MOTION_ON = (None, Action.ON, Action.RUN, Action.START, Action.DO, Action.OPEN, Action.RESUME)
_MOTION_OFF = (Action.OFF, Action.STOP, Action.FIX, Action.CLOSE, Action.PAUSE)
_TILT_CUES = (Action.OPEN, Action.CLOSE, Action.FLATTEN, Action.UPRIGHT, Action.UP, Action.DOWN)
_SWINGS = {"oscillating": ("oscillating", "swing_mode"), "swing_mode": ("swing_mode", "oscillating"),
           "vane": ("swing_mode", "oscillating")}


def _motion(clause: Clause, main: str | None, qty: Quantity | None, direction: int) -> Plan | None:
    """Where the air or the slats point: a fan turning its head (회전 켜), an air conditioner's swing
    (바람 방향 고정해, 스윙 꺼), a blind's slats (블라인드 각도 반으로, 살 눕혀); ``None`` when the clause
    is about something else. A ``vane`` (각도, 날개) is the slats of a device that has them, else the
    swing of its air."""
    attr = clause.attribute
    if attr not in _MOTION_ATTRS and attr != "tilt_position" and main not in _MOTION_VERBS and not (
            clause.values and main in _MOTION_OFF):
        return None
    if main in (Action.FLATTEN, Action.UPRIGHT) and attr is None and not clause.values:
        attr = "tilt_position"  # 블라인드 눕혀: only slats lie down or stand up
    extreme = "max" if clause.maximum else "min" if clause.minimum else None
    swing: tuple[tuple[str, str], ...] = ()
    if clause.values and main in _MOTION_OFF and all(a in _SWING_ATTRS for v in clause.values for a, _ in v):
        # 상하 회전 꺼, 좌우로 그만: the swing stopped, not the device
        first = clause.values[0][0][0]
        return Plan("set", action=main or "", attribute=first, choices=_swing_choices(first, "off"))
    if attr in _MOTION_ATTRS or (main == Action.FIX and attr in (None, "fan_speed")):
        if clause.values or qty is not None or extreme is not None:
            pass
        elif main in _MOTION_OFF or (clause.opposite and main in _MOTION_ON):
            swing = _swing_choices(attr, "off")  # 회전 꺼, 날개 고정, 회전 안 하게 해
        elif main in _MOTION_ON and (attr in _MOTION_ATTRS or main == Action.FIX):
            swing = _swing_choices(attr, "on")
    if attr in ("tilt_position", "vane"):
        if qty is not None and qty.kind not in ("percent", "half", "number", "degree"):
            return None
        # 좀 더 열어, 조금 닫아: a step; 올려/내려 alone: a step
        step = main in (Action.UP, Action.DOWN) or (clause.more and main in (Action.OPEN, Action.CLOSE))
        delta = (+1 if main in (Action.UP, Action.OPEN) else -1) if step and qty is None else 0
        if attr == "vane" and not swing and qty is None and not delta and extreme is None \
                and main not in _TILT_CUES:
            return None
        return Plan("set", action=main or "", attribute=attr, quantity=qty, delta=delta, extreme=extreme,
                    choices=swing)
    if swing:
        return Plan("set", action=main or "", attribute=swing[0][0], choices=swing)
    return None


def _swing_choices(attr: str | None, value: str) -> tuple[tuple[str, str], ...]:
    first, second = _SWINGS.get(attr or "", ("swing_mode", "oscillating"))
    return (first, value), (second, value)


def _choice(dev: Device, attr: str, value: str) -> Value | None:
    """The argument ``value`` of a setting word gives ``attr`` on ``dev``, or ``None`` where it has no
    such setting: a fan's turning is on or off; an air conditioner swinging "on" without that value
    swings every way it can."""
    a = dev.attribute(attr)
    if a is None:
        return None
    if attr == "oscillating":
        return value == "on" if value in ("on", "off") else None
    if value in a.values:
        return value
    if attr == "swing_mode" and value == "on":
        return next((v for v in ("both", "vertical", "horizontal") if v in a.values), None)
    return None


def need(p: Plan) -> tuple[object, ...]:
    """A hashable key of the plan's device requirement (for caching); see :func:`supports`."""
    return (p.kind, p.action, p.attribute)


def supports(p: Plan, dev: Device) -> bool:
    """Whether ``dev`` can do what ``p`` asks."""
    if p.kind == "query":
        if p.attribute is None:
            return True
        if p.attribute in ("open", "locked_or_open"):
            return _open_attribute(dev) is not None
        if p.attribute == "presence":
            return dev.device_class is not None and dev.device_class.value in ("motion", "occupancy")
        if p.attribute == "leak":
            return dev.device_class is not None and dev.device_class.value == "leak"
        if p.attribute == "temperature":
            return dev.attribute("temperature") is not None or dev.has("target_temperature") or dev.has(
                "refrigeration") or dev.has("vehicle")
        if p.attribute in ("on", "remaining_minutes") and dev.attribute(p.attribute) is None \
                and dev.has("vacuum"):
            return True  # 청소기 돌아가?, 청소 다 했어?: whether it is cleaning
        if p.attribute == "on" and dev.attribute("on") is None and (dev.has("valve") or dev.has("vehicle")):
            return True  # 가스 껐어?: whether the valve is open; 차 시동 꺼졌어?: the engine
        if dev.attribute(p.attribute) is not None:
            return True
        return p.attribute in _MOTION_QUERIES and _motion_attribute(p.attribute, dev) is not None
    if p.kind == "engine":
        return dev.has("vehicle")
    if p.kind == "plain":
        return _plain_intent(p.action, dev, None, p.feature) is not None
    return _set_family(p, dev) is not None


def area_supports(p: Plan, dev: Device) -> bool:
    """Whether ``dev`` belongs in "everything in this room" for ``p``."""
    if p.kind == "plain" and p.action in (Action.ON, Action.OFF, Action.STOP):
        return dev.type in SWITCHABLE_TYPES and dev.has("on_off")
    if p.kind == "query" and p.attribute == "temperature" and (dev.has("refrigeration")
                                                              or dev.has("vehicle")):
        return False  # 주방 몇 도야 asks about the room, not the fridge
    if dev.type is T.LIGHT and p.kind == "set" and p.action in (Action.WARMER, Action.COOLER) \
            and p.attribute in (None, "temperature"):
        return False  # 거실 따뜻하게 asks for heat; a light is made warm only when it is named
    return supports(p, dev)


def default_types(p: Plan) -> tuple[DeviceType, ...]:
    """Device types preferred when nothing is named."""
    if p.kind == "query":
        if p.attribute in ("temperature", "humidity"):
            return (T.SENSOR,)
        return ()
    if p.kind == "set":
        if p.action == Action.COOLER:
            return (T.AIR_CONDITIONER, T.THERMOSTAT)
        if p.action == Action.WARMER:
            return (T.HEATER, T.BOILER, T.THERMOSTAT)
        if p.action == Action.MOISTER or (p.attribute == "humidity" and p.delta > 0):
            return (T.HUMIDIFIER,)
        if p.action == Action.DRIER or (p.attribute == "humidity" and p.delta < 0):
            return (T.DEHUMIDIFIER,)
        if p.attribute in ("volume", "channel", "input"):
            return (T.TV,)
        if p.attribute == "oscillating":
            return (T.FAN,)  # 회전 켜 줘: a fan turning its head before an air conditioner's swing
        if p.attribute == "swing_mode":
            return (T.AIR_CONDITIONER,)
    if p.kind == "plain" and p.action == Action.CLEAN:
        return (T.ROBOT_VACUUM,)
    if p.kind == "plain" and p.action == Action.PURIFY:
        return (T.AIR_PURIFIER,)
    if p.kind == "plain" and p.action in (Action.RESUME, Action.PAUSE):
        return (T.TV, T.SPEAKER)  # 다시 재생해, 일시정지: what is playing
    return ()


def _motion_attribute(asked: str, dev: Device) -> str | None:
    """What a question about turning, swinging or slats asks of ``dev``: 에어컨 회전 중이야? is its
    swing, 선풍기 바람 방향 어때? its turning, 블라인드 각도 어때? its slats."""
    order = {"tilt_position": ("tilt_position",), "vane": ("tilt_position", "swing_mode", "oscillating"),
             "oscillating": ("oscillating", "swing_mode"), "swing_mode": ("swing_mode", "oscillating")}
    return next((a for a in order.get(asked, ()) if dev.attribute(a) is not None), None)


def _open_attribute(dev: Device) -> str | None:
    if dev.has("lock"):
        return "locked"
    if dev.has("refrigeration"):
        return "door_open"
    if dev.has("binary_sensor") and dev.device_class is not None and dev.device_class.value in (
            "door", "window"):
        return "active"
    if dev.has("position"):
        return "position"
    if dev.has("valve"):
        return "valve_open"
    return None


def _plain_intent(action: str, dev: Device, qty: Quantity | None, feature: str | None = None) -> str | None:
    if dev.has("vehicle"):
        # the car: lock (잠가 / 차 문 열어) and its climate (차 에어컨 켜); the engine is Plan "engine"
        if action in (Action.LOCK, Action.CLOSE, Action.UNLOCK, Action.OPEN):
            return "HassTurnOn" if action in (Action.LOCK, Action.CLOSE) else "HassTurnOff"
        if action in (Action.ON, Action.RUN, Action.START, Action.OFF, Action.STOP):
            # 차 에어컨 켜: its climate; start the car, 차 꺼: its engine
            return "HassTurnOn" if action in (Action.ON, Action.RUN, Action.START) else "HassTurnOff"
        return None
    media = dev.has("media")
    appliance = dev.has("operation")
    vacuum = dev.has("vacuum")
    if action in (Action.ON, Action.OFF):
        on = action == Action.ON
        if vacuum:
            return "HassVacuumStart" if on else "JipsaStop"
        if dev.has("on_off") or dev.has("position") or dev.has("valve"):
            return "HassTurnOn" if on else "HassTurnOff"
        return None
    if action in (Action.OPEN, Action.CLOSE):
        opening = action == Action.OPEN
        if dev.has("position"):
            return "HassTurnOn" if opening else "HassTurnOff"
        if dev.has("lock") and not dev.has("vehicle"):
            return "HassTurnOff" if opening else "HassTurnOn"
        if dev.has("valve"):
            return "HassTurnOn" if opening else "HassTurnOff"
        return None
    if action in (Action.LOCK, Action.UNLOCK):
        locking = action == Action.LOCK
        if dev.has("lock") and not dev.has("vehicle"):
            return "HassTurnOn" if locking else "HassTurnOff"
        if dev.has("valve"):
            return "HassTurnOff" if locking else "HassTurnOn"
        return None
    if action in (Action.RUN, Action.START, Action.RESUME):
        if appliance:
            return "JipsaStart"
        if vacuum:
            return "HassVacuumStart"
        if media and action == Action.RESUME:
            return "HassMediaUnpause"
        return "HassTurnOn" if dev.has("on_off") and action != Action.RESUME else None
    if action == Action.PAUSE:
        if appliance or vacuum:
            return "JipsaPause"
        return "HassMediaPause" if media else None
    if action == Action.STOP:
        if appliance or vacuum:
            return "JipsaStop"
        if media:
            return "HassMediaPause"
        return "HassTurnOff" if dev.has("on_off") else None
    if action in (Action.MUTE, Action.UNMUTE):
        if media:
            return "HassMediaPlayerMute" if action == Action.MUTE else "HassMediaPlayerUnmute"
        return None
    if action == Action.DOCK:
        return "HassVacuumReturnToBase" if vacuum else None
    if action == Action.CLEAN:
        return "HassVacuumStart" if vacuum else None
    if action == Action.PURIFY:
        return "HassTurnOn" if dev.type is T.AIR_PURIFIER and dev.has("on_off") else None
    return None


def _set_family(p: Plan, dev: Device) -> str | None:
    """The attribute family ``p`` sets on ``dev``."""
    if dev.type is T.LIGHT and p.action in (Action.WARMER, Action.COOLER) and p.quantity is None \
            and p.attribute in (None, "temperature", "color_temp", "color") \
            and (dev.attribute("color_temp") is not None or dev.attribute("color") is not None):
        return "warmth"  # 조명 따뜻하게, 색 차갑게: the light's colour, not a temperature
    if p.choices:
        if p.attribute == "vane" and dev.attribute("tilt_position") is not None:
            return "tilt_position"  # 블라인드 날개 고정: a blind's vanes are its slats
        for attr, value in p.choices:
            if attr in _SWING_ATTRS:
                if _choice(dev, attr, value) is not None:
                    return attr
                continue
            a = dev.attribute(attr)
            if a is not None and value in a.values:
                return attr
        return None
    fam = p.attribute
    if fam is None:
        q = p.quantity
        if dev.type is T.COFFEE_MACHINE and p.action == Action.DOWN:
            return None
        if dev.has("brightness"):
            fam = "brightness"
        elif p.extreme is not None and q is None and dev.has("fan_speed") and dev.has("target_temperature"):
            fam = "fan_speed"  # 에어컨 최대로 (틀어): as strong as it goes, not its warmest setting
        elif dev.has("position"):
            fam = "position"
        elif dev.has("target_temperature") and (q is None or q.kind in ("number",)):
            fam = "temperature"
        elif dev.has("media"):
            fam = "volume" if q is None or q.kind in ("percent", "half") else "channel"
        elif dev.has("target_humidity"):
            fam = "humidity"
        elif dev.has("fan_speed") and (q is None or q.kind == "step"):
            fam = "fan_speed"
        else:
            return _car_climate(p, dev)
    if fam == "temperature":
        if dev.has("vehicle"):
            # 차 히터 25도로: the car's climate target; it has no relative setting
            return "temperature" if p.quantity is not None and p.delta == 0 and p.extreme is None \
                else _car_climate(p, dev)
        if dev.has("refrigeration"):
            return "fridge"
        return "temperature" if dev.has("target_temperature") else None
    if fam in ("fridge", "freezer"):
        return fam if dev.has("refrigeration") else None
    if fam == "volume" and not dev.has("media") and dev.has("fan_speed") and p.delta < 0:
        return "fan_speed"
    if fam == "fan_speed" and not dev.has("fan_speed") and dev.type in (T.BOILER, T.HEATER) \
            and dev.has("target_temperature") and p.quantity is None and p.extreme is None:
        return "temperature"  # 보일러 세게/약하게: a heater without a fan runs stronger by being warmer
    if fam == "fan_speed" and not dev.has("fan_speed") and dev.has("target_humidity") \
            and p.quantity is None and p.extreme is None and p.action in _STRENGTH:
        return "humidity"  # 가습기 세게: more moisture (a dehumidifier: drier)
    if fam == "fan_speed" and p.action == Action.QUIETER and not dev.has("fan_speed"):
        return "volume" if dev.has("media") else None
    attr_name = {"volume": "volume", "channel": "channel", "brightness": "brightness",
                 "position": "position", "humidity": "target_humidity", "fan_speed": "fan_speed",
                 "color": "color", "color_temp": "color_temp", "tilt_position": "tilt_position",
                 "vane": "tilt_position"}.get(fam)
    if attr_name is None or dev.attribute(attr_name) is None:
        return None
    return "tilt_position" if fam == "vane" else fam  # 블라인드 각도: a blind's vanes are its slats


def _car_climate(p: Plan, dev: Device) -> str | None:
    """차 따뜻하게 해 놔, 차가 너무 더워: the car's climate switched on (it keeps its own target)."""
    if dev.type is T.VEHICLE and p.action in (Action.WARMER, Action.COOLER) and p.quantity is None:
        return "car_climate"
    return None


_SET_INTENT = {"temperature": "HassClimateSetTemperature", "brightness": "HassLightSet",
               "color": "HassLightSet", "color_temp": "HassLightSet", "volume": "HassSetVolume",
               "channel": "JipsaSetChannel", "fan_speed": "HassFanSetSpeed",
               "humidity": "HassHumidifierSetpoint", "position": "HassSetPosition",
               "hvac_mode": "JipsaSetMode", "mode": "JipsaSetMode", "input": "JipsaSetInput",
               "fridge": "JipsaSetFridgeTemperature", "freezer": "JipsaSetFreezerTemperature",
               "oscillating": "JipsaSetOscillation", "swing_mode": "JipsaSetSwing",
               "tilt_position": "JipsaSetTilt"}


def finish(p: Plan, dev: Device, clause: Clause) -> tuple[str, dict[str, Value], dict[str, Value]] | None:
    """Intent, args and extra slots of ``p`` on ``dev`` (the first target decides), or ``None``."""
    if p.kind == "query":
        attr = p.attribute
        if attr == "temperature":
            if dev.has("refrigeration"):
                return "HassGetState", {}, {"attribute": "fridge_temperature"}
            if dev.has("vehicle") and dev.attribute("temperature") is None:
                return "HassGetState", {}, {"attribute": "cabin_temperature"}
            return "HassClimateGetTemperature", {}, {}
        if attr == "open":
            attr = _open_attribute(dev)
        elif attr in _MOTION_ATTRS or attr == "tilt_position":
            attr = _motion_attribute(attr, dev)
        elif attr in ("presence", "leak"):
            attr = "active"
        elif attr in ("on", "remaining_minutes") and dev.attribute(attr) is None and dev.has("vacuum"):
            attr = "vacuum_state"
        elif attr == "on" and dev.attribute("on") is None and dev.has("valve"):
            attr = "valve_open"
        elif attr == "on" and dev.attribute("on") is None and dev.has("vehicle"):
            attr = "engine_on"
        slots: dict[str, Value] = {"attribute": attr} if attr else {}
        return "HassGetState", {}, slots
    if p.kind == "engine":
        return ("HassTurnOn" if p.action == Action.ON else "HassTurnOff"), {}, {}
    if p.kind == "plain":
        intent = _plain_intent(p.action, dev, p.quantity, p.feature)
        if intent is None:
            return None
        if dev.has("vehicle"):
            if p.action in (Action.LOCK, Action.UNLOCK, Action.OPEN, Action.CLOSE):
                return intent, {}, {"feature": "lock"}
            return intent, {}, {"feature": "climate"} if p.feature == "climate" else {}
        return intent, {}, {}
    fam = _set_family(p, dev)
    if fam is None:
        return None
    if fam == "warmth":
        return _light_warmth(dev, warm=p.action == Action.WARMER)
    if fam == "car_climate":
        return "HassTurnOn", {}, {"feature": "climate"}
    if fam == "tilt_position":
        return _tilt(p, dev, clause)
    if p.choices:
        for attr, value in p.choices:
            a = dev.attribute(attr)
            chosen = _choice(dev, attr, value)
            if a is not None and chosen is not None:
                if attr in ("oscillating", "swing_mode"):
                    return _SET_INTENT[attr], {attr: chosen}, {}
                if attr == "program":
                    if dev.type is T.COFFEE_MACHINE and p.action in (Action.DOWN, Action.DO):
                        return "JipsaStart", {"program": value}, {}  # 아메리카노 내려 줘: brew it
                    if p.action in (Action.DOWN, Action.UP):
                        return None
                    if p.action == Action.SET:  # 쾌속으로 바꿔: change the programme, do not start
                        return "JipsaSetProgram", {"program": value}, {}
                    return "JipsaStart", {"program": value}, {}
                return _SET_INTENT[attr], {attr: value}, {}
        return None
    return _numeric(p, fam, dev, clause)


def _numeric(p: Plan, fam: str, dev: Device, clause: Clause) -> tuple[str, dict[str, Value],
                                                                       dict[str, Value]] | None:
    intent = _SET_INTENT[fam]
    q = p.quantity
    if fam in ("fridge", "freezer"):
        if p.delta != 0 and not clause.negative and p.extreme is None:
            # 냉장고 온도 한 도 올려, 냉동실 좀 더 낮춰: a change from where it is, not a setting
            return intent, {"temperature_delta": p.delta * (abs(q.as_value) if q is not None else 1)}, {}
        if q is None:
            return None
        value = -abs(q.as_value) if clause.negative or fam == "freezer" else q.as_value
        if value < 0:
            fam, intent = "freezer", _SET_INTENT["freezer"]
        return intent, {"temperature": value}, {}
    if fam == "fan_speed":
        return _fan(p, dev)
    param = "temperature" if fam == "temperature" else "humidity" if fam == "humidity" else fam
    attr = dev.attribute(_ATTR_OF_PARAM.get(param, param))
    if p.extreme is not None:
        if attr is None or attr.minimum is None or attr.maximum is None:
            return None
        low = 1 if fam == "brightness" else attr.minimum
        value = attr.maximum if p.extreme == "max" else low
        return intent, {param: _num(value)}, {}
    if q is None:
        if fam == "humidity" and p.action in _STRENGTH and dev.type is T.DEHUMIDIFIER:
            return intent, {"humidity_delta": -p.delta * _STEP["humidity"]}, {}
        if fam == "position" and p.delta != 0:
            return ("HassTurnOn" if p.delta > 0 else "HassTurnOff"), {}, {}
        if p.delta == 0:
            return None
        return intent, {f"{param}_delta": p.delta * _STEP.get(fam, 1)}, {}
    number = q.as_value
    if fam == "position":
        # N% 닫아 / N% 내려 closes by N; N%로 내려 goes to N
        closing = p.action == Action.CLOSE or (p.action == Action.DOWN and not clause.absolute)
        return intent, {"position": 100 - number if closing else number}, {}
    if clause.negative:
        number = -abs(number)
    if p.delta != 0:
        return intent, {f"{param}_delta": p.delta * abs(number)}, {}
    return intent, {param: number}, {}


def _tilt(p: Plan, dev: Device, clause: Clause) -> tuple[str, dict[str, Value], dict[str, Value]] | None:
    """A blind's slats: open (열어, 눕혀) 100, closed (닫아, 세워) 0, N% or half; N% 닫아 closes by N as
    the position does; 올려/내려 alone turn them a step."""
    q = p.quantity
    closing = p.action in (Action.CLOSE, Action.UPRIGHT, Action.OFF)
    if q is not None:
        number = q.as_value
        if not 0 <= number <= 100:
            return None
        return "JipsaSetTilt", {"tilt_position": 100 - number if closing and not clause.absolute
                                else number}, {}
    if p.delta != 0:
        return "JipsaSetTilt", {"tilt_position_delta": p.delta * _STEP["position"]}, {}
    if p.extreme is not None:
        return "JipsaSetTilt", {"tilt_position": 100 if p.extreme == "max" else 0}, {}
    if p.action in (Action.OPEN, Action.FLATTEN):
        return "JipsaSetTilt", {"tilt_position": 100}, {}
    if closing:
        return "JipsaSetTilt", {"tilt_position": 0}, {}
    return None


WARM_WHITE_K = 2700
"""The colour temperature of 따뜻하게 on a light (warm white)."""
DAYLIGHT_K = 6500
"""The colour temperature of 차갑게/시원하게 on a light (daylight)."""


def _light_warmth(dev: Device, *, warm: bool) -> tuple[str, dict[str, Value], dict[str, Value]] | None:
    """A light made warm or cool: warm white or daylight, within what it can do; a colour light without
    a colour temperature takes its warm white or white."""
    attr = dev.attribute("color_temp")
    if attr is not None and attr.minimum is not None and attr.maximum is not None:
        value = min(max(WARM_WHITE_K if warm else DAYLIGHT_K, attr.minimum), attr.maximum)
        return "HassLightSet", {"color_temp": _num(value)}, {}
    colors = dev.attribute("color")
    choice = "warm_white" if warm else "white"
    if colors is not None and choice in colors.values:
        return "HassLightSet", {"color": choice}, {}
    return None


def _fan(p: Plan, dev: Device) -> tuple[str, dict[str, Value], dict[str, Value]] | None:
    attr = dev.attribute("fan_speed")
    if attr is None:
        return None
    levels = [v for v in attr.values if v != "auto"]
    if not levels:
        return None
    if p.extreme is not None:
        return "HassFanSetSpeed", {"fan_speed": levels[-1] if p.extreme == "max" else levels[0]}, {}
    q = p.quantity
    if q is not None and p.delta == 0:
        index = int(q.value) - 1
        if q.value != int(q.value) or not 0 <= index < len(levels):
            return None
        return "HassFanSetSpeed", {"fan_speed": levels[index]}, {}
    if p.delta == 0:
        return None
    step = int(q.value) if q is not None else 1
    return "HassFanSetSpeed", {"fan_speed_delta": p.delta * step}, {}


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def describe(devices: Sequence[Device]) -> str:
    """Device ids, for debugging output."""
    return ", ".join(d.id for d in devices)
