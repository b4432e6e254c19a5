"""The pipeline: text → clauses → frames, for one home.

normalise → find numbers and times → spot names (devices, areas, type nouns, settings) → blank them out →
morphology on what is left (predicates, clause endings, question words: :mod:`jipsa.nlu.read`) → split
into clauses at -고/-서/그리고/and → one :class:`Clause` each, sharing dropped context with the one before
(``에어컨 켜서 24도로 맞춰``: the second clause has no device, so it takes the first one's) → plan, resolve,
finish → frames. An utterance that names no device may be a routine's name (:mod:`jipsa.nlu.routines`).

An :class:`Understander` holds the compiled index of one home and is cheap to call; parsing never raises
on any ``str`` and refuses inputs over :data:`MAX_CHARS` with the reason ``too_long``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from jipsa.core.capabilities import Value
from jipsa.core.devices import DeviceClass, DeviceType, Home
from jipsa.nlu import intents
from jipsa.nlu.conditional import conditional_clause, drop_hedge
from jipsa.nlu.conditions import (
    ConditionText,
    QualityText,
    quality_question,
    split_condition,
    subject_question,
)
from jipsa.nlu.frame import Frame, ParseResult
from jipsa.nlu.intents import Clause, Plan
from jipsa.nlu.lexicon import (
    ALL_WORDS,
    EN_WORDS,
    VEHICLE_CLIMATE_WORDS,
    Action,
)
from jipsa.nlu.manage import manage_frame
from jipsa.nlu.morphology import Morph, Morphology, english_tokens, shared_morphology
from jipsa.nlu.normalize import compact, normalize, standard_verbs
from jipsa.nlu.numbers import Quantity, find_quantities
from jipsa.nlu.read import read_english, read_korean
from jipsa.nlu.resolve import Resolver, Wanted, domain_of
from jipsa.nlu.routines import (
    occasion_forms,
    routine_key,
    routine_words,
    volitional_forms,
    without_place,
)
from jipsa.nlu.spot import Mention, Spotter

MAX_CHARS = 2000
"""Longer inputs are refused with ``too_long``: no spoken command is that long."""

_NEEDS_NAME = {Action.ON, Action.OFF, Action.OPEN, Action.CLOSE, Action.LOCK, Action.UNLOCK, Action.RUN,
               Action.START, Action.STOP}
_EN_VACUUM = re.compile(r"^vacuum (?=the |my |in |upstairs|downstairs)")
_HANGUL = re.compile(r"[가-힣]")
_CUPS = re.compile(r"(?:한|두|세|네|\d+) ?잔|\bcups? of\b"
                   r"|\b(?:a|an|another|one) (?:coffee|espresso|americano)\b")
_READING_INTENTS = {"HassGetState": None, "HassClimateGetTemperature": "temperature"}
_NUMERIC_READINGS = {"temperature", "humidity", "pm25", "pm10", "cabin_temperature"}
_OWN_KIND = frozenset({DeviceClass.GARAGE, DeviceClass.GATE})
"""Covers that are never another kind of cover (a garage door is no blind)."""
_WHOLE_HOME_HEATING = (DeviceType.BOILER, DeviceType.THERMOSTAT)
"""What heats every room of a home."""
_EN_HEAT = frozenset({"heat", "heating"})
_HEATING = (DeviceType.BOILER, DeviceType.THERMOSTAT, DeviceType.HEATER)
"""What heats a home, whole-home heating first: "the heat" said of nothing else."""
_CHORES = frozenset({DeviceType.WASHER, DeviceType.DRYER, DeviceType.DISHWASHER})
"""Machines whose chore said with 하다 (빨래 해, 설거지 해 줘) starts them."""
_MOTION_ATTRS = frozenset({"oscillating", "swing_mode", "vane", "tilt_position"})
_PROGRAMMES = re.compile(
    r"(?<![a-z0-9가-힣])(?:kbs ?[12]?|mbc|sbs|ebs ?[12]?|jtbc|tvn|ytn|mbn|ocn|tv ?조선|채널 ?a|채널에이|"
    r"케이비에스|엠비씨|에스비에스|이비에스|제이티비씨|티비엔|와이티엔|연합뉴스|넷플릭스|유튜브|티빙|웨이브|"
    r"디즈니 ?플러스|쿠팡 ?플레이|netflix|youtube|disney ?plus)(?![a-z0-9])")
"""Channels and services said by name: a home file knows channels by number only, so jipsa cannot tune
to them (a named one is never a plain switch-on of the TV)."""
_NAMED_PROGRAMME = "named_programme"
UNHELD_VALUES = frozenset({"wind_free", "aimed"})
"""Settings people ask for that no capability holds (무풍, 바람 방향 아래로): always ``unsupported``."""


def names_programme(text: str) -> bool:
    """Whether ``text`` names a channel or service (KBS, 넷플릭스): for a reply that asks for a number."""
    return isinstance(text, str) and len(text) <= MAX_CHARS and _PROGRAMMES.search(
        normalize(text).text) is not None
_LAUNDRY = frozenset({"옷", "이불", "수건", "세탁물", "양말", "빨랫감", "옷가지", "속옷"})
"""What is dried in a dryer (옷 좀 말려 줘)."""
_OWNED_WORDS = {"살": DeviceType.COVER, "고개": DeviceType.FAN}
"""Setting words that are other words unless their device is named beside them (블라인드 살)."""
_FLOOR_WORDS = frozenset({"바닥", "방바닥", "온돌", "마루", "거실바닥", "냉골"})
"""What the boiler heats: a complaint about the floor is the boiler's."""
_SWITCHED_BACK = {"HassTurnOn": "HassTurnOff", "HassTurnOff": "HassTurnOn"}
"""What a device switched for a while (한 시간만 틀어 줘, 5분만 꺼 줘) is switched to after it."""
_JOINERS = {"고", "어서", "아서", "서", "며", "면서", "고서", "구"}
_SPLIT_WORDS = {"그리고", "그다음", "그다음에", "그리구", "그러고", "다음에", "그러고서"}


