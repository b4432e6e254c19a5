"""The pipeline: text → clauses → frames, for one home.

normalise → find numbers and times → spot names (devices, areas, type nouns, settings) → blank them out →
morphology on what is left (predicates, clause endings, question words) → split into clauses at -고/-서/
그리고/and → one :class:`Clause` each, sharing dropped context with the one before (``에어컨 켜서 24도로
맞춰``: the second clause has no device, so it takes the first one's) → plan, resolve, finish → frames.

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
from jipsa.nlu.conditions import ConditionText, split_condition, subject_question
from jipsa.nlu.frame import Frame, ParseResult
from jipsa.nlu.intents import Clause, Plan
from jipsa.nlu.lexicon import (
    ALL_WORDS,
    COMPLAINTS,
    EN_WORDS,
    MAX_WORDS,
    MIN_WORDS,
    MORE_WORDS,
    PREDICATES,
    ROUTINE_PREFIXES,
    ROUTINE_VERBS,
    VEHICLE_CLIMATE_WORDS,
    Action,
)
from jipsa.nlu.manage import manage_frame
from jipsa.nlu.morphology import Morph, Morphology, english_tokens, shared_morphology
from jipsa.nlu.normalize import compact, normalize
from jipsa.nlu.numbers import Quantity, find_quantities
from jipsa.nlu.resolve import Resolver, Wanted, domain_of
from jipsa.nlu.spot import Mention, Spotter

MAX_CHARS = 2000
"""Longer inputs are refused with ``too_long``: no spoken command is that long."""

_NEEDS_NAME = {Action.ON, Action.OFF, Action.OPEN, Action.CLOSE, Action.LOCK, Action.UNLOCK, Action.RUN,
               Action.START, Action.STOP}
_EN_VACUUM = re.compile(r"^vacuum (?=the |my |in |upstairs|downstairs)")
_HANGUL = re.compile(r"[가-힣]")
_READING_INTENTS = {"HassGetState": None, "HassClimateGetTemperature": "temperature"}
_NUMERIC_READINGS = {"temperature", "humidity", "pm25", "pm10", "cabin_temperature"}
_JOINERS = {"고", "어서", "아서", "서", "며", "면서", "고서", "구"}
_SPLIT_WORDS = {"그리고", "그다음", "그다음에", "그리구", "그러고", "다음에", "그러고서"}
_QUESTION_FORMS = {"몇", "얼마", "얼마나", "언제", "어떻", "어떠", "뭐", "무엇", "무슨", "어느", "알리",
                   "확인",
                   "어때"}
_REMAINING_FORMS = {"끝나", "남", "걸리"}
_STATE_FORMS = {"켜지": "on", "꺼지": "on", "잠기": "open", "열리": "open", "닫히": "open",
                "작동되": "on", "돌아가": "on"}
_PAST_STATE = {Action.ON, Action.OFF, Action.STOP, Action.LOCK, Action.UNLOCK, Action.OPEN, Action.CLOSE}
_OPPOSITE = {Action.BRIGHTER: Action.DARKER, Action.DARKER: Action.BRIGHTER, Action.LOUDER: Action.QUIETER,
             Action.QUIETER: Action.LOUDER}
_EN_COMPLAINTS = {"warm": Action.COOLER, "hot": Action.COOLER, "cold": Action.WARMER,
                  "bright": Action.DARKER, "dark": Action.BRIGHTER, "loud": Action.QUIETER,
                  "noisy": Action.QUIETER, "quiet": Action.LOUDER}
_HARMLESS_NOUNS = {"지금", "이제", "거", "것", "수", "때", "번", "여기", "이거", "저거", "그거", "내", "나",
                   "우리", "코스", "단계", "정도", "쯤", "다음", "시간", "분", "상태", "현재", "바로", "방",
                   "쪽", "안", "좀", "다시", "계속", "잠깐", "잠시", "지", "게", "음", "요", "줘", "네", "씨",
                   "오늘", "영하", "레벨", "단", "도", "프로", "모드", "더", "제일", "가장", "최대", "최소",
                   "최대한", "최고", "최저", "끝", "전원", "기능", "작동", "예약", "혹시", "미리", "먼저",
                   "다들", "한번", "세기", "조금", "약간", "살짝", "의", "대", "후", "뒤", "중", "수치",
                   "농도", "집", "우리집", "집안", "잔", "프로그램"}
_EN_STOP = {"the", "a", "an", "to", "in", "of", "my", "our", "is", "are", "it", "turn", "switch", "set",
            "please", "can", "you", "could", "would", "will", "and", "then", "at", "by", "for", "me",
            "percent", "degrees", "degree", "what", "what's", "whats", "how", "does", "did", "when",
            "which", "room", "now", "this", "that", "be", "bit", "little", "more", "some", "all", "every",
            "everything", "everywhere", "level", "speed", "from", "with", "right", "currently", "again",
            "house", "home", "mode", "program", "cycle", "up", "down", "there", "here", "i", "we", "do",
            "tell", "check", "still", "left", "long", "remaining", "until", "done", "finish", "finished",
            "much", "time", "locked", "unlocked", "open", "closed", "running", "temp", "too", "very",
            "so", "hot", "cold", "dark", "bright", "warm", "cool", "max", "maximum", "min", "minimum",
            "full", "fully", "lowest", "highest", "make", "shut", "get", "let", "go", "back", "base",
            "charger", "on", "off", "its", "it's", "hey", "ok", "okay", "turned", "way", "put",
            "start", "stop", "number", "degrees.", "inside", "outside", "like", "im", "really",
            "feel", "feels", "getting", "one", "cup"}
_EN_QUESTION_START = {"is", "are", "what", "what's", "whats", "how", "does", "did", "when", "which",
                      "tell", "check"}
_EN_STATE = {"locked": "open", "unlocked": "open", "open": "open", "closed": "open", "on": "on",
             "off": "on", "running": "on"}


@dataclass
class _Part:
    """The raw material of one clause."""

    start: int
    end: int
    mentions: list[Mention] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    morphs: list[Morph] = field(default_factory=list)


class Understander:
    """Understands utterances about one home; build once per home, call many times."""

    def __init__(self, home: Home, morphology: Morphology | None = None) -> None:
        self.home = home
        self.spotter = Spotter(home)
        self.resolver = Resolver(home)
        self.morphology = morphology or shared_morphology()
        self._routines: dict[str, str] = {}
        for routine in home.routines:
            for name in (routine.name, *routine.aliases):
                for form in _volitional_forms(compact(normalize(name).text)):
                    self._routines.setdefault(_routine_key(form), routine.id)

    def _is_car(self, m: Mention) -> bool:
        dev = m.first("device")
        if dev is not None:
            return any(d is not None and d.has("vehicle") for d in (self.home.device(i) for i in dev.ids))
        kind = m.first("type")
        return kind is not None and kind.dtype is DeviceType.VEHICLE

    def _car_in(self, mentions: Sequence[Mention]) -> bool:
        return any(self._is_car(m) for m in mentions)

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
        condition = split_condition(norm.text)
        if condition is not None:
            return self._conditional(text, condition, bool(_HANGUL.search(norm.text)), speaker_area)
        body = _EN_VACUUM.sub("clean ", norm.text)
        quantities = find_quantities(body)
        blocked = [False] * len(body)
        for q in quantities:
            for i in range(q.start, _particle_end(body, q.end)):
                blocked[i] = True
        mentions = self.spotter.scan(body, blocked)
        managed = manage_frame(body, quantities, self._named_devices(mentions))
        if managed is not None:
            return ParseResult(text, (managed,))
        if not any(m.first("device") or m.first("type") for m in mentions):
            routine = self._routines.get(_routine_key(compact(body)))
            if routine is not None:
                return ParseResult(text, (Frame("JipsaRunRoutine", {"name": body}, (),
                                                {"routine": routine}),))
        residual = list(body)
        for span in [*((q.start, _particle_end(body, q.end)) for q in quantities),
                     *((m.start, m.end) for m in mentions)]:
            for i in range(span[0], span[1]):
                residual[i] = " "
        rest = "".join(residual)
        korean = bool(_HANGUL.search(rest)) or (bool(_HANGUL.search(body)) and not rest.strip())
        morphs = self.morphology.analyze(rest) if korean else english_tokens(rest)
        parts = _split(body, morphs, mentions, quantities, korean)
        return self._frames(text, body, parts, korean, norm.question, speaker_area)

    def _conditional(self, text: str, condition: ConditionText, korean: bool,
                     speaker_area: str | None) -> ParseResult:
        """The action's frames, each with a ``condition`` slot naming the reading it waits for."""
        question = self.understand(subject_question(condition, korean), speaker_area)
        reading = next((f for f in question.frames if f.intent in _READING_INTENTS), None)
        attribute = None
        if reading is not None:
            attribute = reading.slots.get("attribute") or _READING_INTENTS[reading.intent]
        if reading is None or attribute not in _NUMERIC_READINGS:
            return ParseResult(text, reason="unknown_condition")
        areas = {d.area for d in (self.home.device(t) for t in reading.targets) if d is not None}
        action_area = next(iter(areas)) if len(areas) == 1 and None not in areas else speaker_area
        action = self.understand(condition.action, action_area)
        if not action.ok:
            return ParseResult(text, reason=action.reason)
        slot = {"attribute": attribute, "op": condition.operator, "value": condition.number.as_value,
                "devices": list(reading.targets)}
        if "area" in reading.slots:
            slot["area"] = reading.slots["area"]
        frames = tuple(replace(f, slots={**f.slots, "condition": slot}) for f in action.frames)
        return ParseResult(text, frames)

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
        for part in parts:
            read = self._clause(body, part, korean, speaker_area, question_mark)
            said = [q for q in part.quantities if q.time_slots]
            if said:
                time_slots = {}
                for q in said:
                    time_slots.update(q.time_slots)
            if not korean and part is parts[0] and question_mark and not read[0].actions:
                read[0].question = True
            todo.extend((c, *read[1:]) for c in _mode_and_temperature(read[0]))
        for clause, wanted, unknown, area_words, names in todo:
            if not clause.actions and prev_clause is not None and (wanted.named or wanted.areas) \
                    and not clause.quantities and not clause.values and not clause.question:
                clause.actions = list(prev_clause.actions)
            p = intents.plan(clause)
            if p is None:
                reasons.append("no_action" if (wanted.named or wanted.areas) else
                               "out_of_domain")
                continue
            if not (wanted.named or wanted.areas) and unknown:
                reasons.append(unknown)
                continue
            inherit = not (wanted.named or wanted.areas) and prev_wanted is not None
            if p.kind == "query" and p.attribute is None and not (wanted.named or wanted.areas or inherit):
                reasons.append("out_of_domain")
                continue
            if p.kind == "plain" and p.action in _NEEDS_NAME and not (wanted.named or wanted.areas
                                                                        or inherit):
                reasons.append("no_device")
                continue
            if p.kind == "plain" and p.action == Action.CLEAN and wanted.areas and not wanted.named:
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
                if not res.targets:
                    reasons.append("unsupported" if res.unsupported else "no_device")
                    continue
                resolution = res.targets, res.ambiguous and p.kind != "query"
            targets, ambiguous = resolution
            frame = self._frame(p, clause, targets, ambiguous, area_words, names, time_slots)
            if frame is None:
                reasons.append("unsupported")
                continue
            frames.append(frame)
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
        return ParseResult(text, reason=_pick_reason(reasons))

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
                question_mark: bool = False) -> tuple[Clause, Wanted, str, list[str], list[str]]:
        clause = Clause()
        devices: list[str] = []
        device_ambiguous = False
        types: list[tuple[DeviceType, DeviceClass | None]] = []
        areas: list[str] = []
        area_words: list[str] = []
        names: list[str] = []
        every = False
        has_device_words = any(m.first("device") or m.first("type") for m in part.mentions)
        car = self._car_in(part.mentions)
        for m in part.mentions:
            kinds = [e.kind for e in m.entries]
            if car and compact(m.surface) in VEHICLE_CLIMATE_WORDS and not self._is_car(m):
                clause.feature = "climate"  # 차 에어컨 켜: the car's climate, not the home's AC
                continue
            value = m.first("value")
            dev = m.first("device")
            if value is not None and (dev is not None or m.first("area")) and _prefers_value(
                    body, m, has_device_words and len([x for x in part.mentions
                                                       if x.first("device") or x.first("type")]) > 1):
                clause.values.append(value.values)
                continue
            generic = m.first("type")
            if dev is not None and generic is not None and generic.dtype is not None and speaker_area \
                    and not any(self._in_area(i, speaker_area) for i in dev.ids) and any(
                        d.area == speaker_area
                        for d in self.resolver.of_type(generic.dtype, generic.dclass)):
                # 티비 꺼 in the children's room: the word is a name elsewhere but a kind here
                dev = None
            if dev is not None:
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
                    types.append((entry.dtype, entry.dclass))
                    names.append(m.surface)
            elif value is not None:
                clause.values.append(value.values)
            elif "attribute" in kinds:
                attr = m.first("attribute")
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
        clause.quantities = [q for q in part.quantities if not q.time_slots]
        for q in clause.quantities:
            after = body[q.end:q.end + 2]
            before = body[max(0, q.start - 3):q.start]
            if after.startswith(("로", "으로", "까지", "에")) or before.endswith("to "):
                clause.absolute = True
        if "영하" in body[part.start:part.end] or "minus" in body[part.start:part.end]:
            clause.negative = True
        unknown = _read_korean(clause, part.morphs, question_mark) if korean else _read_english(
            clause, part.morphs)
        if clause.attribute == "door":
            if car:
                clause.feature = clause.feature or "lock"
            elif not devices and not types:
                types.append((DeviceType.DOOR_LOCK, None))  # 문 잠가: the door lock
        coffee = any(t[0] is DeviceType.COFFEE_MACHINE for t in types) or any(
            d is not None and d.type is DeviceType.COFFEE_MACHINE for d in map(self.home.device, devices))
        if coffee and clause.actions and set(clause.actions) <= {Action.DOWN, Action.DO} and not (
                clause.quantities or clause.attribute or clause.values):
            clause.actions = [Action.START]  # 커피 내려 줘, make me a coffee: brew
        for morph in part.morphs:
            if morph.form in ALL_WORDS and (morph.tag in ("MAG", "MM", "NNG", "EN")
                                            or morph.form in ("모든", "전부")):
                every = True
        why = "out_of_domain" if unknown else ""
        if unknown and types and not devices and not areas:
            # 다락방 불: a place or name the home does not have, not "any light"
            types.clear()
            why = "no_device"
        if every and devices:
            # 거실 불 다 꺼: every device of that kind where the named one is
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
                        every)
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


