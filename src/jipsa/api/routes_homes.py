"""Routes under ``/api/homes/{home_id}``: the home, its areas, devices and commands, routines,
schedules, history, the audit log and members. Who may call which is in docs/api.md."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request, Response

from jipsa.api.auth import Admin, CallerDep, Control, Manage, Read, server_of
from jipsa.api.problems import Problem, not_found
from jipsa.api.schemas import (
    MAX_ID,
    MAX_LIMIT,
    AreaOut,
    AttributeOut,
    AuditOut,
    CommandBody,
    CommandResult,
    CommandSpecOut,
    DeviceOut,
    EventOut,
    HomeDetail,
    HomeSummary,
    Items,
    MemberBody,
    MemberOut,
    Page,
    RequestOut,
    RoutineOut,
    RunRoutineBody,
    ScheduleBody,
    ScheduleOut,
    TurnOut,
    decode_cursor,
    encode_cursor,
)
from jipsa.app import App
from jipsa.assistant.assistant import Turn
from jipsa.core.access import Actor, Role, acting_as
from jipsa.core.devices import Area, Device
from jipsa.core.errors import AccessDeniedError, CommandRejectedError, CommandUnconfirmedError
from jipsa.core.schedules import Schedule, is_timed
from jipsa.core.validation import validate_command
from jipsa.nlu import understand

router = APIRouter(prefix="/api/homes", tags=["homes"])

Limit = Query(50, ge=1, le=MAX_LIMIT, description="Items per page.")
Cursor = Query(None, max_length=200, description="The next_cursor of the previous page.")


def summary(home_id: str, app: App, role: Role) -> HomeSummary:
    """A home as a list shows it."""
    info = app.home.info
    return HomeSummary(id=home_id, name=info.name, language=info.language, timezone=info.timezone, role=role)


def area_out(area: Area) -> AreaOut:
    """An area's body."""
    return AreaOut(id=area.id, name=area.name, aliases=list(area.aliases), floor=area.floor)


def device_out(app: App, device: Device, actor: Actor) -> DeviceOut:
    """A device's body, with its live state and what it can be told (and whether ``actor`` may)."""
    attributes, commands = [], []
    for cap in device.capability_objects():
        for base in cap.attributes:
            attr = device.attribute(base.name) or base
            attributes.append(AttributeOut(
                name=attr.name, capability=cap.id, kind=attr.kind.value, min=attr.minimum, max=attr.maximum,
                step=attr.step, unit=attr.unit, values=list(attr.values), writable=attr.writable))
        for spec in cap.commands:
            commands.append(CommandSpecOut(name=spec.name, capability=cap.id,
                                           params=[param for param, _attr in spec.params],
                                           sensitive=device.is_sensitive(cap.id, spec.name),
                                           allowed=actor.may_command(device, cap.id, spec.name)))
    return DeviceOut(
        id=device.id, name=device.name, aliases=list(device.aliases), area=device.area,
        type=device.type.value,
        device_class=device.device_class.value if device.device_class else None, vendor=device.vendor,
        manufacturer=device.manufacturer, model=device.model, available=app.hub.available(device.id),
        state=dict(app.hub.state(device.id)), attributes=attributes, commands=commands)


def _device(app: App, device_id: str) -> Device:
    device = app.home.device(device_id)
    if device is None:
        raise not_found("device")
    return device


def turn_out(turn: Turn) -> TurnOut:
    """What the assistant did, as a body."""
    return TurnOut.model_validate({"reply": turn.reply, "outcome": turn.outcome, "actions": actions_of(turn)})


def actions_of(turn: Turn) -> list[dict[str, Any]]:
    """The commands of a turn, each with whether it worked."""
    return [{**a.command.to_dict(), "ok": a.ok, "error": a.error} for a in turn.actions]


def _offset_page(items: list[Any], cursor: str | None, limit: int) -> Page[Any]:
    start = decode_cursor(cursor, "o") or 0
    chunk = items[start:start + limit]
    more = start + limit < len(items)
    return Page(items=chunk, next_cursor=encode_cursor("o", start + limit) if more else None)


# -- the home --------------------------------------------------------------------------------------

@router.get("/{home_id}", response_model=HomeDetail, summary="One home and its areas")
async def get_home(access: Read) -> HomeDetail:
    app = access.app
    base = summary(access.home_id, app, access.actor.role)
    return HomeDetail(**base.model_dump(), areas=[area_out(a) for a in app.home.areas],
                      device_count=len(app.home.devices))


@router.get("/{home_id}/areas", response_model=Page[AreaOut], summary="The home's areas")
async def list_areas(access: Read, limit: int = Limit, cursor: str | None = Cursor) -> Page[Any]:
    return _offset_page([area_out(a) for a in access.app.home.areas], cursor, limit)


