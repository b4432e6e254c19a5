"""The assistant: text in, actions on the hub and a short reply out.

It understands (``jipsa.nlu``), plans validated commands (``plan``), asks before sensitive actions
(unlocking a door, opening the gas valve, starting the car), sends the rest through the hub, answers
state questions from live state and says what actually happened, failures included. Per conversation it
remembers what was just talked about (그리고 안방도, 아니 25도로, 그거 꺼, 더), the question it asked
(어느 에어컨요? → 안방) and a routine being put together by voice. Timed requests become schedules in
the store, run once each by :meth:`Assistant.run_due`. Every request is recorded with its outcome.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Protocol

from jipsa.assistant.answers import answer_en, answer_ko
from jipsa.assistant.plan import Plan, Step, plan_frames
from jipsa.assistant.replies import (
    Style,
    ask_ko,
    casual,
    done_en,
    done_ko,
    failure_en,
    failure_ko,
    todo_en,
    todo_ko,
)
from jipsa.assistant.summary import SUMMARY_ATTRIBUTES, summary
from jipsa.core.access import Role, Scope, current_actor
from jipsa.core.conditions import Condition, ConditionError
from jipsa.core.devices import Device, Home, Routine, RoutineAction
from jipsa.core.errors import JipsaError
from jipsa.core.history import RequestRecord
from jipsa.core.korean import josa
from jipsa.core.messages import Command
from jipsa.core.schedules import (
    TIME_SLOTS,
    Schedule,
    ScheduleError,
    clock_en,
    clock_ko,
    describe_en,
    describe_ko,
    is_timed,
    next_after,
    repeat_en,
    repeat_ko,
    when_of,
)
from jipsa.hub.hub import Hub
from jipsa.nlu import mentioned as nlu_mentioned
from jipsa.nlu import names_programme
from jipsa.nlu import understand as nlu_understand
from jipsa.nlu.frame import Frame, ParseResult
from jipsa.nlu.normalize import compact, normalize

Understand = Callable[[str, Home, str | None], ParseResult]
"""The language layer's entry point (``jipsa.nlu.understand``)."""

_YES = re.compile(
    r"^(응|어|네|넵|예|그래|그래요|좋아|좋아요|해|해 줘|해줘|해 주세요|해주세요|맞아|맞아요|"
    r"yes|yeah|yep|sure|ok|okay|do it)[.!~ ]*(?P<pin>\d{4,8})?[.!~ ]*$",
    re.IGNORECASE,
)
_PIN_ONLY = re.compile(r"^\s*(?P<pin>\d{4,8})\s*$")
_NO = re.compile(
    r"^(아니|아니요|아니오|아냐|됐어|하지 마|하지마|취소|no|nope|cancel|don't)[.!~ ]*$", re.IGNORECASE
)
_MORE = re.compile(
    r"^((조금|좀|한 ?번|더) ?)*더( 해 ?줘| 해 ?주세요| 해| 해봐)?[.!~ ]*$|^(more|again|a bit more)[.!]*$",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"(그거|그것|저거|저것|이거|이것|걔|그 기기|그놈)(도|을|를|은|는)?|\b(it|that)\b")
_ALL_OF_THEM = re.compile(
    r"(?<![가-힣])(다|전부|모두|둘 다|셋 다|다 해|다 켜|다 꺼)(?![가-힣])|\b(all|both)\b"
)
_DONE_BUILDING = re.compile(
    r"^(끝|끝났어|끝이야|됐어|다 됐어|완료|저장|저장해 ?줘|그게 다야|이게 다야|done|"
    r"that's all|save)[.!~ ]*$",
    re.IGNORECASE,
)
_CANCEL_BUILDING = re.compile(
    r"^(취소|취소해 ?줘|그만|그만해|안 만들래|cancel|never mind)[.!~ ]*$", re.IGNORECASE
)

_LANGUAGE: ContextVar[str | None] = ContextVar("jipsa_reply_language", default=None)
"""The reply language asked for by the turn being served (``None``: the home's)."""

CONFIRM_SECONDS = 60.0
"""How long a question about a sensitive action stays open."""

CONTEXT_SECONDS = 300.0
"""How long the devices just talked about stay the default for requests that leave them out."""

MISSED_GRACE = timedelta(minutes=15)
"""A schedule found this late (jipsa was not running when it was due) still runs; later ones are missed."""

_BUILT_IN_ROUTINES: Mapping[str, tuple[str, ...]] = {
    # A routine by voice starts from these when its name is one of the usual ones and the home has none.
    "외출": ("불 다 꺼", "에어컨 다 꺼", "가스 밸브 잠가", "현관문 잠가", "로봇청소기 돌려"),
    "귀가": ("현관 불 켜", "거실 불 켜"),
    "취침": ("불 다 꺼", "현관문 잠가", "가스 밸브 잠가"),
    "기상": ("안방 불 켜", "커튼 열어"),
    "영화": ("거실 불 꺼", "커튼 닫아", "TV 켜"),
}


_NOT_UNDERSTOOD: Mapping[str, tuple[str, str]] = {
    # reason → (Korean, English) reply when nothing was understood
    "out_of_domain": (
        "죄송해요, 그건 도와드릴 수 없어요. 집 안 기기를 켜고 끄거나 상태를 물어봐 주세요.",
        "Sorry, I can't help with that; I can control and check the devices at home.",
    ),
    "no_device": ("말씀하신 기기를 이 집에서 찾지 못했어요.", "I couldn't find that device in this home."),
    "unsupported": ("그 기기는 그 기능을 지원하지 않아요.", "That device can't do that."),
    "empty": ("말씀해 주세요.", "Sorry, I didn't understand that."),
    "too_long": ("말씀이 너무 길어요. 짧게 나눠서 말해 주세요.", "Sorry, I didn't understand that."),
    "unknown_condition": (
        "그 조건은 제가 지켜볼 수 없어요. "
        "온도, 습도, 미세먼지 조건이나 시간(예: 11시에 불 꺼 줘)으로 말씀해 주세요.",
        "I can't watch for that; conditions can use temperature, humidity or fine dust, or say a time.",
    ),
    "": ("죄송해요, 잘 이해하지 못했어요. 다시 말씀해 주시겠어요?", "Sorry, I didn't understand that."),
}


_UNHELD: Mapping[str, tuple[str, str]] = {
    # a setting no capability holds (ParseResult.unheld) → (Korean, English) after the device's name
    "wind_free": ("무풍 기능을 지원하지 않아요. 바람 세기를 약하게 해 드릴 수는 있어요.",
                  "can't do wind-free cooling; I can turn the fan speed down."),
    "aimed": ("바람을 한쪽으로 보내는 기능을 지원하지 않아요. 바람 방향을 위아래나 좌우로 움직이게 하거나 "
              "고정할 수는 있어요.",
              "can't aim the air one way; it can swing up and down or side to side, or stay still."),
}


