"""Routes for signing in and out, the session, API tokens, and the health check."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from fastapi import APIRouter, Request, Response

from jipsa.api.auth import SESSION_COOKIE, CallerDep, PersonDep, server_of
from jipsa.api.problems import Problem, not_found
from jipsa.api.routes_homes import summary
from jipsa.api.schemas import Health, Items, LoginBody, NewToken, SessionOut, TokenBody, TokenOut, UserOut
from jipsa.core.access import Role
from jipsa.store.accounts import Token

router = APIRouter(prefix="/api", tags=["auth"])


@router.get("/health", response_model=Health, summary="Whether the server answers")
async def health() -> Health:
    return Health(status="ok")


def _session_out(request: Request, user_name: str, display: str, csrf: str | None,
                 token_home: str | None = None) -> SessionOut:
    server = server_of(request)
    homes = []
    for home_id, role in sorted(server.accounts.homes_of(user_name).items()):
        app = server.app(home_id)
        if app is not None and (token_home is None or token_home == home_id):
            homes.append(summary(home_id, app, role))
    return SessionOut(user=UserOut(name=user_name, display_name=display), csrf_token=csrf, homes=homes)


@router.post("/auth/login", response_model=SessionOut, summary="Sign in; sets the session cookie",
             responses={401: {"description": "Wrong user name or password"},
                        429: {"description": "Too many attempts"}})
async def login(request: Request, body: LoginBody, response: Response) -> SessionOut:
    server = server_of(request)
    client = request.client.host if request.client else "?"
    wait = server.login_limit.take(f"{client}|{body.username.casefold()}")
    if wait:
        raise Problem(429, "rate-limited", "too many sign-in attempts; wait a little",
                      headers={"Retry-After": str(int(wait))})
    # Hashing is slow on purpose: off the event loop.
    user = await asyncio.to_thread(server.accounts.authenticate, body.username, body.password)
    if user is None:
        raise Problem(401, "unauthenticated", "wrong user name or password")
    ttl = timedelta(days=server.settings.session_days)
    secret, session = server.accounts.create_session(user.name, ttl=ttl)
    response.set_cookie(SESSION_COOKIE, secret, max_age=int(ttl.total_seconds()), httponly=True,
                        secure=server.settings.secure_cookies, samesite="strict", path="/")
    return _session_out(request, user.name, user.display_name, session.csrf_token)


@router.post("/auth/logout", status_code=204, summary="End the web session")
async def logout(request: Request, found: PersonDep) -> Response:
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        server_of(request).accounts.end_session(secret)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/", secure=server_of(request).settings.secure_cookies,
                           httponly=True, samesite="strict")
    return response


@router.get("/auth/session", response_model=SessionOut, summary="Who is signed in")
async def session(request: Request, found: CallerDep) -> SessionOut:
    csrf = found.session.csrf_token if found.session else None
    home = found.token.home if found.token else None
    return _session_out(request, found.user.name, found.user.display_name, csrf, home)


# -- tokens ----------------------------------------------------------------------------------------

def token_out(token: Token) -> TokenOut:
    """A token's body (never its secret)."""
    return TokenOut(id=token.id, name=token.name, home=token.home, user=token.user,
                    scopes=sorted(token.scopes), created_at=token.created_at.isoformat(),
                    expires_at=token.expires_at.isoformat() if token.expires_at else None,
                    last_used_at=token.last_used_at.isoformat() if token.last_used_at else None,
                    revoked=token.revoked)


def _owned_homes(request: Request, user: str) -> set[str]:
    roles = server_of(request).accounts.homes_of(user)
    return {home for home, role in roles.items() if role is Role.OWNER}


@router.get("/tokens", response_model=Items[TokenOut], summary="Your tokens, and an owner's homes' tokens")
async def list_tokens(request: Request, found: PersonDep) -> Items[TokenOut]:
    accounts = server_of(request).accounts
    tokens = {t.id: t for t in accounts.tokens(user=found.user.name)}
    for home in _owned_homes(request, found.user.name):
        tokens.update({t.id: t for t in accounts.tokens(home=home)})
    return Items(items=[token_out(t) for t in sorted(tokens.values(), key=lambda t: -t.id)])


@router.post("/tokens", response_model=NewToken, status_code=201, summary="Make an API token")
async def create_token(request: Request, found: PersonDep, body: TokenBody) -> NewToken:
    server = server_of(request)
    role = server.accounts.role(found.user.name, body.home)
    if role is None or server.app(body.home) is None:
        raise not_found("home")
    expires = (server.apps[body.home].clock.now() + timedelta(days=body.expires_in_days)
               if body.expires_in_days else None)
    secret, token = server.accounts.create_token(found.user.name, body.home, body.name, body.scopes,
                                                 expires_at=expires)
    return NewToken(token=token_out(token), secret=secret)


@router.delete("/tokens/{token_id}", status_code=204, summary="Revoke a token at once")
async def revoke_token(request: Request, found: PersonDep, token_id: int) -> Response:
    accounts = server_of(request).accounts
    token = accounts.get_token(token_id)
    if token is None or (token.user != found.user.name
                         and token.home not in _owned_homes(request, found.user.name)):
        raise not_found("token")
    accounts.revoke_token(token_id)
    return Response(status_code=204)
