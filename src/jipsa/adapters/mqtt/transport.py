"""How one paho client's socket is served on the asyncio loop: read in large chunks, written in batches.

paho reads a packet's fixed header one byte at a time (``recv(1)`` for the type, then the remaining
length byte by byte, then the rest): three or more system calls per message, and aiomqtt's reader takes
one packet per wake-up of the event loop. paho also sends each queued packet with its own ``send`` — one
per PUBACK of a received message — after aiomqtt has registered a writer for it through
``call_soon_threadsafe`` (a write to the loop's self-pipe) and removed it again. Under a burst of small
messages that was most of the cost of receiving one.

:class:`Wire` replaces that for one paho client. :class:`BufferedSocket` stands in for the client's socket:
it reads up to :data:`READ_CHUNK` bytes per ``recv`` and hands paho the bytes it asks for from that
buffer, and it collects what paho sends. The reader takes every complete packet the buffer holds (at most
:data:`READ_BATCH` per wake-up, so one busy connection cannot hold the loop); everything paho queued
meanwhile (the PUBACKs of those packets, our publishes) leaves in one ``send`` on the next turn of the
loop, and a writer is registered only while the kernel takes no more. What is written is exactly what
paho would have written, in the same order: only the system calls are fewer.

Incoming PUBLISH packets of QoS 0 and 1 — nearly everything a subscriber receives — are taken from the
buffer here, without paho's packet objects, debug logging and callback dispatch: ``on_publish`` gets the
topic and payload, and a QoS 1 message's PUBACK is queued once it returns, as paho does for MQTT 3.1.1.
Every other packet (CONNACK, SUBACK, PUBACK, PINGRESP, QoS 2, and anything malformed or incomplete) is
left where it is for paho, so its state machine sees them in order.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import time
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as paho

READ_CHUNK = 64 * 1024
"""Bytes asked of the kernel per ``recv``."""

READ_BATCH = 512
"""Packets taken per wake-up of the reader before the loop gets a turn."""

WRITE_LIMIT = 1024 * 1024
"""Bytes collected for the kernel before paho is told to wait (its ``send`` would block)."""

_WOULD_BLOCK = (BlockingIOError, InterruptedError, ssl.SSLWantWriteError, ssl.SSLWantReadError)


class BufferedSocket:
    """A connected socket, read through a buffer and written in batches; paho sees it as its socket."""

    __slots__ = ("_eof", "_in", "_inner_pending", "_pos", "out", "sock")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        """The real socket (TCP, or TLS over it)."""
        self.out = bytearray()
        """What paho sent that the kernel has not taken yet."""
        self._in = b""
        self._pos = 0
        self._eof = False
        # TLS: the bytes OpenSSL has decrypted but not handed out yet are readable too.
        self._inner_pending: Callable[[], int] | None = getattr(sock, "pending", None)

    def recv(self, size: int) -> bytes:
        """Up to ``size`` bytes, from the buffer or else from one large read of the socket (which raises
        ``BlockingIOError`` when there is nothing, and returns ``b""`` when the peer closed)."""
        data, pos = self._in, self._pos
        if pos >= len(data):
            if self._eof:
                return b""
            data = self.sock.recv(max(size, READ_CHUNK))
            if len(data) <= size:
                return data
            pos = 0
        end = pos + size
        if end >= len(data):
            self._in, self._pos = b"", 0
            return data[pos:] if pos else data
        self._in, self._pos = data, end
        return data[pos:end]

    def fill(self) -> bool:
        """Make sure some bytes are buffered, reading the socket if need be; False when it has none now.
        True too when the peer closed: the next :meth:`recv` tells paho so."""
        if self._pos < len(self._in) or self._eof:
            return True
        try:
            data = self.sock.recv(READ_CHUNK)
        except _WOULD_BLOCK:
            return False
        if not data:
            self._eof = True
        self._in, self._pos = data, 0
        return True

    def take_publishes(self, deliver: Callable[[bytes, bytes], None]) -> int:
        """Hand each whole QoS 0 or 1 PUBLISH packet at the front of the buffer to ``deliver(topic,
        payload)`` and queue the PUBACK of a QoS 1 one after it returned; stop at any other packet, at an
        incomplete one or at anything malformed (paho reads those). How many were taken."""
        data, pos, end = self._in, self._pos, len(self._in)
        taken = 0
        while pos < end:
            header = data[pos]
            qos = (header >> 1) & 3
            if header >> 4 != 3 or qos > 1:
                break
            length, shift, at = 0, 0, pos + 1
            while at < end and shift < 28:
                byte = data[at]
                length |= (byte & 0x7F) << shift
                shift += 7
                at += 1
                if byte < 0x80:
                    break
            else:
                break  # the remaining length is incomplete (or longer than MQTT allows: paho says so)
            stop = at + length
            if stop > end or length < 2:
                break
            topic_end = at + 2 + (data[at] << 8 | data[at + 1])
            body = topic_end + 2 * qos
            if body > stop:
                break  # malformed
            topic = data[at + 2:topic_end]
            payload = data[body:stop]
            pos = stop
            self._pos = pos  # before deliver: what it does must not see this packet again
            taken += 1
            deliver(topic, payload)
            if qos:
                self.out += b"\x40\x02" + data[topic_end:body]
        if pos >= end:
            self._in, self._pos = b"", 0
        else:
            self._pos = pos
        return taken

    @property
    def closed(self) -> bool:
        """Whether the peer closed the connection (seen by a read)."""
        return self._eof

    def pending(self) -> int:
        """Bytes that can be read without waiting for the socket."""
        buffered = len(self._in) - self._pos
        return buffered + (self._inner_pending() if self._inner_pending is not None else 0)

    def send(self, data: bytes | bytearray) -> int:
        """Keep ``data`` for the next :meth:`flush`; ``BlockingIOError`` once :data:`WRITE_LIMIT` bytes
        wait."""
        if len(self.out) >= WRITE_LIMIT:
            raise BlockingIOError("the socket's send buffer is full")
        self.out += data
        return len(data)

    def flush(self) -> bool:
        """Hand the kernel what it takes of the collected bytes; True when none are left."""
        if self.out:
            try:
                sent = self.sock.send(self.out)
            except _WOULD_BLOCK:
                return False
            del self.out[:sent]
        return not self.out

    def fileno(self) -> int:
        """The socket's descriptor."""
        return self.sock.fileno()

    def close(self) -> None:
        """Close the socket (what was not sent is lost with the connection, as it would be anyway)."""
        self.sock.close()

    def __getattr__(self, name: str) -> Any:
        if name == "sock":  # not set yet: no recursion
            raise AttributeError(name)
        return getattr(self.sock, name)


