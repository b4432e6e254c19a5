"""Numbers, amounts and times in Korean and English speech.

Reads Arabic digits (``24``, ``24.5``), Sino-Korean numerals (``이십사``, ``이십사점오``), native numerals
before a counter (``스물네 도``, ``세 시``, ``한 시간``), percentages (``50퍼센트``, ``50프로``, ``50%``,
``반만``),
steps (``3단``, ``두 단계``), delays (``30분 뒤에``, ``한 시간 후`` → seconds) and clock times
(``밤 11시에``, ``다섯 시 반에`` → ``23:00``, ``05:30``). Each finding is a :class:`Quantity` with its span
in the text, so the parser can blank it out before morphology.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SINO_DIGITS = {"영": 0, "공": 0, "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "륙": 6,
                "칠": 7, "팔": 8, "구": 9}
_SINO_UNITS = {"십": 10, "백": 100, "천": 1000}
_NATIVE_TENS = {"열": 10, "스물": 20, "스무": 20, "서른": 30, "마흔": 40, "쉰": 50}
_NATIVE_ONES = {"한": 1, "하나": 1, "두": 2, "둘": 2, "세": 3, "셋": 3, "석": 3, "서": 3, "네": 4,
                "넷": 4, "너": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9}
_EN_NUMBERS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
               "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
               "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
               "nineteen": 19,
               "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60}

_SINO = r"(?:[일이삼사오육륙칠팔구십백천]+(?: ?점 ?[영공일이삼사오육칠팔구]+)?)"
_ZERO = re.compile(
    r"(?<![가-힣a-z])(?P<num>영(?: ?점 ?[영공일이삼사오육칠팔구]+)?) ?(?P<unit>도|퍼센트|프로)")
"""Zero (영) read only before a unit (영 도로, 영점오 도), as 영 alone is too often another word (영화,
영하)."""
_NATIVE = (r"(?:(?:열|스물|스무|서른|마흔|쉰)(?: ?(?:하나|한|둘|두|셋|세|넷|네|다섯|여섯|일곱|여덟|아홉))?"
           r"|하나|한|둘|두|셋|세|석|넷|네|다섯|여섯|일곱|여덟|아홉)")
_EN = "|".join(sorted(_EN_NUMBERS, key=len, reverse=True))
_EN_TENS = r"(?:twenty|thirty|forty|fifty|sixty)[ -](?:one|two|three|four|five|six|seven|eight|nine)"
_NUM = (rf"(?:(?<![a-z])\d+(?:\.\d+)?|(?<![가-힣a-z]){_SINO}|(?<![가-힣a-z]){_NATIVE}"
        rf"|\b{_EN_TENS}\b|\b(?:{_EN})\b)")
_SP = r" ?"

_AFTER = r"(?: ?(?:뒤|후|있다가|있다(?= |$)|이따가|지나서|지나면|later|from now))"
_DELAY = re.compile(
    rf"(?:in )?(?:(?P<h>{_NUM}|\ban?\b|(?<![가-힣])반){_SP}(?:시간|hours?|hrs?)"
    rf"(?:{_SP}(?P<hm>{_NUM}|반){_SP}(?:분)?)?"
    rf"|(?P<m>{_NUM}|\ban?\b){_SP}(?:분|minutes?|mins?)|(?P<s>{_NUM}){_SP}(?:초|seconds?|secs?))"
    rf"(?P<after>{_AFTER})?(?:에|에는|쯤)?")
_SPAN = (rf"(?:(?P<h>{_NUM}|(?<![가-힣])반){_SP}시간(?:{_SP}(?:(?P<hm>{_NUM}){_SP}분|(?P<half>반)))?"
         rf"|(?P<m>{_NUM}){_SP}분)")
_DURATION = re.compile(rf"{_SPAN}(?: ?동안(?:만)?|만)(?= |$)")
"""How long something should run (한 시간만 틀어 줘, 30분 동안 켜 줘)."""
_TIMERS = (re.compile(rf"타이머 ?(?:을|를)? ?{_SPAN}(?:으로|로)?(?= |$)"),
           re.compile(rf"{_SPAN} ?타이머(?:를|을)?(?= |$)"))
"""A switch-off timer (에어컨 타이머 한 시간, 30분 타이머 맞춰): a delay, said without 뒤/후."""
_GLUED_DELAY = re.compile(
    rf"(?<=[가-힣])(?P<num>[일이삼사오육륙칠팔구십백]+|(?:열|스물|스무|서른|마흔|쉰)?(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉)"
    rf"|열|스물|스무|서른|마흔|쉰) ?(?P<unit>시간|분|초)(?: ?(?P<half>반))?{_AFTER}(?:에|에는|쯤)?")
"""A delay written onto the word before it (세탁기삼십분뒤에, 티비한시간후에): only with 뒤/후/있다가
after it."""
_CLOCK = re.compile(
    rf"(?:(?P<ampm>오전|오후|아침|저녁|밤|새벽|낮) ?)?(?P<hour>{_NUM}){_SP}시"
    rf"(?:{_SP}(?:(?P<half>반)|(?P<min>{_NUM}){_SP}분))?(?: ?(?:정각|쯤))?(?P<at>에|까지|부터)?"
    rf"|(?:at )(?P<ehour>\d{{1,2}})(?::(?P<emin>\d\d))? ?(?P<eampm>am|pm|a\.m|p\.m)?")
_NAMED_HOURS = re.compile(
    r"(?<![가-힣a-z])(?:at )?(?P<h>자정|정오|midnight|noon)(?:에|쯤|까지)?(?![가-힣a-z])")
"""Midnight and noon said by name (자정에, 정오에, at midnight)."""
_UNIT = re.compile(
    rf"(?P<num>{_NUM}){_SP}(?P<unit>도|℃|°c|°|degrees?|퍼센트|프로|%|percent|단계|단|칸|레벨|번|level|"
    r"채널|channel|step)?")
_DAYS = "월화수목금토일"
_DAY_WORD = r"[월화수목금토일]요일"
_REPEAT = re.compile(
    r"(?P<daily>매일|날마다|매일같이|every day|everyday|daily)"
    r"|(?P<weekdays>평일|주중|weekdays|every weekday)(?:마다|에는|에)?"
    r"|(?P<weekends>주말|weekends|every weekend)(?:마다|에는|에)?"
    rf"|(?:매주 ?)(?P<list>{_DAY_WORD}(?:(?: ?(?:이랑|하고|랑|과|와|,) ?| ){_DAY_WORD})*)(?:마다|에는|에)?"
    rf"|(?P<each>{_DAY_WORD}(?:(?: ?(?:이랑|하고|랑|과|와|,) ?| ){_DAY_WORD})*)마다"
    r"|(?P<letters>(?<![가-힣])[월화수목금토일]{2,5})(?=요일| |마다|에|$)(?:요일)?(?:마다|에)?"
    r"|every (?P<en>(?:mon|tues|wednes|thurs|fri|satur|sun)day)")
_DAY = re.compile(
    r"(?P<ko>내일모레|오늘|내일|낼|모레)(?:은|는|에|에는)?(?![가-힣])"
    r"|(?P<en>today|tomorrow|tonight)"
    rf"|(?P<wd>(?<!매주 )(?<!매주){_DAY_WORD})(?:에|에는|날)?")
_DATE = re.compile(rf"(?P<mon>(?<![가-힣])(?:\d+|{_SINO})) ?월 ?(?P<dom>\d+|{_SINO}) ?일(?:에|날|날에)?")
_EN_DAYS = {"mon": 0, "tues": 1, "wednes": 2, "thurs": 3, "fri": 4, "satur": 5, "sun": 6}
_WEEKDAY_SLOTS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_SLOTS = {"오늘": "today", "today": "today", "tonight": "today", "내일": "tomorrow", "낼": "tomorrow",
              "tomorrow": "tomorrow", "모레": "day_after_tomorrow", "내일모레": "day_after_tomorrow"}

_ORDINAL = re.compile(
    rf"(?:(?P<num>{_NUM}|첫) ?번째|(?<![가-힣])(?P<native>첫|(?:(?:열|스물|서른|마흔|쉰)(?:한|두))|"
    r"(?:열|스물|서른|마흔|쉰)?(?:둘|셋|넷|다섯|여섯|일곱|여덟|아홉)|열|스무|서른|마흔|쉰)째)"
    r"(?: ?(?P<step>단계|단|칸))?")
"""An ordinal (넷째 채널, 네 번째 채널로, 3번째): counted like 4번, or a step (두 번째 단계)."""
_LEVEL = re.compile(r"(?:level|레벨|speed) ?(?P<num>\d+)")
# A Hangul numeral written onto the word before it (보일러이십삼도로, 에어컨을스물넷 도로): read only with a
# unit after it, and only in its well-formed spelling (see _well_formed)
_GLUED = re.compile(
    r"(?=[일이삼사오육륙칠팔구십백천열스서마쉰다여아])(?<=[가-힣])(?P<num>[일이삼사오육륙칠팔구십백천]+(?:점[영공일이삼사오육칠팔구]+)?"
    r"|(?:열|스물|스무|서른|마흔|쉰)(?:하나|한|둘|두|셋|세|넷|네|다섯|여섯|일곱|여덟|아홉)?"
    r"|다섯|여섯|일곱|여덟|아홉)(?: ?(?P<unit>도|퍼센트|프로|%|단계|단)|(?=(?:으로|로|까지)(?: |$)))")
_SINO_WELL_FORMED = re.compile(
    r"(?:[이삼사오육칠팔구]?천)?(?:[이삼사오육칠팔구]?백)?(?:[이삼사오육칠팔구]?십)?[일이삼사오육칠팔구]?"
    r"(?:점[영공일이삼사오육칠팔구]+)?")
_NUMBER_PARTICLES = ("으로", "로", "까지", "에", "만", "쯤", "정도")
"""Particles after which a bare Hangul numeral is a number (볼륨 이십으로)."""
_SETTING_DIGIT = re.compile(
    r"(?:채널|볼륨|음량|밝기)(?:을|를|은|는)? ?(?P<num>[일이삼사오육륙칠팔구])(?=(?:으로|로)(?: |$)|$)")
"""A one-syllable Sino numeral right after a setting that is counted (채널 구로 돌려, 볼륨 오로): a number
there, though alone 구/이/오 are too often other words."""
_HALF = re.compile(r"(?<![가-힣])(?:절반|반)(?=만|쯤|정도|으로|$| )|\bhalf(?:way)?\b")

# What may follow a counter directly: particles and the first syllable of likely verbs.
_AFTER_DEGREE = set("로에까만정쯤씩를가야요이예올내높낮맞더만으로 ")
_BAD_WORDS = ("일단", "이번", "이도", "한번", "한 번")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its meaning, found in the text."""

    kind: str
    """``degree``, ``percent``, ``step``, ``count`` (``11번``), ``number``, ``half``, ``delay``,
    ``duration`` (how long to run: 한 시간만), ``clock``, or a time word: ``day`` (오늘, 내일, 월요일에),
    ``date`` (12월 3일) or ``repeat`` (매일, 평일, 매주 월요일)."""
    value: float
    """The number; seconds for ``delay``; minutes after midnight for ``clock``."""
    start: int
    """Where it begins in the normalised text."""
    end: int
    """Where it ends (exclusive)."""
    note: str = ""
    """The slot value of a time word (``tomorrow``, ``12-03``, ``weekdays``, ``mon wed``); ``12h`` on a
    clock time said without 오전/오후 (세 시), which may be either half of the day."""

    @property
    def time_slots(self) -> dict[str, int | float | str | bool]:
        """The frame slots this quantity sets, if it is a time (``docs/intents.md``)."""
        if self.kind == "delay":
            return {"delay_seconds": self.as_value}
        if self.kind == "clock":
            return {"at": self.clock_text, **({"at_12h": True} if self.note == "12h" else {})}
        if self.kind in ("day", "date", "repeat"):
            return {self.kind: self.note}
        return {}

    @property
    def as_value(self) -> int | float:
        """The number as an ``int`` when it is whole."""
        return int(self.value) if float(self.value).is_integer() else self.value

    @property
    def clock_text(self) -> str:
        """A ``clock`` quantity as ``HH:MM``."""
        minutes = int(self.value)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_number(word: str) -> float | None:
    """The value of one numeral: ``24``, ``이십사``, ``이십사점오``, ``스물네``, ``열``, ``twenty``; else
    ``None``."""
    word = word.strip()
    if not word:
        return None
    if word == "반":
        return 0.5  # 반 시간: half an hour
    try:
        return float(word)
    except ValueError:
        pass
    if word in _EN_NUMBERS:
        return float(_EN_NUMBERS[word])
    tens, _, ones = word.replace("-", " ").partition(" ")
    if tens in _EN_NUMBERS and ones in _EN_NUMBERS and _EN_NUMBERS[tens] >= 20 and _EN_NUMBERS[ones] < 10:
        return float(_EN_NUMBERS[tens] + _EN_NUMBERS[ones])
    if word in ("a", "an"):  # "in an hour", "in a minute": only the delay pattern lets these through
        return 1.0
    native = _parse_native(word.replace(" ", ""))  # 스물 두 = 스물두
    if native is not None:
        return float(native)
    return _parse_sino(word)


