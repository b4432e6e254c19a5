"""Transport for the MQTT adapter and the device simulator: one broker connection that heals itself.

:class:`MqttClient` keeps a persistent MQTT 3.1.1 session (``clean_session=False`` under a fixed client
id) so that QoS 1 messages published to our subscriptions while we are away are delivered when we come
back. :meth:`MqttClient.run` connects, re-subscribes on every (re)connect and reconnects with capped
exponential backoff and jitter until it is cancelled. A SUBSCRIBE whose SUBACK does not come within
``timeout`` (a broker or an event loop busy with a burst) is sent again on the same connection, with the
same capped backoff and jitter, until it is acknowledged, the topics are no longer wanted or the
connection drops (then the next connection subscribes to everything anyway).

Delivery guarantees, as far as this side can give them:

* :meth:`~MqttClient.publish` with QoS 1 returns only when the broker has acknowledged the message
  (PUBACK). If the connection drops first, the message is sent again on the next connection: at least
  once, duplicates possible, never silently lost. While disconnected it waits for the reconnect.
* At most ``max_in_flight`` publishes are unacknowledged at once; further callers wait (backpressure).
  The bound also keeps packet ids (which wrap at 65,535) unique.
* Incoming messages are handed to ``on_message(topic, payload)`` synchronously, on the event loop, as
  the socket is read; the PUBACK for a QoS 1 message goes out only after the handler returned. There is
  no queue in between: a slow handler slows the reading of the socket, and the broker queues for us.
  Messages larger than ``max_payload`` are dropped with a warning; a handler that raises is logged.

How it sits on aiomqtt 2.x and paho-mqtt 2.x (both pinned below their next major version):

* aiomqtt supplies the connection (connect in a thread, socket readiness on the event loop, keepalive,
  TLS, socket options) and SUBSCRIBE/UNSUBSCRIBE with their acknowledgements. A fresh
  ``aiomqtt.Client`` is made for every connection: reusing one after an unexpected disconnect leaves
  its connection future resolved, so the next ``async with`` returns before the CONNACK.
* Publishing goes to the paho client underneath (``aiomqtt.Client._client``) with our own PUBACK
  waiters. ``aiomqtt.Client.publish`` waits for the PUBACK under a timeout (10 s by default) and knows
  nothing of reconnects: after a drop it either times out on a message that may yet be delivered or
  waits forever on a connection that is gone. Paho's own resend of unacknowledged messages happens only
  when the same paho client reconnects, which aiomqtt cannot do safely; so we re-send ourselves.
* paho does not set ``TCP_NODELAY``; it is set on the socket as it opens, so small packets are not held
  back by Nagle's algorithm.
* The socket is read and written by :class:`~jipsa.adapters.mqtt.transport.Wire` rather than by
  aiomqtt's callbacks: large reads and batched writes instead of several system calls per message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import ssl
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar, cast
from urllib.parse import urlsplit

import aiomqtt
import paho.mqtt.client as paho
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from jipsa.adapters.mqtt.transport import Wire

_log = logging.getLogger(__name__)

_T = TypeVar("_T")

MessageHandler = Callable[[str, bytes], None]
"""Receives ``(topic, payload)`` for each incoming message, on the event loop; must not block."""

_DEFAULT_PORTS = {"mqtt": 1883, "mqtts": 8883}
_MAX_IN_FLIGHT = 32_768  # half the packet id space, so ids in flight can never collide
_SUBSCRIBE_BATCH = 256  # topic filters per SUBSCRIBE packet


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where the broker listens, parsed from an ``mqtt://`` or ``mqtts://`` URL."""

    host: str
    """Host name or IP address (IPv6 without brackets)."""
    port: int
    """TCP port: 1883 for ``mqtt://`` and 8883 for ``mqtts://`` unless the URL says otherwise."""
    tls: bool
    """Whether the connection uses TLS (``mqtts://``)."""