class Records(Protocol):
    """Where the assistant keeps its history, schedules and routines (``SqlStore``)."""

    def add_request(self, record: RequestRecord) -> int: ...

    def add_schedule(
        self,
        *,
        text: str,
        frames: Sequence[Mapping[str, Any]],
        next_at: datetime,
        created_at: datetime,
        clock: str | None = None,
        days: Sequence[int] = (),
        created_by: str | None = None,
        conversation_id: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> Schedule: ...

    def schedules(self, *, status: str | None = "active") -> list[Schedule]: ...

    def claim_schedule(
        self,
        schedule_id: int,
        due: datetime | None,
        *,
        next_at: datetime | None,
        status: str,
        ran_at: datetime | None,
    ) -> bool: ...

    def cancel_schedule(self, schedule_id: int) -> bool: ...

    def save_routine(self, routine: Routine, at: datetime) -> None: ...

    def routines(self) -> list[Routine]: ...


@dataclass(frozen=True, slots=True)
class ActionResult:
    """One command the assistant sent and what became of it."""

    command: Command
    """The command."""
    error: str | None = None
    """Why it failed, or ``None``."""

    @property
    def ok(self) -> bool:
        """Whether it was carried out."""
        return self.error is None


@dataclass(frozen=True, slots=True)
class Turn:
    """One exchange: what was said, understood, done and replied."""

    text: str
    """What the person said."""
    parse: ParseResult
    """What the language layer understood."""
    reply: str
    """What the assistant says back."""
    actions: tuple[ActionResult, ...] = ()
    """Commands sent, in order."""
    awaiting_confirmation: bool = False
    """Whether the assistant asked to confirm a sensitive action."""
    outcome: str = "done"
    """How it ended (:data:`jipsa.core.history.OUTCOMES`)."""
    asking: bool = False
    """Whether the assistant asked a question back (which device, a confirmation, what to add)."""
    schedule: Schedule | None = None
    """The schedule it made, when it set something for later."""


@dataclass(slots=True)
class _Question:
    frames: tuple[Frame, ...]
    parse: ParseResult
    asked_at: float


@dataclass(slots=True)
class _Draft:
    name: str
    actions: list[RoutineAction] = field(default_factory=list)
    suggested: tuple[RoutineAction, ...] = ()


@dataclass(slots=True)
class _Conversation:
    pending: list[Step] = field(default_factory=list)
    pending_since: float = 0.0
    question: _Question | None = None
    draft: _Draft | None = None
    last_frames: tuple[Frame, ...] = ()
    last_targets: tuple[str, ...] = ()
    last_at: float = -1e18
    unasked: str = ""
    """What a request named with nothing asked of it (불 좀, 에어컨 좀): the next words may say what."""
    unasked_at: float = -1e18


Results = list[tuple[Device, ActionResult, JipsaError | None]]


class Assistant:
    """Conversations with one home, acting through its hub."""

    def __init__(
        self,
        hub: Hub,
        *,
        records: Records,
        understand: Understand | None = None,
        confirm_seconds: float = CONFIRM_SECONDS,
        context_seconds: float = CONTEXT_SECONDS,
        lock_pin: str | None = None,
    ) -> None:
        self.hub = hub
        home = hub.home
        stored = tuple(r for r in records.routines() if home.routine(r.id) is None)
        if stored:
            hub.home = replace(home, routines=(*home.routines, *stored))
        self.records = records
        self._understand = understand or nlu_understand
        self._confirm_seconds = confirm_seconds
        self._context_seconds = context_seconds
        self._lock_pin = lock_pin
        self._conversations: dict[str, _Conversation] = {}
        self.style = Style(home.language, home.info.style == "casual")
        self._next_due: datetime | None = None
        self._watching: list[tuple[Schedule, Condition]] = []
        self._refresh_due()

    @property
    def home(self) -> Home:
        """The hub's home: devices an adapter discovers or loses while running are in it at once."""
        return self.hub.home

    # -- one request ---------------------------------------------------------------------------------

    async def handle(
        self,
        text: str,
        *,
        conversation_id: str = "default",
        area: str | None = None,
        confirmed: bool = False,
        user: str | None = None,
        language: str | None = None,
        source: str = "voice",
    ) -> Turn:
        """Understand ``text``, act on it, reply (in ``language``, ``ko`` or ``en``, when given; else the
        home's), and record the request with who asked (``user``) and through what (``source``).

        What the request may do is limited by the acting person (:func:`jipsa.core.access.current_actor`):
        a guest's sensitive commands, routines and schedules are refused with a reply."""
        if language is not None and language not in ("ko", "en"):
            raise ValueError(f"language must be 'ko' or 'en', not {language!r}")
        token = _LANGUAGE.set(language)
        try:
            turn = await self._handle(text, conversation_id, area, confirmed)
        finally:
            _LANGUAGE.reset(token)
        self._record(turn, conversation_id, user, source)
        return turn

    async def _handle(self, text: str, conversation_id: str, area: str | None, confirmed: bool) -> Turn:
        conversation = self._conversations.setdefault(conversation_id, _Conversation())
        stripped = text.strip()
        answered = await self._answer_confirmation(conversation, text, stripped)
        if answered is not None:
            return answered
        if conversation.draft is not None:
            return await self._build_routine(conversation, text, stripped, area)
        if conversation.question is not None:
            chosen = self._answer_question(conversation, text)
            if chosen is not None:
                return await self._act(conversation, text, chosen[0], chosen[1], confirmed)
        parsed = self._understand(text, self.home, area)
        completed = self._what_to_do(conversation, text, parsed, area)
        if completed is not None:
            parsed = completed
        if not parsed.ok:
            follow = self._follow_up(conversation, text, stripped, parsed, area)
            if follow is not None:
                return await self._act(conversation, text, parsed, follow, confirmed)
            if conversation.question is not None:
                return self._still_asking(conversation, text, parsed)
            if parsed.reason == "no_action":
                # 불 좀, 에어컨 좀: something named with nothing asked; ask what, and hear the answer
                conversation.unasked = text
                conversation.unasked_at = self.hub.clock.monotonic()
                return Turn(text, parsed, self._say([self._ask_what(parsed)]), outcome="asked", asking=True)
            return Turn(text, parsed, self._say([self._not_understood(parsed)]), outcome="not_understood")
        conversation.question = None
        return await self._act(
            conversation, text, parsed, self._with_context(conversation, parsed.frames), confirmed
        )

    async def _act(
        self,
        conversation: _Conversation,
        text: str,
        parsed: ParseResult,
        frames: tuple[Frame, ...],
        confirmed: bool,
    ) -> Turn:
        managed = [f for f in frames if f.intent in _MANAGE]
        actor = current_actor()
        changes = [f for f in managed if f.intent != "JipsaListSchedules"] or [
            f for f in frames if "condition" in f.slots or is_timed(f.slots)]
        if changes and actor is not None and not actor.may(Scope.MANAGE):
            line = ("예약이나 루틴을 만들고 바꾸는 건 이 계정으로는 할 수 없어요." if self._ko
                    else "This account can't create or change schedules and routines.")
            return Turn(text, parsed, self._say([line]), outcome="refused")
        if managed:
            return await _MANAGE[managed[0].intent](self, conversation, text, parsed, managed[0])
        if any(f.ambiguous for f in frames):
            conversation.question = _Question(frames, parsed, self.hub.clock.monotonic())
            return Turn(text, parsed, self._say([self._clarify(frames)]), outcome="asked", asking=True)
        conversation.question = None
        if any("condition" in f.slots for f in frames):
            return self._watch(conversation, text, parsed, frames)
        timed = [f for f in frames if is_timed(f.slots)]
        if timed:
            return await self._now_and_later(conversation, text, parsed, frames, confirmed)
        conversation.last_frames = frames
        conversation.last_targets = tuple(t for f in frames for t in f.targets) or conversation.last_targets
        conversation.last_at = self.hub.clock.monotonic()
        plan = plan_frames(frames, self.home, self.hub.state)
        forbidden = [s for s in plan.steps if actor is not None
                     and not actor.may_command(s.device, s.command.capability, s.command.command)]
        allowed = [s for s in plan.steps if s not in forbidden]
        sensitive = [s for s in allowed if s.sensitive and not confirmed]
        now_steps = [s for s in allowed if not s.sensitive or confirmed]
        results = await self._run(now_steps)
        lines = [self._routine_intro(r) for r in plan.routines]
        lines += [self._forbidden(s, actor.role if actor else Role.GUEST) for s in forbidden]
        lines += self._describe(results)
        lines += self._problems(plan)
        lines += self._answers(plan)
        if plan.routines and not plan.steps:
            lines.append("루틴에 할 일이 없어요." if self._ko else "That routine has nothing to do.")
        if sensitive:
            conversation.pending = sensitive
            conversation.pending_since = self.hub.clock.monotonic()
            lines.append(self._ask_confirmation(sensitive))
        if not lines:
            lines.append("이미 그렇게 되어 있어요." if self._ko else "Nothing to change.")
        outcome = "refused" if forbidden and not results and not sensitive else _outcome(
            results, plan, bool(sensitive))
        return Turn(
            text,
            parsed,
            self._say(lines),
            tuple(r for _d, r, _e in results),
            bool(sensitive),
            outcome,
            bool(sensitive),
        )

    def _forbidden(self, step: Step, role: Role) -> str:
        """Why ``step`` was not done for this person (a guest unlocking the door)."""
        if self._ko:
            who = "손님 계정으로는" if role is Role.GUEST else "이 계정으로는"
            return f"{who} {ask_ko(step.device, step.command).removesuffix('까요?')} 수 없어요."
        return f"This account may not {step.command.command.replace('_', ' ')} the {step.device.name}."

    # -- confirmations -------------------------------------------------------------------------------

    async def _answer_confirmation(
        self, conversation: _Conversation, text: str, stripped: str
    ) -> Turn | None:
        yes = _YES.match(stripped) or (_PIN_ONLY.match(stripped) if conversation.pending else None)
        no = _NO.match(stripped)
        if not (yes or no):
            conversation.pending = []  # anything else moves on: the question is dropped
            return None
        pending, conversation.pending = conversation.pending, []
        expired = pending and self.hub.clock.monotonic() - conversation.pending_since > self._confirm_seconds
        if not pending or expired:
            if conversation.question is not None or conversation.draft is not None:
                conversation.pending = pending
                return None
            if no and not pending:
                return None
            line = (
                (
                    "확인할 시간이 지났어요. 필요하면 다시 말씀해 주세요."
                    if expired
                    else "지금 확인할 일이 없어요."
                )
                if self._ko
                else (
                    "That question has expired; please ask again."
                    if expired
                    else "There's nothing to confirm."
                )
            )
            return Turn(
                text, ParseResult(text), self._say([line]), outcome="refused" if expired else "nothing"
            )
        if no:
            return Turn(
                text,
                ParseResult(text),
                self._say(["알겠어요, 하지 않을게요."] if self._ko else ["OK, I won't."]),
                outcome="refused",
            )
        if self._lock_pin and any(s.command.command == "unlock" for s in pending):
            pin = yes.group("pin") if yes else None
            if pin != self._lock_pin:
                return Turn(
                    text,
                    ParseResult(text),
                    self._say(
                        [
                            "비밀번호가 맞지 않아서 열지 않았어요."
                            if pin
                            else "문을 열려면 비밀번호를 함께 말씀해 주세요. 처음부터 다시 요청해 주세요."
                        ]
                        if self._ko
                        else [
                            "The PIN didn't match, so I didn't unlock it."
                            if pin
                            else "Unlocking needs the PIN; please ask again and say it with your yes."
                        ]
                    ),
                    outcome="refused",
                )
        results = await self._run(pending)
        return Turn(
            text,
            ParseResult(text),
            self._say(self._describe(results)),
            tuple(r for _d, r, _e in results),
            outcome=_outcome(results, Plan(), False),
        )

    def _ask_confirmation(self, steps: list[Step]) -> str:
        pin = self._lock_pin and any(s.command.command == "unlock" for s in steps)
        if not self._ko:
            names = ", ".join(f"{s.command.command.replace('_', ' ')} the {s.device.name}" for s in steps)
            return f"Shall I {names}? Say yes{' and the PIN' if pin else ''} to confirm."
        asks = [ask_ko(s.device, s.command) for s in steps]
        return " ".join(asks) + (
            " 맞으면 비밀번호를 말씀해 주세요." if pin else " 맞으면 '응'이라고 해 주세요."
        )

    # -- clarification and follow-ups ----------------------------------------------------------------

    def _answer_question(
        self, conversation: _Conversation, text: str
    ) -> tuple[ParseResult, tuple[Frame, ...]] | None:
        """The asked-about frames narrowed by a fragment answer (안방, 거실 거, 둘 다), if it is one."""
        question = conversation.question
        assert question is not None
        if self.hub.clock.monotonic() - question.asked_at > self._context_seconds:
            conversation.question = None
            return None
        areas, devices = nlu_mentioned(text, self.home)
        everything = bool(_ALL_OF_THEM.search(text.lower()))
        narrowed = []
        for frame in question.frames:
            if not frame.ambiguous:
                narrowed.append(frame)
                continue
            picked = tuple(
                t
                for t in frame.targets
                if everything
                or t in devices
                or ((dev := self.home.device(t)) is not None and dev.area in areas)
            )
            if not picked:
                return None
            narrowed.append(replace(frame, targets=picked, ambiguous=False))
        if len(compact(text)) > 12 and self._understand(text, self.home, None).ok:
            return None  # a whole new request, not an answer
        conversation.question = None
        return question.parse, tuple(narrowed)

    def _what_to_do(
        self, conversation: _Conversation, text: str, parsed: ParseResult, area: str | None
    ) -> ParseResult | None:
        """The answer to "what should I do with it?" (켜 줘, 24도로) said of what was named before with
        nothing asked (불 좀), as one request; ``None`` when this is no such answer."""
        said, conversation.unasked = conversation.unasked, ""
        if not said or self.hub.clock.monotonic() - conversation.unasked_at > self._context_seconds:
            return None
        if parsed.ok and any("name" in f.slots or "area" in f.slots for f in parsed.frames):
            return None  # 티비 꺼: a request of its own, about something else
        if parsed.reason == "no_action":
            return None
        joined = self._understand(f"{said} {text}", self.home, area)
        return replace(joined, text=text) if joined.ok else None

    def _ask_what(self, parsed: ParseResult) -> str:
        _areas, ids = nlu_mentioned(parsed.text, self.home)
        names = [d.name for d in (self.home.device(i) for i in ids) if d is not None]
        if self._ko:
            named = ", ".join(names) if names else normalize(parsed.text).text
            return f"{josa(named, '을/를')} 어떻게 할까요? 켜거나 끄는 것처럼 말씀해 주세요."
        named = " and the ".join(names) if names else normalize(parsed.text).text
        return f"What should I do with the {named}? Say, for example, turn it on or off."

    def _still_asking(self, conversation: _Conversation, text: str, parsed: ParseResult) -> Turn:
        assert conversation.question is not None
        line = self._clarify(conversation.question.frames)
        prefix = "잘 모르겠어요. " if self._ko else "Sorry, I didn't get that. "
        return Turn(text, parsed, self._say([prefix + line]), outcome="asked", asking=True)

    def _follow_up(
        self, conversation: _Conversation, text: str, stripped: str, parsed: ParseResult, area: str | None
    ) -> tuple[Frame, ...] | None:
        """Frames for a follow-up that needs the last request (그리고 안방도, 그거 꺼, 더)."""
        fresh = self.hub.clock.monotonic() - conversation.last_at <= self._context_seconds
        if not fresh or not conversation.last_frames:
            return None
        last = tuple(f for f in conversation.last_frames if f.targets)
        if _MORE.match(stripped):
            relative = tuple(f for f in last if any(k.endswith(("_delta", "_step")) for k in f.args))
            return relative or None
        if parsed.reason == "no_action":
            areas, devices = nlu_mentioned(text, self.home)
            if not areas and not devices:
                return None
            out = []
            for frame in last:
                kinds = {(d.type, d.device_class) for d in (self.home.device(t) for t in frame.targets) if d}
                moved = [
                    d.id
                    for d in self.home.devices
                    if d.id in devices or (d.area in areas and (d.type, d.device_class) in kinds)
                ]
                if moved:
                    out.append(replace(frame, targets=tuple(dict.fromkeys(moved)), ambiguous=False))
            return tuple(out) or None
        if parsed.reason in ("no_device", "out_of_domain") and _PRONOUN.search(text):
            first = self.home.device(conversation.last_targets[0]) if conversation.last_targets else None
            if first is None:
                return None
            again = self._understand(_PRONOUN.sub(first.name + " ", text, count=1), self.home, area)
            if not again.ok:
                return None
            return tuple(
                replace(f, targets=conversation.last_targets, ambiguous=False) if first.id in f.targets else f
                for f in again.frames
            )
        return None

    def _with_context(self, conversation: _Conversation, frames: tuple[Frame, ...]) -> tuple[Frame, ...]:
        """Ambiguous frames narrowed to the devices this conversation was just talking about."""
        fresh = self.hub.clock.monotonic() - conversation.last_at <= self._context_seconds
        if not fresh or not conversation.last_targets:
            return frames
        out = []
        for frame in frames:
            recent = [t for t in frame.targets if t in conversation.last_targets]
            if frame.ambiguous and recent:
                frame = replace(frame, targets=tuple(recent), ambiguous=False)
            out.append(frame)
        return tuple(out)

    def _clarify(self, frames: tuple[Frame, ...]) -> str:
        frame = next(f for f in frames if f.ambiguous)
        devices = [d for d in (self.home.device(t) for t in frame.targets) if d is not None]
        places = []
        for device in devices:
            place = self.home.area(device.area) if device.area else None
            places.append(
                place.name if place and sum(1 for d in devices if d.area == device.area) == 1 else device.name
            )
        if self._ko:
            kinds = {d.type for d in devices}
            word = devices[0].name.split()[-1] if len(kinds) == 1 else "기기"
            return f"어느 {josa(word, '이에요/예요')}? {', '.join(places)} 중에서 말씀해 주세요."
        return f"Which one? {', '.join(d.name for d in devices)}."

    # -- schedules -------------------------------------------------------------------------------------

    async def _now_and_later(
        self,
        conversation: _Conversation,
        text: str,
        parsed: ParseResult,
        frames: tuple[Frame, ...],
        confirmed: bool,
    ) -> Turn:
        """Frames said for now are done now, each time said is kept for then: 에어컨 켜고 1시간 뒤에 꺼 줘,
        한 시간만 틀어 줘 (on now, off later), 거실 불 끄고 30분 뒤에 에어컨도 꺼."""
        groups: dict[tuple[tuple[str, Any], ...], list[Frame]] = {}
        for frame in frames:
            key = tuple((k, frame.slots[k]) for k in TIME_SLOTS if k in frame.slots)
            groups.setdefault(key, []).append(frame)
        turns: list[Turn] = []
        if () in groups:
            turns.append(await self._act(conversation, text, parsed, tuple(groups.pop(())), confirmed))
        for group in groups.values():
            turns.append(self._schedule(conversation, text, parsed, tuple(group)))
        if len(turns) == 1:
            return turns[0]
        last = next((t for t in reversed(turns) if t.schedule is not None), turns[-1])
        return replace(
            last,
            reply=" ".join(t.reply for t in turns if t.reply),
            actions=tuple(a for t in turns for a in t.actions),
            awaiting_confirmation=any(t.awaiting_confirmation for t in turns),
            asking=any(t.asking for t in turns),
        )

    def _schedule(
        self, conversation: _Conversation, text: str, parsed: ParseResult, frames: tuple[Frame, ...]
    ) -> Turn:
        now = self.hub.clock.now()
        zone = self.home.info.zone
        slots = next(f.slots for f in frames if is_timed(f.slots))
        try:
            when = when_of(slots, now, zone)
        except ScheduleError as exc:
            return Turn(
                text,
                parsed,
                self._say([exc.message_ko if self._ko else exc.message_en]),
                outcome="not_understood",
            )
        kept = self._keep_for_later(
            text, parsed, frames, TIME_SLOTS, next_at=when.first, created_at=now, clock=when.clock,
            days=when.days,
        )
        if isinstance(kept, Turn):
            return kept
        schedule, plan = kept
        self._next_due = when.first if self._next_due is None else min(self._next_due, when.first)
        what = self._todo(plan)
        moment = self._moment(when.first, when.clock, when.days)
        line = (
            f"{moment}에 {josa(what, '을/를')} 예약했어요." if self._ko else f"Scheduled: {what}, {moment}."
        )
        conversation.last_frames, conversation.last_at = (), self.hub.clock.monotonic()
        return Turn(text, parsed, self._say([line]), outcome="scheduled", schedule=schedule)

    def _keep_for_later(
        self,
        text: str,
        parsed: ParseResult,
        frames: tuple[Frame, ...],
        when_slots: Collection[str],
        *,
        next_at: datetime,
        created_at: datetime,
        clock: str | None = None,
        days: Sequence[int] = (),
        meta: Mapping[str, Any] | None = None,
    ) -> tuple[Schedule, Plan] | Turn:
        """Keep ``frames`` without the slots that say when (``when_slots``) as a schedule, with their plan
        now; or the turn that says why they cannot be kept."""
        bare = tuple(
            replace(f, slots={k: v for k, v in f.slots.items() if k not in when_slots}) for f in frames
        )
        plan = plan_frames(bare, self.home, self.hub.state)
        refused = self._unschedulable(text, parsed, plan)
        if refused is not None:
            return refused
        schedule = self.records.add_schedule(
            text=text, frames=[f.to_dict() for f in bare], next_at=next_at, created_at=created_at,
            clock=clock, days=days, created_by=_actor_name(), meta=meta,
        )
        return schedule, plan

    def _unschedulable(self, text: str, parsed: ParseResult, plan: Plan) -> Turn | None:
        """Why ``plan`` cannot be kept for later (a bad value, a step needing confirmation, nothing to
        do), as the turn that says so; ``None`` when it can."""
        problems = self._problems(plan)
        if problems:
            return Turn(text, parsed, self._say(problems), outcome="failed")
        if any(s.sensitive for s in plan.steps):
            line = (
                "문이나 가스 밸브를 여는 것처럼 확인이 필요한 일은 예약할 수 없어요. 그때 직접 말씀해 주세요."
                if self._ko
                else "I can't schedule an action that needs confirming; ask me at the time."
            )
            return Turn(text, parsed, self._say([line]), outcome="refused")
        if not plan.steps and not plan.routines:
            line = "예약할 일이 없어요." if self._ko else "Nothing to schedule."
            return Turn(text, parsed, self._say([line]), outcome="nothing")
        return None

    # -- conditions ------------------------------------------------------------------------------------

    def _watch(
        self, conversation: _Conversation, text: str, parsed: ParseResult, frames: tuple[Frame, ...]
    ) -> Turn:
        """Keep a request that waits for a reading (실내 온도가 28도 넘으면 에어컨 켜 줘)."""
        now = self.hub.clock.now()
        slot = next(f.slots["condition"] for f in frames if "condition" in f.slots)
        if any(is_timed(f.slots) for f in frames):
            line = (
                "조건과 시간을 한 번에 예약할 수는 없어요. 하나씩 말씀해 주세요."
                if self._ko
                else "I can't wait for both a time and a reading; ask for one at a time."
            )
            return Turn(text, parsed, self._say([line]), outcome="not_understood")
        try:
            condition = Condition.from_slot(slot)
        except ConditionError:
            line = "그 조건은 지켜볼 수 없어요." if self._ko else "I can't watch for that."
            return Turn(text, parsed, self._say([line]), outcome="not_understood")
        kept = self._keep_for_later(
            text, parsed, frames, ("condition",), next_at=now, created_at=now,
            meta={"condition": condition.to_dict()},
        )
        if isinstance(kept, Turn):
            return kept
        schedule, plan = kept
        self._refresh_due()
        what = self._todo(plan)
        readings = self._readings(condition)
        reading = (max(readings) if condition.upward else min(readings)) if readings else 0.0
        if self._ko:
            lines = [f"{self._condition_text(condition)} {josa(what, '을/를')} 예약했어요."]
            if readings:
                lines.append(f"지금은 {josa(condition.reading_ko(reading), '이에요/예요')}.")
        else:
            lines = [f"I'll {what} {self._condition_text(condition)}."]
            if readings:
                lines.append(f"It's {condition.reading_en(reading)} now.")
        conversation.last_frames, conversation.last_at = (), self.hub.clock.monotonic()
        return Turn(text, parsed, self._say(lines), outcome="scheduled", schedule=schedule)

    def _condition_text(self, condition: Condition) -> str:
        areas = {d.area for d in (self.home.device(i) for i in condition.devices) if d is not None}
        only = next(iter(areas)) if len(areas) == 1 else None
        area = self.home.area(only) if only is not None else None
        name = area.name if area is not None else None
        return condition.describe_ko(name) if self._ko else condition.describe_en(name)

    def _readings(self, condition: Condition) -> list[float]:
        """The condition's current readings from reachable devices that have one."""
        out = []
        for device_id in condition.devices:
            if self.home.device(device_id) is None or not self.hub.available(device_id):
                continue
            value = self.hub.state(device_id).get(condition.attribute)
            if isinstance(value, int | float) and not isinstance(value, bool):
                out.append(float(value))
        return out

    async def _check_conditions(self) -> list[Turn]:
        """Fire each armed condition whose reading has crossed, once; re-arm those gone back."""
        turns = []
        changed = False
        now = self.hub.clock.now()
        for schedule, condition in self._watching:
            readings = self._readings(condition)
            if schedule.next_at is not None and condition.holds(readings):
                changed = True
                if self.records.claim_schedule(
                    schedule.id, schedule.next_at, next_at=None, status="active", ran_at=now
                ):
                    turns.append(await self._fire(schedule))
            elif schedule.next_at is None and condition.cleared(readings):
                changed = True
                self.records.claim_schedule(schedule.id, None, next_at=now, status="active", ran_at=None)
        if changed:
            self._refresh_due()
        return turns

    def _todo(self, plan: Plan) -> str:
        if plan.routines:
            names = [r.name for r in (self.home.routine(i) for i in plan.routines) if r]
            return ", ".join(names) + (" 실행" if self._ko else "")
        labels = [
            todo_ko(s.device, s.command) if self._ko else todo_en(s.device, s.command) for s in plan.steps
        ]
        return ", ".join(dict.fromkeys(labels))

    def _moment(self, first: datetime | None, clock: str | None, days: tuple[int, ...]) -> str:
        """When a schedule runs, as said: ``매일 오전 7시``, ``오늘 오후 6시``, ``every day at 7:00 AM``."""
        if days and clock:
            hh, mm = (int(x) for x in clock.split(":"))
            return (
                f"{repeat_ko(days)} {clock_ko(hh, mm)}"
                if self._ko
                else f"{repeat_en(days)} at {clock_en(hh, mm)}"
            )
        if first is None:
            return ""
        now, zone = self.hub.clock.now(), self.home.info.zone
        return describe_ko(first, now, zone) if self._ko else describe_en(first, now, zone)

    def describe_schedule(self, schedule: Schedule, language: str | None = None) -> str:
        """When ``schedule`` runs and what it does, in words (``매일 오전 7시 안방 불 켜기``)."""
        token = _LANGUAGE.set(language)
        try:
            return self._describe_schedule(schedule)
        finally:
            _LANGUAGE.reset(token)

    async def run_routine(self, routine_id: str, *, confirmed: bool = False, user: str | None = None,
                          language: str | None = None, source: str = "routine") -> Turn:
        """Run one of the home's routines as if it had been asked for by name; ``KeyError`` if there is no
        such routine. Sensitive steps run only when ``confirmed``; otherwise the reply asks about them."""
        routine = self.home.routine(routine_id)
        if routine is None:
            raise KeyError(routine_id)
        frame = Frame("JipsaRunRoutine", args={"routine": routine.id})
        token = _LANGUAGE.set(language)
        try:
            turn = await self._act(_Conversation(), routine.name, ParseResult(routine.name, (frame,)),
                                   (frame,), confirmed)
        finally:
            _LANGUAGE.reset(token)
        self._record(turn, None, user, source)
        return turn

    def _describe_schedule(self, schedule: Schedule) -> str:
        condition = schedule.condition
        if condition is not None:
            moment = self._condition_text(condition)
        else:
            moment = self._moment(schedule.next_at, schedule.clock, schedule.days)
        frames = tuple(Frame.from_dict(f) for f in schedule.frames)
        what = self._todo(plan_frames(frames, self.home, self.hub.state)) or schedule.text
        return f"{moment} {what}" if self._ko else f"{what} {moment}"

    async def _list_schedules(
        self, conversation: _Conversation, text: str, parsed: ParseResult, frame: Frame
    ) -> Turn:
        del conversation
        schedules = self._matching(frame, self.records.schedules())
        if not schedules:
            line = "예약된 일이 없어요." if self._ko else "Nothing is scheduled."
            return Turn(text, parsed, self._say([line]), outcome="answered")
        items = [self._describe_schedule(s) for s in schedules[:5]]
        if self._ko:
            head = f"예약이 {len(schedules)}개 있어요: "
            more = f" 외 {len(schedules) - 5}개" if len(schedules) > 5 else ""
            return Turn(text, parsed, self._say([head + ", ".join(items) + more + "."]), outcome="answered")
        return Turn(
            text, parsed, f"{len(schedules)} scheduled: " + "; ".join(items) + ".", outcome="answered"
        )

    async def _cancel_schedules(
        self, conversation: _Conversation, text: str, parsed: ParseResult, frame: Frame
    ) -> Turn:
        del conversation
        active = self.records.schedules()
        chosen = self._matching(frame, active)
        narrowed = bool(frame.targets or "at" in frame.slots or "repeat" in frame.slots)
        if not chosen:
            line = (
                ("취소할 예약이 없어요." if not active else "말씀하신 예약을 찾지 못했어요.")
                if self._ko
                else (
                    "There's nothing scheduled to cancel." if not active else "I couldn't find that schedule."
                )
            )
            return Turn(text, parsed, self._say([line]), outcome="nothing")
        if len(chosen) > 1 and not narrowed and not frame.slots.get("all"):
            items = ", ".join(self._describe_schedule(s) for s in chosen[:5])
            line = (
                f"예약이 {len(chosen)}개 있어요: {items}. 어느 것을 취소할까요? "
                "다 취소하려면 '예약 다 취소해'라고 해 주세요."
                if self._ko
                else f"There are {len(chosen)}: {items}. Which one? Or say 'cancel all schedules'."
            )
            return Turn(text, parsed, self._say([line]), outcome="asked", asking=True)
        cancelled = [s for s in chosen if self.records.cancel_schedule(s.id)]
        self._refresh_due()
        if self._ko:
            line = (
                f"{self._describe_schedule(cancelled[0])} 예약을 취소했어요."
                if len(cancelled) == 1
                else f"예약 {len(cancelled)}개를 취소했어요."
            )
        else:
            line = f"Cancelled {len(cancelled)} schedule{'s' if len(cancelled) != 1 else ''}."
        return Turn(text, parsed, self._say([line]), outcome="done")

    def _matching(self, frame: Frame, schedules: list[Schedule]) -> list[Schedule]:
        out = []
        zone = self.home.info.zone
        for schedule in schedules:
            targets = {t for f in schedule.frames for t in f.get("targets", [])}
            if frame.targets and not targets & set(frame.targets):
                continue
            at = frame.slots.get("at")
            if isinstance(at, str):
                clock = schedule.clock
                if clock is None and schedule.next_at is not None:
                    local = schedule.next_at.astimezone(zone)
                    clock = f"{local.hour:02d}:{local.minute:02d}"
                hours = {at}
                if frame.slots.get("at_12h"):
                    hh, mm = (int(x) for x in at.split(":"))
                    hours.add(f"{(hh + 12) % 24:02d}:{mm:02d}")
                if clock not in hours:
                    continue
            out.append(schedule)
        return out

    def next_due(self) -> datetime | None:
        """When the soonest active schedule is due, if any."""
        return self._next_due

    def refresh_schedules(self) -> None:
        """Read the stored schedules again (after one was cancelled or added outside a conversation)."""
        self._refresh_due()

    def _refresh_due(self) -> None:
        timed: list[Schedule] = []
        self._watching = []
        for schedule in self.records.schedules():
            condition = schedule.condition
            if condition is None:
                timed.append(schedule)
            else:
                self._watching.append((schedule, condition))
        times = [s.next_at for s in timed if s.next_at is not None]
        self._next_due = min(times) if times else None

    async def run_due(self) -> list[Turn]:
        """Run every schedule that is due now and every condition whose reading crossed, each once;
        returns what each did.

        A schedule is claimed in the store before it runs, so a restart (or a second runner) never runs
        it again. One found more than :data:`MISSED_GRACE` late is marked ``missed`` (a repeat moves to
        its next time) instead of acting long after it was meant to.
        """
        turns = await self._check_conditions() if self._watching else []
        now = self.hub.clock.now()
        if self._next_due is None or self._next_due > now:
            return turns
        for schedule in self.records.schedules():
            due = schedule.next_at
            if due is None or due > now or schedule.condition is not None:
                continue
            late = now - due > MISSED_GRACE
            if schedule.repeats and schedule.clock:
                following: datetime | None = next_after(
                    now, schedule.clock, schedule.days, self.home.info.zone
                )
                status = "active"
            else:
                following, status = None, "missed" if late else "done"
            if not self.records.claim_schedule(
                schedule.id, due, next_at=following, status=status, ran_at=None if late else now
            ):
                continue
            if late:
                continue
            turns.append(await self._fire(schedule))
        self._refresh_due()
        return turns

    async def _fire(self, schedule: Schedule) -> Turn:
        frames = tuple(Frame.from_dict(f) for f in schedule.frames)
        conversation = _Conversation()
        parsed = ParseResult(schedule.text, frames)
        turn = await self._act(conversation, schedule.text, parsed, frames, confirmed=False)
        prefix = "[예약] " if self._ko else "[scheduled] "
        turn = replace(turn, reply=prefix + turn.reply)
        self._record(turn, schedule.conversation_id, schedule.created_by, "schedule")
        return turn

    # -- routines by voice -------------------------------------------------------------------------------

    async def _save_routine(
        self, conversation: _Conversation, text: str, parsed: ParseResult, frame: Frame
    ) -> Turn:
        del conversation
        name = str(frame.slots.get("name") or "")
        if not name:
            line = (
                "어떤 이름으로 저장할까요? 예: 지금 상태를 취침 모드로 저장해 줘"
                if self._ko
                else "What should I call it? For example: save the current state as movie mode."
            )
            return Turn(text, parsed, self._say([line]), outcome="not_understood")
        actions = []
        for device in self.home.devices:
            state = self.hub.state(device.id)
            if (
                device.has("on_off")
                and device.type.value in _SNAPSHOT_TYPES
                and isinstance(state.get("on"), bool)
            ):
                actions.append(RoutineAction(device.id, "turn_on" if state["on"] else "turn_off"))
                if (
                    state.get("on")
                    and isinstance(state.get("target_temperature"), int | float)
                    and device.attribute("target_temperature") is not None
                ):
                    actions.append(
                        RoutineAction(
                            device.id, "set_temperature", {"temperature": state["target_temperature"]}
                        )
                    )
                if state.get("on") and isinstance(state.get("brightness"), int) and device.has("brightness"):
                    actions.append(
                        RoutineAction(device.id, "set_brightness", {"brightness": state["brightness"]})
                    )
        routine = self._store_routine(name, actions)
        line = (
            f"지금 상태를 {josa(routine.name, '(으)로')} 저장했어요. '{routine.name}'라고 하면 실행할게요."
            if self._ko
            else f"Saved the current state as {routine.name}."
        )
        return Turn(text, parsed, self._say([line]), outcome="done")

    async def _create_routine(
        self, conversation: _Conversation, text: str, parsed: ParseResult, frame: Frame
    ) -> Turn:
        name = str(frame.slots.get("name") or "")
        suggested, plan = self._suggestion(name)
        conversation.draft = _Draft(name, suggested=suggested)
        if suggested:
            line = (
                f"{josa(name, '은/는')} 보통 {josa(self._todo(plan), '을/를')} 해요. 이대로 만들까요? "
                "'응'이라고 하시면 만들고, 아니면 넣을 일을 하나씩 말씀해 주세요."
                if self._ko
                else f"{name} usually does: {self._todo(plan)}. Make it like that? Say 'yes', or tell me "
                "what it should do, one at a time."
            )
        elif self._ko:
            line = f"{name}에 넣을 일을 하나씩 말씀해 주세요. 다 되면 '끝'이라고 해 주세요."
        else:
            line = f"Tell me what {name} should do, one at a time; say 'done' when finished."
        return Turn(text, parsed, self._say([line]), outcome="asked", asking=True)

    def _suggestion(self, name: str) -> tuple[tuple[RoutineAction, ...], Plan]:
        """What a usual routine (외출, 귀가, 취침, 기상, 영화) does in this home, from the devices it has."""
        key = name.replace("모드", "").replace("루틴", "").strip()
        steps: list[Step] = []
        for sentence in _BUILT_IN_ROUTINES.get(key, ()):
            parsed = self._understand(sentence, self.home, None)
            if parsed.ok and not parsed.ambiguous:
                steps += plan_frames(parsed.frames, self.home, self.hub.state).steps
        actions = tuple(RoutineAction(s.device.id, s.command.command, dict(s.command.args)) for s in steps)
        return actions, Plan(steps=steps)

    async def _build_routine(
        self, conversation: _Conversation, text: str, stripped: str, area: str | None
    ) -> Turn:
        draft = conversation.draft
        assert draft is not None
        parsed = ParseResult(text)
        if _CANCEL_BUILDING.match(stripped):
            conversation.draft = None
            return Turn(
                text,
                parsed,
                self._say(
                    [f"{josa(draft.name, '은/는')} 만들지 않을게요." if self._ko else "OK, I won't make it."]
                ),
                outcome="refused",
            )
        if draft.suggested and not draft.actions and _YES.match(stripped):
            draft.actions.extend(draft.suggested)
            stripped = "끝"
        if _DONE_BUILDING.match(stripped):
            conversation.draft = None
            if not draft.actions:
                return Turn(
                    text,
                    parsed,
                    self._say(
                        [
                            "할 일이 없어서 만들지 않았어요."
                            if self._ko
                            else "It had nothing to do, so I didn't save it."
                        ]
                    ),
                    outcome="nothing",
                )
            routine = self._store_routine(draft.name, draft.actions)
            line = (
                f"{josa(routine.name, '을/를')} 만들었어요. 할 일 {len(routine.actions)}개예요."
                if self._ko
                else f"Made {routine.name} with {len(routine.actions)} actions."
            )
            return Turn(text, parsed, self._say([line]), outcome="done")
        parsed = self._understand(text, self.home, area)
        plan = (
            plan_frames(parsed.frames, self.home, self.hub.state)
            if parsed.ok and not parsed.ambiguous
            else Plan()
        )
        if not plan.steps:
            line = (
                "그건 넣을 수 없어요. 예: 거실 불 꺼 줘. 다 되면 '끝'이라고 해 주세요."
                if self._ko
                else "I can't add that. Try e.g. 'turn off the lights', or say 'done'."
            )
            lines = [*self._problems(plan), line]
            return Turn(text, parsed, self._say(lines), outcome="asked", asking=True)
        draft.actions.extend(
            RoutineAction(s.device.id, s.command.command, dict(s.command.args)) for s in plan.steps
        )
        line = (
            f"{josa(self._todo(plan), '을/를')} 넣었어요. 더 있으면 말씀해 주세요."
            if self._ko
            else f"Added: {self._todo(plan)}. Anything else?"
        )
        return Turn(text, parsed, self._say([line]), outcome="asked", asking=True)

    def _store_routine(self, name: str, actions: Sequence[RoutineAction]) -> Routine:
        existing = next((r for r in self.home.routines if r.name == name), None)
        number = len(self.home.routines) + 1
        while self.home.routine(f"voice_{number}") is not None:
            number += 1
        routine_id = existing.id if existing else f"voice_{number}"
        routine = Routine(routine_id, name, (name.replace(" ", ""),) if " " in name else (), tuple(actions))
        self.records.save_routine(routine, self.hub.clock.now())
        kept = tuple(r for r in self.home.routines if r.id != routine_id)
        self.hub.home = replace(self.home, routines=(*kept, routine))
        return routine

    # -- running and telling -------------------------------------------------------------------------------

    @property
    def _ko(self) -> bool:
        return (_LANGUAGE.get() or self.style.language) == "ko"

    def _say(self, lines: list[str]) -> str:
        text = " ".join(line for line in lines if line)
        return casual(text) if self._ko and self.style.casual else text

    def _record(self, turn: Turn, conversation_id: str | None, user: str | None, source: str) -> None:
        commands = tuple(
            {
                "device_id": a.command.device_id,
                "command": a.command.command,
                "args": dict(a.command.args),
                "error": a.error,
            }
            for a in turn.actions
        )
        record = RequestRecord(
            at=self.hub.clock.now(),
            text=turn.text,
            reply=turn.reply,
            outcome=turn.outcome,
            conversation_id=conversation_id,
            user=user,
            source=source,
            frames=tuple(f.to_dict() for f in turn.parse.frames),
            commands=commands,
        )
        # Written behind, with the hub's next batch: the reply does not wait for the disk.
        self.hub.write_behind(partial(self.records.add_request, record))

    async def _run(self, steps: list[Step]) -> Results:
        results = []
        for step in steps:
            outcome = await self.hub.execute(step.command)
            results.append(
                (
                    step.device,
                    ActionResult(step.command, str(outcome.error) if outcome.error else None),
                    outcome.error,
                )
            )
        return results

    def _describe(self, results: Results) -> list[str]:
        groups: list[tuple[list[Device], list[Command]]] = []
        for device, result, error in results:
            if error is not None:
                continue
            if groups and groups[-1][0][-1].id == device.id and len(groups[-1][0]) == 1:
                groups[-1][1].append(result.command)
            else:
                groups.append(([device], [result.command]))
        merged: list[tuple[list[Device], list[Command]]] = []
        for devices, commands in groups:
            signature = [(c.command, dict(c.args)) for c in commands]
            if merged and [(c.command, dict(c.args)) for c in merged[-1][1]] == signature:
                merged[-1][0].extend(devices)
            else:
                merged.append((list(devices), list(commands)))
        lines = done_ko(merged) if self._ko else done_en(merged)
        for device, _result, error in results:
            if error is not None:
                lines.append(failure_ko(device, error) if self._ko else failure_en(device, error))
        return lines

    def _problems(self, plan: Plan) -> list[str]:
        lines = []
        for device, error in plan.rejected:
            lines.append(failure_ko(device, error) if self._ko else failure_en(device, error))
        for device, _intent in plan.unsupported:
            lines.append(
                f"{josa(device.name, '은/는')} 그 기능을 지원하지 않아요."
                if self._ko
                else f"The {device.name} can't do that."
            )
        return lines

    def _answers(self, plan: Plan) -> list[str]:
        lines = []
        by_frame: dict[int, list[Device]] = {}
        frames: dict[int, Frame] = {}
        for device, frame in plan.questions:
            by_frame.setdefault(id(frame), []).append(device)
            frames[id(frame)] = frame
        for key, devices in by_frame.items():
            frame = frames[key]
            attribute = frame.slots.get("attribute")
            if len(devices) > 2 and isinstance(attribute, str) and attribute in SUMMARY_ATTRIBUTES:
                lines.append(summary(devices, attribute, self.hub.state, self.hub.available, korean=self._ko))
                continue
            for device in devices:
                lines.append(self._answer(device, frame))
        return lines

    def _answer(self, device: Device, frame: Frame) -> str:
        attribute = frame.slots.get("attribute")
        if frame.intent == "HassClimateGetTemperature" and not attribute:
            attribute = (
                "temperature"
                if device.attribute("temperature")
                else ("cabin_temperature" if device.attribute("cabin_temperature") else None)
            )
        state = self.hub.state(device.id)
        available = self.hub.available(device.id)
        attr = attribute if isinstance(attribute, str) and device.attribute(attribute) else None
        return (
            answer_ko(device, state, attr, available)
            if self._ko
            else answer_en(device, state, attr, available)
        )

    def _not_understood(self, parsed: ParseResult) -> str:
        if parsed.reason == "unsupported":
            # 거실 불 회전 켜: say which device cannot, rather than that nothing was understood
            _areas, ids = nlu_mentioned(parsed.text, self.home)
            named = [d.name for d in (self.home.device(i) for i in ids) if d is not None]
            unheld = _UNHELD.get(parsed.unheld or "")
            if unheld is not None:
                # 무풍으로 해 줘, 바람 방향 아래로: name the setting no device here has
                ko, en = unheld
                if self._ko:
                    return f"{josa(', '.join(named), '은/는')} {ko}" if named else ko
                return f"The {' and the '.join(named)} {en}" if named else f"This home {en}"
            if named:
                if self._ko:
                    return f"{josa(', '.join(named), '은/는')} 그 기능을 지원하지 않아요."
                return f"The {' and the '.join(named)} can't do that."
        if parsed.reason == "out_of_domain" and names_programme(parsed.text):
            # KBS 틀어: channels are known by number only
            return ("채널은 이름으로는 몰라서 번호로 말씀해 주세요 (예: 7번 틀어 줘)." if self._ko
                    else "I only know channels by number; say a number, such as channel 7.")
        ko, en = _NOT_UNDERSTOOD.get(parsed.reason or "", _NOT_UNDERSTOOD[""])
        return ko if self._ko else en

    def _routine_intro(self, routine_id: str) -> str:
        routine = self.home.routine(routine_id)
        name = routine.name if routine else routine_id
        return f"{josa(name, '을/를')} 실행할게요." if self._ko else f"Running {name}."


_SNAPSHOT_TYPES = frozenset(
    {
        "light",
        "switch",
        "plug",
        "air_conditioner",
        "heater",
        "boiler",
        "fan",
        "air_purifier",
        "humidifier",
        "dehumidifier",
        "tv",
        "speaker",
    }
)
"""Device types whose on/off (and temperature, brightness) a routine saved from the current state keeps."""

_ManageHandler = Callable[[Assistant, _Conversation, str, ParseResult, Frame], Awaitable[Turn]]
_MANAGE: Mapping[str, _ManageHandler] = {
    "JipsaListSchedules": Assistant._list_schedules,
    "JipsaCancelSchedule": Assistant._cancel_schedules,
    "JipsaSaveRoutine": Assistant._save_routine,
    "JipsaCreateRoutine": Assistant._create_routine,
}


def _actor_name() -> str | None:
    actor = current_actor()
    return actor.user if actor is not None else None


def _outcome(results: Results, plan: Plan, asked: bool) -> str:
    ok = sum(1 for _d, r, _e in results if r.ok)
    failed = len(results) - ok + len(plan.rejected) + len(plan.unsupported)
    if asked:
        return "asked"
    if ok and failed:
        return "partial"
    if failed:
        return "failed"
    if ok:
        return "done"
    return "answered" if plan.questions else "nothing"
