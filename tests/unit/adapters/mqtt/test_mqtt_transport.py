"""BufferedSocket and Wire over local sockets: paho gets exactly the bytes it asks for, in order, whatever
the sizes; what it sends leaves in order, with backpressure once the kernel takes no more; and every
PUBLISH is delivered once, in order, whether the Wire or paho reads it."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator

import paho.mqtt.client as paho
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jipsa.adapters.mqtt.transport import READ_CHUNK, WRITE_LIMIT, BufferedSocket, Wire


@pytest.fixture
def pair() -> Iterator[tuple[BufferedSocket, socket.socket]]:
    ours, theirs = socket.socketpair()
    ours.setblocking(False)
    theirs.setblocking(False)
    try:
        yield BufferedSocket(ours), theirs
    finally:
        ours.close()
        theirs.close()


def _read_all(sock: BufferedSocket, sizes: list[int]) -> bytes:
    out = b""
    for size in sizes:
        try:
            out += sock.recv(size)
        except BlockingIOError:
            break
    return out


def test_small_reads_are_served_from_one_large_read(pair: tuple[BufferedSocket, socket.socket]) -> None:
    sock, peer = pair
    peer.sendall(b"\x30\x05hello\x40\x02\x00\x01")
    assert sock.recv(1) == b"\x30"
    assert sock.pending() == 10  # the rest came with the first read
    assert sock.recv(1) == b"\x05"
    assert sock.recv(5) == b"hello"
    assert sock.recv(100) == b"\x40\x02\x00\x01"  # never more than is buffered
    assert sock.pending() == 0
    with pytest.raises(BlockingIOError):
        sock.recv(1)


def test_the_end_of_the_stream_reads_as_empty(pair: tuple[BufferedSocket, socket.socket]) -> None:
    sock, peer = pair
    peer.sendall(b"ab")
    peer.shutdown(socket.SHUT_WR)
    assert sock.recv(1) == b"a"
    assert sock.recv(1) == b"b"
    assert sock.recv(1) == b""


@settings(max_examples=50, deadline=None)
@given(st.binary(min_size=1, max_size=3 * READ_CHUNK), st.lists(st.integers(1, 70_000), min_size=1))
def test_any_sizes_give_back_the_stream_in_order(data: bytes, sizes: list[int]) -> None:
    ours, theirs = socket.socketpair()
    try:
        ours.setblocking(False)
        theirs.sendall(data)
        theirs.shutdown(socket.SHUT_WR)
        sock = BufferedSocket(ours)
        got = b""
        turn = 0
        while True:
            chunk = sock.recv(sizes[turn % len(sizes)])
            turn += 1
            if not chunk:
                break
            got += chunk
        assert got == data
    finally:
        ours.close()
        theirs.close()


def test_sends_leave_together_and_in_order(pair: tuple[BufferedSocket, socket.socket]) -> None:
    sock, peer = pair
    assert sock.send(b"\x40\x02\x00\x01") == 4
    assert sock.send(bytearray(b"\x40\x02\x00\x02")) == 4
    assert not _readable(peer)  # nothing is sent before the flush
    assert sock.flush()
    assert _read_all_from(peer) == b"\x40\x02\x00\x01\x40\x02\x00\x02"


def test_a_full_kernel_keeps_the_rest_and_then_refuses_more(
        pair: tuple[BufferedSocket, socket.socket]) -> None:
    sock, peer = pair
    sent = b""
    while len(sock.out) < WRITE_LIMIT:
        chunk = bytes([len(sent) % 251]) * 65_536
        sock.send(chunk)
        sent += chunk
        sock.flush()
    with pytest.raises(BlockingIOError):
        sock.send(b"x")  # paho waits, as for a socket that would block
    assert not sock.flush()  # nobody reads the other end: the kernel is full
    got = b""
    while got != sent:
        got += _read_all_from(peer)
        sock.flush()
    assert sock.out == bytearray()


def _readable(peer: socket.socket) -> bool:
    try:
        peer.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except BlockingIOError:
        return False
    return True


def _read_all_from(peer: socket.socket) -> bytes:
    out = b""
    while True:
        try:
            chunk = peer.recv(1 << 20)
        except BlockingIOError:
            return out
        if not chunk:
            return out
        out += chunk


def _publish(topic: bytes, payload: bytes, qos: int = 1, mid: int = 7, retain: bool = False) -> bytes:
    body = len(topic).to_bytes(2, "big") + topic + (mid.to_bytes(2, "big") if qos else b"") + payload
    length = len(body)
    encoded = bytearray()
    while True:
        length, digit = divmod(length, 128)
        encoded.append(digit | (0x80 if length else 0))
        if not length:
            break
    return bytes([0x30 | qos << 1 | int(retain)]) + bytes(encoded) + body


def test_publishes_are_taken_and_acknowledged_in_order(pair: tuple[BufferedSocket, socket.socket]) -> None:
    sock, peer = pair
    peer.sendall(_publish(b"a/state", b'{"on": "ON"}', mid=1) + _publish(b"b", b"x", qos=0)
                 + _publish(b"c", b"y" * 300, mid=258, retain=True))
    got: list[tuple[bytes, bytes]] = []
    assert sock.fill()
    assert sock.take_publishes(lambda topic, payload: got.append((topic, payload))) == 3
    assert got == [(b"a/state", b'{"on": "ON"}'), (b"b", b"x"), (b"c", b"y" * 300)]
    assert bytes(sock.out) == b"\x40\x02\x00\x01" + b"\x40\x02\x01\x02"  # QoS 1 only, in order
    assert sock.pending() == 0


@pytest.mark.parametrize(
    "rest",
    [
        b"\x20\x02\x00\x00",  # a CONNACK: paho's
        b"\x40\x02\x00\x05",  # a PUBACK: paho's
        _publish(b"q2", b"z", qos=2),  # QoS 2: paho's
        _publish(b"cut", b"payload")[:-3],  # incomplete: paho reads the rest
        _publish(b"cut", b"payload")[:-1],  # one byte short
        _publish(b"cut", b"")[:3],  # cut in its topic
        b"\x32\x01\x00",  # malformed (shorter than its topic length): paho refuses it
        b"\x32\xff\xff\xff\xff\x7f",  # a remaining length longer than MQTT allows
    ],
)
def test_anything_else_is_left_for_paho(pair: tuple[BufferedSocket, socket.socket], rest: bytes) -> None:
    sock, peer = pair
    peer.sendall(_publish(b"first", b"1") + rest)
    got: list[bytes] = []
    assert sock.fill()
    assert sock.take_publishes(lambda topic, payload: got.append(payload)) == 1
    assert got == [b"1"]
    assert sock.recv(len(rest)) == rest  # paho reads exactly what was left, from its first byte


def _tcp_pair() -> tuple[socket.socket, socket.socket]:
    with socket.create_server(("127.0.0.1", 0)) as server:
        client = socket.create_connection(server.getsockname())
        accepted, _ = server.accept()
    return client, accepted


async def _through_paho(stream: bytes, cut: int, expected: int) -> tuple[list[tuple[str, bytes]], bytes]:
    """``stream`` written in pieces of ``cut`` bytes to a paho client served by a Wire; what it delivered,
    and what it sent back."""
    ours, theirs = _tcp_pair()
    got: list[tuple[str, bytes]] = []
    client = paho.Client(paho.CallbackAPIVersion.VERSION2, protocol=paho.MQTTv311)
    client.on_message = lambda c, u, message: got.append((message.topic, message.payload))
    broken: list[BaseException] = []
    Wire(client, asyncio.get_running_loop(), broken.append,
         lambda topic, payload: got.append((topic.decode(), payload)))
    ours.setblocking(False)
    client._sock = ours
    client.on_socket_open(client, None, ours)  # as paho calls it once connected
    try:
        for start in range(0, len(stream), cut):
            theirs.sendall(stream[start:start + cut])
            await asyncio.sleep(0.001)
        async with asyncio.timeout(5):
            while len(got) < expected:
                await asyncio.sleep(0.001)
        await asyncio.sleep(0.01)  # the last acknowledgements leave on the next turns of the loop
        theirs.setblocking(False)
        back = b""
        with contextlib.suppress(BlockingIOError):
            while chunk := theirs.recv(1 << 20):
                back += chunk
    finally:
        client._sock_close()
        theirs.close()
    assert not broken
    return got, back


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.binary(min_size=1, max_size=40).map(lambda b: b.hex().encode()),
                          st.binary(max_size=300), st.integers(0, 2)), min_size=1, max_size=20),
       st.integers(1, 400))
def test_a_stream_cut_anywhere_gives_every_message_once_in_order(messages: list[tuple[bytes, bytes, int]],
                                                                 cut: int) -> None:
    """Whole packets are taken by the Wire, cut ones and QoS 2 ones by paho: each message arrives once, in
    order, and each QoS 1 message is acknowledged (QoS 2 ones get paho's PUBREC)."""
    stream = b"".join(_publish(t, p, q, mid=n + 1) for n, (t, p, q) in enumerate(messages))
    delivered = [(t.decode(), p) for t, p, q in messages if q < 2]  # QoS 2 waits for PUBREL
    got, back = asyncio.run(_through_paho(stream, cut, len(delivered)))
    assert got == delivered
    acks = {back[i + 2:i + 4] for i in range(0, len(back), 4) if back[i] == 0x40}
    assert acks == {(n + 1).to_bytes(2, "big") for n, (_t, _p, q) in enumerate(messages) if q == 1}
