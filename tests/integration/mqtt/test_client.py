"""MqttClient against a real Mosquitto: round trips, bad input, and what a broker restart may cost.

"No message lost" is tested in the two forms that can truthfully be promised:

* a clean broker restart (SIGTERM, persistence saved): every message whose publish returned, and every
  one still in flight, reaches a persistent-session subscriber;
* a broker killed outright (SIGKILL) loses what it held only in memory, so there the promise is the
  client's own: every publish that had not been acknowledged when the broker died is sent again and
  delivered once the client is back and re-subscribed.
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import time
import uuid
from collections.abc import Callable

import pytest

from jipsa.adapters.mqtt.client import Endpoint, MqttClient, MqttSettings, parse_url

from .conftest import Broker

pytestmark = pytest.mark.integration

WAIT = 10.0  # seconds: generous bound for anything that should take milliseconds


def _settings(broker: Broker, **overrides: object) -> MqttSettings:
    values: dict[str, object] = {"url": broker.url, "client_id": f"jipsa-test-{uuid.uuid4().hex[:12]}",
                                 "reconnect_max": 0.4}
    values.update(overrides)
    return MqttSettings(**values)  # type: ignore[arg-type]


def _topic() -> str:
    return f"jipsa-test/{uuid.uuid4().hex[:12]}"


class Inbox:
    """Collects messages and lets a test wait until a condition on them holds."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, bytes]] = []
        self._changed = asyncio.Event()

    def __call__(self, topic: str, payload: bytes) -> None:
        self.messages.append((topic, payload))
        self._changed.set()

    @property
    def payloads(self) -> list[bytes]:
        return [payload for _, payload in self.messages]

    async def wait_for(self, condition: Callable[[], bool], timeout: float = WAIT) -> None:
        async with asyncio.timeout(timeout):
            while not condition():
                self._changed.clear()
                await self._changed.wait()


async def _connected(client: MqttClient) -> MqttClient:
    async with asyncio.timeout(WAIT):
        await client.wait_connected()
    return client


async def _reconnected(client: MqttClient) -> None:
    async with asyncio.timeout(WAIT):
        while client.connected:
            await asyncio.sleep(0.01)
        await client.wait_connected()


async def test_publish_and_subscribe_round_trip(broker: Broker) -> None:
    topic, inbox = _topic(), Inbox()
    async with MqttClient(_settings(broker), inbox) as client:
        await _connected(client)
        await client.subscribe(f"{topic}/#")
        for i in range(3):
            await client.publish(f"{topic}/n", str(i).encode())
        await client.publish(f"{topic}/q0", b"fire and forget", qos=0)
        await inbox.wait_for(lambda: len(inbox.messages) == 4)
    assert inbox.messages == [(f"{topic}/n", b"0"), (f"{topic}/n", b"1"), (f"{topic}/n", b"2"),
                              (f"{topic}/q0", b"fire and forget")]


async def test_qos1_round_trip_latency(broker: Broker) -> None:
    """Prints the latency of publish → PUBACK → delivery back to us; timing is for bench/, not asserted."""
    topic, inbox = _topic(), Inbox()
    async with MqttClient(_settings(broker), inbox) as client:
        await _connected(client)
        await client.subscribe(topic)
        acked: list[float] = []
        delivered: list[float] = []
        for i in range(50):
            start = time.perf_counter()
            await client.publish(topic, b"%d" % i)
            acked.append(time.perf_counter() - start)
            await inbox.wait_for(lambda: len(inbox.messages) == len(acked))
            delivered.append(time.perf_counter() - start)
    print(f"\nQoS 1 over loopback, 50 sequential messages: publish→PUBACK p50 "
          f"{statistics.median(acked) * 1e3:.3f} ms, max {max(acked) * 1e3:.3f} ms; "
          f"publish→delivered p50 {statistics.median(delivered) * 1e3:.3f} ms, "
          f"max {max(delivered) * 1e3:.3f} ms")
    assert inbox.payloads == [b"%d" % i for i in range(50)]