@router.get("/{home_id}/devices", response_model=Page[DeviceOut], summary="Devices with their state")
async def list_devices(access: Read, limit: int = Limit, cursor: str | None = Cursor,
                       area: str | None = Query(None, max_length=255, description="Only this area's."),
                       type: str | None = Query(None, max_length=64, description="Only this type.")
                       ) -> Page[Any]:
    app = access.app
    devices = [d for d in app.home.devices
               if (area is None or d.area == area) and (type is None or d.type.value == type)]
    page = _offset_page(devices, cursor, limit)
    return Page(items=[device_out(app, d, access.actor) for d in page.items], next_cursor=page.next_cursor)


@router.get("/{home_id}/devices/{device_id}", response_model=DeviceOut, summary="One device")
async def get_device(access: Read, device_id: str) -> DeviceOut:
    return device_out(access.app, _device(access.app, device_id), access.actor)


@router.post("/{home_id}/devices/{device_id}/commands", response_model=CommandResult,
             summary="Send a command to a device",
             responses={202: {"description": "Sent, but the device has not confirmed it yet"}})
async def send_command(access: Control, request: Request, device_id: str, body: CommandBody,
                       response: Response) -> CommandResult:
    app = access.app
    device = _device(app, device_id)
    try:
        command = validate_command(device, body.command, body.args, body.capability)
        if not access.actor.may_command(device, command.capability, command.command):
            raise AccessDeniedError(command.command, role=access.actor.role.value, device_id=device.id)
    except (CommandRejectedError, AccessDeniedError) as exc:
        # Refused here, it never reaches the hub, whose events the audit log is made from otherwise.
        server_of(request).audit_refused(access.home_id, access.actor, device.id, body.command, body.args,
                                         str(exc))
        raise
    with acting_as(access.actor):
        outcome = await app.hub.execute(command)
    confirmed = True
    if isinstance(outcome.error, CommandUnconfirmedError):
        confirmed = False
        response.status_code = 202
    elif outcome.error is not None:
        raise outcome.error
    return CommandResult.model_validate({"ok": True, "confirmed": confirmed, "command": command.to_dict(),
                                         "state": dict(app.hub.state(device.id))})


# -- routines --------------------------------------------------------------------------------------

@router.get("/{home_id}/routines", response_model=Page[RoutineOut], summary="The home's routines")
async def list_routines(access: Read, limit: int = Limit, cursor: str | None = Cursor) -> Page[Any]:
    routines = [RoutineOut.model_validate({
        "id": r.id, "name": r.name, "aliases": list(r.aliases),
        "actions": [{"device": a.device, "command": a.command, "args": dict(a.args)} for a in r.actions]})
        for r in access.app.home.routines]
    return _offset_page(routines, cursor, limit)


@router.post("/{home_id}/routines/{routine_id}/run", response_model=TurnOut, summary="Run a routine")
async def run_routine(access: Control, routine_id: str, body: RunRoutineBody | None = None) -> TurnOut:
    body = body or RunRoutineBody()
    if access.app.home.routine(routine_id) is None:
        raise not_found("routine")
    with acting_as(access.actor):
        turn = await access.app.assistant.run_routine(routine_id, confirmed=body.confirm,
                                                      user=access.actor.user, language=body.language)
    return turn_out(turn)


# -- schedules -------------------------------------------------------------------------------------

def schedule_out(app: App, schedule: Schedule, language: str | None = None) -> ScheduleOut:
    """A schedule's body, with what it does in words."""
    return ScheduleOut(id=schedule.id, text=schedule.text,
                       description=app.assistant.describe_schedule(schedule, language),
                       next_at=schedule.next_at.isoformat() if schedule.next_at else None,
                       clock=schedule.clock, days=list(schedule.days), status=schedule.status,
                       created_by=schedule.created_by, condition=schedule.condition is not None)


@router.get("/{home_id}/schedules", response_model=Page[ScheduleOut], summary="Schedules and conditions")
async def list_schedules(access: Read, limit: int = Limit, cursor: str | None = Cursor,
                         status: str = Query("active", pattern="^(active|done|cancelled|missed|all)$")
                         ) -> Page[Any]:
    app = access.app
    found = app.store.schedules(status=None if status == "all" else status)
    return _offset_page([schedule_out(app, s) for s in found], cursor, limit)


@router.post("/{home_id}/schedules", response_model=ScheduleOut, status_code=201,
             summary="Make a schedule from words (30분 뒤에 TV 꺼 줘)")
