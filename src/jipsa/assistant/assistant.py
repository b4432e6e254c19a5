"""The assistant: text in, actions on the hub and a short reply out.

It understands (``jipsa.nlu``), plans validated commands (``plan``), asks before sensitive actions
(unlocking a door, opening the gas valve, starting the car), sends the rest through the hub, answers
state questions from live state and says what actually happened, failures included.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from jipsa.assistant.answers import answer_en, answer_ko
from jipsa.assistant.plan import Plan, Step, plan_frames
from jipsa.assistant.replies import Style, ask_ko, casual, done_en, done_ko, failure_en, failure_ko
from jipsa.core.devices import Device, Home
from jipsa.core.errors import JipsaError
from jipsa.core.korean import josa
from jipsa.core.messages import Command
from jipsa.hub.hub import Hub
from jipsa.nlu import understand as nlu_understand
from jipsa.nlu.frame import Frame, ParseResult

Understand = Callable[[str, Home, str | None], ParseResult]
"""The language layer's entry point (``jipsa.nlu.understand``)."""

_YES = re.compile(r"^(응|어|네|넵|예|그래|그래요|좋아|좋아요|해|해 줘|해줘|해 주세요|해주세요|맞아|맞아요|"
                  r"yes|yeah|yep|sure|ok|okay|do it)[.!~ ]*$", re.IGNORECASE)
_NO = re.compile(r"^(아니|아니요|아니오|아냐|됐어|하지 마|하지마|취소|no|nope|cancel|don't)[.!~ ]*$",
                 re.IGNORECASE)

CONFIRM_SECONDS = 60.0
"""How long a question about a sensitive action stays open."""

CONTEXT_SECONDS = 300.0
"""How long the devices just talked about stay the default for requests that leave them out."""


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


@dataclass(slots=True)
class _Conversation:
    pending: list[Step] = field(default_factory=list)
    pending_since: float = 0.0
    last_targets: tuple[str, ...] = ()
    last_at: float = 0.0