def _parse_native(word: str) -> int | None:
    for tens_word, tens in _NATIVE_TENS.items():
        if word.startswith(tens_word):
            rest = word[len(tens_word):]
            if not rest:
                return tens
            ones = _NATIVE_ONES.get(rest)
            return None if ones is None else tens + ones
    return _NATIVE_ONES.get(word)


def _parse_sino(word: str) -> float | None:
    whole, _, frac = word.replace(" ", "").partition("점")
    total = 0
    current = 0
    if not whole:
        return None
    for ch in whole:
        if ch in _SINO_DIGITS:
            current = current * 10 + _SINO_DIGITS[ch] if current else _SINO_DIGITS[ch]
        elif ch in _SINO_UNITS:
            total += (current or 1) * _SINO_UNITS[ch]
            current = 0
        else:
            return None
    value = float(total + current)
    if frac:
        digits = "".join(str(_SINO_DIGITS.get(ch, -1)) for ch in frac)
        if "-" in digits:
            return None
        value += float("0." + digits)
    return value


def _well_formed(word: str, tens: bool = False) -> bool:
    """Whether a Hangul numeral is spelled as a number is said (이십삼, 스물넷), not a word that happens to
    be made of digit syllables (사이, 오이, 이사); with ``tens``, a native numeral must be ten or more
    (하나로 합쳐 is "into one")."""
    if _SINO_WELL_FORMED.fullmatch(word):
        return (len(word) >= 2 and any(unit in word for unit in "십백천")) or word == "십"
    if tens and not word.startswith(tuple(_NATIVE_TENS)):
        return False
    if word == "열":
        return True  # 밝기 열로: ten (the verb 열다 never takes 로)
    return _parse_native(word) is not None and len(word) >= 2