async def test_an_oversized_payload_is_dropped_and_the_client_goes_on(
        broker: Broker, caplog: pytest.LogCaptureFixture) -> None:
    topic, inbox = _topic(), Inbox()
    async with MqttClient(_settings(broker, max_payload=1024), inbox) as client:
        await _connected(client)
        await client.subscribe(topic)
        await client.publish(topic, b"x" * 2048)
        await client.publish(topic, b"x" * 1024)
        await inbox.wait_for(lambda: len(inbox.messages) == 1)
    assert inbox.payloads == [b"x" * 1024]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(topic in text and "2048-byte" in text for text in warnings), warnings


async def test_a_failing_handler_is_logged_and_the_client_goes_on(
        broker: Broker, caplog: pytest.LogCaptureFixture) -> None:
    topic, inbox = _topic(), Inbox()

    def handler(topic: str, payload: bytes) -> None:
        if payload == b"boom":
            raise RuntimeError("handler bug")
        inbox(topic, payload)

    async with MqttClient(_settings(broker), handler) as client:
        await _connected(client)
        await client.subscribe(topic)
        await client.publish(topic, b"boom")
        await client.publish(topic, b"after")
        await inbox.wait_for(lambda: len(inbox.messages) == 1)
        assert client.connected
    assert inbox.payloads == [b"after"]
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert any(topic in r.getMessage() and r.exc_info is not None for r in errors)


async def test_a_subscribe_not_acknowledged_in_time_is_sent_again_on_the_same_connection(
        broker: Broker, caplog: pytest.LogCaptureFixture) -> None:
    """A busy broker misses the SUBACK timeout: the client sends the SUBSCRIBE again with backoff, without
    dropping the connection, until it is acknowledged."""
    caplog.set_level(logging.INFO, logger="jipsa.adapters.mqtt.client")
    topic, inbox = _topic(), Inbox()
    settings = _settings(broker, timeout=0.2, reconnect_min=0.1, reconnect_max=0.2)
    async with MqttClient(settings, inbox) as client, asyncio.TaskGroup() as tasks:
        await _connected(client)
        broker.pause()
        try:
            subscribing = tasks.create_task(client.subscribe(topic))
            async with asyncio.timeout(WAIT):
                while not any("not acknowledged" in r.getMessage() for r in caplog.records):
                    await asyncio.sleep(0.01)
            assert client.unacknowledged == {topic}
            assert not subscribing.done()
            await asyncio.sleep(0.5)  # a few more attempts go unanswered
        finally:
            broker.resume()
        async with asyncio.timeout(WAIT):
            await subscribing
        assert client.unacknowledged == frozenset()
        assert client.connected
        await client.publish(topic, b"after")
        await inbox.wait_for(lambda: inbox.payloads == [b"after"])
    messages = [r.getMessage() for r in caplog.records if r.name == "jipsa.adapters.mqtt.client"]
    assert sum("not acknowledged" in m for m in messages) == 1, messages  # said once, not per attempt
    assert any(topic in m and "acknowledged after" in m for m in messages), messages
    assert not any("connection" in m and "lost" in m for m in messages), messages
    # The late SUBACKs of the attempts that timed out are not errors.
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


async def test_unsubscribe_stops_delivery(broker: Broker) -> None:
    topic, inbox = _topic(), Inbox()
    async with MqttClient(_settings(broker), inbox) as client:
        await _connected(client)
        await client.subscribe(f"{topic}/a", f"{topic}/b")
        await client.unsubscribe(f"{topic}/a")
        assert client.subscriptions == {f"{topic}/b": 1}
        await client.publish(f"{topic}/a", b"not for us")
        await client.publish(f"{topic}/b", b"for us")
        await inbox.wait_for(lambda: len(inbox.messages) >= 1)
    assert inbox.messages == [(f"{topic}/b", b"for us")]


