"""``jipsa serve``: the homes, the HTTP API and the dashboard in one process, and the first owner.

The listening socket is bound before anything starts, so a port in use is one clear line. On the first
start (no users yet) the owner is made: from ``--owner`` with a password from stdin or a generated one
printed once, or by asking at the terminal. Without either, the server still runs and says how to make
one; there is never a default password.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import socket
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import click
import uvicorn

from jipsa.api import ApiSettings, Server, create_api
from jipsa.app import App, Config
from jipsa.core.access import Role
from jipsa.core.clock import SystemClock
from jipsa.core.errors import AccountError
from jipsa.store.accounts import AccountStore

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """What ``jipsa serve`` was asked for."""

    host: str
    """Address to listen on."""
    port: int
    """Port to listen on (0: any free one)."""
    settings: ApiSettings
    """Cookies, CORS and limits of the HTTP edge."""
    owner: str | None = None
    """The owner to make on the first start."""
    owner_password_stdin: bool = False
    """Read that owner's password from stdin instead of generating one."""
    print_events: bool = False
    """Also print every event as a JSON line on stdout."""


def bind(host: str, port: int) -> socket.socket:
    """A listening socket; ``click.ClickException`` with one clear line when it cannot be had."""
    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(info[0], socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(info[4])
        sock.listen(128)
        sock.setblocking(False)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    return sock


def ensure_owner(accounts: AccountStore, home_ids: Sequence[str], options: ServeOptions) -> str | None:
    """Make the first owner if there are no users yet; the line to print about signing in."""
    if accounts.has_users():
        if options.owner and accounts.user(options.owner) is not None:
            return (f"sign in as {options.owner} (password shown when it was made; "
                    f"`jipsa user passwd {options.owner}` sets a new one)")
        return None
    name = options.owner
    password: str | None = None
    generated = False
    if name is None:
        if not sys.stdin.isatty():
            return ("no one can sign in yet: make the owner with `jipsa user add NAME --role owner`, "
                    "or start with --owner NAME")
        click.echo("처음 시작합니다: 집주인(owner) 계정을 만들어 주세요.", err=True)
        name = click.prompt("아이디", err=True).strip()
        password = click.prompt("비밀번호", hide_input=True, confirmation_prompt=True, err=True)
    elif options.owner_password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = secrets.token_urlsafe(12)
        generated = True
    try:
        accounts.add_user(name, password or "")
        for home_id in home_ids:
            accounts.set_role(name, home_id, Role.OWNER)
    except AccountError as exc:
        raise click.ClickException(f"cannot make the owner: {exc}") from exc
    if generated:
        return f"owner login: {name} / {password}   (shown once; `jipsa user passwd {name}` changes it)"
    return f"owner {name} made; sign in with the password just given"


def serve(configs: Sequence[Config], accounts_path: Path, options: ServeOptions) -> None:
    """Run the homes of ``configs`` and the HTTP edge until stopped (Ctrl-C)."""
    ids = [c.id for c in configs]
    if len(set(ids)) != len(ids):
        raise click.ClickException(f"two homes have the same id ({', '.join(ids)}): rename a home file")
    sock = bind(options.host, options.port)
    clock = SystemClock()
    accounts = AccountStore.sqlite(accounts_path, clock=clock)
    try:
        login = ensure_owner(accounts, ids, options)
        asyncio.run(_serve(configs, accounts, sock, options, login))
    finally:
        accounts.close()
        sock.close()


async def _serve(configs: Sequence[Config], accounts: AccountStore, sock: socket.socket,
                 options: ServeOptions, login: str | None) -> None:
    clock = SystemClock()
    apps: dict[str, App] = {}
    try:
        for config in configs:
            apps[config.id] = App(config, clock=clock)
    except BaseException:
        for app in apps.values():
            app.store.close()
        raise
    server = Server(apps, accounts, options.settings)
    api = create_api(server)
    host, port = sock.getsockname()[:2]
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    web = uvicorn.Server(uvicorn.Config(api, log_level="warning", lifespan="off", ws="websockets-sansio",
                                       proxy_headers=False, server_header=False))
    async with server:
        names = ", ".join(f"{app.home.name} ({home_id})" for home_id, app in apps.items())
        click.echo(f"jipsa: {names} running; dashboard and API at http://{shown}:{port}/  (Ctrl-C stops)",
                   err=True)
        if login:
            click.echo(f"jipsa: {login}", err=True)
        printer = asyncio.create_task(_print_events(apps)) if options.print_events else None
        try:
            await web.serve(sockets=[sock])
        finally:
            if printer is not None:
                printer.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await printer


async def _print_events(apps: dict[str, App]) -> None:
    async def one(home_id: str, app: App) -> None:
        async with app.hub.bus.subscribe() as events:
            async for event in events:
                click.echo(json.dumps({"home": home_id, **event.to_dict()}, ensure_ascii=False))
    async with asyncio.TaskGroup() as tasks:
        for home_id, app in apps.items():
            tasks.create_task(one(home_id, app))


def settings_from(insecure_cookies: bool, cors_origins: Sequence[str]) -> ApiSettings:
    """The HTTP edge's settings from the command line."""
    for origin in cors_origins:
        if not origin.startswith(("http://", "https://")) or origin.count("/") != 2:
            raise click.BadParameter(f"{origin!r} is not an origin like https://example.com",
                                     param_hint="--cors-origin")
    return replace(ApiSettings(), secure_cookies=not insecure_cookies, cors_origins=tuple(cors_origins))

