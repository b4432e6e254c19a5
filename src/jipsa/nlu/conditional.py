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

from jipsa.core.korean import final_consonant
from jipsa.nlu.morphology import Morph, Morphology
from jipsa.nlu.normalize import compact
from jipsa.nlu.numbers import Quantity

_KO_ENDINGS = frozenset({"면", "으면", "면은", "으면은", "거든", "다면", "ㄴ다면", "는다면", "라면",
                         "이라면"})
_KO_CUE = re.compile(r"면|거든")
_KO_OCCASION_CUE = re.compile(r"때|직전에|전에|전 에|전까지|후에|뒤에|다음에")
_BEFORE = frozenset({"전", "직전"})
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
_EN_WHEN_SUBJECT = re.compile(
    r"^(?:when|once|whenever|after|before)\s+(?P<clause>(?:i|we|you|he|she|they|someone|somebody|anyone|"
    r"everyone|nobody|the \w+|my \w+)\s+\w+.*?)\s+(?=(?:please\s+)?(?:turn|switch|set|start|"
    r"open|close|shut|lock|unlock|dim|put|stop|pause|run)\b)")
"""when I get home turn on the light: a clause with its own subject before the request, with no comma."""
_EN_TRAIL = re.compile(r"\s(?:if|whenever|when|as soon as|once|in case)\s+(?P<clause>.+)$")
_EN_HEDGE_START = re.compile(rf"^{_EN_HEDGE}\b")


_KO_HEDGE_LEAD = re.compile(
    r"^(?:(?:괜찮|가능하|시간 ?되|시간 ?나|시간 ?있|여유 ?되|여유 ?있|될 ?수 ?있|할 ?수 ?있|바쁘지 ?않|"
    r"안 ?바쁘|귀찮지 ?않|번거롭지 ?않|상관 ?없)(?:으시면|시면|으면|면|다면)|웬만하면|되도록이면|되도록|"
    r"이왕이면|기왕이면|가급적이면|가급적)\s*,?\s+(?=\S)")
_EN_HEDGE_LEAD = re.compile(rf"^(?:if|when(?:ever)?) {_EN_HEDGE}\s*,?\s+(?:then\s+)?(?=\S)")
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
        cue, occasion = _KO_CUE.search(body), _occasion_cue(body, quantities)
        if not cue and not occasion:
            return False
        morphs = morphology.analyze(body)
        return bool(cue and _korean(body, quantities, morphs)) or bool(
            occasion and _occasion(body, quantities, morphs))
    return _english(body, quantities)


def _occasion_cue(body: str, quantities: Sequence[Quantity]) -> bool:
    """Whether ``body`` may hold -ㄹ 때, -기 전에 or -ㄴ 후에/뒤에/다음에 (checked before any morphology, so
    30분 뒤에 and other delays cost nothing)."""
    for m in _KO_OCCASION_CUE.finditer(body):
        at = m.start()
        time = next((q for q in quantities if q.start <= at - 1 < q.end + 2), None)
        if time is not None:
            # 30분 뒤에, 7시 전에: a time; but 도착하기 30분 전에 still waits for the arrival
            if m.group().startswith("전") and body[:time.start].rstrip().endswith("기"):
                return True
            continue
        before = body[:at].rstrip()[-1:]
        if not before or not "가" <= before <= "힣":
            continue
        final = final_consonant(before)  # 8 is ㄹ (나갈 때), 4 is ㄴ (출근한 뒤에)
        word = m.group()
        if (word == "때" and final == 8) or (word.startswith(("전", "직전")) and before == "기") or (
                word[0] in "후뒤다" and final == 4):
            return True
    return False


def _occasion(body: str, quantities: Sequence[Quantity], morphs: Sequence[Morph]) -> bool:
    """Whether the request waits for something the speaker will do: -ㄹ 때 (나갈 때, 잘 때마다), -기 전에
    (자기 전에, 도착하기 30분 전에), -ㄴ 후에/뒤에/다음에 (출근한 뒤에); not a time (7시 될 때)."""
    for i, m in enumerate(morphs[:-1]):
        before, after = morphs[i - 1], morphs[i + 1]
        if m.form == "자기" and m.tag in ("NP", "NNG") and after.form in _BEFORE and after.tag == "NNG":
            return True  # 자기 전에: the analyser may take 자다 + -기 for the pronoun 자기
        if i == 0:
            continue
        if not (before.is_predicate or before.tag in ("XSV", "XSA", "EP")):
            continue
        waits = (m.tag == "ETM" and m.form in ("ᆯ", "을") and after.form == "때" and after.tag == "NNG") or (
            m.tag == "ETM" and m.form in ("ᆫ", "은") and after.form in ("후", "뒤", "다음")
            and after.tag in ("NNG", "NNB")) or (
            m.tag == "ETN" and m.form == "기" and any(
                x.form in _BEFORE and x.tag == "NNG" for x in morphs[i + 1:i + 4]))
        if waits and not any(q.time_slots and q.end <= after.start for q in quantities
                             if q.kind == "clock"):
            return True
    return False


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
    for pattern in (_EN_LEAD, _EN_WHEN_LEAD, _EN_WHEN_SUBJECT, _EN_TRAIL):
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
