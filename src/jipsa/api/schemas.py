"""The API's request and response bodies (pydantic, at the edge only), and pagination cursors.

Untrusted input is checked here, by shape and size; what a value means for a device is checked by
:func:`jipsa.core.validation.validate_command` behind it.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from jipsa.api.problems import Problem
from jipsa.core.access import Role, Scope

T = TypeVar("T")

JsonValue = bool | int | float | str | None


class Strict(BaseModel):
    """A body that refuses unknown fields."""

    model_config = ConfigDict(extra="forbid")


class LoginBody(Strict):
    """Sign in."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class UserOut(BaseModel):
    """A person, as others see them."""

    name: str
    display_name: str


class HomeSummary(BaseModel):
    """A home the caller belongs to."""

    id: str
    name: str
    language: str
    timezone: str
    role: Role


class SessionOut(BaseModel):
    """Who is signed in."""

    user: UserOut
    csrf_token: str | None
    homes: list[HomeSummary]


class AreaOut(BaseModel):
    """A room or place."""

    id: str
    name: str
    aliases: list[str]
    floor: str | None


class HomeDetail(HomeSummary):
    """A home with its areas."""

    areas: list[AreaOut]
    device_count: int


class AttributeOut(BaseModel):
    """One typed value of a device."""

    name: str
    capability: str
    kind: str
    min: float | None
    max: float | None
    step: float | None
    unit: str | None
    values: list[str]
    writable: bool


class CommandSpecOut(BaseModel):
    """One command a device takes."""

    name: str
    capability: str
    params: list[str]
    sensitive: bool
    allowed: bool


class DeviceOut(BaseModel):
    """A device with its live state."""

    id: str
    name: str
    aliases: list[str]
    area: str | None
    type: str
    device_class: str | None
    vendor: str
    manufacturer: str | None
    model: str | None
    available: bool
    state: dict[str, JsonValue]
    attributes: list[AttributeOut]
    commands: list[CommandSpecOut]


class CommandBody(Strict):
    """A command for one device, in catalogue units."""

    command: str = Field(min_length=1, max_length=64)
    args: dict[str, JsonValue] = Field(default_factory=dict, max_length=16)
    capability: str | None = Field(default=None, max_length=64)


class CommandOut(BaseModel):
    """A command as sent."""

    device_id: str
    capability: str
    command: str
    args: dict[str, JsonValue]


class CommandResult(BaseModel):
    """What became of a command."""

    ok: bool
    confirmed: bool
    command: CommandOut
    state: dict[str, JsonValue]


class ActionOut(CommandOut):
    """A command the assistant sent, and whether it worked."""

    ok: bool
    error: str | None


class TurnOut(BaseModel):
    """What the assistant did and said."""

    reply: str
    outcome: str
    actions: list[ActionOut]


class ConversationBody(Strict):
    """One thing said to the assistant."""

    text: str = Field(min_length=1, max_length=2000)
    conversation_id: str | None = Field(default=None, max_length=128)
    language: Literal["ko", "en"] | None = None
    home: str | None = Field(default=None, max_length=64)
    area: str | None = Field(default=None, max_length=255)


class ConversationOut(TurnOut):
    """The assistant's turn, with what it understood."""

    conversation_id: str
    home: str
    awaiting_confirmation: bool
    frames: list[dict[str, Any]]


class RunRoutineBody(Strict):
    """How to run a routine."""

    confirm: bool = False
    language: Literal["ko", "en"] | None = None


class RoutineActionOut(BaseModel):
    """One step of a routine."""

    device: str
    command: str
    args: dict[str, JsonValue]


class RoutineOut(BaseModel):
    """A routine (scene)."""

    id: str
    name: str
    aliases: list[str]
    actions: list[RoutineActionOut]


class ScheduleBody(Strict):
    """Something to do later, said in words (``30분 뒤에 TV 꺼 줘``)."""

    text: str = Field(min_length=1, max_length=2000)
    language: Literal["ko", "en"] | None = None


class ScheduleOut(BaseModel):
    """A schedule or a watched condition."""

    id: int
    text: str
    description: str
    next_at: str | None
    clock: str | None
    days: list[int]
    status: str
    created_by: str | None
    condition: bool


class EventOut(BaseModel):
    """Something that happened."""

    id: int
    type: str
    at: str
    device_id: str | None
    data: dict[str, Any]


class RequestOut(BaseModel):
    """Something said to the assistant, and what came of it."""

    id: int
    at: str
    user: str | None
    source: str
    text: str
    outcome: str
    reply: str


class AuditOut(BaseModel):
    """One command, who sent it and how."""

    id: int
    at: str
    user: str
    via: str
    device_id: str
    command: str
    args: dict[str, Any]
    ok: bool
    error: str | None
    text: str | None


class MemberBody(Strict):
    """A person's role in a home."""

    role: Role


class MemberOut(BaseModel):
    """A person in a home."""

    user: str
    display_name: str
    role: Role


class TokenBody(Strict):
    """A new API token."""

    home: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=100)
    scopes: list[Scope] = Field(min_length=1, max_length=8)
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)


class TokenOut(BaseModel):
    """An API token (never its secret)."""

    id: int
    name: str
    home: str
    user: str
    scopes: list[Scope]
    created_at: str
    expires_at: str | None
    last_used_at: str | None
    revoked: bool


class NewToken(BaseModel):
    """A token just made: the secret is shown this once."""

    token: TokenOut
    secret: str


class Health(BaseModel):
    """The server answers."""

    status: str


# -- pages -----------------------------------------------------------------------------------------

MAX_LIMIT = 200
"""The most items one page holds."""

MAX_ID = 2**63 - 1
"""The largest row id (and cursor position) a database holds."""


class Page(BaseModel, Generic[T]):
    """One page of a list; ask for the next with ``?cursor=next_cursor``."""

    items: list[T]
    next_cursor: str | None = None


class Items(BaseModel, Generic[T]):
    """A whole (short) list."""

    items: list[T]


def encode_cursor(kind: str, value: int) -> str:
    """An opaque cursor: where the next page starts."""
    return base64.urlsafe_b64encode(f"{kind}:{value}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, kind: str) -> int | None:
    """The position in ``cursor`` (``None`` for the first page); 400 for a cursor this list did not make."""
    if cursor is None or cursor == "":
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        found, _, value = raw.partition(":")
        number = int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise Problem(400, "bad-request", "the cursor is not one this list gave out") from None
    if found != kind or not 0 <= number <= MAX_ID:
        raise Problem(400, "bad-request", "the cursor is not one this list gave out")
    return number