async def add_schedule(access: Manage, body: ScheduleBody) -> ScheduleOut:
    app = access.app
    # Only words that set a time or a condition reach the assistant: anything else it would do at once
    # (or take as an answer to a question), which is not what this endpoint may do.
    frames = understand(body.text, app.assistant.home).frames
    if not any(is_timed(f.slots) or "condition" in f.slots for f in frames):
        ko = (body.language or app.home.info.language) == "ko"
        detail = ("언제 할지 알 수 없어요. '30분 뒤에 TV 꺼 줘'처럼 시간이나 조건을 넣어 말씀해 주세요." if ko
                  else "That sets no time or condition: say when, as in 'turn off the TV in 30 minutes'.")
        raise Problem(422, "not-understood", detail, outcome="not_understood")
    with acting_as(access.actor):
        turn = await app.assistant.handle(body.text, conversation_id=f"{access.actor.user}:schedules",
                                          user=access.actor.user, language=body.language, source="api")
    if turn.schedule is None:
        raise Problem(422, "not-understood", turn.reply, outcome=turn.outcome)
    return schedule_out(app, turn.schedule, body.language)


@router.delete("/{home_id}/schedules/{schedule_id}", status_code=204, summary="Cancel a schedule")
async def cancel_schedule(access: Manage, schedule_id: int) -> Response:
    if not 0 < schedule_id <= MAX_ID or not access.app.store.cancel_schedule(schedule_id):
        raise not_found("active schedule")
    access.app.assistant.refresh_schedules()
    return Response(status_code=204)


# -- history ---------------------------------------------------------------------------------------

@router.get("/{home_id}/history", response_model=Page[EventOut], summary="Device events, newest first")
async def history(access: Manage, limit: int = Limit, cursor: str | None = Cursor,
                  device: str | None = Query(None, max_length=255, description="Only this device's.")
                  ) -> Page[EventOut]:
    access.app.hub.flush()  # what happened just now is in the store too
    rows = access.app.store.events(limit=limit + 1, device_id=device, before_id=decode_cursor(cursor, "e"))
    items = [EventOut(id=i, **{**e.to_dict(), "data": dict(e.data)}) for i, e in rows[:limit]]
    more = len(rows) > limit
    return Page(items=items, next_cursor=encode_cursor("e", items[-1].id) if more else None)


@router.get("/{home_id}/requests", response_model=Page[RequestOut], summary="What was asked, newest first")
async def requests(access: Manage, limit: int = Limit, cursor: str | None = Cursor) -> Page[RequestOut]:
    access.app.hub.flush()
    rows = access.app.store.requests(limit=limit + 1, before_id=decode_cursor(cursor, "r"))
    items = [RequestOut(id=r.id or 0, at=r.at.isoformat(), user=r.user, source=r.source, text=r.text,
                        outcome=r.outcome, reply=r.reply) for r in rows[:limit]]
    more = len(rows) > limit
    return Page(items=items, next_cursor=encode_cursor("r", items[-1].id) if more else None)


@router.get("/{home_id}/audit", response_model=Page[AuditOut], summary="Every command: who, how")
async def audit(access: Admin, request: Request, limit: int = Limit, cursor: str | None = Cursor
                ) -> Page[AuditOut]:
    server = server_of(request)
    server.flush_audit()
    rows = server.accounts.audit(access.home_id, limit=limit + 1, before_id=decode_cursor(cursor, "a"))
    items = [AuditOut(id=r.id, at=r.at.isoformat(), user=r.user, via=r.via, device_id=r.device_id,
                      command=r.command, args=dict(r.args), ok=r.ok, error=r.error, text=r.text)
             for r in rows[:limit]]
    more = len(rows) > limit
    return Page(items=items, next_cursor=encode_cursor("a", items[-1].id) if more else None)


# -- members ---------------------------------------------------------------------------------------

@router.get("/{home_id}/members", response_model=Items[MemberOut], summary="Who belongs to the home")
async def members(access: Admin, request: Request) -> Items[MemberOut]:
    found = server_of(request).accounts.members(access.home_id)
    return Items(items=[MemberOut(user=m.user.name, display_name=m.user.display_name, role=m.role)
                        for m in found])


@router.put("/{home_id}/members/{user}", response_model=MemberOut, summary="Add a person or change a role")
async def set_member(access: Admin, request: Request, user: str, body: MemberBody) -> MemberOut:
    accounts = server_of(request).accounts
    if accounts.user(user) is None:
        raise not_found("user")
    member = accounts.set_role(user, access.home_id, body.role)
    return MemberOut(user=member.user.name, display_name=member.user.display_name, role=member.role)


@router.delete("/{home_id}/members/{user}", status_code=204, summary="Remove a person from the home")
async def remove_member(access: Admin, request: Request, user: str) -> Response:
    server_of(request).accounts.remove_member(user, access.home_id)
    return Response(status_code=204)


# -- the caller's homes ----------------------------------------------------------------------------

@router.get("", response_model=Items[HomeSummary], summary="The homes the caller belongs to")
async def list_homes(found: CallerDep, request: Request) -> Items[HomeSummary]:
    server = server_of(request)
    roles = server.accounts.homes_of(found.user.name)
    items = []
    for home_id, role in sorted(roles.items()):
        app = server.app(home_id)
        if app is None or (found.token is not None and found.token.home != home_id):
            continue
        items.append(summary(home_id, app, role))
    return Items(items=items)