@dataclass
class _Part:
    """The raw material of one clause."""

    start: int
    end: int
    mentions: list[Mention] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    morphs: list[Morph] = field(default_factory=list)
    said: list[Mention] = field(default_factory=list)
    """Every mention of the utterance, for words that need their device said anywhere in it."""


class Understander:
    """Understands utterances about one home; build once per home, call many times."""

    def __init__(self, home: Home, morphology: Morphology | None = None) -> None:
        self.home = home
        self.spotter = Spotter(home)
        self.resolver = Resolver(home)
        self.morphology = morphology or shared_morphology()
        self._boilers = any(d.type is DeviceType.BOILER for d in home.devices)
        self._vacuums = tuple(d for d in home.devices if d.type is DeviceType.ROBOT_VACUUM)
        self._routines: dict[str, str] = {}
        for routine in home.routines:
            for name in (routine.name, *routine.aliases):
                for form in volitional_forms(routine_words(normalize(name).text)):
                    self._routines.setdefault(routine_key(form), routine.id)
        # Then other sayings of the same occasion (출근할게 for a routine called 외출 모드), where no
        # routine's own name took them.
        for key, routine_id in list(self._routines.items()):
            for other in occasion_forms(key):
                self._routines.setdefault(other, routine_id)

    def _is_car(self, m: Mention) -> bool:
        dev = m.first("device")
        if dev is not None:
            return any(d is not None and d.has("vehicle") for d in (self.home.device(i) for i in dev.ids))
        kind = m.first("type")
        return kind is not None and kind.dtype is DeviceType.VEHICLE

    def _car_in(self, mentions: Sequence[Mention]) -> bool:
        return any(self._is_car(m) for m in mentions)

    def _head_noun(self, body: str, before: Mention, m: Mention, dtype: DeviceType) -> bool:
        """Whether type word ``m`` only says what the device named right before it is (책상 불 for a
        desk lamp called 책상 스탠드)."""
        dev = before.first("device")
        return dev is not None and not before.particle and not body[before.end:m.start].strip() and all(
            d is not None and d.type is dtype for d in map(self.home.device, dev.ids))

    def _drying(self, part: _Part, devices: list[str],
                types: list[tuple[DeviceType, DeviceClass | None]]) -> bool:
        """Whether the clause asks to dry the laundry (빨래 말려, 옷 좀 말려 줘) in a home with a dryer."""
        if not any(m.form == "말리" and m.tag == "VV" for m in part.morphs):
            return False
        washers = all(d is not None and d.type is DeviceType.WASHER for d in map(self.home.device, devices))
        laundry = any(m.form in _LAUNDRY for m in part.morphs) or (devices and washers) or (
            types and all(t[0] is DeviceType.WASHER for t in types))
        return bool(laundry) and washers and bool(self.resolver.of_type(DeviceType.DRYER, None))

    def _is_kind(self, m: Mention, dtype: DeviceType) -> bool:
        """Whether mention ``m`` names a device of type ``dtype`` or the type itself."""
        dev, kind = m.first("device"), m.first("type")
        if dev is not None:
            return any(d is not None and d.type is dtype for d in map(self.home.device, dev.ids))
        return kind is not None and kind.dtype is dtype

    def _in_area(self, device_id: str, area: str) -> bool:
        dev = self.home.device(device_id)
        return dev is not None and dev.area == area

    def _named_devices(self, mentions: Sequence[Mention]) -> tuple[str, ...]:
        """Every device the mentions name, directly or by type (for requests about schedules)."""
        ids: list[str] = []
        for m in mentions:
            dev, kind = m.first("device"), m.first("type")
            if dev is not None:
                ids.extend(dev.ids)
            elif kind is not None and kind.dtype is not None:
                ids.extend(d.id for d in self.resolver.of_type(kind.dtype, kind.dclass))
        return self.resolver.sort(dict.fromkeys(ids))

    def mentioned(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The area ids and device ids that ``text`` names (``안방``, ``거실 거``, ``작은방 에어컨``): for
        answers given as a fragment, which name a choice rather than ask for anything."""
        if not isinstance(text, str) or len(text) > MAX_CHARS:
            return (), ()
        body = normalize(text).text
        areas: list[str] = []
        devices: list[str] = []
        for m in self.spotter.scan(body, [False] * len(body)):
            area, dev = m.first("area"), m.first("device")
            if dev is not None:
                devices.extend(dev.ids)
            elif area is not None:
                areas.extend(area.ids)
        return tuple(dict.fromkeys(areas)), tuple(dict.fromkeys(devices))

    def parse(self, text: str, area: str | None = None) -> list[Frame]:
        """The frames of ``text``; empty when nothing was understood."""
        return list(self.understand(text, area).frames)

    def understand(self, text: str, area: str | None = None) -> ParseResult:
        """Everything understood in ``text`` said in ``area`` (an area id), with a reason when nothing."""
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        if len(text) > MAX_CHARS:
            return ParseResult(text, reason="too_long")
        norm = normalize(text)
        if not norm.text:
            return ParseResult(text, reason="empty")
        speaker_area = area if area is not None and self.home.area(area) is not None else None
        said = drop_hedge(norm.text)
        condition = split_condition(said)
        if condition is not None:
            return self._conditional(text, condition, bool(_HANGUL.search(said)), speaker_area)
        body = _EN_VACUUM.sub("clean ", said)
        quantities = find_quantities(body)
        blocked = [False] * len(body)
        for q in quantities:
            for i in range(q.start, _particle_end(body, q.end)):
                blocked[i] = True
        if conditional_clause(body, quantities, self.morphology):
            return ParseResult(text, reason="unknown_condition")  # 문 열리면 …: nothing to watch it with
        mentions = self.spotter.scan(body, blocked)
        halves = _glued_halves(body, mentions, quantities)
        if halves:
            quantities = sorted([*quantities, *halves], key=lambda q: q.start)
        managed = manage_frame(body, quantities, self._named_devices(mentions))
        if managed is not None:
            return ParseResult(text, (managed,))
        if not any(m.first("device") or m.first("type") for m in mentions):
            routine = self._routine_of(body)
            if routine is not None:
                return ParseResult(text, (Frame("JipsaRunRoutine", {"name": body}, (),
                                                {"routine": routine}),))
        residual = list(body)
        for span in [*((q.start, _particle_end(body, q.end)) for q in quantities),
                     *((m.start, m.end) for m in mentions)]:
            for i in range(span[0], span[1]):
                residual[i] = " "
        rest = standard_verbs("".join(residual))
        korean = bool(_HANGUL.search(rest)) or (bool(_HANGUL.search(body)) and not rest.strip())
        morphs = self.morphology.analyze(rest) if korean else english_tokens(rest)
        parts = _split(body, morphs, mentions, quantities, korean)
        return self._frames(text, body, parts, korean, norm.question, speaker_area)

    def _routine_of(self, body: str) -> str | None:
        """The routine ``body`` asks for by name or occasion, or ``None``; also the occasion said and the
        routine then asked for by name (영화 볼 거야 영화 모드 켜), both naming the same one."""
        routine = self._routines.get(routine_key(routine_words(body))) or self._routines.get(
            routine_key(routine_words(without_place(body))))
        if routine is not None or body.count(" ") > 8:
            return routine
        at = body.find(" ")
        while at > 0:
            first = self._routines.get(routine_key(routine_words(body[:at])))
            if first is not None and first == self._routines.get(routine_key(routine_words(body[at + 1:]))):
                return first
            at = body.find(" ", at + 1)
        return None

    def _conditional(self, text: str, condition: ConditionText | QualityText, korean: bool,
                     speaker_area: str | None) -> ParseResult:
        """The action's frames, each with a ``condition`` slot naming the reading it waits for."""
        if isinstance(condition, QualityText):
            asked = quality_question(condition, korean)
        else:
            asked = subject_question(condition, korean)
        question = self.understand(asked, speaker_area)
        reading = next((f for f in question.frames if f.intent in _READING_INTENTS), None)
        attribute = None
        if reading is not None:
            attribute = reading.slots.get("attribute") or _READING_INTENTS[reading.intent]
        if reading is None or attribute not in _NUMERIC_READINGS:
            return ParseResult(text, reason="unknown_condition")
        if isinstance(condition, QualityText):
            attribute = self._read_attribute(attribute, reading.targets, condition)
            threshold = condition.threshold(attribute) if attribute is not None else None
            if attribute is None or threshold is None:
                return ParseResult(text, reason="unknown_condition")
            operator, value = threshold[0], float(threshold[1])
        else:
            operator, value = condition.operator, condition.number.value
        areas = {d.area for d in (self.home.device(t) for t in reading.targets) if d is not None}
        action_area = next(iter(areas)) if len(areas) == 1 and None not in areas else speaker_area
        action = self.understand(condition.action, action_area)
        if not action.ok:
            return ParseResult(text, reason=action.reason)
        slot = {"attribute": attribute, "op": operator, "value": int(value) if value.is_integer() else value,
                "devices": list(reading.targets)}
        if "area" in reading.slots:
            slot["area"] = reading.slots["area"]
        frames = tuple(replace(f, slots={**f.slots, "condition": slot}) for f in action.frames)
        return ParseResult(text, frames)

    def _read_attribute(self, attribute: str, devices: Sequence[str], condition: QualityText) -> str | None:
        """The reading a quality watches: the one asked about, else another its table has that every
        device reads (미세먼지 on sensors that only read PM2.5)."""
        choices = [attribute, *(a for a in ("pm10", "pm25") if a != attribute and condition.threshold(a))]
        for name in choices:
            if condition.threshold(name) is None:
                continue
            if all(d is not None and d.attribute(name) is not None
                   for d in (self.home.device(i) for i in devices)):
                return name
        return None

    # -- clauses -------------------------------------------------------------------------------------

    def _frames(self, text: str, body: str, parts: list[_Part], korean: bool, question_mark: bool,
                speaker_area: str | None) -> ParseResult:
        frames: list[Frame] = []
        reasons: list[str] = []
        prev_clause: Clause | None = None
        prev_wanted: Wanted | None = None
        prev_targets: tuple[str, ...] = ()
        context_area: str | None = None
        time_slots: dict[str, Value] = {}
        todo: list[tuple[Clause, Wanted, str, list[str], list[str]]] = []
        times: list[dict[str, Value]] = []  # the time slots of each clause in todo
        programmes = [m.start() for m in _PROGRAMMES.finditer(body)]
        unheld: str | None = None
        for part in parts:
            read = self._clause(body, part, korean, speaker_area, question_mark, programmes)
            said = [q for q in part.quantities if q.time_slots]
            if said:
                time_slots = {}
                for q in said:
                    time_slots.update(q.time_slots)
                if time_slots.get("day") == "today" and time_slots.get("at") == "00:00":
                    time_slots["day"] = "tomorrow"  # 오늘 밤 12시, tonight at midnight: when today ends
            if not korean and part is parts[0] and question_mark and not read[0].actions:
                read[0].question = True
            for c in _mode_and_temperature(read[0]):
                todo.append((c, *read[1:]))
                times.append(time_slots)
        if not korean:
            times = [time_slots] * len(todo)  # turn off the lights and the tv in an hour: said last, for all
        # Korean: a time holds for its clause and those after (거실 불 끄고 30분 뒤에 에어컨도 꺼: now, later)
        for (clause, wanted, unknown, area_words, names), time_slots in zip(todo, times, strict=True):
            if not clause.actions and prev_clause is not None and (wanted.named or wanted.areas) \
                    and not clause.quantities and not clause.values and not clause.question:
                clause.actions = list(prev_clause.actions)
            if unknown == _NAMED_PROGRAMME:
                reasons.append("out_of_domain")  # KBS 틀어, 티비로 유튜브 틀어: no channel is known by name
                continue
            p = intents.plan(clause)
            if p is None:
                reasons.append("no_action" if (wanted.named or wanted.areas) else
                               "out_of_domain")
                if clause.negated and not clause.instead and (wanted.named or wanted.areas):
                    prev_wanted = wanted  # 선풍기 돌리지 말고 고정해: the next clause is still the fan's
                continue
            if not (wanted.named or wanted.areas) and unknown:
                reasons.append(unknown)
                continue
            inherit = not (wanted.named or wanted.areas) and prev_wanted is not None
            named = wanted.named or wanted.areas or inherit
            if p.kind == "query" and not named and (p.attribute is None or "day" in time_slots
                                                    or "date" in time_slots):
                reasons.append("out_of_domain")  # 내일 몇 도야, 오늘 미세먼지 어때: the forecast
                continue
            if p.kind == "set" and not named and not p.action and p.attribute is None \
                    and p.quantity is not None and p.quantity.kind == "number":
                reasons.append("out_of_domain")  # a bare number, said of nothing
                continue
            if p.kind == "plain" and p.action in _NEEDS_NAME and not (wanted.named or wanted.areas
                                                                        or inherit):
                if not (wanted.every and p.action in (Action.ON, Action.OFF)):
                    reasons.append("no_device")
                    continue
                if p.action == Action.ON:
                    # 다 켜 줘: everything switched on is every light, not every appliance
                    wanted = Wanted(types=((DeviceType.LIGHT, None),), every=True)
                # 다 꺼, 집에 있는 거 전부 꺼: the whole home as a room, every appliance people switch
            if p.kind == "plain" and p.action == Action.CLEAN and wanted.areas and not wanted.named \
                    and (len(self._vacuums) < 2 or not any(d.area in wanted.areas for d in self._vacuums)):
                # 거실 청소해: the room to clean, not where the vacuum lives; a room where one of several
                # vacuums lives picks that one (2층 청소해 → the upstairs vacuum)
                wanted = Wanted(every=wanted.every)
            resolution = None
            if inherit and prev_targets:
                devs = [d for d in (self.home.device(t) for t in prev_targets) if d is not None]
                kept = tuple(d.id for d in devs if intents.supports(p, d))
                if kept:
                    resolution = kept, False
            if resolution is None:
                use = wanted if (wanted.named or wanted.areas or not inherit) else (prev_wanted or wanted)
                res = self.resolver.resolve(
                    use, lambda d, p=p: intents.supports(p, d),  # type: ignore[misc]
                    context_area=context_area, speaker_area=speaker_area,
                    default_types=intents.default_types(p),
                    area_need=lambda d, p=p: intents.area_supports(p, d))  # type: ignore[misc]
                if not res.targets and wanted.areas and not wanted.named and p.kind == "set" \
                        and p.attribute == "temperature" and p.quantity is None and p.delta:
                    # 욕실 너무 추워, 막내방 온도 올려: nothing there heats or cools, but the boiler
                    # warms every room (as it does the floor); a room heater elsewhere does not
                    heating = next((t for t in _WHOLE_HOME_HEATING if self.resolver.of_type(t, None)), None)
                    if heating is not None:
                        res = self.resolver.resolve(
                            Wanted(types=((heating, None),)),
                            lambda d, p=p: intents.supports(p, d),  # type: ignore[misc]
                            context_area=None, speaker_area=None)
                if not res.targets:
                    # 무풍 모드 켜 줘: a setting no device has, asked of nothing named
                    reasons.append("unsupported" if res.unsupported or (p.choices and not named)
                                   else "no_device")
                    unheld = unheld or next((v for _a, v in p.choices if v in UNHELD_VALUES), None)
                    continue
                resolution = res.targets, res.ambiguous and p.kind != "query"
            targets, ambiguous = resolution
            frame = self._frame(p, clause, targets, ambiguous, area_words, names, time_slots)
            if frame is None:
                reasons.append("unsupported")
                continue
            frames.append(frame)
            back = _SWITCHED_BACK.get(frame.intent)
            if clause.run_for and back and "delay_seconds" not in frame.slots:
                # 한 시간만 틀어 줘: on now, off again after that long (10분만 꺼 줘: off, then on)
                slots = {k: v for k, v in frame.slots.items() if k not in ("at", "at_12h")}
                frames.append(replace(frame, intent=back,
                                      slots={**slots, "delay_seconds": int(clause.run_for)}))
            prev_clause, prev_targets = clause, frame.targets
            prev_wanted = wanted if (wanted.named or wanted.areas) else prev_wanted
            if len(wanted.areas) == 1:
                context_area = wanted.areas[0]
            else:
                areas = {d.area for d in (self.home.device(t) for t in frame.targets) if d and d.area}
                if wanted.named and len(areas) == 1 and not ambiguous:
                    context_area = areas.pop()
        if frames:
            return ParseResult(text, tuple(frames))
        reason = _pick_reason(reasons)
        return ParseResult(text, reason=reason, unheld=unheld if reason == "unsupported" else None)

    def _frame(self, p: Plan, clause: Clause, targets: Sequence[str], ambiguous: bool,
               area_words: list[str], names: list[str], time_slots: dict[str, Value]) -> Frame | None:
        groups: dict[tuple[str, tuple[tuple[str, Value], ...], tuple[tuple[str, Value], ...]],
                     list[str]] = {}
        for dev_id in targets:
            dev = self.home.device(dev_id)
            if dev is None:
                continue
            done = intents.finish(p, dev, clause)
            if done is None:
                continue
            intent, args, extra = done
            key = (intent, tuple(sorted(args.items())), tuple(sorted(extra.items())))
            groups.setdefault(key, []).append(dev_id)
        if not groups:
            return None
        (intent, args_items, extra_items), ids = max(groups.items(), key=lambda kv: len(kv[1]))
        if p.kind == "query" and len(groups) > 1 and all(k[0] == intent and not k[1] for k in groups):
            # 현관문이랑 가스 밸브 잠겨 있어?: one question of each, though each answers it by its own reading
            ids = [i for group in groups.values() for i in group]
        slots: dict[str, Value] = {}
        if area_words:
            slots["area"] = " ".join(dict.fromkeys(area_words))
        if names:
            slots["name"] = " ".join(dict.fromkeys(names))
        domain = domain_of(self.home, ids)
        if domain:
            slots["domain"] = domain
        slots.update(dict(extra_items))
        slots.update(time_slots)
        return Frame(intent, slots, self.resolver.sort(ids), dict(args_items),
                     confidence=0.5 if ambiguous else 1.0, ambiguous=ambiguous and len(ids) > 1)

    def _clause(self, body: str, part: _Part, korean: bool, speaker_area: str | None,
                question_mark: bool = False, programmes: Sequence[int] = ()) -> tuple[
                    Clause, Wanted, str, list[str], list[str]]:
        clause = Clause()
        devices: list[str] = []
        device_ambiguous = False
        types: list[tuple[DeviceType, DeviceClass | None]] = []
        areas: list[str] = []
        area_words: list[str] = []
        names: list[str] = []
        owned_alone = False
        partial: list[str] = []  # devices named by the first word of their name only (컴퓨터)
        main_ids: list[str] | None = None
        has_device_words = any(m.first("device") or m.first("type") for m in part.mentions)
        every = any(morph.form in ALL_WORDS and (morph.tag in ("MAG", "MM", "NNG", "EN")
                                                  or morph.form in ("모든", "전부")) for morph in part.morphs)
        car = self._car_in(part.mentions)
        placed: list[str] = []  # devices named by words that are no kind's word (거실 TV, not 티비)
        named_areas = [i for x in part.mentions if x.first("device") is None
                       for e in (x.first("area"),) if e is not None for i in e.ids]
        for k, m in enumerate(part.mentions):
            last = part.mentions[k - 1] if k else None
            kinds = [e.kind for e in m.entries]
            if car and compact(m.surface) in VEHICLE_CLIMATE_WORDS and not self._is_car(m):
                clause.feature = "climate"  # 차 에어컨 켜: the car's climate, not the home's AC
                continue
            value = m.first("value")
            dev = m.first("device")
            if not korean and value is not None and dev is None and compact(m.surface) in _EN_HEAT \
                    and body[:m.start].endswith("the ") and not body[m.end:].lstrip().startswith("mode"):
                # turn up the heat, put the heating on: the home's heating, not an air conditioner's mode
                heating = next((t for t in _HEATING if self.resolver.of_type(t, None)), None)
                if heating is not None:
                    types.append((heating, None))
                    names.append(m.surface)
                    continue
            if value is not None and (dev is not None or m.first("area")) and _prefers_value(
                    body, m, has_device_words and len([x for x in part.mentions
                                                       if x.first("device") or x.first("type")]) > 1):
                clause.values.append(value.values)
                continue
            if "type" in kinds and any(e.name == "main" for e in m.entries) and (dev is None or any(
                    x.first("area") is not None and x.first("device") is None for x in part.mentions) or (
                    speaker_area is not None and not any(self._in_area(i, speaker_area) for i in dev.ids))):
                # 안방 큰 불, 서재 천장등: the main light of the room meant (the home's own 큰 불 otherwise)
                main_ids = [*(main_ids or []), *(dev.ids if dev is not None else ())]
                types.append((DeviceType.LIGHT, None))
                names.append(m.surface)
                continue
            generic = m.first("type")
            if dev is not None and generic is not None and generic.dtype is not None and speaker_area \
                    and not any(self._in_area(i, speaker_area) for i in dev.ids) and any(
                        d.area == speaker_area
                        for d in self.resolver.of_type(generic.dtype, generic.dclass)):
                # 티비 꺼 in the children's room: the word is a name elsewhere but a kind here
                dev = None
            elif dev is not None and generic is not None and generic.dtype is not None and every:
                dev = None  # 티비랑 에어컨 다 꺼: every one of that kind, though one is called so
            elif dev is not None and generic is not None and generic.dtype is not None and named_areas \
                    and not any(self._in_area(i, a) for i in dev.ids for a in named_areas):
                # 거실 블라인드 where 블라인드 is the bedroom's: the named room's own of that kind (its
                # covering of another class where it has none of this one; never a garage door or gate)
                here = [d for d in self.resolver.of_type(generic.dtype, None) if d.area in named_areas]
                if any(d.device_class is generic.dclass for d in here):
                    dev = None
                elif here and all(d.device_class not in _OWN_KIND for d in here):
                    types.append((generic.dtype, None))
                    names.append(m.surface)
                    continue
            if dev is not None:
                if generic is None:
                    placed.extend(dev.ids)
                if compact(m.surface) in self.spotter.partial:
                    partial.extend(dev.ids)
                devices.extend(dev.ids)
                device_ambiguous = device_ambiguous or len(dev.ids) > 1
                names.append(m.surface)
            elif "area" in kinds:
                area = m.first("area")
                if area is not None:
                    areas.extend(area.ids)
                    area_words.append(m.surface)
            elif "type" in kinds:
                entry = m.first("type")
                if entry is not None and entry.dtype is not None:
                    if names and last is not None and self._head_noun(body, last, m, entry.dtype):
                        names[-1] = f"{names[-1]} {m.surface}"  # 책상 불: the desk lamp, called a light
                        continue
                    types.append((entry.dtype, entry.dclass))
                    names.append(m.surface)
            elif value is not None:
                clause.values.append(value.values)
            elif "attribute" in kinds:
                attr = m.first("attribute")
                if attr is not None and compact(m.surface) in _OWNED_WORDS and not any(
                        self._is_kind(x, _OWNED_WORDS[compact(m.surface)]) for x in part.said):
                    owned_alone = True  # 스무 살, 몇 살이야: an age, not a blind's slats
                    continue
                if attr is not None and clause.attribute is None:
                    clause.attribute = attr.name
            elif "action" in kinds:
                act = m.first("action")
                if act is not None:
                    if act.name == Action.STATE:
                        clause.question = True
                        clause.state_of = "on"
                    else:
                        clause.actions.append(act.name)
        clause.quantities = [q for q in part.quantities if not q.time_slots and q.kind != "duration"]
        clause.run_for = next((q.value for q in part.quantities if q.kind == "duration"), None)
        for q in clause.quantities:
            after = body[q.end:q.end + 2]
            before = body[max(0, q.start - 3):q.start]
            if after.startswith(("로", "으로", "까지", "에")) or before.endswith("to "):
                clause.absolute = True
        if "영하" in body[part.start:part.end] or "minus" in body[part.start:part.end]:
            clause.negative = True
        unknown = read_korean(clause, part.morphs, question_mark) if korean else read_english(
            clause, part.morphs)
        if clause.attribute in _MOTION_ATTRS and set(clause.actions) <= {Action.DO} and not clause.question \
                and (question_mark or any(m.form == "중" for m in part.morphs)):
            clause.question = True  # 선풍기 회전 중이야?, 에어컨 스윙 돼?: whether it turns
            clause.actions = []
        if set(clause.actions) <= {Action.SET, Action.DO} and not clause.question and not clause.values \
                and "타이머" in body[part.start:part.end] and any(
                q.kind == "delay" for q in part.quantities):
            clause.actions = [Action.OFF]  # 에어컨 타이머 한 시간: off after that long
        if car and clause.attribute == "battery" and not any(
                d.attribute("battery") for d in self.home.devices if d.has("vehicle")):
            clause.attribute = "fuel_percent"  # 차 배터리 얼마야: an electric car's charge
        if clause.attribute == "door":
            if car:
                clause.feature = clause.feature or "lock"
            elif not devices and not types:
                types.append((DeviceType.DOOR_LOCK, None))  # 문 잠가: the door lock
        if Action.CLEAN in clause.actions and (clause.main != Action.CLEAN or clause.question) \
                and not devices and not types:
            # 청소 그만해, 거실 청소 멈춰: the vacuum's cleaning, wherever the vacuum itself lives; a room
            # where one of several vacuums lives picks that one (2층 청소 멈춰 → the upstairs vacuum)
            types.append((DeviceType.ROBOT_VACUUM, None))
            if len(self._vacuums) < 2 or not any(d.area in areas for d in self._vacuums):
                areas.clear()
        if not devices and not types and self._boilers and clause.attribute in (None, "temperature") and any(
                m.form in _FLOOR_WORDS for m in part.morphs) and (
                set(clause.actions) & {Action.WARMER, Action.COOLER, Action.UP, Action.DOWN}):
            # 방바닥이 너무 뜨거워, 바닥 좀 따뜻하게: the floor is heated by the boiler, in every room
            types.append((DeviceType.BOILER, None))
            areas.clear()
        if clause.leak:
            gas = (types or devices) and all(t[0] is DeviceType.GAS_VALVE for t in types) and all(
                d is not None and d.has("valve") for d in map(self.home.device, devices))
            if gas and not clause.question:
                clause.actions = [Action.CLOSE]  # 가스 새는 것 같아: shut the gas off
            elif gas:
                clause.state_of = "on"  # 가스 새나?: whether the valve is open
            else:
                clause.question, clause.attribute = True, "leak"  # 물 새?: the leak sensors
                leaking = [*(d for d in map(self.home.device, devices) if d is not None), *(
                    d for t in types if t[1] is not DeviceClass.LEAK for d in self.resolver.of_type(*t))]
                if leaking and not any(d.device_class is DeviceClass.LEAK for d in leaking):
                    # 세탁기에서 물 새, 보일러 물 새: the leak sensors where that is
                    areas.extend(dict.fromkeys(d.area for d in leaking if d.area))
                    devices.clear()
                    names.clear()
                    types.clear()
        if clause.attribute is None and (types or devices) and (
                Action.STRONGER in clause.actions or Action.WEAKER in clause.actions) and all(
                t[0] is DeviceType.LIGHT for t in types) and all(
                d is not None and d.type is DeviceType.LIGHT for d in map(self.home.device, devices)):
            # 불 좀 약하게, 조명 세게: a light shines stronger or weaker (불이 너무 약해: a complaint)
            lighter = {Action.STRONGER: Action.BRIGHTER, Action.WEAKER: Action.DARKER}
            clause.actions = [lighter.get(a, a) for a in clause.actions]
        coffee = any(t[0] is DeviceType.COFFEE_MACHINE for t in types) or any(
            d is not None and d.type is DeviceType.COFFEE_MACHINE for d in map(self.home.device, devices))
        cups = coffee and _CUPS.search(body, part.start, part.end) is not None
        if cups and clause.quantities and all(q.kind == "number" for q in clause.quantities):
            clause.quantities = []  # I'd love a coffee, can you make one: the cups counted, not a setting
        if cups and not clause.actions and not clause.question:
            clause.actions = [Action.DO]  # 커피 한 잔: a cup is asked for
        if coffee and clause.actions and set(clause.actions) <= {Action.DOWN, Action.DO} and not (
                clause.quantities or clause.attribute or clause.values):
            clause.actions = [Action.START]  # 커피 내려 줘, make me a coffee: brew
        if clause.actions == [Action.DO] and (types or devices) and not (
                clause.quantities or clause.attribute or clause.values or clause.question) and all(
                t[0] in _CHORES for t in types) and all(
                d is not None and d.type in _CHORES for d in map(self.home.device, devices)):
            clause.actions = [Action.START]  # 빨래 해 줘, 설거지 좀 해: the chore, done by its machine
        if unknown and partial and all(d in partial for d in devices):
            devices.clear()  # 전기 요금 얼마야: a common word (not 전기 히터) beside an unknown noun
            names.clear()
        why = "out_of_domain" if unknown or (owned_alone and not devices and not types) else ""
        if korean and self._drying(part, devices, types):
            # 빨래 좀 말려 줘, 수건 말려: drying is the dryer's chore
            types, clause.actions, why, unknown = [(DeviceType.DRYER, None)], [Action.START], "", False
            devices.clear()
            names.clear()
        if programmes and any(part.start <= at < part.end for at in programmes):
            why = _NAMED_PROGRAMME
        if unknown and types and not devices and not areas:
            # 다락방 불: a place or name the home does not have, not "any light"
            types.clear()
            why = "no_device"
        if every and devices and not types:
            # 거실 불 다 꺼: every device of that kind where the named one is (beside a kind named
            # alone, 에어컨하고 서큘레이터 다 꺼, that kind is meant everywhere: the named one is no place)
            for dev_id in devices:
                device = self.home.device(dev_id)
                if device is not None and device.area is not None:
                    types.append((device.type, None))
                    areas.append(device.area)
        if areas and devices and not types:
            # 안방이랑 작은방 불 꺼: the area borrows the kind of the device named beside it
            for dev_id in devices:
                device = self.home.device(dev_id)
                if device is not None and device.area not in areas:
                    types.append((device.type, device.device_class))
        wanted = Wanted(tuple(dict.fromkeys(devices)), device_ambiguous,
                        tuple(dict.fromkeys(types)), tuple(dict.fromkeys(areas)),
                        every, None if main_ids is None else tuple(main_ids), tuple(dict.fromkeys(placed)))
        return clause, wanted, why, area_words, names


def _mode_and_temperature(clause: Clause) -> list[Clause]:
    """A mode word and a temperature in one clause (보일러 난방 25도, 에어컨 냉방 24도로) ask for both:
    the mode clause first, then the temperature clause."""
    if not clause.values or clause.question or not any(q.kind == "degree" for q in clause.quantities):
        return [clause]
    if not any(a in ("hvac_mode", "mode") for v in clause.values for a, _ in v):
        return [clause]
    mode = Clause(actions=list(clause.actions), values=list(clause.values), feature=clause.feature)
    temp = Clause(actions=list(clause.actions), attribute="temperature", quantities=clause.quantities,
                  absolute=clause.absolute, negative=clause.negative, feature=clause.feature)
    return [mode, temp]


def _prefers_value(body: str, m: Mention, other_device: bool) -> bool:
    after = body[m.end - len(m.particle):m.end + 4].lstrip()
    return other_device or m.particle in ("로", "으로") or after.startswith(("모드", "mode"))


def _split(body: str, morphs: Sequence[Morph], mentions: list[Mention], quantities: list[Quantity],
           korean: bool) -> list[_Part]:
    cuts: list[int] = []
    starts = [x.start for x in mentions] + [q.start for q in quantities]
    for i, m in enumerate(morphs):
        prev = morphs[i - 1] if i else None
        if korean:
            if m.tag == "EC" and m.form in _JOINERS and prev is not None and prev.is_predicate:
                nxt = morphs[i + 1] if i + 1 < len(morphs) else None
                if nxt is not None and nxt.tag == "VX":
                    continue  # 켜고 있어, 꺼서 주다: an auxiliary, not a new clause
                if m.form in ("어서", "아서", "서") and prev.tag in ("VA", "XSA"):
                    continue  # 더워서 에어컨 켜 줘: the reason for the request, not a request of its own
                if any(s >= m.end for s in starts) or nxt is not None:
                    cuts.append(m.end)
            elif m.form in _SPLIT_WORDS:
                cuts.append(m.start)
        elif m.form in ("and", "then") and i + 1 < len(morphs):
            word = morphs[i + 1].form
            if word in EN_WORDS or word in ("turn", "switch", "set", "make", "then", "dim"):
                cuts.append(m.start)
    bounds = [0, *sorted(set(cuts)), len(body) + 1]
    parts = [_Part(bounds[k], bounds[k + 1]) for k in range(len(bounds) - 1)]
    for part in parts:
        part.mentions = [m for m in mentions if part.start <= m.start < part.end]
        part.quantities = [q for q in quantities if part.start <= q.start < part.end]
        part.morphs = [m for m in morphs if part.start <= m.start < part.end]
        part.said = mentions
    return [p for p in parts if p.mentions or p.quantities or p.morphs]


_Q_PARTICLES = ("으로", "로", "까지", "에", "만", "정도로", "정도", "쯤으로", "쯤", "씩", "이", "가", "을",
                "를", "이야", "야", "이에요", "예요", "요")


_Q_GLUED_PARTICLES = ("으로", "로", "까지")
"""Particles taken after a number even with the verb written onto them (이십사도로해, 50%까지올려)."""


def _particle_end(body: str, end: int) -> int:
    for particle in _Q_PARTICLES:
        if body.startswith(particle, end):
            after = body[end + len(particle):end + len(particle) + 1]
            if after in ("", " ") or particle in _Q_GLUED_PARTICLES:
                return end + len(particle)
    return end


_HALF_WORDS = ("절반", "반")
_HALF_AFTER = ("만", "쯤", "정도", "으로")
_HALF_PARTICLES = ("을", "를", "은", "는", "도")


def _glued_halves(body: str, mentions: Sequence[Mention], quantities: Sequence[Quantity]) -> list[Quantity]:
    """반 written onto a spotted name (안방불반으로, 블라인드반만 열어): half, as 반 said on its own is."""
    found: list[Quantity] = []
    for m in mentions:
        if m.end == 0 or body[m.end - 1] == " ":
            continue
        start = m.end + next((len(p) for p in _HALF_PARTICLES if not m.particle and body.startswith(p, m.end)
                              and body.startswith(_HALF_WORDS, m.end + len(p))), 0)
        word = next((w for w in _HALF_WORDS if body.startswith(w, start)), None)
        if word is None:
            continue
        after = start + len(word)
        if (after == len(body) or body[after] == " " or body.startswith(_HALF_AFTER, after)) and not any(
                q.start < after and start < q.end for q in quantities):
            found.append(Quantity("half", 50.0, start, after))
    return found


def _pick_reason(reasons: list[str]) -> str:
    for reason in ("unsupported", "no_device", "no_action", "out_of_domain"):
        if reason in reasons:
            return reason
    return "out_of_domain"
