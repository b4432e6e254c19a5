"""Requests that wait for a reading: ``실내 온도가 28도 넘으면 에어컨 켜 줘``.

A condition is a measured quantity (temperature, humidity, fine dust) crossing a number. It is found by
its comparison words around the number (넘으면, 이상이면, 아래로 떨어지면, 보다 낮아지면; above, below,
over, under) and split from the action, which is understood as any other request. What the condition
measures is then understood as the question its subject asks (``실내 온도`` → ``실내 온도 어때?``), so
its sensors are resolved as a question about them would be.

A condition said without a number (미세먼지 나빠지면, 더워지면, 건조해지면; if it gets hot, if the air gets
bad) is a :class:`QualityText`: its number is the standard threshold of :data:`QUALITIES` for the reading
its subject names, so it ends in the same ``condition`` slot as a numeric one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jipsa.nlu.numbers import Quantity, find_quantities

OPERATORS = (">", ">=", "<", "<=")
"""How a reading compares with the number: above, at least, below, at most."""

_NUMBER_KINDS = {"degree", "percent", "number"}

# What may stand between the number and the comparison: a particle, 보다.
_KO_TAIL = re.compile(
    r"\s*(?:을|를|이|가|보다|에서)?\s*"
    r"(?P<qual>이상|초과|넘게|이하|미만|위로|위|아래로|아래|밑으로|밑)?\s*"
    r"(?:이|가|으로|로|보다)?\s*"
    r"(?P<verb>넘어가|넘어갈|넘어서|넘어설|넘으|넘을|넘기|넘|올라가|올라갈|올라|오르|오를|높아지|높아질|"
    r"높으|높을|높|웃돌|떨어지|떨어질|내려가|내려갈|내려|낮아지|낮아질|낮으|낮을|낮|밑돌|되|될|이|일|하|할|)"
    r"(?P<end>면은|면|\s?때|\s?경우)(?:에는|에|는)?\s*,?\s*"
)
_KO_ABOVE = {"넘", "넘으", "넘을", "넘기", "넘어가", "넘어갈", "넘어서", "넘어설", "올라가", "올라갈", "올라",
             "오르", "오를", "높아지", "높아질", "높으", "높을", "높", "웃돌"}
_KO_BELOW = {"떨어지", "떨어질", "내려가", "내려갈", "내려", "낮아지", "낮아질", "낮으", "낮을", "낮", "밑돌"}
_KO_QUALIFIER = {"이상": ">=", "초과": ">", "넘게": ">", "위로": ">", "위": ">",
                 "이하": "<=", "미만": "<", "아래로": "<", "아래": "<", "밑으로": "<", "밑": "<"}
_KO_SUBJECT_END = re.compile(r"\s*(?:이|가|은|는)?\s*$")
_KO_THAN = re.compile(r"(?<=[0-9가-힣%])보다(?= )")

_EN_IF = r"(?:if|when|whenever|once|as soon as)"
_EN_COMPARE = (r"(?:(?:goes|gets|rises|climbs|drops|falls|dips|is|are|reads|becomes)\s+)?"
               r"(?P<cmp>above|over|higher than|more than|greater than|at least|below|under|"
               r"lower than|less than|at most)")
_EN_FIRST = re.compile(rf"^{_EN_IF}\s+(?P<subj>.+?)\s+{_EN_COMPARE}\s+(?P<tail>.+)$")
_EN_LAST = re.compile(rf"^(?P<rest>.+?),?\s+{_EN_IF}\s+(?P<subj>.+?)\s+{_EN_COMPARE}\s+(?P<tail>.+?)\s*$")
_EN_THEN = re.compile(r"(?:\s|,|\bthen\b)*")
_EN_OPERATOR = {"above": ">", "over": ">", "higher than": ">", "more than": ">", "greater than": ">",
                "at least": ">=", "below": "<", "under": "<", "lower than": "<", "less than": "<",
                "at most": "<="}
_KO_MEASURED = re.compile(r"온도|기온|습도|먼지|공기")
_EN_MEASURED = re.compile(r"temperature|humidity|dust|air|pm ?2\.?5|pm ?10")
_EN_SUBJECT_START = re.compile(r"^(?:the|it)\s+")
_KO_PREFIX = re.compile(r"^(?:만약에|만약|만일에|만일|혹시나|혹시)\s+")

QUALITIES: dict[str, dict[str, tuple[str, int]]] = {
    # 나쁨 and 좋음 are the Ministry of Environment's fine-dust grades (µg/m³): PM10 좋음 0–30, 나쁨 81–150;
    # PM2.5 좋음 0–15, 나쁨 36–75. The comfort bands for temperature and humidity are the assistant's own.
    "bad_air": {"pm10": (">", 80), "pm25": (">", 35)},
    "good_air": {"pm10": ("<=", 30), "pm25": ("<=", 15)},
    "hot": {"temperature": (">", 28)},
    "cold": {"temperature": ("<", 18)},
    "humid": {"humidity": (">", 60)},
    "dry": {"humidity": ("<", 40)},
}
"""Conditions said without a number: quality → {reading → (operator, threshold)}."""

_AIR_QUALITIES = {"bad_air", "good_air"}
_KO_QUALITY_WORDS = {
    "나빠지": "bad_air", "나쁘": "bad_air", "나쁨이": "bad_air", "나쁨이 되": "bad_air",
    "안 좋아지": "bad_air", "안좋아지": "bad_air", "안 좋으": "bad_air", "안좋으": "bad_air",
    "좋아지": "good_air", "좋으": "good_air", "좋음이": "good_air", "좋음이 되": "good_air",
    "더워지": "hot", "더우": "hot",
    "추워지": "cold", "추우": "cold", "쌀쌀해지": "cold", "쌀쌀하": "cold",
    "습해지": "humid", "습하": "humid", "눅눅해지": "humid", "눅눅하": "humid", "꿉꿉해지": "humid",
    "꿉꿉하": "humid",
    "건조해지": "dry", "건조하": "dry",
}
_KO_QUALITY = re.compile(
    r"^(?P<subj>.*?)\s*(?:이|가|은|는)?\s*(?:너무\s*|많이\s*|좀\s*)?"
    r"(?P<word>" + "|".join(sorted(map(re.escape, _KO_QUALITY_WORDS), key=len, reverse=True)) + r")"
    r"(?:면은|면|거든)(?:\s+|\s*,\s*)(?P<action>.+)$")
_EN_QUALITY_WORDS = {"hot": "hot", "warm": "hot", "too warm": "hot", "cold": "cold", "chilly": "cold",
                     "humid": "humid", "muggy": "humid", "damp": "humid", "dry": "dry",
                     "bad": "bad_air", "poor": "bad_air", "worse": "bad_air", "dusty": "bad_air",
                     "good": "good_air", "clean": "good_air", "better": "good_air"}
_EN_QUALITY_WORD = "|".join(sorted(map(re.escape, _EN_QUALITY_WORDS), key=len, reverse=True))
_EN_QUALITY_VERB = (r"(?:gets|is|becomes|turns|goes|starts getting|starts to get)\s+"
                    r"(?:too\s+|very\s+|really\s+)?")
_EN_QUALITY_FIRST = re.compile(
    rf"^{_EN_IF}\s+(?P<subj>.+?)\s+{_EN_QUALITY_VERB}(?P<word>{_EN_QUALITY_WORD})\s*,?\s+(?:then\s+)?"
    r"(?P<action>.+)$")
_EN_QUALITY_LAST = re.compile(
    rf"^(?P<action>.+?),?\s+{_EN_IF}\s+(?P<subj>.+?)\s+{_EN_QUALITY_VERB}(?P<word>{_EN_QUALITY_WORD})\s*$")
_KO_AIR = re.compile(r"먼지|공기")
_KO_DUST = re.compile(r"먼지")  # 공기가 건조해지면 is the humidity
_KO_OUTSIDE = re.compile(r"날씨|밖|바깥|외부|실외")
_EN_AIR = re.compile(r"\bair\b|dust|pm ?2\.?5|pm ?10")
_EN_OUTSIDE = re.compile(r"weather|outside|outdoors")


@dataclass(frozen=True, slots=True)
class ConditionText:
    """A condition split from its action, still as words."""

    subject: str
    """What is measured, as said (``실내 온도``, ``the humidity``); may be empty (``28도 넘으면``)."""
    operator: str
    """One of :data:`OPERATORS`."""
    number: Quantity
    """The number compared with, with its unit kind (``degree``, ``percent``, ``number``)."""
    action: str
    """The request to carry out when it holds (``에어컨 켜 줘``)."""


@dataclass(frozen=True, slots=True)
class QualityText:
    """A condition said without a number (``미세먼지 나빠지면``), split from its action."""

    subject: str
    """What is measured, as said (``미세먼지``, ``거실``, ``the air``); may be empty (``더워지면``)."""
    quality: str
    """A key of :data:`QUALITIES` (``bad_air``, ``hot`` …)."""
    action: str
    """The request to carry out when it holds."""

    def threshold(self, attribute: str) -> tuple[str, int] | None:
        """The operator and number of this quality for ``attribute``, if it has one."""
        return QUALITIES[self.quality].get(attribute)


def split_condition(body: str) -> ConditionText | QualityText | None:
    """The condition and the action of normalised ``body``, if it asks for something upon a reading."""
    body = _KO_PREFIX.sub("", body)
    korean = _split_korean(body)
    if korean is not None:
        return korean
    english = _split_english(body)
    return english if english is not None else _split_quality(body)


def _split_quality(body: str) -> QualityText | None:
    m = _KO_QUALITY.match(body)
    if m is not None:
        subject, quality, outside = m.group("subj").strip(), _KO_QUALITY_WORDS[m.group("word")], _KO_OUTSIDE
        air = bool((_KO_AIR if quality in _AIR_QUALITIES else _KO_DUST).search(subject))
    else:
        m = _EN_QUALITY_FIRST.match(body) or _EN_QUALITY_LAST.match(body)
        if m is None:
            return None
        subject = _EN_SUBJECT_START.sub("", m.group("subj").strip())
        quality, outside = _EN_QUALITY_WORDS[m.group("word")], _EN_OUTSIDE
        air = bool(_EN_AIR.search(subject))
    # the air goes bad or good, a room hot or dry; the weather outside is nobody's sensor
    if air != (quality in _AIR_QUALITIES) or outside.search(subject):
        return None
    return QualityText(subject, quality, m.group("action").strip())


def _split_korean(body: str) -> ConditionText | None:
    if "면" not in body and "때" not in body and "경우" not in body:
        return None  # no clause a condition ends with (_KO_TAIL): spare the numbers
    body = _KO_THAN.sub(" 보다", body)  # 30도보다 → 30도 보다, so the number is read as one
    for q in find_quantities(body):
        if q.kind not in _NUMBER_KINDS:
            continue
        tail = _KO_TAIL.match(body, q.end)
        if tail is None:
            continue
        operator = _korean_operator(tail.group("qual"), tail.group("verb"))
        action = body[tail.end():].strip()
        if operator is None or not action:
            continue
        subject = _KO_SUBJECT_END.sub("", body[:q.start]).strip()
        return ConditionText(subject, operator, q, action)
    return None


def _korean_operator(qualifier: str | None, verb: str) -> str | None:
    if qualifier:
        return _KO_QUALIFIER[qualifier]
    if verb in _KO_ABOVE:
        return ">"
    if verb in _KO_BELOW:
        return "<"
    return None  # 28도면, 28도 되면: no direction


def _split_english(body: str) -> ConditionText | None:
    for pattern in (_EN_FIRST, _EN_LAST):
        m = pattern.match(body)
        if m is None:
            continue
        tail = m.group("tail")
        number = next((q for q in find_quantities(tail) if q.start == 0 and q.kind in _NUMBER_KINDS), None)
        if number is None:
            continue
        if "rest" in pattern.groupindex:
            rest = m.group("rest")
        else:
            rest = tail[_EN_THEN.match(tail, number.end).end():]  # type: ignore[union-attr]
        if not rest.strip():
            continue
        subject = _EN_SUBJECT_START.sub("", m.group("subj").strip())
        return ConditionText(subject, _EN_OPERATOR[m.group("cmp")], number, rest.strip())
    return None


def quality_question(condition: QualityText, korean: bool) -> str:
    """The question whose answer is the reading a quality condition watches (``거실이 더워지면`` →
    ``거실 온도 어때?``, ``미세먼지 나빠지면`` → ``미세먼지 어때?``)."""
    subject = condition.subject
    if condition.quality in _AIR_QUALITIES:
        if korean:
            return f"{'미세먼지' if subject == '먼지' else subject} 어때?"
        return f"what is the {'air quality' if subject in ('air', 'dust') else subject}?"
    reading = next(iter(QUALITIES[condition.quality]))
    if korean:
        word = "습도" if reading == "humidity" else "온도"
        # 실내 공기, 집 안: every room, as a bare 온도/습도 asks
        subject = re.sub(r"\s*(?:공기|온도|기온|습도|실내|집 ?안|집)\s*", " ", subject).strip()
        return f"{subject} {word} 어때?".strip()
    subject = re.sub(r"\b(?:air|temperature|humidity)\b", "", subject).strip()
    place = "" if subject in ("", "it") else f" in the {subject}"
    return f"what is the {reading}{place}?"


def subject_question(condition: ConditionText, korean: bool) -> str:
    """The question whose answer is the condition's reading (``실내 온도`` → ``실내 온도 어때?``).

    A subject that names only a place (``안방이 26도 넘으면``, ``if the bedroom gets above 26``) measures
    what the number's unit does: temperature for degrees, humidity for percent."""
    subject = condition.subject
    ko_word, en_word = ("습도", "humidity") if condition.number.kind == "percent" else ("온도", "temperature")
    if korean:
        if not _KO_MEASURED.search(subject):
            subject = f"{subject} {ko_word}".strip()
        return f"{subject} 어때?"
    if not _EN_MEASURED.search(subject):
        place = "" if subject in ("", "it") else f" in the {subject}"
        return f"what is the {en_word}{place}?"
    return f"what is the {subject}?"