async def test_publish_waits_for_a_broker_that_comes_up_later(
        broker: Broker, caplog: pytest.LogCaptureFixture) -> None:
    topic, inbox = _topic(), Inbox()
    broker.stop()
    async with MqttClient(_settings(broker), inbox) as client:
        await client.subscribe(topic)  # only remembered: sent once connected
        pending = asyncio.create_task(client.publish(topic, b"patient"))
        await asyncio.sleep(0.5)  # several failed connection attempts
        assert not client.connected and not pending.done()
        broker.start()
        async with asyncio.timeout(WAIT):
            await pending
        await inbox.wait_for(lambda: len(inbox.messages) == 1)
    assert inbox.payloads == [b"patient"]
    refused = [r for r in caplog.records if "cannot connect" in r.getMessage()]
    assert len(refused) == 1, "an unreachable broker is logged once, not on every attempt"


async def test_a_restarted_broker_that_forgot_us_gets_our_subscriptions_again(broker: Broker) -> None:
    topic, inbox = _topic(), Inbox()
    async with (MqttClient(_settings(broker), inbox) as subscriber,
                MqttClient(_settings(broker, clean_start=True)) as publisher):
        await _connected(subscriber)
        await _connected(publisher)
        await subscriber.subscribe(topic)
        broker.stop()
        broker.start(wipe=True)  # every session, and so every subscription, is gone
        await _reconnected(subscriber)
        await _connected(publisher)
        await publisher.publish(topic, b"after the restart")
        await inbox.wait_for(lambda: len(inbox.messages) == 1)
    assert inbox.payloads == [b"after the restart"]


async def test_topics_its_owner_keeps_are_subscribed_on_every_connection(broker: Broker) -> None:
    """A client given the topics its owner keeps (``wanted``) holds no copy of them: it subscribes to
    them when it connects, to an added one when told, and to all of them again after a broker that
    forgot every session."""
    first, second, inbox = _topic(), _topic(), Inbox()
    wanted = {first}
    async with (MqttClient(_settings(broker), inbox, wanted=wanted) as subscriber,
                MqttClient(_settings(broker, clean_start=True)) as publisher):
        await _connected(subscriber)
        await _connected(publisher)
        await publisher.publish(first, b"one")
        await inbox.wait_for(lambda: inbox.payloads == [b"one"])
        wanted.add(second)
        await subscriber.subscribe_wanted(second)
        await publisher.publish(second, b"two")
        await inbox.wait_for(lambda: inbox.payloads == [b"one", b"two"])
        assert subscriber.subscriptions == {first: 1, second: 1}
        broker.stop()
        broker.start(wipe=True)
        await _reconnected(subscriber)
        await _connected(publisher)
        await publisher.publish(first, b"three")
        await publisher.publish(second, b"four")
        await inbox.wait_for(lambda: len(inbox.messages) == 4)
        wanted.discard(first)
        await subscriber.unsubscribe(first)
        await publisher.publish(first, b"not for us")
        await publisher.publish(second, b"five")
        await inbox.wait_for(lambda: len(inbox.messages) == 5)
    assert sorted(inbox.payloads[2:4]) == [b"four", b"three"] and inbox.payloads[4] == b"five"


async def _publish_numbered(client: MqttClient, topic: str, count: int, acked: set[int],
                            on_acked: Callable[[int], None]) -> None:
    async def one(n: int) -> None:
        await client.publish(topic, b"%d" % n)
        acked.add(n)
        on_acked(len(acked))

    async with asyncio.TaskGroup() as group:
        for n in range(count):
            group.create_task(one(n))


