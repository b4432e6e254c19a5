"""Requests about the assistant's own things rather than a device: schedules and routines.

``예약 뭐 있어?`` → ``JipsaListSchedules``; ``7시 알람 취소해``, ``알람 꺼`` / ``에어컨 예약 다 지워`` →
``JipsaCancelSchedule``; ``지금 상태를 취침 모드로 저장해 줘`` → ``JipsaSaveRoutine``; ``외출 모드 만들어 줘``
→ ``JipsaCreateRoutine``. They are recognised by their nouns and verbs before device requests, since
``에어컨 예약 취소`` names a device but asks nothing of it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from jipsa.core.capabilities import Value
from jipsa.nlu.frame import Frame
from jipsa.nlu.numbers import Quantity

_SCHEDULE = re.compile(r"예약|알람|타이머|스케줄|일정|schedules?|timers?|alarms?|reminders?")
_CANCEL = re.compile(r"취소|없애|지워|지우|삭제|빼 ?줘|그만|안 ?해도|cancel|delete|remove|clear|stop|"
                     r"(?:알람|예약)(?:은|을|를|도)? ?(?:좀 )?(?:꺼|끄|끌|해제)(?!지)")
_LIST = re.compile(r"뭐|뭔|무슨|어떤|몇|목록|리스트|알려|확인|보여|있어|있나|있니|있는지|걸려|"
                   r"what|which|list|show|any|\?")
_ALL = re.compile(r"(?<![가-힣])(?:다|전부|모두|몽땅|싹)(?![가-힣])|all|every|everything")
_SAVE = re.compile(r"저장|기억|save|remember")
_NOW_STATE = re.compile(r"지금 ?상태|현재 ?상태|이 ?상태|지금 ?이대로|지금처럼|지금 ?설정|"
                        r"the way (?:it|things) (?:is|are)|current (?:state|settings)|"
                        r"as (?:it|things) (?:is|are)")
_CREATE = re.compile(r"만들어|만들자|만들래|추가해|새로|create|make|add")
_ROUTINE_NAME = re.compile(r"(?P<name>[가-힣a-z0-9]+ ?(?:모드|루틴|장면)|[a-z0-9]+ (?:mode|routine|scene))")
_ROUTINE_NOUN = re.compile(r"모드|루틴|장면|mode|routine|scene")


def manage_frame(body: str, quantities: Sequence[Quantity], device_ids: Sequence[str]) -> Frame | None:
    """The frame of a request about schedules or routines in normalised ``body``, if it is one.

    ``device_ids`` are the devices the text names (for ``에어컨 예약 취소``)."""
    found = _SCHEDULE.search(body)
    if found and found.group() == "일정" and not device_ids and not _SCHEDULE.search(body, found.end()):
        found = None  # 오늘 일정 알려 줘: the speaker's calendar, not the home's schedules
    if found:
        slots: dict[str, Value] = {}
        for q in quantities:
            slots.update(q.time_slots)
        if _CANCEL.search(body):
            if _ALL.search(body):
                slots["all"] = True
            return Frame("JipsaCancelSchedule", slots, tuple(device_ids))
        if _LIST.search(body) or body.strip() in ("예약", "알람", "타이머", "schedules", "timers"):
            return Frame("JipsaListSchedules", slots, tuple(device_ids))
        return None
    if not _ROUTINE_NOUN.search(body):
        return None
    name_match = _ROUTINE_NAME.search(body)
    name = name_match.group("name").strip() if name_match else ""
    if name.startswith(("지금", "이 ", "현재")):
        return None
    if _SAVE.search(body) and (_NOW_STATE.search(body) or "로 저장" in body or "으로 저장" in body):
        return Frame("JipsaSaveRoutine", {"name": name} if name else {})
    if _CREATE.search(body) and name:
        return Frame("JipsaCreateRoutine", {"name": name})
    return None
