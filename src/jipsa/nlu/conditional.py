"""Conditional clauses the assistant cannot watch: ``문 열리면 불 켜``, ``if someone comes, …``.

A request that waits for something (a clause in -(으)면, -거든, -다면; if, whenever, as soon as) must not
be carried out at once. :mod:`jipsa.nlu.conditions` turns the ones on readings into a ``condition`` slot;
whatever conditional clause is left after it is found here, so the parse can refuse it with
``unknown_condition`` rather than act now.

Many polite requests use the same endings without stating a condition, and those still act: the verb
itself before -면 (켜 주시면 좋겠어, 꺼 줬으면 해, 꺼 주면 고맙겠어, 켜면 돼), a hedge on the speaker's
side (괜찮으면, 가능하면, 시간 되면, 할 수 있으면; if you can, if possible, when you get a chance), and a
time (7시 되면, 30분 지나면), which the time slots already schedule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from jipsa.nlu.morphology import Morph, Morphology
from jipsa.nlu.normalize import compact
from jipsa.nlu.numbers import Quantity

_KO_ENDINGS = frozenset({"면", "으면", "면은", "으면은", "거든", "다면", "ㄴ다면", "는다면", "라면",
                         "이라면"})
_KO_CUE = re.compile(r"면|거든")
_HANGUL = re.compile(r"[가-힣]")
# The speaker's hedges, as the clause ends (spaces removed): not a condition on the home.
_KO_HEDGE = re.compile(
    r"(?:괜찮|가능하|가능|상관없|문제없|번거롭지않|귀찮지않|바쁘지않|안바쁘|힘들지않|실례가안되|"
    r"시간되|시간나|시간있|여유되|여유있|수있|될수있|되도록|웬만하|이왕|기왕|원하|그러|그렇|그럼|"
    r"주|주시|줬|주셨|주신|준|해주시|해주)(?:시|셨|었|았|였|ㄴ|는|다|이)*(?:으면|면|면은|거든|다면|라면)$")
# What follows a request said as -면: the speaker's judgement of it, not another action.
_KO_HEDGE_TAIL = re.compile(
    r"^(?:좋|고맙|감사|돼|되|된|안돼|안되|안될|어때|어떨|어떻|싶|해$|해요|합니다|할게|땡큐)")
_BOUNDARY_TAGS = ("EC", "EF", "SF", "SP")

_EN_HEDGE = (r"(?:you (?:can|could|would|don'?t mind|have (?:a )?(?:moment|minute|time|sec(?:ond)?)|"
             r"get (?:a )?(?:chance|moment|minute)|are free|have a chance|want|like|please|may)|"
             r"possible|it'?s (?:ok(?:ay)?|alright|possible|not too much trouble|no trouble)|"
             r"that'?s (?:ok(?:ay)?|alright|fine)|not too much trouble|convenient|at all possible|"
             r"needed|necessary|i may)")
_EN_LEAD = re.compile(r"^(?:if|whenever|as soon as|in case)\s+(?P<clause>.+)$")
_EN_WHEN_LEAD = re.compile(r"^(?:when|once)\s+(?P<clause>[^,]+),")
_EN_TRAIL = re.compile(r"\s(?:if|whenever|when|as soon as|once|in case)\s+(?P<clause>.+)$")
_EN_HEDGE_START = re.compile(rf"^{_EN_HEDGE}\b")


_KO_HEDGE_LEAD = re.compile(
    r"^(?:(?:괜찮|가능하|시간 ?되|시간 ?나|시간 ?있|여유 ?되|여유 ?있|될 ?수 ?있|할 ?수 ?있|바쁘지 ?않|"
    r"안 ?바쁘|귀찮지 ?않|번거롭지 ?않|상관 ?없)(?:으시면|시면|으면|면|다면)|웬만하면|되도록이면|되도록|"
    r"이왕이면|기왕이면|가급적이면|가급적)\s*,?\s+(?=\S)")
_EN_HEDGE_LEAD = re.compile(rf"^if {_EN_HEDGE}\s*,?\s+(?:then\s+)?(?=\S)")
_EN_HEDGE_TRAIL = re.compile(rf"\s*,?\s+(?:if|when(?:ever)?) {_EN_HEDGE}$")


def drop_hedge(body: str) -> str:
    """Normalised ``body`` without a leading or trailing hedge that asks nothing (괜찮으면 불 좀 켜 줘 →
    불 켜 줘; turn off the lights if you can → turn off the lights)."""
    body = _KO_HEDGE_LEAD.sub("", body)
    body = _EN_HEDGE_LEAD.sub("", body)
    return _EN_HEDGE_TRAIL.sub("", body) or body


def conditional_clause(body: str, quantities: Sequence[Quantity], morphology: Morphology) -> bool:
    """Whether normalised ``body`` makes its request wait for something (and is no polite request)."""
    if _HANGUL.search(body):
        if not _KO_CUE.search(body):
            return False
        return _korean(body, quantities, morphology.analyze(body))
    return _english(body, quantities)


def _korean(body: str, quantities: Sequence[Quantity], morphs: Sequence[Morph]) -> bool:
    start = 0
    for i, m in enumerate(morphs):
        if m.tag not in _BOUNDARY_TAGS:
            continue
        clause_start, start = start, m.end
        if m.tag != "EC" or m.form not in _KO_ENDINGS:
            continue
        tail = compact(body[m.end:])
        if not tail or _KO_HEDGE_TAIL.match(tail):
            continue  # 켜 주시면 좋겠어, 꺼 주면 고맙겠어, 켜면 돼: the request itself
        if _KO_HEDGE.search(compact(body[clause_start:m.end])) or _asks_a_favour(morphs[:i]):
            continue  # 괜찮으면 …, 가능하면 …, 켜 주시면 …
        if any(q.time_slots and clause_start <= q.start < m.end for q in quantities):
            continue  # 7시 되면, 30분 지나면: a time, scheduled as one
        return True
    return False


def _asks_a_favour(before: Sequence[Morph]) -> bool:
    """Whether the clause's last predicate is the auxiliary 주다 (켜 주시면, 꺼 줬으면)."""
    for m in reversed(before):
        if m.tag in ("EP", "ETM", "NNB") or m.form == "있":
            continue  # 주시면, 줬으면, 줄 수 있으면
        return m.tag == "VX" and m.form == "주"
    return False


def _english(body: str, quantities: Sequence[Quantity]) -> bool:
    for pattern in (_EN_LEAD, _EN_WHEN_LEAD, _EN_TRAIL):
        m = pattern.search(body)
        if m is None:
            continue
        clause = m.group("clause")
        if _EN_HEDGE_START.match(clause):
            continue
        if any(q.time_slots and m.start("clause") <= q.start < m.end("clause") for q in quantities):
            continue
        if pattern is _EN_TRAIL and not body[:m.start()].strip():
            continue
        return True
    return False