def _read_korean(clause: Clause, morphs: Sequence[Morph], question_mark: bool = False) -> bool:
    unknown = False
    prev: Morph | None = None
    asked = question_mark
    for k, m in enumerate(morphs):
        form = m.form
        nxt = morphs[k + 1] if k + 1 < len(morphs) else None
        if m.tag == "EP" and form in ("었", "았", "였") and prev is not None and prev.is_predicate \
                and PREDICATES.get(prev.form) in _PAST_STATE:
            clause.past = PREDICATES[prev.form]
        if m.tag in ("EF", "EC") and form in ("니", "나", "냐", "까", "ㄹ까", "는지"):
            asked = True
        if form == "도" and prev is not None and prev.form == "몇":
            clause.question = True
            clause.attribute = clause.attribute or "temperature"
        elif form == "지" and m.tag == "VX" and prev is not None and prev.form in PREDICATES:
            clause.question = True
            clause.state_of = "on" if PREDICATES[prev.form] in (Action.ON, Action.OFF) else "open"
            if clause.actions:
                clause.actions.pop()
        elif form in _STATE_FORMS and m.is_predicate:
            clause.question = True
            clause.state_of = _STATE_FORMS[form]
        elif form in _REMAINING_FORMS and m.is_predicate:
            clause.remaining = True
        elif form in _QUESTION_FORMS:
            clause.question = True
        elif form in MAX_WORDS:
            clause.maximum = True
        elif form in MIN_WORDS:
            clause.minimum = True
        elif form in MORE_WORDS:
            clause.more = True
        elif form in COMPLAINTS and m.tag == "VA" and not (nxt is not None and nxt.form == "게"):
            # 너무 어두워, 소리가 작아: a complaint asks for the opposite of the adjective (not 밝아?)
            if not question_mark:
                clause.actions.append(_OPPOSITE[PREDICATES[form]])
        elif form in PREDICATES and (m.is_predicate or m.tag in ("NNG", "NNP", "MAG", "NNB", "XR")):
            if prev is not None and prev.form == "그만" and m.is_predicate:
                pass  # 그만 돌려: stop, whatever the verb
            else:
                clause.actions.append(PREDICATES[form])
        elif m.tag in ("NNG", "NNP", "SL", "SH", "NNB") and form not in _HARMLESS_NOUNS \
                and form not in ALL_WORDS:
            unknown = True
        prev = m
    if clause.remaining and not clause.question:
        clause.remaining = False
    if clause.past is not None and asked and not clause.question:
        # 잠갔어? 껐어?: "did it get locked / switched off" asks about the state now
        clause.question = True
        clause.state_of = "on" if clause.past in (Action.ON, Action.OFF, Action.STOP) else "open"
        clause.actions = [a for a in clause.actions if a != clause.past]
    return unknown


