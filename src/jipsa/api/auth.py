"""Who is calling, and what they may do in the home they name.

A caller is a person signed in through the web (the session cookie, plus the CSRF header on anything
that changes something) or a program with an API token (``Authorization: Bearer``). A home the caller
does not belong to, or that the token is not for, is answered like a home that does not exist (404),
so that nobody learns which homes a server holds. A role or scope that does not allow the request is 403.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.requests import HTTPConnection

from jipsa.api.problems import Problem, not_found
from jipsa.api.server import Server
from jipsa.app import App
from jipsa.core.access import ALL_SCOPES, Actor, Scope
from jipsa.store.accounts import Session, Token, User

SESSION_COOKIE = "jipsa_session"
"""The cookie that carries a web session's secret."""

CSRF_HEADER = "x-csrf-token"
"""The header a web session sends its CSRF token in, on every request that changes something."""

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True, slots=True)
class Caller:
    """The person behind a request, and the credential they used."""

    user: User
    """Who."""
    session: Session | None = None
    """The web session, when signed in through a browser."""
    token: Token | None = None
    """The API token, when a program calls."""

    @property
    def via(self) -> str:
        """How the caller came in, as the audit log says it: ``web`` or ``token:<id>``."""
        return f"token:{self.token.id}" if self.token is not None else "web"


@dataclass(frozen=True, slots=True)
class HomeAccess:
    """A caller let into one home."""

    caller: Caller
    """Who."""
    home_id: str
    """Which home."""
    app: App
    """The running home."""
    actor: Actor
    """What the caller may do there."""

    def require(self, scope: Scope) -> None:
        """403 unless the caller may do what ``scope`` covers here."""
        if not self.actor.may(scope):
            raise Problem(403, "forbidden", f"this needs the {scope.value!r} right in this home, which a "
                          f"{self.actor.role.value} {'token ' if self.caller.token else ''}does not have")


def server_of(connection: HTTPConnection) -> Server:
    """The server behind the API (kept in the application's state)."""
    server: Server = connection.app.state.server
    return server


def _bearer(connection: HTTPConnection) -> str | None:
    header = connection.headers.get("authorization")
    if header is None:
        return None
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Problem(401, "unauthenticated", "the Authorization header must be 'Bearer <token>'",
                      headers={"WWW-Authenticate": "Bearer"})
    return secret.strip()


def identify(connection: HTTPConnection, *, check_csrf: bool) -> Caller:
    """The caller of ``connection``, or 401. With ``check_csrf``, a web session must also send its CSRF
    token with any method that changes something (403 otherwise)."""
    server = server_of(connection)
    secret = _bearer(connection)
    if secret is not None:
        token = server.accounts.token(secret)
        user = server.accounts.user(token.user) if token is not None else None
        if token is None or user is None:
            raise Problem(401, "unauthenticated", "the token is unknown, expired or revoked",
                          headers={"WWW-Authenticate": "Bearer"})
        return Caller(user, token=token)
    cookie = connection.cookies.get(SESSION_COOKIE)
    session = server.accounts.session(cookie) if cookie else None
    if session is None:
        raise Problem(401, "unauthenticated", "sign in, or send an API token",
                      headers={"WWW-Authenticate": "Bearer"})
    method = connection.scope.get("method", "GET")
    if check_csrf and method not in _SAFE_METHODS:
        sent = connection.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), session.csrf_token.encode()):
            raise Problem(403, "csrf", f"send the session's CSRF token in the {CSRF_HEADER} header")
    return Caller(session.user, session=session)


async def caller(request: Request) -> Caller:
    """Dependency: the authenticated caller (401 if none; 403 without the CSRF header where needed)."""
    return identify(request, check_csrf=True)


CallerDep = Annotated[Caller, Depends(caller)]


async def person(request: Request) -> Caller:
    """Dependency: a person signed in through the web; a token may not manage tokens or sign out (403)."""
    found = identify(request, check_csrf=True)
    if found.token is not None:
        raise Problem(403, "forbidden", "this needs a person signed in through the web; a token cannot "
                      "do it (revoke a token with DELETE /api/tokens/{id})")
    return found


PersonDep = Annotated[Caller, Depends(person)]


def enter_home(server: Server, found: Caller, home_id: str) -> HomeAccess:
    """``found`` let into ``home_id``, or 404 when they may not know it exists."""
    app = server.app(home_id)
    if app is None or (found.token is not None and found.token.home != home_id):
        raise not_found("home")
    role = server.accounts.role(found.user.name, home_id)
    if role is None:
        raise not_found("home")
    scopes = found.token.scopes if found.token is not None else ALL_SCOPES
    return HomeAccess(found, home_id, app, Actor(found.user.name, found.via, role, scopes))


def home_access(scope: Scope) -> Callable[[Request, str], Coroutine[Any, Any, HomeAccess]]:
    """Dependency factory: the caller let into the path's ``home_id`` with ``scope`` (404, then 403)."""

    async def dependency(request: Request, home_id: str) -> HomeAccess:
        access = enter_home(server_of(request), identify(request, check_csrf=True), home_id)
        access.require(scope)
        return access

    return dependency


Read = Annotated[HomeAccess, Depends(home_access(Scope.READ))]
Control = Annotated[HomeAccess, Depends(home_access(Scope.CONTROL))]
Manage = Annotated[HomeAccess, Depends(home_access(Scope.MANAGE))]
Admin = Annotated[HomeAccess, Depends(home_access(Scope.ADMIN))]