def parse_url(url: str) -> Endpoint:
    """Parse ``mqtt://host[:port]`` or ``mqtts://host[:port]``; raise ``ValueError`` saying what is wrong."""
    if not isinstance(url, str) or not url.strip():
        raise ValueError("the MQTT URL is empty; expected mqtt://host:port or mqtts://host:port")
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if "@" in parts.netloc:  # do not echo the URL: it may hold a password
        raise ValueError("the MQTT URL must not hold credentials; set username and password instead")
    if scheme not in _DEFAULT_PORTS:
        shown = f"'{scheme}'" if scheme else "no scheme"
        raise ValueError(f"the MQTT URL {url!r} has {shown}; expected mqtt://host:port or mqtts://host:port")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError(f"the MQTT URL {url!r} must not have a path, query or fragment")
    host = parts.hostname
    if not host:
        raise ValueError(f"the MQTT URL {url!r} has no host")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"the MQTT URL {url!r} has an invalid port; expected 1 to 65535") from None
    if port == 0:
        raise ValueError(f"the MQTT URL {url!r} has an invalid port; expected 1 to 65535")
    return Endpoint(host=host, port=port or _DEFAULT_PORTS[scheme], tls=scheme == "mqtts")


@dataclass(frozen=True, slots=True)
class MqttSettings:
    """How to reach the broker and how to behave there; validated on construction."""

    url: str
    """``mqtt://host[:port]`` (plain TCP, default port 1883) or ``mqtts://host[:port]`` (TLS, 8883)."""
    client_id: str
    """Fixed client id; the broker keeps our persistent session (subscriptions, queued QoS 1) under it."""
    username: str | None = None
    """User name, if the broker asks for one."""
    password: str | None = field(default=None, repr=False)
    """Password; needs ``username``. Never shown in ``repr``."""
    ca_file: str | None = None
    """PEM file of the authorities that sign the broker's certificate (``mqtts://`` only); the system's
    trusted authorities when ``None``."""
    tls_insecure: bool = False
    """Skip certificate and host name checks (``mqtts://`` only): for test brokers, never in production."""
    keepalive: int = 30
    """Seconds between keepalive pings; a silent connection is declared dead after 1.5 times this."""
    clean_start: bool = False
    """Start a fresh session on every connect (MQTT 3.1.1 ``clean_session``) and so lose what the broker
    queued while we were away. False keeps the session."""
    max_payload: int = 256 * 1024
    """Incoming payloads larger than this many bytes are dropped with a warning."""
    max_in_flight: int = 256
    """Most QoS 1/2 publishes awaiting their acknowledgement at once; further publishers wait."""
    reconnect_min: float = 0.1
    """First reconnect delay in seconds; doubles on each failure up to ``reconnect_max``."""
    reconnect_max: float = 10.0
    """Longest reconnect delay in seconds."""
    timeout: float = 10.0
    """Seconds to wait for a CONNACK, SUBACK or UNSUBACK before giving the connection up."""

    def __post_init__(self) -> None:
        endpoint = parse_url(self.url)
        if not self.client_id:
            raise ValueError("client_id must not be empty: the broker keeps our session under it")
        if self.password is not None and self.username is None:
            raise ValueError("a password needs a username")
        if not endpoint.tls and (self.ca_file is not None or self.tls_insecure):
            raise ValueError("ca_file and tls_insecure need an mqtts:// URL")
        if not 0 < self.keepalive <= 65_535:
            raise ValueError(f"keepalive must be 1 to 65535 seconds, not {self.keepalive}")
        if self.max_payload < 1:
            raise ValueError(f"max_payload must be positive, not {self.max_payload}")
        if not 1 <= self.max_in_flight <= _MAX_IN_FLIGHT:
            raise ValueError(f"max_in_flight must be 1 to {_MAX_IN_FLIGHT}, not {self.max_in_flight}")
        if not 0 < self.reconnect_min <= self.reconnect_max:
            raise ValueError("reconnect delays must satisfy 0 < reconnect_min <= reconnect_max")
        if not self.timeout > 0:
            raise ValueError(f"timeout must be positive, not {self.timeout}")

    @property
    def endpoint(self) -> Endpoint:
        """The broker's host, port and whether TLS is used."""
        return parse_url(self.url)