def _read_english(clause: Clause, morphs: Sequence[Morph]) -> bool:
    unknown = False
    words = [m.form for m in morphs]
    first = words[0] if words else ""
    question = first in _EN_QUESTION_START
    for k, word in enumerate(words):
        prev = words[k - 1] if k else ""
        after = words[k + 1] if k + 1 < len(words) else ""
        if question and word in _EN_COMPLAINTS and word in ("warm", "hot", "cold"):
            clause.attribute = clause.attribute or "temperature"  # how warm is it in the office
            continue
        if not question and word in _EN_COMPLAINTS and prev in ("too", "so", "very", "really"):
            clause.actions.append(_EN_COMPLAINTS[word])  # too warm → cooler, too loud → quieter
            continue
        if word in ("on", "off") and after in ("the", "my", "our", "a") and prev not in (
                "turn", "switch", "put", "flip", "it", "them", "everything", "all"):
            continue  # volume up on the tv: a preposition, not "switch on"
        if question and word in _EN_STATE:
            clause.state_of = clause.state_of or _EN_STATE[word]
        elif word in EN_WORDS and not question:
            clause.actions.append(EN_WORDS[word])
        elif word in MAX_WORDS:
            clause.maximum = True
        elif word in MIN_WORDS:
            clause.minimum = True
        elif word in ("left", "remaining", "finish", "finished", "done"):
            clause.remaining = question
        elif word not in _EN_STOP and not word.isdigit():
            unknown = True
        if word in ("hot", "warm") and not question:
            clause.actions.append(Action.COOLER if word == "hot" else Action.WARMER)
        if word in ("cold",) and not question:
            clause.actions.append(Action.WARMER)
        if word in ("dark",) and not question:
            clause.actions.append(Action.BRIGHTER)
    clause.question = clause.question or question
    return unknown


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
    return [p for p in parts if p.mentions or p.quantities or p.morphs]


