"""The ``jipsa`` command: init, devices, say, chat, parse, serve, history.

Configuration is read here, once (options and ``JIPSA_HOME``/``JIPSA_DB``), and passed down. Every
error a person can cause ends in one clear line and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import getpass
import json
import logging
import sys
from collections.abc import Awaitable, Callable, Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar

import click
import yaml

from jipsa.adapters.mqtt.client import MqttSettings
from jipsa.adapters.mqtt.config import DEFAULT_PREFIX
from jipsa.app import App, Config, MqttOptions, home_id_for, read_home_file
from jipsa.cli.table import device_table, history_lines, request_lines
from jipsa.core.access import Actor, acting_as
from jipsa.core.errors import JipsaError
from jipsa.core.messages import Event
from jipsa.nlu import understand

T = TypeVar("T")

MAX_LINE_CHARS = 100_000
"""Longer utterances are cut before they reach the language layer, which refuses them anyway."""


def demo_home_text() -> str:
    """The demo home file shipped with jipsa."""
    return files("jipsa").joinpath("data/demo_home.yaml").read_text(encoding="utf-8")


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"jipsa: {message}", err=True)
    raise SystemExit(code)


@contextlib.contextmanager
def _one_line_errors() -> Iterator[None]:
    """Turn any error jipsa raises on purpose into one line on stderr and exit status 2."""
    try:
        yield
    except JipsaError as exc:
        _fail(str(exc))


def _run(factory: Callable[[], Awaitable[T]]) -> T:
    with _one_line_errors():
        return asyncio.run(factory())  # type: ignore[arg-type]
    raise AssertionError("unreachable")  # pragma: no cover - _fail exits


class _Ctx:
    def __init__(self, home: Path, db: Path | None, lock_pin: str | None = None,
                 mqtt: MqttOptions | None = None, accounts: Path | None = None) -> None:
        self.home = home
        self.db = db
        self.lock_pin = lock_pin
        self.mqtt = mqtt
        self.accounts_path = accounts

    def config(self, tick: float = 1.0) -> Config:
        return Config(home_path=self.home, db_path=self.db, tick=tick, lock_pin=self.lock_pin,
                      mqtt=self.mqtt, settle_heap=True)

    @property
    def home_id(self) -> str:
        """The id of the home file's home (in URLs, memberships and tokens)."""
        return home_id_for(self.home)

    @property
    def accounts(self) -> Path:
        """The accounts database: users, memberships, sessions, tokens and the audit log."""
        return self.accounts_path or self.home.with_name(self.home.stem + ".accounts.db")


_MQTT_KEYS = {"url", "username", "password", "ca_file", "tls_insecure", "client_id", "discovery_prefix",
              "zigbee2mqtt"}


def _read_config_file(path: Path | None) -> dict[str, Any]:
    """The ``mqtt`` section of the configuration file (docs/configuration.md), checked."""
    if path is None:
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise click.BadParameter(f"cannot read {path}: {exc.strerror}", param_hint="--config") from exc
    except yaml.YAMLError as exc:
        raise click.BadParameter(f"{path} is not valid YAML: {exc}", param_hint="--config") from exc
    if not isinstance(data, dict) or set(data) - {"mqtt"}:
        raise click.BadParameter(f"{path}: the only section is 'mqtt'", param_hint="--config")
    section = data.get("mqtt") or {}
    if not isinstance(section, dict) or set(section) - _MQTT_KEYS:
        unknown = sorted(set(section) - _MQTT_KEYS) if isinstance(section, dict) else section
        raise click.BadParameter(f"{path}: unknown mqtt keys {unknown}; known: {sorted(_MQTT_KEYS)}",
                                 param_hint="--config")
    return section