async def test_a_clean_broker_restart_loses_no_qos1_message(broker: Broker) -> None:
    """SIGTERM mid-stream: the broker saves its sessions; every number reaches the subscriber."""
    count, topic, inbox = 3000, _topic(), Inbox()
    acked: set[int] = set()
    acked_at_stop: list[int] = []

    def restart_once(acked_so_far: int) -> None:
        if acked_so_far == count // 3 and not acked_at_stop:
            acked_at_stop.append(acked_so_far)
            broker.stop()  # blocks the loop while Mosquitto saves: publishes are caught in flight
            broker.start()

    async with (MqttClient(_settings(broker), inbox) as subscriber,
                MqttClient(_settings(broker, max_in_flight=100)) as publisher):
        await _connected(subscriber)
        await _connected(publisher)
        await subscriber.subscribe(topic)
        async with asyncio.timeout(WAIT):
            await _publish_numbered(publisher, topic, count, acked, restart_once)
        await inbox.wait_for(lambda: {int(p) for p in inbox.payloads} >= set(range(count)))
    received = [int(p) for p in inbox.payloads]
    assert acked_at_stop == [count // 3]
    assert set(received) == set(range(count))
    print(f"\nclean restart: {len(received) - count} duplicates among {len(received)} deliveries")


async def test_a_killed_broker_gets_every_unacknowledged_publish_again(broker: Broker) -> None:
    """SIGKILL mid-stream, broker back with no memory of us: the client re-subscribes, then re-sends."""
    count, topic, inbox = 3000, _topic(), Inbox()
    acked: set[int] = set()
    acked_at_kill: set[int] = set()

    def kill_once(acked_so_far: int) -> None:
        if acked_so_far == count // 3 and not acked_at_kill:
            acked_at_kill.update(acked)
            broker.kill()
            broker.start(wipe=True)

    async with MqttClient(_settings(broker, max_in_flight=100), inbox) as client:
        await _connected(client)
        await client.subscribe(topic)
        async with asyncio.timeout(WAIT):
            await _publish_numbered(client, topic, count, acked, kill_once)
        unacked = set(range(count)) - acked_at_kill
        await inbox.wait_for(lambda: {int(p) for p in inbox.payloads} >= unacked)
    received = {int(p) for p in inbox.payloads}
    assert len(acked_at_kill) == count // 3
    assert acked == set(range(count))
    assert received >= unacked
    print(f"\nSIGKILL: {len(acked_at_kill - received)} of {len(acked_at_kill)} acknowledged before the kill "
          f"never arrived (the broker held them only in memory); all {len(unacked)} others did")


@pytest.mark.parametrize(("url", "message"), [
    ("", "empty"),
    ("127.0.0.1:1883", "expected mqtt://"),
    ("http://broker:1883", "'http'"),
    ("mqtt://", "no host"),
    ("mqtt://broker:port", "invalid port"),
    ("mqtt://broker:70000", "invalid port"),
    ("mqtt://broker:0", "invalid port"),
    ("mqtt://broker:1883/topic", "path"),
    ("mqtt://broker?x=1", "query"),
    ("mqtt://user:secret@broker", "credentials"),
])
def test_a_bad_url_is_a_clear_value_error(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        MqttSettings(url=url, client_id="c")
    assert "secret" not in str(caught.value)


@pytest.mark.parametrize(("url", "endpoint"), [
    ("mqtt://broker", Endpoint("broker", 1883, tls=False)),
    ("mqtts://broker", Endpoint("broker", 8883, tls=True)),
    ("MQTT://10.0.0.2:1884/", Endpoint("10.0.0.2", 1884, tls=False)),
    ("mqtts://[::1]:8884", Endpoint("::1", 8884, tls=True)),
])
def test_urls_give_host_port_and_tls(url: str, endpoint: Endpoint) -> None:
    assert parse_url(url) == endpoint


@pytest.mark.parametrize(("overrides", "message"), [
    ({"client_id": ""}, "client_id"),
    ({"password": "p"}, "username"),
    ({"ca_file": "/etc/ca.pem"}, "mqtts://"),
    ({"max_in_flight": 65_535}, "max_in_flight"),
    ({"max_payload": 0}, "max_payload"),
])
def test_bad_settings_are_refused(overrides: dict[str, object], message: str) -> None:
    values: dict[str, object] = {"url": "mqtt://broker", "client_id": "c", **overrides}
    with pytest.raises(ValueError, match=message):
        MqttSettings(**values)  # type: ignore[arg-type]


def test_the_password_is_not_shown() -> None:
    settings = MqttSettings(url="mqtt://b", client_id="c", username="u", password="hunter2")
    assert "hunter2" not in repr(settings)