class Wire:
    """Serves one paho client's socket on the event loop (see the module docstring).

    Made on the loop before the client connects. It chains aiomqtt's ``on_socket_open`` and
    ``on_socket_close`` (aiomqtt keeps its keepalive task and its bookkeeping) and takes over reading and
    writing. ``on_broken`` is told of an exception from reading or writing: the connection is unusable.
    ``on_publish(topic, payload)`` receives the QoS 0 and 1 messages taken without paho (paho's
    ``on_message`` still receives the others); it runs on the loop and must not raise.
    """

    __slots__ = ("_aio_close", "_aio_open", "_fd", "_flushing", "_loop", "_on_broken", "_on_publish", "_sock",
                 "_thread", "_writing", "client")

    def __init__(self, client: paho.Client, loop: asyncio.AbstractEventLoop,
                 on_broken: Callable[[BaseException], None],
                 on_publish: Callable[[bytes, bytes], None] | None = None) -> None:
        self.client = client
        self._loop = loop
        self._on_broken = on_broken
        # Taking PUBLISH packets here assumes MQTT 3.1.1 (no properties) and automatic acknowledgement.
        self._on_publish = on_publish if client.protocol == paho.MQTTv311 and not client._manual_ack else None
        self._thread = threading.get_ident()
        self._sock: BufferedSocket | None = None
        self._fd = -1
        self._flushing = False  # a flush is scheduled on the loop
        self._writing = False  # a writer is registered: the kernel took not all of it
        self._aio_open = client.on_socket_open
        self._aio_close = client.on_socket_close
        client.on_socket_open = self._opened
        client.on_socket_close = self._closed
        client.on_socket_register_write = self._want_write
        client.on_socket_unregister_write = _ignore  # the writer is registered and removed here only

    def _opened(self, client: paho.Client, userdata: Any, sock: Any) -> None:
        # paho calls this from the thread that connects, before it queues the CONNECT.
        # aiomqtt sets TCP_NODELAY only on a bare socket.socket, which paho no longer holds afterwards.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        wrapped = BufferedSocket(sock)
        client._sock = wrapped  # the one way to put a socket under paho
        self._sock, self._fd = wrapped, sock.fileno()
        if self._aio_open is not None:
            self._aio_open(client, userdata, wrapped)  # its reader, replaced by ours just after
        self._loop.call_soon_threadsafe(self._start, wrapped)

    def _start(self, sock: BufferedSocket) -> None:
        if _serves(self.client, sock):
            self._loop.add_reader(self._fd, self._read)

    def _closed(self, client: paho.Client, userdata: Any, sock: Any) -> None:
        if self._writing:
            self._writing = False
            if threading.get_ident() == self._thread:
                self._loop.remove_writer(self._fd)
            else:
                self._loop.call_soon_threadsafe(self._loop.remove_writer, self._fd)
        self._sock = None
        if self._aio_close is not None:
            self._aio_close(client, userdata, sock)

    def _read(self) -> None:
        sock, client = self._sock, self.client
        if sock is None or not _serves(client, sock):
            return
        deliver = self._on_publish
        try:
            for _ in range(READ_BATCH):
                if deliver is not None and client._in_packet["command"] == 0:  # paho is between packets
                    if not sock.fill():
                        break
                    if sock.take_publishes(deliver):
                        client._last_bytes_received = time.monotonic()  # paho's keepalive: we heard from it
                        self._schedule()  # the PUBACKs
                        if not sock.pending() and not sock.closed:
                            continue
                if client.loop_read() != paho.MQTT_ERR_SUCCESS or not sock.pending():
                    break
            else:
                self._loop.call_soon(self._read)  # more is buffered: after the others had a turn
        except Exception as exc:  # a broken socket: the connection is over
            self._on_broken(exc)

    def _want_write(self, client: paho.Client, userdata: Any, sock: Any) -> None:
        # paho queued a packet: send it, and whatever else is queued by then, on the next turn.
        if threading.get_ident() == self._thread:
            self._schedule()
        else:  # the CONNECT, queued by the thread that connects
            self._loop.call_soon_threadsafe(self._schedule)

    def _schedule(self) -> None:
        if not self._flushing and not self._writing:
            self._flushing = True
            self._loop.call_soon(self._flush)

    def _flush(self) -> None:
        self._flushing = False
        sock, client = self._sock, self.client
        if sock is None or not _serves(client, sock):
            return
        try:
            sock.flush()  # what waited for the kernel goes first
            client.loop_write()  # paho's queue, into sock.out
            done = not _serves(client, sock) or sock.flush()
        except Exception as exc:  # a broken socket: the connection is over
            self._on_broken(exc)
            return
        if done:
            if self._writing:
                self._writing = False
                self._loop.remove_writer(self._fd)
        elif not self._writing:
            self._writing = True
            self._loop.add_writer(self._fd, self._flush)


def _serves(client: paho.Client, sock: BufferedSocket) -> bool:
    """Whether ``sock`` is still the client's socket (not closed, nor replaced by a new connection's)."""
    return client.socket() is sock


def _ignore(client: paho.Client, userdata: Any, sock: Any) -> None:
    return None


__all__ = ["READ_BATCH", "READ_CHUNK", "WRITE_LIMIT", "BufferedSocket", "Wire"]