def _mqtt_options(file: dict[str, Any], given: dict[str, Any]) -> MqttOptions | None:
    merged = {**file, **{k: v for k, v in given.items() if v is not None}}
    if not merged.get("url"):
        return None
    try:
        settings = MqttSettings(
            url=str(merged["url"]), client_id=str(merged.get("client_id") or "jipsa"),
            username=merged.get("username"), password=merged.get("password"),
            ca_file=merged.get("ca_file"), tls_insecure=bool(merged.get("tls_insecure", False)))
    except (ValueError, TypeError) as exc:
        raise click.BadParameter(str(exc), param_hint="--mqtt") from exc
    z2m = merged.get("zigbee2mqtt", "zigbee2mqtt")
    return MqttOptions(settings, prefix=str(merged.get("discovery_prefix") or DEFAULT_PREFIX),
                       zigbee2mqtt=str(z2m) if z2m else None)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", "home", type=click.Path(path_type=Path, dir_okay=False), default="home.yaml",
              envvar="JIPSA_HOME", show_default=True, help="The home file.")
@click.option("--db", "db", type=click.Path(path_type=Path, dir_okay=False), default=None,
              envvar="JIPSA_DB", help="The state database [default: the home file's name with .db].")
@click.option("--accounts", "accounts", type=click.Path(path_type=Path, dir_okay=False), default=None,
              envvar="JIPSA_ACCOUNTS",
              help="The accounts database (users, tokens, audit) [default: <home>.accounts.db].")
@click.option("--lock-pin", "lock_pin", default=None, envvar="JIPSA_LOCK_PIN",
              help="A PIN to say with the yes that unlocks a door (응 1234).")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              envvar="JIPSA_CONFIG", help="A configuration file (YAML) with an mqtt section.")
@click.option("--mqtt", "mqtt_url", default=None, envvar="JIPSA_MQTT",
              help="An MQTT broker to find devices on: mqtt://host:1883 or mqtts://host:8883.")
@click.option("--mqtt-username", default=None, envvar="JIPSA_MQTT_USERNAME", help="MQTT user name.")
@click.option("--mqtt-password", default=None, envvar="JIPSA_MQTT_PASSWORD", help="MQTT password.")
@click.option("--mqtt-ca-file", default=None, envvar="JIPSA_MQTT_CA_FILE",
              help="CA certificate file for mqtts://.")
@click.option("--mqtt-client-id", default=None, envvar="JIPSA_MQTT_CLIENT_ID",
              help="MQTT client id (one per running jipsa) [default: jipsa].")