def _clock_minutes(ampm: str | None, hour: float, minute: float) -> int | None:
    if not 0 <= hour <= 24 or not 0 <= minute < 60:
        return None
    h = int(hour)
    if (ampm in ("오후", "저녁", "pm",
    "p.m") and h < 12) or (ampm == "밤" and 6 <= h < 12) or (ampm == "낮" and 1 <= h <= 6):
        h += 12
    elif ampm in ("새벽", "오전", "am", "a.m", "아침", "밤") and h == 12:  # 밤 12시 is midnight
        h = 0
    return (h % 24) * 60 + int(minute)


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in normalised ``text``, left to right, spans not overlapping."""
    found: list[Quantity] = []
    taken = [False] * len(text)

    def free(start: int, end: int) -> bool:
        return not any(taken[start:end])

    def take(q: Quantity) -> None:
        for i in range(q.start, q.end):
            taken[i] = True
        found.append(q)

    for m in _DATE.finditer(text):
        month, dom = parse_number(m.group("mon")), parse_number(m.group("dom"))
        if month is not None and dom is not None and free(m.start(), m.end()):
            take(Quantity("date", 0.0, m.start(), m.end(), f"{int(month):02d}-{int(dom):02d}"))

    for m in _REPEAT.finditer(text):
        if not free(m.start(), m.end()):
            continue
        if m.group("daily"):
            note = "daily"
        elif m.group("weekdays"):
            note = "weekdays"
        elif m.group("weekends"):
            note = "weekends"
        elif m.group("en"):
            note = _WEEKDAY_SLOTS[_EN_DAYS[m.group("en")[:-3]]]
        else:
            letters = m.group("list") or m.group("each") or m.group("letters") or ""
            days = sorted({_DAYS.index(ch) for ch in re.sub(r"요일|이랑|하고|랑|과|와|[ ,]", "", letters)})
            if m.group("letters") and len(days) != len(m.group("letters")):
                continue  # 월월: not a list of days
            note = " ".join(_WEEKDAY_SLOTS[d] for d in days)
        take(Quantity("repeat", 0.0, m.start(), m.end(), note))

    for m in _DAY.finditer(text):
        if not free(m.start(), m.end()):
            continue
        if m.group("wd"):
            note = _WEEKDAY_SLOTS[_DAYS.index(m.group("wd")[0])]
        else:
            note = _DAY_SLOTS[m.group("ko") or m.group("en")]
        take(Quantity("day", 0.0, m.start(), m.end(), note))

    for m in _DELAY.finditer(text):
        if not m.group("after") and not text[m.start():].startswith("in "):
            continue
        seconds = 0.0
        if m.group("h"):
            hours = parse_number(m.group("h"))
            extra = m.group("hm")
            mins = 30.0 if extra == "반" else (parse_number(extra) if extra else 0.0)
            if hours is None or mins is None:
                continue
            seconds = hours * 3600 + mins * 60
        elif m.group("m"):
            mins = parse_number(m.group("m"))
            if mins is None:
                continue
            seconds = mins * 60
        elif m.group("s"):
            secs = parse_number(m.group("s"))
            if secs is None:
                continue
            seconds = secs
        if seconds > 0 and free(m.start(), m.end()):
            take(Quantity("delay", seconds, m.start(), m.end()))

    for pattern, kind in ((_TIMERS[0], "delay"), (_TIMERS[1], "delay"), (_DURATION, "duration")):
        for m in pattern.finditer(text):
            hours = parse_number(m.group("h")) if m.group("h") else 0.0
            minutes = parse_number(m.group("hm") or m.group("m") or "0")
            if hours is None or minutes is None or not free(m.start(), m.end()):
                continue
            seconds = hours * 3600 + minutes * 60 + (1800 if m.group("half") else 0)
            if seconds > 0:
                take(Quantity(kind, seconds, m.start(), m.end()))

    for m in _GLUED_DELAY.finditer(text):
        num = m.group("num")
        # the numeral may have swallowed a particle before it (에어컨이삼십분뒤에: 이 + 삼십)
        skip = next((k for k in range(len(num)) if _SINO_WELL_FORMED.fullmatch(num[k:])
                     or _parse_native(num[k:]) is not None), None)
        value = parse_number(num[skip:]) if skip is not None else None
        if value is None or not value or not free(m.start() + (skip or 0), m.end()):
            continue
        scale = {"시간": 3600, "분": 60, "초": 1}[m.group("unit")]
        seconds = value * scale + (scale // 2 if m.group("half") else 0)
        take(Quantity("delay", seconds, m.start() + (skip or 0), m.end()))

    for m in _CLOCK.finditer(text):
        if m.group("ehour"):
            hour = float(m.group("ehour"))
            minute = float(m.group("emin") or 0)
            minutes = _clock_minutes(m.group("eampm"), hour, minute)
        else:
            raw_hour = parse_number(m.group("hour"))
            if raw_hour is None:
                continue
            minute_raw = 30.0 if m.group("half") else (parse_number(m.group("min")) if m.group("min")
                                                        else 0.0)
            if minute_raw is None:
                continue
            nxt = text[m.end():m.end() + 1]
            if not m.group("at") and nxt not in ("", " "):
                continue
            if not m.group("at") and text[m.end():m.end() + 3].lstrip().startswith(("정지", "중지")):
                continue  # 일시 정지, 일시 중지: pause, not one o'clock
            minutes = _clock_minutes(m.group("ampm"), raw_hour, minute_raw)
        spoken_half = m.group("ampm") or m.group("eampm")
        hour_said = float(m.group("ehour") or parse_number(m.group("hour") or "") or 0)
        note = "12h" if not spoken_half and 1 <= hour_said <= 12 else ""
        if minutes is not None and free(m.start(), m.end()):
            take(Quantity("clock", float(minutes), m.start(), m.end(), note))

    for m in _NAMED_HOURS.finditer(text) if ("자정" in text or "정오" in text or "night" in text
                                             or "noon" in text) else ():
        if free(m.start(), m.end()):
            minutes = 0.0 if m.group("h") in ("자정", "midnight") else 720.0
            take(Quantity("clock", minutes, m.start(), m.end()))

    for m in _ORDINAL.finditer(text) if "째" in text else ():
        said = m.group("num") or m.group("native")
        value = 1.0 if said == "첫" else parse_number(said)
        counted = m.group("step") or text[m.end():].lstrip().startswith(("채널", "channel")) or (
            text[max(0, m.start() - 5):m.start()].rstrip().endswith(("채널", "채널을", "채널은")))
        if value and counted and free(m.start(), m.end()):  # 넷째 채널, 채널 세 번째로 (not 둘째 주)
            take(Quantity("step" if m.group("step") else "count", value, m.start(), m.end()))

    for m in _LEVEL.finditer(text):
        if free(m.start(), m.end()):
            take(Quantity("step", float(m.group("num")), m.start(), m.end()))

    for m in _ZERO.finditer(text) if "영" in text else ():
        value = parse_number(m.group("num"))
        nxt = text[m.end():m.end() + 1]
        if value is None or not free(m.start(), m.end()) or (
                m.group("unit") == "도" and nxt and nxt not in _AFTER_DEGREE):
            continue
        take(Quantity(_unit_kind(m.group("unit")), value, m.start(), m.end()))

    for m in _UNIT.finditer(text):
        if not m.group("num") or not free(m.start(), m.end()):
            continue
        unit = m.group("unit") or ""
        if any(text.startswith(bad, m.start()) for bad in _BAD_WORDS) and not (
                unit in ("단", "단계") and _particle_follows(text, m.end())):
            continue  # 일단 켜 is "for now"; 일단으로 is the first step
        value = parse_number(m.group("num"))
        if value is None:
            continue
        nxt = text[m.end():m.end() + 1]
        kind = _unit_kind(unit)
        hangul_bare = kind == "number" and not m.group("num").isascii()
        if hangul_bare:
            num = m.group("num")
            after = text[m.end("num"):m.end("num") + 1]  # the match may have taken the space after it
            last = m.end("num") >= len(text.rstrip())
            if not (len(num) >= 2 and last) and not (_well_formed(num, tens=True) and (
                    after == " " or last or _particle_follows(text, m.end("num")))):
                continue  # a bare Hangul numeral is too often an ordinary word (이, 사, 오, 이사 …)
        if kind == "degree" and unit == "도" and nxt and nxt not in _AFTER_DEGREE:
            continue
        end = m.end()
        if kind == "number":
            end = m.start() + len(m.group("num"))
            if text.startswith("층", end):
                continue  # 2층: a floor, spotted as an area

        take(Quantity(kind, value, m.start(), end))

    for m in _SETTING_DIGIT.finditer(text):
        if free(m.start("num"), m.end("num")):
            take(Quantity("number", float(_SINO_DIGITS[m.group("num")]), m.start("num"), m.end("num")))

    for m in _GLUED.finditer(text):
        num, unit = m.group("num"), m.group("unit")
        # the numeral may have swallowed a particle or a syllable before it (에어컨이이십사도: 이 + 이십사);
        # without a unit (습도오십으로) only a number spelled with 십/백/천 or a native ten is read
        skip = next((k for k in range(len(num)) if _well_formed(num[k:], tens=unit is None) or (
            unit is not None and k == len(num) - 1 and unit != "도" and num[k] in _SINO_DIGITS)), None)
        if skip is None:
            continue
        start = m.start() + skip
        value = parse_number(num[skip:])
        nxt = text[m.end():m.end() + 1]
        if value is None or not free(start, m.end()) or (unit == "도" and nxt and nxt not in _AFTER_DEGREE):
            continue
        take(Quantity(_unit_kind(unit or ""), value, start, m.end()))

    for m in _HALF.finditer(text):
        if free(m.start(), m.end()):
            take(Quantity("half", 50.0, m.start(), m.end()))

    found.sort(key=lambda q: q.start)
    return found


def _particle_follows(text: str, end: int) -> bool:
    return any(text.startswith(p, end) and text[end + len(p):end + len(p) + 1] in ("", " ")
               for p in _NUMBER_PARTICLES)


def _unit_kind(unit: str) -> str:
    if unit in ("도", "℃", "°c", "°", "degree", "degrees"):
        return "degree"
    if unit in ("퍼센트", "프로", "%", "percent"):
        return "percent"
    if unit in ("단계", "단", "칸", "레벨", "level", "step"):
        return "step"
    if unit in ("번", "채널", "channel"):
        return "count"
    return "number"
