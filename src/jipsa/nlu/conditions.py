"""Requests that wait for a reading: ``실내 온도가 28도 넘으면 에어컨 켜 줘``.

A condition is a measured quantity (temperature, humidity, fine dust) crossing a number. It is found by
its comparison words around the number (넘으면, 이상이면, 아래로 떨어지면, 보다 낮아지면; above, below,
over, under) and split from the action, which is understood as any other request. What the condition
measures is then understood as the question its subject asks (``실내 온도`` → ``실내 온도 어때?``), so
its sensors are resolved as a question about them would be.
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


def split_condition(body: str) -> ConditionText | None:
    """The condition and the action of normalised ``body``, if it asks for something upon a reading."""
    korean = _split_korean(body)
    return korean if korean is not None else _split_english(body)


def _split_korean(body: str) -> ConditionText | None:
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