class _Link:
    """One connection: its aiomqtt and paho clients and the publishes awaiting acknowledgement on it."""

    __slots__ = ("aio", "ever_up", "lost", "paho", "pending", "reason", "up")

    def __init__(self, aio: aiomqtt.Client, loop: asyncio.AbstractEventLoop) -> None:
        self.aio = aio
        self.paho: paho.Client = aio._client
        self.pending: dict[int, asyncio.Future[bool]] = {}
        self.lost: asyncio.Future[None] = loop.create_future()
        self.up = False
        self.ever_up = False
        self.reason = ""

    def settle(self, mid: int) -> None:
        """The broker acknowledged packet ``mid``."""
        waiter = self.pending.pop(mid, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(True)

    def lose(self) -> None:
        """The connection is gone: tell every waiting publisher to try again on the next one."""
        self.up = False
        if not self.lost.done():
            self.lost.set_result(None)
        for waiter in self.pending.values():
            if not waiter.done():
                waiter.set_result(False)
        self.pending.clear()

    async def publish(self, topic: str, payload: bytes, qos: int, retain: bool) -> bool:
        """Send one message; True once the broker has it, False if this connection dropped first."""
        if not self.up:
            return False
        info = self.paho.publish(topic, payload, qos, retain)
        if info.rc == paho.MQTT_ERR_NO_CONN:
            return False
        if info.rc != paho.MQTT_ERR_SUCCESS:
            raise RuntimeError(f"paho refused to publish on {topic}: {paho.error_string(info.rc)}")
        if info.is_published():
            return True
        # paho calls on_publish on the PUBACK (QoS 1), the PUBCOMP (QoS 2), or once the packet is
        # written to the socket (QoS 0), so even QoS 0 publishers feel the socket's backpressure.
        waiter: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self.pending[info.mid] = waiter
        try:
            return await waiter
        finally:
            self.pending.pop(info.mid, None)

    async def while_up(self, work: Awaitable[_T]) -> _T:
        """Await ``work`` unless the connection drops first, which raises ``aiomqtt.MqttError``."""
        task = asyncio.ensure_future(work)
        try:
            await asyncio.wait((task, self.lost), return_when=asyncio.FIRST_COMPLETED)
        finally:
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, aiomqtt.MqttError):
                    await task
        if not task.done() or task.cancelled():
            raise aiomqtt.MqttError(f"connection lost: {self.reason or 'unknown reason'}")
        return task.result()

    def close(self) -> None:
        """Make sure the socket is closed and aiomqtt's disconnect outcome is consumed."""
        # aiomqtt leaves the socket open when the CONNACK times out or reading raised; paho's
        # _sock_close is idempotent and also unregisters the socket from the event loop.
        self.paho._sock_close()
        done = self.aio._disconnected
        if done.done() and not done.cancelled():
            done.exception()  # mark it retrieved: the reason has been logged already


class Wanted(Protocol):
    """Topic filters a client's owner keeps for it: each of them, and whether one is among them."""

    def __iter__(self) -> Iterator[str]: ...

    def __contains__(self, topic: object, /) -> bool: ...


