"""The ASGI application: routes, problem details, limits, security headers and the dashboard.

:func:`create_api` builds it around a running :class:`~jipsa.api.server.Server`; ``jipsa serve`` runs it
with uvicorn in the same process and event loop as the homes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from starlette.staticfiles import StaticFiles

from jipsa.api import problems, routes_auth, routes_homes, routes_live
from jipsa.api.server import Server
from jipsa.web import STATIC_DIR

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CONTENT_SECURITY_POLICY = ("default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
                           "style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                           "form-action 'self'")
"""Only this server's own scripts, styles and connections; never framed."""

_SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class Guard:
    """ASGI middleware: refuses bodies over ``max_body`` bytes (413, declared or streamed) and adds the
    security headers to every HTTP response.

    The body is read in full (it is small) before the application sees the request: refusing a streamed
    body halfway would reach the application as a failed read, which it reports as its own error."""

    def __init__(self, app: ASGIApp, *, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await self._refuse(scope, send, declared.isdigit())
            return
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client left: nothing to answer
                return
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.max_body:
                await self._refuse(scope, send, True)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body: Message | None = {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        async def replay() -> Message:
            nonlocal body
            if body is not None:
                message, body = body, None
                return message
            return await receive()

        async def secured_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() not in _HEADER_NAMES]
                message["headers"] = headers + _SECURITY_HEADERS
            await send(message)

        await self.app(scope, replay, secured_send)

    async def _refuse(self, scope: Scope, send: Send, too_large: bool) -> None:
        status, slug = (413, "too-large") if too_large else (400, "bad-request")
        response = problems.problem_response(
            None, status, slug, f"request bodies are limited to {self.max_body} bytes" if too_large
            else "the Content-Length header is malformed")
        await response(scope, _no_body, lambda m: send(_with_headers(m)))


_HEADER_NAMES = frozenset(name for name, _ in _SECURITY_HEADERS)


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def _with_headers(message: Message) -> Message:
    if message["type"] == "http.response.start":
        message["headers"] = list(message.get("headers", [])) + _SECURITY_HEADERS
    return message


def create_api(server: Server) -> FastAPI:
    """The HTTP API and dashboard of ``server`` (which the caller runs)."""
    api = FastAPI(title="jipsa", summary="An open home assistant that understands Korean",
                  version="0.1.0", openapi_url="/api/openapi.json", docs_url=None, redoc_url=None)
    api.state.server = server
    problems.install(api)
    api.include_router(routes_auth.router)
    api.include_router(routes_homes.router)
    api.include_router(routes_live.router)

    @api.get("/", include_in_schema=False)
    async def dashboard() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})

    api.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    if server.settings.cors_origins:
        api.add_middleware(CORSMiddleware, allow_origins=list(server.settings.cors_origins),
                           allow_credentials=False, allow_methods=["GET", "POST", "PUT", "DELETE"],
                           allow_headers=["Authorization", "Content-Type"])
    api.add_middleware(Guard, max_body=server.settings.max_body_bytes)
    return api