_Q_PARTICLES = ("으로", "로", "까지", "에", "만", "정도로", "정도", "쯤으로", "쯤", "씩", "이", "가", "을",
                "를", "이야", "야", "이에요", "예요", "요")


def _particle_end(body: str, end: int) -> int:
    for particle in _Q_PARTICLES:
        if body.startswith(particle, end):
            after = body[end + len(particle):end + len(particle) + 1]
            if after in ("", " "):
                return end + len(particle)
    return end


def _volitional_forms(text: str) -> list[str]:
    """A routine alias and, when it ends in the promise -ㄹ게/-ㄹ래 (다녀올게, 잘게), its formal and polite
    forms (다녀오겠습니다, 다녀오겠어요, 자겠습니다): families say either."""
    forms = [text]
    if len(text) >= 2 and text[-1] in "게래" and "가" <= text[-2] <= "힣":
        code = ord(text[-2]) - 0xAC00
        if code % 28 == 8:  # the syllable before ends in ㄹ
            stem = text[:-2] + chr(ord(text[-2]) - 8)
            forms += [stem + "겠습니다", stem + "겠어요", stem + "겠어"]
    return forms


def _routine_key(text: str) -> str:
    key = text
    for prefix in ROUTINE_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix) + 2:
            key = key[len(prefix):]
    changed = True
    while changed and key:
        changed = False
        for suffix in ROUTINE_VERBS:
            if key.endswith(suffix) and len(key) > len(suffix) + 1:
                key = key[: -len(suffix)]
                changed = True
        if key.endswith("요") and len(key) > 2:
            key = key[:-1]
            changed = True
    return key


def _pick_reason(reasons: list[str]) -> str:
    for reason in ("unsupported", "no_device", "no_action", "out_of_domain"):
        if reason in reasons:
            return reason
    return "out_of_domain"