class MqttClient:
    """A persistent, self-healing MQTT connection: run :meth:`run` in a task group, then publish.

    Use either ``async with MqttClient(...) as client:`` (which runs :meth:`run` in the background) or
    ``task_group.create_task(client.run())``.
    """

    def __init__(self, settings: MqttSettings, on_message: MessageHandler | None = None, *,
                 rng: random.Random | None = None, wanted: Wanted | None = None) -> None:
        """``wanted``: topic filters its owner keeps (at QoS 1), subscribed to on every connection
        beside those given to :meth:`subscribe`; the owner tells of additions with :meth:`subscribe_wanted`
        and of removals with :meth:`unsubscribe`. A hundred thousand devices' state topics are kept once,
        by their owner, instead of also here."""
        self._settings = settings
        self._wanted: Wanted = wanted if wanted is not None else ()
        self._endpoint = settings.endpoint
        self._on_message = on_message
        self._rng = rng if rng is not None else random.Random()
        self._subscriptions: dict[str, int] = {}
        self._unacknowledged: set[str] = set()  # sent on this connection, SUBACK still awaited
        self._stale: set[str] = set()  # unsubscribed while away: the broker's session may still hold them
        self._link: _Link | None = None
        self._connected = asyncio.Event()
        self._in_flight = asyncio.Semaphore(settings.max_in_flight)
        self._running = False
        self._group: asyncio.TaskGroup | None = None
        self._runner: asyncio.Task[None] | None = None

    @property
    def settings(self) -> MqttSettings:
        """The settings this client was made with."""
        return self._settings

    @property
    def connected(self) -> bool:
        """Whether a connection is up and every subscription has been acknowledged on it."""
        return self._connected.is_set()

    async def wait_connected(self) -> None:
        """Return once :attr:`connected` is true (at once if it already is)."""
        await self._connected.wait()

    @property
    def subscriptions(self) -> dict[str, int]:
        """The topic filters we keep subscribed, with their QoS (a copy)."""
        return {**dict.fromkeys(self._wanted, 1), **self._subscriptions}

    def _qos(self, topic: str) -> int:
        """The QoS a topic filter is kept at; -1 when it is not kept."""
        qos = self._subscriptions.get(topic)
        if qos is not None:
            return qos
        return 1 if topic in self._wanted else -1

    @property
    def unacknowledged(self) -> frozenset[str]:
        """Topic filters sent to the broker whose SUBACK has not come yet (they are being sent again)."""
        return frozenset(self._unacknowledged)

    async def subscribe(self, *topics: str, qos: int = 1) -> None:
        """Subscribe to topic filters, now and on every reconnect.

        While connected this returns once the broker has acknowledged them, sending them again with
        backoff while the SUBACK does not come in time; while disconnected (or if the connection drops
        meanwhile) it only remembers them, and they are sent before :attr:`connected` becomes true again.
        """
        _check_qos(qos)
        for topic in topics:
            if not isinstance(topic, str) or not topic:
                raise ValueError(f"a topic filter must be a non-empty string, not {topic!r}")
        for topic in topics:
            self._subscriptions[topic] = qos
            self._stale.discard(topic)
        link = self._link
        if link is not None and link.up and topics:
            try:
                await self._send_subscribe(link, dict.fromkeys(topics, qos))
            except aiomqtt.MqttError as exc:
                _log.info("MQTT connection lost while subscribing to %s (%s); the subscription is sent "
                          "again on the next connection", _some(topics), exc)

    async def subscribe_wanted(self, *topics: str) -> None:
        """Subscribe now (QoS 1) to filters the ``wanted`` collection has just gained; while
        disconnected there is nothing to do: every connection subscribes to all of them."""
        self._stale.difference_update(topics)
        link = self._link
        if link is not None and link.up and topics:
            try:
                await self._send_subscribe(link, dict.fromkeys(topics, 1))
            except aiomqtt.MqttError as exc:
                _log.info("MQTT connection lost while subscribing to %s (%s); the subscription is sent "
                          "again on the next connection", _some(topics), exc)

    async def unsubscribe(self, *topics: str) -> None:
        """Stop receiving these topic filters (now if connected, else on the next connection)."""
        for topic in topics:
            self._subscriptions.pop(topic, None)
        link = self._link
        if link is not None and link.up and topics:
            try:
                await link.while_up(link.aio.unsubscribe(list(topics), timeout=self._settings.timeout))
            except aiomqtt.MqttError:
                self._stale.update(topics)
        else:
            self._stale.update(topics)

    async def publish(self, topic: str, payload: bytes, qos: int = 1, retain: bool = False) -> None:
        """Publish one message; with QoS 1 or 2, return once the broker has acknowledged it.

        While disconnected this waits for the reconnect. A message whose acknowledgement was lost with
        the connection is sent again, so subscribers may see it twice. No timeout: wrap the call in
        ``asyncio.timeout()`` where a bound is wanted.
        """
        _check_qos(qos)
        _check_topic(topic)
        async with self._in_flight:
            while True:
                link = self._link
                if link is None or not link.up:
                    await self._connected.wait()
                    continue
                if await link.publish(topic, payload, qos, retain):
                    return
                self._lose(link)  # paho found no socket, or the link dropped: try the next one

    async def run(self) -> None:
        """Connect, keep connected and re-subscribed, until cancelled."""
        if self._running:
            raise RuntimeError("MqttClient.run() is already running")
        self._running = True
        settings = self._settings
        where = f"{self._endpoint.host}:{self._endpoint.port}"
        tls = await asyncio.to_thread(self._tls_context) if self._endpoint.tls else None
        delay = settings.reconnect_min
        failing = False
        try:
            while True:
                link = self._new_link(tls)
                try:
                    async with link.aio:
                        link.ever_up = True
                        delay = settings.reconnect_min
                        _log.info("MQTT connected to %s as %s%s", where, settings.client_id,
                                  " (again)" if failing else "")
                        failing = False
                        await self._serve(link)
                except aiomqtt.MqttError as exc:
                    task = asyncio.current_task()
                    if task is not None and task.cancelling():
                        raise asyncio.CancelledError from exc
                    reason = link.reason or str(exc.__cause__ or exc)
                    if link.ever_up:
                        _log.warning("MQTT connection to %s lost (%s); reconnecting", where, reason)
                        failing = True  # further failed attempts are not news until we are back
                    elif not failing:
                        _log.warning("MQTT cannot connect to %s (%s); retrying with backoff", where, reason)
                        failing = True
                    else:
                        _log.debug("MQTT still cannot connect to %s (%s)", where, reason)
                finally:
                    self._lose(link)
                    link.close()
                await asyncio.sleep(delay * (0.5 + 0.5 * self._rng.random()))
                delay = min(delay * 2, settings.reconnect_max)
        finally:
            _log.info("MQTT client %s stopped", settings.client_id)
            self._running = False

    async def __aenter__(self) -> Self:
        group = asyncio.TaskGroup()
        await group.__aenter__()
        self._group = group
        self._runner = group.create_task(self.run(), name=f"mqtt {self._settings.client_id}")
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        group, runner = self._group, self._runner
        self._group = self._runner = None
        if group is None or runner is None:
            return
        runner.cancel()
        await group.__aexit__(exc_type, exc, tb)

    # -- internals -------------------------------------------------------------------------------

    def _new_link(self, tls: ssl.SSLContext | None) -> _Link:
        s = self._settings
        aio = aiomqtt.Client(
            self._endpoint.host, self._endpoint.port, username=s.username, password=s.password,
            identifier=s.client_id, protocol=aiomqtt.ProtocolVersion.V311, clean_session=s.clean_start,
            keepalive=s.keepalive, timeout=s.timeout, max_inflight_messages=s.max_in_flight,
            tls_context=tls, tls_insecure=s.tls_insecure if tls is not None else None,
        )
        loop = asyncio.get_running_loop()
        link = _Link(aio, loop)
        # aiomqtt registers paho callbacks of API version 2; we chain its on_disconnect and on_subscribe
        # and replace on_publish (its own publish is not used) and on_message (see _deliver); the
        # socket's reading and writing are the Wire's.
        aio_on_disconnect = cast(paho.CallbackOnDisconnect_v2, link.paho.on_disconnect)

        def on_disconnect(client: paho.Client, userdata: Any, flags: paho.DisconnectFlags,
                          reason_code: ReasonCode, properties: Properties | None = None) -> None:
            link.reason = str(reason_code)
            self._lose(link)
            aio_on_disconnect(client, userdata, flags, reason_code, properties)

        def on_publish(client: paho.Client, userdata: Any, mid: int, reason_code: ReasonCode,
                       properties: Properties) -> None:
            link.settle(mid)

        aio_on_subscribe = cast(paho.CallbackOnSubscribe_v2, link.paho.on_subscribe)

        def on_subscribe(client: paho.Client, userdata: Any, mid: int, reason_codes: list[ReasonCode],
                         properties: Properties | None = None) -> None:
            if mid not in link.aio._pending_subscribes:
                # The SUBACK of an attempt that timed out and was sent again (see _subscribe_batch):
                # aiomqtt would log it as an error with a traceback.
                _log.debug("MQTT late SUBACK for packet %d (its SUBSCRIBE was sent again)", mid)
                return
            aio_on_subscribe(client, userdata, mid, reason_codes, properties)

        def broken(exc: BaseException) -> None:  # a broken socket: end this connection as aiomqtt does
            if not link.aio._disconnected.done():
                link.aio._disconnected.set_exception(exc)
            self._lose(link)

        Wire(link.paho, loop, broken, self._receive)
        link.paho.on_disconnect = on_disconnect
        link.paho.on_publish = on_publish
        link.paho.on_message = self._deliver
        link.paho.on_subscribe = on_subscribe
        return link

    async def _serve(self, link: _Link) -> None:
        """Subscribe, declare the link up, and return (by raising) only when it is lost."""
        sent: dict[str, int] = {}
        while todo := {t: q for t, q in (*self._subscriptions.items(), *((w, 1) for w in self._wanted))
                       if sent.get(t) != q}:
            await self._send_subscribe(link, todo)
            sent.update(todo)
        if stale := {t for t in self._stale if self._qos(t) < 0}:
            await link.while_up(link.aio.unsubscribe(sorted(stale), timeout=self._settings.timeout))
            self._stale -= stale
        link.up = True
        self._link = link
        self._connected.set()
        await link.while_up(_until_disconnected(link.aio))

    async def _send_subscribe(self, link: _Link, topics: dict[str, int]) -> None:
        """SUBSCRIBE in batches, each sent again with backoff until acknowledged; raises
        ``aiomqtt.MqttError`` only when the connection is lost."""
        items = list(topics.items())
        for start in range(0, len(items), _SUBSCRIBE_BATCH):
            await self._subscribe_batch(link, items[start:start + _SUBSCRIBE_BATCH])

    async def _subscribe_batch(self, link: _Link, batch: list[tuple[str, int]]) -> None:
        settings = self._settings
        delay = settings.reconnect_min
        attempts = 0
        sent = {topic for topic, _ in batch}
        self._unacknowledged |= sent
        try:
            while batch:
                attempts += 1
                try:
                    codes = await link.while_up(link.aio.subscribe(batch, timeout=settings.timeout))
                except aiomqtt.MqttError as exc:
                    if link.lost.done():
                        raise  # the next connection subscribes to everything
                    # No SUBACK in time: the broker (or our own loop) is busy. Say so once, then again
                    # only when it has been acknowledged.
                    log = _log.warning if attempts == 1 else _log.debug
                    log("MQTT subscription to %s not acknowledged (%s, attempt %d); sending it again",
                        _some(t for t, _ in batch), exc, attempts)
                    await asyncio.sleep(delay * (0.5 + 0.5 * self._rng.random()))
                    delay = min(delay * 2, settings.reconnect_max)
                    if link.lost.done():
                        raise aiomqtt.MqttError(f"connection lost: {link.reason or 'unknown reason'}"
                                                ) from None
                    # Only what is still wanted, as it is wanted now.
                    batch = [(t, q) for t, _ in batch if (q := self._qos(t)) >= 0]
                    continue
                for (topic, _), code in zip(batch, codes, strict=False):
                    if getattr(code, "is_failure", False) or code == 0x80:
                        _log.warning("MQTT broker refused the subscription to %s: %s", topic, code)
                if attempts > 1:
                    _log.info("MQTT subscription to %s acknowledged after %d attempts",
                              _some(t for t, _ in batch), attempts)
                return
        finally:
            self._unacknowledged -= sent

    def _lose(self, link: _Link) -> None:
        link.lose()
        if self._link is link:
            self._link = None
            self._connected.clear()

    def _deliver(self, client: paho.Client, userdata: Any, message: paho.MQTTMessage) -> None:
        """paho's on_message (for the messages the Wire leaves to paho)."""
        self._receive(message._topic, bytes(message.payload))

    def _receive(self, raw_topic: bytes, payload: bytes) -> None:
        """One incoming message: runs on the event loop while the socket is read; must never raise."""
        try:
            topic = raw_topic.decode("utf-8")
        except UnicodeDecodeError:
            _log.warning("MQTT dropped a message whose topic is not UTF-8: %r", raw_topic[:200])
            return
        if len(payload) > self._settings.max_payload:
            _log.warning("MQTT dropped a %d-byte message on %s: larger than max_payload (%d bytes)",
                         len(payload), topic, self._settings.max_payload)
            return
        if self._on_message is None:
            return
        try:
            self._on_message(topic, bytes(payload))
        except Exception:
            _log.exception("MQTT message handler failed on a message on %s", topic)

    def _tls_context(self) -> ssl.SSLContext:
        """The TLS context for ``mqtts://``; reads the CA file, so it runs in a thread."""
        context = ssl.create_default_context(cafile=self._settings.ca_file)
        if self._settings.tls_insecure:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context