class Assistant:
    """Conversations with one home, acting through its hub."""

    def __init__(self, home: Home, hub: Hub, *, understand: Understand | None = None,
                 confirm_seconds: float = CONFIRM_SECONDS) -> None:
        self.home = home
        self.hub = hub
        self._understand = understand or nlu_understand
        self._confirm_seconds = confirm_seconds
        self._conversations: dict[str, _Conversation] = {}
        self.style = Style(home.language, home.info.style == "casual")

    async def handle(self, text: str, *, conversation_id: str = "default", area: str | None = None,
                     confirmed: bool = False) -> Turn:
        """Understand ``text``, act on it and reply."""
        conversation = self._conversations.setdefault(conversation_id, _Conversation())
        pending = self._take_pending(conversation)
        stripped = text.strip()
        if pending and _YES.match(stripped):
            results = await self._run(pending)
            return Turn(text, ParseResult(text), self._say(self._describe(results)),
                        tuple(r for _d, r, _e in results))
        if pending and _NO.match(stripped):
            return Turn(text, ParseResult(text), self._say(
                ["알겠어요, 하지 않을게요."] if self._ko else ["OK, I won't."]))
        parsed = self._understand(text, self.home, area)
        if not parsed.ok:
            return Turn(text, parsed, self._say([self._not_understood(parsed)]))
        frames = self._with_context(conversation, parsed.frames)
        if any(f.ambiguous for f in frames):
            return Turn(text, parsed, self._say([self._clarify(frames)]))
        if any("delay_seconds" in f.slots or "at" in f.slots for f in frames):
            return Turn(text, parsed, self._say([
                "예약은 아직 할 수 없어요. 지금 바로 하려면 시간 없이 다시 말씀해 주세요." if self._ko else
                "I can't schedule actions yet; say it again without a time to do it now."]))
        conversation.last_targets = tuple(t for f in frames for t in f.targets) or conversation.last_targets
        conversation.last_at = self.hub.clock.monotonic()
        plan = plan_frames(frames, self.home, self.hub.state)
        sensitive = [s for s in plan.steps if s.sensitive and not confirmed]
        now_steps = [s for s in plan.steps if not s.sensitive or confirmed]
        results = await self._run(now_steps)
        lines = [self._routine_intro(r) for r in plan.routines]
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
        return Turn(text, parsed, self._say(lines), tuple(r for _d, r, _e in results), bool(sensitive))

    # -- helpers ---------------------------------------------------------------------------------

    @property
    def _ko(self) -> bool:
        return self.style.language == "ko"

    def _say(self, lines: list[str]) -> str:
        text = " ".join(line for line in lines if line)
        return casual(text) if self._ko and self.style.casual else text

    def _take_pending(self, conversation: _Conversation) -> list[Step]:
        pending, conversation.pending = conversation.pending, []
        if pending and self.hub.clock.monotonic() - conversation.pending_since > self._confirm_seconds:
            return []
        return pending

    async def _run(self, steps: list[Step]) -> list[tuple[Device, ActionResult, JipsaError | None]]:
        results = []
        for step in steps:
            outcome = await self.hub.execute(step.command)
            results.append((step.device, ActionResult(step.command, str(outcome.error)
                                                      if outcome.error else None), outcome.error))
        return results

    def _describe(self, results: list[tuple[Device, ActionResult, JipsaError | None]]) -> list[str]:
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
            lines.append(f"{josa(device.name, '은/는')} 그 기능을 지원하지 않아요." if self._ko
                         else f"The {device.name} can't do that.")
        return lines

    def _answers(self, plan: Plan) -> list[str]:
        lines = []
        for device, frame in plan.questions:
            attribute = frame.slots.get("attribute")
            if frame.intent == "HassClimateGetTemperature" and not attribute:
                attribute = "temperature" if device.attribute("temperature") else (
                    "cabin_temperature" if device.attribute("cabin_temperature") else None)
            state = self.hub.state(device.id)
            available = self.hub.available(device.id)
            attr = attribute if isinstance(attribute, str) and device.attribute(attribute) else None
            lines.append(answer_ko(device, state, attr, available) if self._ko
                         else answer_en(device, state, attr, available))
        return lines

    def _ask_confirmation(self, steps: list[Step]) -> str:
        if not self._ko:
            names = ", ".join(f"{s.command.command.replace('_', ' ')} the {s.device.name}" for s in steps)
            return f"Shall I {names}? Say yes to confirm."
        asks = [ask_ko(s.device, s.command) for s in steps]
        return " ".join(asks) + " 맞으면 '응'이라고 해 주세요."

    def _not_understood(self, parsed: ParseResult) -> str:
        reason = parsed.reason or ""
        if self._ko:
            if reason == "out_of_domain":
                return "죄송해요, 그건 도와드릴 수 없어요. 집 안 기기를 켜고 끄거나 상태를 물어봐 주세요."
            if reason == "no_device":
                return "말씀하신 기기를 이 집에서 찾지 못했어요."
            if reason == "empty":
                return "말씀해 주세요."
            if reason == "too_long":
                return "말씀이 너무 길어요. 짧게 나눠서 말해 주세요."
            return "죄송해요, 잘 이해하지 못했어요. 다시 말씀해 주시겠어요?"
        if reason == "out_of_domain":
            return "Sorry, I can't help with that; I can control and check the devices at home."
        if reason == "no_device":
            return "I couldn't find that device in this home."
        return "Sorry, I didn't understand that."

    def _with_context(self, conversation: _Conversation, frames: tuple[Frame, ...]) -> tuple[Frame, ...]:
        """Ambiguous frames narrowed to the devices this conversation was just talking about."""
        fresh = self.hub.clock.monotonic() - conversation.last_at <= CONTEXT_SECONDS
        if not fresh or not conversation.last_targets:
            return frames
        out = []
        for frame in frames:
            recent = [t for t in frame.targets if t in conversation.last_targets]
            if frame.ambiguous and recent:
                frame = replace(frame, targets=tuple(recent), ambiguous=False)
            out.append(frame)
        return tuple(out)

    def _routine_intro(self, routine_id: str) -> str:
        routine = self.home.routine(routine_id)
        name = routine.name if routine else routine_id
        return f"{josa(name, '을/를')} 실행할게요." if self._ko else f"Running {name}."

    def _clarify(self, frames: tuple[Frame, ...]) -> str:
        frame = next(f for f in frames if f.ambiguous)
        devices = [d for d in (self.home.device(t) for t in frame.targets) if d is not None]
        areas = []
        for device in devices:
            place = self.home.area(device.area) if device.area else None
            areas.append(place.name if place else device.name)
        if self._ko:
            return f"어느 기기요? {', '.join(areas)} 중에서 골라 주세요."
        return f"Which one? {', '.join(d.name for d in devices)}."
