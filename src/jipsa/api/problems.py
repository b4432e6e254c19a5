"""Errors as RFC 9457 problem details, and the one registry that maps jipsa's errors to HTTP.

::

    Problem                       raised by the API's own code: status, type slug, title, detail, extras
    JipsaError (jipsa.core.errors) translated by ``_DOMAIN``: CommandRejectedError → 422 command-rejected,
                                  DeviceUnavailableError → 503, AccessDeniedError → 403, …
    RequestValidationError        422 invalid, with ``errors`` listing each bad field
    HTTPException (Starlette)     its status as a problem (404 for an unknown path, 405, …)

Every body is ``application/problem+json`` with ``type`` (``urn:jipsa:problem:<slug>``), ``title``,
``status``, ``detail`` and ``instance`` (the path). Nothing an error carries about secrets reaches it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from jipsa.core.errors import (
    AccessDeniedError,
    AccountError,
    AdapterAuthError,
    AdapterNotReadyError,
    CommandRejectedError,
    CommandUnconfirmedError,
    DeviceUnavailableError,
    JipsaError,
    StorageError,
    UnknownDeviceError,
)

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

_TITLES: Mapping[str, str] = {
    "bad-request": "The request is malformed",
    "unauthenticated": "Sign in first",
    "forbidden": "Not allowed",
    "csrf": "Missing or wrong CSRF token",
    "not-found": "Not found",
    "method-not-allowed": "Method not allowed",
    "conflict": "Conflict",
    "too-large": "The request body is too large",
    "unsupported-media-type": "Send JSON",
    "invalid": "Some fields are invalid",
    "command-rejected": "The device refused the command",
    "not-understood": "Not understood",
    "rate-limited": "Too many requests",
    "device-unavailable": "The device does not answer",
    "adapter-not-ready": "The device's connection is not ready",
    "adapter-auth": "The vendor account needs signing in again",
    "storage": "The database could not be used",
    "internal": "Something went wrong on the server",
}

_BY_STATUS: Mapping[int, str] = {
    400: "bad-request", 401: "unauthenticated", 403: "forbidden", 404: "not-found",
    405: "method-not-allowed", 409: "conflict", 413: "too-large", 415: "unsupported-media-type",
    422: "invalid", 429: "rate-limited", 503: "adapter-not-ready",
}


class Problem(Exception):
    """An HTTP error with a problem-details body; raise it from a route or dependency."""

    def __init__(self, status: int, slug: str | None = None, detail: str | None = None, *,
                 headers: Mapping[str, str] | None = None, **extra: Any) -> None:
        self.status = status
        self.slug = slug or _BY_STATUS.get(status, "bad-request")
        self.detail = detail
        self.headers = dict(headers or {})
        self.extra = extra
        super().__init__(f"{status} {self.slug}: {detail or ''}")


def not_found(what: str) -> Problem:
    """The 404 for something that does not exist, or that the caller may not know exists."""
    return Problem(404, "not-found", f"no such {what}")


def problem_response(request: Request | None, status: int, slug: str, detail: str | None = None, *,
                     headers: Mapping[str, str] | None = None, **extra: Any) -> JSONResponse:
    """The problem-details response."""
    body: dict[str, Any] = {"type": f"urn:jipsa:problem:{slug}", "title": _TITLES.get(slug, slug),
                            "status": status}
    if detail:
        body["detail"] = detail
    if request is not None:
        body["instance"] = request.url.path
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=dict(headers or {}))


def _domain(exc: JipsaError) -> tuple[int, str, dict[str, Any]]:
    """Status, slug and extra fields for one of jipsa's errors."""
    if isinstance(exc, CommandRejectedError):
        return 422, "command-rejected", {"reason": exc.reason, "allowed": exc.allowed,
                                         "message_ko": exc.message_ko}
    if isinstance(exc, UnknownDeviceError):
        return 404, "not-found", {}
    if isinstance(exc, DeviceUnavailableError | CommandUnconfirmedError):
        return 503, "device-unavailable", {"device_id": exc.device_id}
    if isinstance(exc, AdapterNotReadyError):
        return 503, "adapter-not-ready", {}
    if isinstance(exc, AdapterAuthError):
        return 503, "adapter-auth", {}
    if isinstance(exc, AccessDeniedError):
        return 403, "forbidden", {}
    if isinstance(exc, AccountError):
        status = {"exists": 409, "not_found": 404, "last_owner": 409}.get(exc.reason, 422)
        return status, _BY_STATUS[status], {"reason": exc.reason}
    if isinstance(exc, StorageError):
        return 503, "storage", {}
    return 500, "internal", {}


def install(app: FastAPI) -> None:
    """Make every error ``app`` raises a problem-details response."""

    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        exc = cast(Problem, exc)  # registered for this class only
        return problem_response(request, exc.status, exc.slug, exc.detail, headers=exc.headers, **exc.extra)

    async def on_jipsa(request: Request, exc: Exception) -> JSONResponse:
        exc = cast(JipsaError, exc)
        status, slug, extra = _domain(exc)
        if status >= 500 and slug in ("internal", "storage"):
            log.warning("%s %s: %s", request.method, request.url.path, exc)
        detail = "the server could not complete the request" if slug == "internal" else str(exc)
        return problem_response(request, status, slug, detail, **extra)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        exc = cast(RequestValidationError, exc)
        errors = [{"where": ".".join(str(p) for p in e.get("loc", ())), "message": str(e.get("msg", ""))}
                  for e in exc.errors()]
        malformed = any(e.get("type") == "json_invalid" for e in exc.errors())
        if malformed:
            return problem_response(request, 400, "bad-request", "the body is not valid JSON", errors=errors)
        first = errors[0] if errors else {"where": "", "message": ""}
        return problem_response(request, 422, "invalid", f"{first['where']}: {first['message']}",
                                errors=errors)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        exc = cast(StarletteHTTPException, exc)
        slug = _BY_STATUS.get(exc.status_code, "bad-request" if exc.status_code < 500 else "internal")
        detail = exc.detail if isinstance(exc.detail, str) else None
        return problem_response(request, exc.status_code, slug, detail, headers=exc.headers)

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return problem_response(request, 500, "internal", "the server could not complete the request")

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(JipsaError, on_jipsa)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)