async def _until_disconnected(aio: aiomqtt.Client) -> None:
    """Return (by raising ``MqttError``) when aiomqtt sees the connection end."""
    # Messages reach MqttClient._deliver straight from paho, so aiomqtt's queue stays empty and this
    # loop only ends when the iterator raises on disconnection.
    async for _ in aio.messages:
        pass


def _some(topics: Iterable[str], shown: int = 3) -> str:
    """A few topics for a log line, and how many more."""
    items = list(topics)
    text = ", ".join(items[:shown])
    return text if len(items) <= shown else f"{text} and {len(items) - shown} more"


def _check_qos(qos: int) -> None:
    if qos not in (0, 1, 2):
        raise ValueError(f"qos must be 0, 1 or 2, not {qos!r}")


def _check_topic(topic: str) -> None:
    if not isinstance(topic, str) or not topic:
        raise ValueError(f"a topic must be a non-empty string, not {topic!r}")
    if "+" in topic or "#" in topic:
        raise ValueError(f"cannot publish to a topic filter with wildcards: {topic!r}")
    if len(topic.encode("utf-8")) > 65_535:
        raise ValueError("a topic must be at most 65535 bytes long")


__all__ = ["Endpoint", "MessageHandler", "MqttClient", "MqttSettings", "parse_url"]