@click.option("--discovery-prefix", default=None, help="Home Assistant discovery prefix [homeassistant].")
@click.option("-v", "--verbose", is_flag=True, help="Log what the hub and adapters do.")
@click.version_option(package_name="jipsa")
@click.pass_context
def cli(ctx: click.Context, home: Path, db: Path | None, accounts: Path | None, lock_pin: str | None,
        config_file: Path | None,
        mqtt_url: str | None, mqtt_username: str | None, mqtt_password: str | None,
        mqtt_ca_file: str | None, mqtt_client_id: str | None, discovery_prefix: str | None,
        verbose: bool) -> None:
    """jipsa (집사): a home assistant that understands Korean.

    \b
    Start with `jipsa init`, then try:
      jipsa say "거실 에어컨 24도로 켜 줘"
      jipsa devices
      jipsa chat
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if lock_pin is not None and not (lock_pin.isdigit() and 4 <= len(lock_pin) <= 8):
        raise click.BadParameter("a PIN is 4 to 8 digits", param_hint="--lock-pin")
    mqtt = _mqtt_options(_read_config_file(config_file), {
        "url": mqtt_url, "username": mqtt_username, "password": mqtt_password, "ca_file": mqtt_ca_file,
        "client_id": mqtt_client_id, "discovery_prefix": discovery_prefix})
    ctx.obj = _Ctx(home, db, lock_pin, mqtt, accounts)


@cli.command()
@click.option("--force", is_flag=True, help="Overwrite an existing home file.")
@click.pass_obj
def init(obj: _Ctx, force: bool) -> None:
    """Write the demo home (a Korean apartment) to the home file."""
    if obj.home.exists() and not force:
        _fail(f"{obj.home} already exists; use --force to overwrite it")
    try:
        obj.home.parent.mkdir(parents=True, exist_ok=True)
        obj.home.write_text(demo_home_text(), encoding="utf-8")
        db = obj.config().database
        if force and db.exists():
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
    except OSError as exc:
        _fail(f"cannot write {obj.home}: {exc.strerror}")
    home, _ = read_home_file(obj.home)
    click.echo(f"{obj.home}: {home.name} — {len(home.areas)}개 공간, {len(home.devices)}개 기기")
    click.echo('다음: jipsa say "거실 불 켜 줘"  ·  jipsa devices  ·  jipsa chat')


@cli.command()
@click.pass_obj
def devices(obj: _Ctx) -> None:
    """Show every device and its state, room by room."""
    async def go() -> list[str]:
        async with App(obj.config()) as app:
            return device_table(app.home, app.hub.state, app.hub.available)
    for line in _run(go):
        click.echo(line)


@cli.command()
@click.argument("text", nargs=-1, required=True)
@click.option("--area", default=None, help="The area the request comes from (an area id).")
@click.option("--yes", "confirmed", is_flag=True, help="Confirm sensitive actions (door locks, gas).")
@click.option("--json", "as_json", is_flag=True, help="Print the turn as JSON.")
@click.pass_obj
def say(obj: _Ctx, text: tuple[str, ...], area: str | None, confirmed: bool, as_json: bool) -> None:
    """Say one thing to the assistant; it acts and replies."""
    utterance = " ".join(text)[:MAX_LINE_CHARS]

    async def go() -> dict[str, Any]:
        async with App(obj.config()) as app:
            _check_area(app, area)
            with _audited(obj, app), acting_as(_cli_actor(utterance)):
                turn = await app.assistant.handle(utterance, area=area, confirmed=confirmed,
                                                  user=getpass.getuser(), source="cli")
            return {"text": turn.text, "reply": turn.reply, "frames": turn.parse.to_dict()["frames"],
                    "actions": [{**a.command.to_dict(), "ok": a.ok, "error": a.error}
                                for a in turn.actions]}
    result = _run(go)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
    else:
        click.echo(result["reply"])


def _cli_actor(text: str) -> Actor:
    """Whoever runs the command line acts with the home file's rights: the owner's."""
    return Actor(user=getpass.getuser(), via="cli", text=text)


@contextlib.contextmanager
def _audited(obj: _Ctx, app: App) -> Iterator[None]:
    """Write the commands ``app`` sends meanwhile to the audit log in the accounts database."""
    from jipsa.api.server import audit_record
    from jipsa.store.accounts import AccountStore

    accounts = AccountStore.sqlite(obj.accounts, clock=app.clock)

    def audit(event: Event) -> None:
        record = audit_record(obj.home_id, event)
        if record is not None:
            try:
                accounts.add_audit([record])
            except JipsaError as exc:
                logging.getLogger(__name__).warning("could not write the audit log: %s", exc)

    app.hub.bus.add_listener(audit)
    try:
        yield
    finally:
        app.hub.bus.remove_listener(audit)
        accounts.close()


def _check_area(app: App, area: str | None) -> None:
    if area is not None and app.home.area(area) is None:
        known = ", ".join(a.id for a in app.home.areas)
        _fail(f"unknown area {area!r}; this home has: {known}")


@cli.command()
@click.option("--area", default=None, help="The area you are in (an area id).")
@click.pass_obj
def chat(obj: _Ctx, area: str | None) -> None:
    """Talk to the assistant, one line at a time (empty line or Ctrl-D to leave)."""
    with contextlib.suppress(ImportError):  # line editing and history for input(); not everywhere
        import readline  # noqa: F401

    async def go() -> None:
        async with App(obj.config()) as app:
            _check_area(app, area)
            with _audited(obj, app):
                click.echo(f"집사: 안녕하세요, {app.home.name} 집사예요. 무엇을 도와드릴까요? "
                           "(예: 거실 불 켜 줘, 세탁기 언제 끝나?, 외출 모드) — 끝내려면 빈 줄이나 Ctrl-D")
                loop = asyncio.get_running_loop()
                prompt = "나: " if sys.stdin.isatty() else ""
                while True:
                    try:
                        line = await loop.run_in_executor(None, input, prompt)
                    except (EOFError, KeyboardInterrupt):
                        click.echo()
                        return
                    if not line.strip() or line.strip() in ("quit", "exit", "그만", "종료"):
                        return
                    with acting_as(_cli_actor(line[:MAX_LINE_CHARS])):
                        turn = await app.assistant.handle(line[:MAX_LINE_CHARS], conversation_id="chat",
                                                          area=area, user=getpass.getuser(), source="cli")
                    click.echo(f"집사: {turn.reply}")
                    while not app.scheduled.empty():
                        click.echo(f"집사: {app.scheduled.get_nowait().reply}")
    _run(go)


def _lines(stream: Any) -> Iterator[str]:
    for raw in stream:
        text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
        yield text.rstrip("\r\n")


@cli.command()
@click.option("--area", default=None, help="The area the requests come from (an area id).")
@click.pass_obj
def parse(obj: _Ctx, area: str | None) -> None:
    """Read utterances from stdin, one per line; print what was understood as JSON lines.

    Nothing is executed. The output format is a contract (docs/intents.md).
    """
    with _one_line_errors():
        home, _ = read_home_file(obj.home)
    if area is not None and home.area(area) is None:
        _fail(f"unknown area {area!r}; this home has: {', '.join(a.id for a in home.areas)}")
    out = sys.stdout
    for line in _lines(sys.stdin.buffer):
        result = understand(line[:MAX_LINE_CHARS], home, area)
        out.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        out.flush()


@cli.command()
@click.option("--tick", default=1.0, show_default=True, help="Seconds between virtual appliance steps.")
@click.option("--mqtt", "mqtt_url", default=None,
              help="An MQTT broker to find devices on (the same as `jipsa --mqtt URL serve`).")
@click.option("--host", default="127.0.0.1", show_default=True, envvar="JIPSA_HOST",
              help="Address the dashboard and API listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535), envvar="JIPSA_PORT",
              help="Port the dashboard and API listen on.")
@click.option("--also", "more_homes", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
              help="Another home file to serve as well (repeatable); MQTT devices join the first home.")
@click.option("--owner", default=None, help="On the first start: make this user the owner of the homes.")
@click.option("--owner-password-stdin", is_flag=True,
              help="Read the new owner's password from stdin (else one is generated and printed once).")
@click.option("--insecure-cookies", is_flag=True,
              help="Send the session cookie over plain HTTP to hosts other than localhost (not advised).")
@click.option("--cors-origin", "cors_origins", multiple=True,
              help="A web origin allowed to call the API from a browser (repeatable); none by default.")
@click.option("--print-events", is_flag=True, help="Also print every event as a JSON line.")
@click.pass_obj
def serve(obj: _Ctx, tick: float, mqtt_url: str | None, host: str, port: int, more_homes: tuple[Path, ...],
          owner: str | None, owner_password_stdin: bool, insecure_cookies: bool,
          cors_origins: tuple[str, ...], print_events: bool) -> None:
    """Run the homes with the web dashboard and HTTP API until stopped."""
    from jipsa.cli.serve import ServeOptions, settings_from
    from jipsa.cli.serve import serve as run_server

    if mqtt_url is not None:
        obj.mqtt = _mqtt_options({}, {"url": mqtt_url}) if obj.mqtt is None else MqttOptions(
            _with_url(obj.mqtt.settings, mqtt_url), obj.mqtt.prefix, obj.mqtt.zigbee2mqtt)
    configs = [obj.config(tick=tick)]
    configs += [Config(home_path=path, tick=tick, lock_pin=obj.lock_pin, settle_heap=True)
                for path in more_homes]
    options = ServeOptions(host=host, port=port, settings=settings_from(insecure_cookies, cors_origins),
                           owner=owner, owner_password_stdin=owner_password_stdin, print_events=print_events)
    try:
        with _one_line_errors():
            run_server(configs, obj.accounts, options)
    except KeyboardInterrupt:
        pass
    click.echo("jipsa: stopped.", err=True)


def _with_url(settings: MqttSettings, url: str) -> MqttSettings:
    try:
        return dataclasses.replace(settings, url=url)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--mqtt") from exc


@cli.command()
@click.option("--mqtt", "mqtt_url", required=True, help="The broker: mqtt://127.0.0.1:1883.")
@click.option("--home", "home_name", default="demo", show_default=True,
              help="The home whose appliances to simulate: `demo` or a home file.")
@click.option("--devices", "count", type=click.IntRange(1, 100_000), default=None,
              help="Repeat the home's devices up to this many (load testing).")
@click.option("--client-id", default="jipsa-simulator", show_default=True, help="MQTT client id.")
@click.option("--base", default="jipsa-sim", show_default=True, help="Base topic of the devices.")
@click.option("--discovery-prefix", "prefix", default=DEFAULT_PREFIX, show_default=True)
@click.option("--tick", default=1.0, show_default=True, help="Seconds between simulation steps.")
def simulate(mqtt_url: str, home_name: str, count: int | None, client_id: str, base: str, prefix: str,
             tick: float) -> None:
    """Run the virtual appliances as MQTT devices (Home Assistant discovery) until stopped."""
    from jipsa.adapters.mqtt.simulator import MqttSimulator, scaled_home
    from jipsa.core.clock import SystemClock
    from jipsa.core.homefile import parse_home

    with _one_line_errors():
        if home_name == "demo":
            home = parse_home(demo_home_text(), "demo")
        else:
            home, _ = read_home_file(Path(home_name))
    household = None
    if count is not None:
        # Each copy of the home is a house of its own: a command steps its house, not all N devices.
        household = max(1, len(home.devices))
        home = scaled_home(home, count)
    try:
        settings = MqttSettings(url=mqtt_url, client_id=client_id)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--mqtt") from exc

    async def go() -> None:
        simulator = MqttSimulator(home, settings, clock=SystemClock(), prefix=prefix, base=base, tick=tick,
                                  household=household)
        task = asyncio.create_task(simulator.run())
        click.echo(f"jipsa: simulating {len(home.devices)} devices on {mqtt_url}; Ctrl-C stops.", err=True)
        await asyncio.wait([task, asyncio.create_task(simulator.announced.wait())],
                           return_when=asyncio.FIRST_COMPLETED)
        if simulator.announced.is_set():
            click.echo(f"jipsa: {len(home.devices)} devices announced.", err=True)
        await task
    try:
        _run(go)
    except KeyboardInterrupt:
        click.echo("jipsa: stopped.", err=True)


@cli.command()
@click.option("--limit", default=30, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--events", "show_events", is_flag=True,
              help="Show device events (state changes, commands) instead of requests.")
@click.option("--device", default=None, help="With --events: only this device id.")
@click.pass_obj
def history(obj: _Ctx, limit: int, show_events: bool, device: str | None) -> None:
    """Show the newest requests: who asked what, what was done, and the reply."""
    with _one_line_errors():
        app = App(obj.config())
        try:
            if show_events or device is not None:
                lines = history_lines(app.home, app.store.events(limit=limit, device_id=device))
            else:
                lines = request_lines(app.home, app.store.requests(limit=limit))
        finally:
            app.store.close()
    for line in lines:
        click.echo(line)


from jipsa.cli.accounts import token_group, user_group  # noqa: E402 - it imports this module's helpers

cli.add_command(user_group)
cli.add_command(token_group)


def main() -> None:
    """Entry point of the ``jipsa`` script."""
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("", err=True)
        raise SystemExit(130) from None
