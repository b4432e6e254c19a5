"""The conversation endpoint and the live event stream (WebSocket) of a home."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request, WebSocket, WebSocketDisconnect
from starlette.websockets import WebSocketState

from jipsa.api.auth import CallerDep, HomeAccess, enter_home, identify, server_of
from jipsa.api.problems import Problem
from jipsa.api.routes_homes import actions_of
from jipsa.api.schemas import ConversationBody, ConversationOut
from jipsa.core.access import Scope, acting_as
from jipsa.core.messages import Event

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api", tags=["live"])

CLOSE_UNAUTHENTICATED = 4401
"""WebSocket close code: no valid session or token (or it ended while connected)."""
CLOSE_FORBIDDEN = 4403
"""WebSocket close code: the caller may not read this home's events."""
CLOSE_NOT_FOUND = 4404
"""WebSocket close code: no such home for this caller."""

RECHECK_SECONDS = 1.0
"""How often a live stream checks that its credential still holds (revocation ends it within this)."""


@router.post("/conversation", response_model=ConversationOut, summary="Talk to the assistant",
             responses={429: {"description": "Too many turns"}})
async def conversation(request: Request, found: CallerDep, body: ConversationBody) -> ConversationOut:
    server = server_of(request)
    home_id = body.home or (found.token.home if found.token else None)
    if home_id is None:
        homes = [h for h in server.accounts.homes_of(found.user.name) if server.app(h) is not None]
        if len(homes) != 1:
            raise Problem(422, "invalid", "say which home: this account belongs to "
                          f"{len(homes)} homes", errors=[{"where": "body.home", "message": "required"}])
        home_id = homes[0]
    access = enter_home(server, found, home_id)
    access.require(Scope.CONTROL)
    wait = server.turn_limit.take(found.user.name)
    if wait:
        raise Problem(429, "rate-limited", "too many requests; wait a little",
                      headers={"Retry-After": str(int(wait))})
    app = access.app
    if body.area is not None and app.home.area(body.area) is None:
        raise Problem(422, "invalid", f"no area {body.area!r} in this home",
                      errors=[{"where": "body.area", "message": "unknown area"}])
    conversation_id = body.conversation_id or secrets.token_urlsafe(12)
    with acting_as(replace(access.actor, text=body.text)):
        # Context is kept per person: two people never continue each other's conversation.
        turn = await app.assistant.handle(
            body.text, conversation_id=f"{found.user.name}\x1f{conversation_id}", area=body.area,
            user=found.user.name, language=body.language, source="api" if found.token else "web")
    return ConversationOut.model_validate({
        "reply": turn.reply, "outcome": turn.outcome, "actions": actions_of(turn),
        "conversation_id": conversation_id, "home": home_id,
        "awaiting_confirmation": turn.awaiting_confirmation,
        "frames": [f.to_dict() for f in turn.parse.frames]})


def _same_origin(websocket: WebSocket) -> bool:
    """Whether a browser's WebSocket comes from a page of this server (cross-site hijacking guard)."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True  # not a browser
    host = websocket.headers.get("host", "")
    return urlsplit(origin).netloc == host


def _still_valid(websocket: WebSocket, access: HomeAccess) -> bool:
    try:
        again = enter_home(server_of(websocket), identify(websocket, check_csrf=False), access.home_id)
    except Problem:
        return False
    return again.actor.may(Scope.READ)


@router.websocket("/homes/{home_id}/events")
async def events(websocket: WebSocket, home_id: str) -> None:
    """Live events of a home: a snapshot first, then every event as it happens."""
    if websocket.headers.get("authorization") is None and not _same_origin(websocket):
        # Refused at the handshake (HTTP 403): a page of another site learns nothing more.
        await websocket.close(code=CLOSE_FORBIDDEN, reason="cross-origin")
        return
    try:
        access = enter_home(server_of(websocket), identify(websocket, check_csrf=False), home_id)
        access.require(Scope.READ)
    except Problem as exc:
        # Accepted only to be closed, so that the client sees why (a refused handshake shows only 403).
        code = {401: CLOSE_UNAUTHENTICATED, 404: CLOSE_NOT_FOUND}.get(exc.status, CLOSE_FORBIDDEN)
        await websocket.accept()
        await websocket.close(code=code, reason=(exc.detail or "")[:100])
        return
    app = access.app
    await websocket.accept()
    server = server_of(websocket)
    async with app.hub.bus.subscribe(server.settings.event_queue) as stream:
        snapshot: dict[str, Any] = {
            d.id: {"state": dict(app.hub.state(d.id)), "available": app.hub.available(d.id)}
            for d in app.home.devices}
        await websocket.send_json({"type": "snapshot", "devices": snapshot})
        receiver = asyncio.create_task(_drain(websocket))
        try:
            dropped = 0
            checked = server.monotonic()
            while not receiver.done():
                event: Event | None = None
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(RECHECK_SECONDS):
                        event = await stream.get()
                if server.monotonic() - checked >= RECHECK_SECONDS:
                    checked = server.monotonic()
                    if not _still_valid(websocket, access):
                        await websocket.close(code=CLOSE_UNAUTHENTICATED, reason="signed out or revoked")
                        return
                if event is None:
                    continue
                if stream.dropped != dropped:
                    dropped = stream.dropped
                    await websocket.send_json({"type": "overflow", "dropped": dropped})
                    await websocket.close(code=1013, reason="fell behind; reconnect")
                    return
                await websocket.send_json(event.to_dict())
        except (WebSocketDisconnect, RuntimeError, OSError):
            return
        finally:
            receiver.cancel()
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError):
                await receiver
            if websocket.application_state is WebSocketState.CONNECTED:
                with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
                    await websocket.close()


async def _drain(websocket: WebSocket) -> None:
    """Read (and ignore) what the client sends, so that a close from its side is noticed."""
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
        while True:
            message = await websocket.receive()
            if message.get("type") == "websocket.disconnect":
                return
