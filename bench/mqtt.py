"""Commands and state over a real MQTT broker: jipsa beside the bare broker floor, measured in the same run.

``python bench/mqtt.py [--devices 1000,10000] [--quick] [--broker mqtt://host:port] [--profile]``

Starts a throwaway Mosquitto (``set_tcp_nodelay true``, no persistence) on a free port of 127.0.0.1 unless
``--broker`` names one, then measures:

* the floor (the peer): two raw :class:`~jipsa.adapters.mqtt.client.MqttClient` connections, a requester
  in this process and an echo responder in another, which answers every QoS 1 command with a QoS 1 state
  message. Round trip one at a time (p50/p99), the same pipelined, and a raw subscriber taking a burst of
  state messages. It is what any MQTT client in Python pays on this machine: the broker, two paho clients,
  the loopback and the event loop, with no decoding, registry, store or language.
* jipsa, for each device count N, in a fresh process (so its memory is its own): an :class:`~jipsa.app.App`
  on a home with the demo home's rooms and no devices, a fresh SQLite file, and the MQTT adapter; the
  device simulator (:class:`~jipsa.adapters.mqtt.simulator.MqttSimulator` on ``scaled_home(demo, N)``,
  each copy of the demo home simulated as a house of its own) in a third process. Figures: discovery time
  and memory per device (RSS after discovery minus before, over N); text → acknowledged
  (``Assistant.handle("거실 조명 켜 줘")``, alternating 켜/꺼, one at a time: understanding, the hub, the
  QoS 1 publish and the device's confirming state report); command → acknowledged through
  ``Hub.execute`` one at a time and pipelined at each ``--concurrency`` (each worker on its own light);
  state ingestion (a raw publisher process sends M state reports to the simulated lights as fast as it
  can, each changing the brightness; counted as state-changed events on the hub's bus, and each light's
  final brightness checked against the last one sent).

The raw publisher of the ingestion bursts (for the floor and for jipsa alike) writes MQTT 3.1.1 QoS 1
PUBLISH packets encoded beforehand to a blocking socket, at most 256 unacknowledged, so that the load
generator takes little of the two cores it shares with the broker and the subscriber being measured; its
CPU time is printed beside the others'.

Each figure is printed with its DESIGN §8 target and whether it is met, and with the ratio to the floor
(latency: jipsa / floor; throughput: jipsa / floor). ``--profile`` adds a second, profiled ingestion burst
and prints where the time goes (cProfile slows it, so its rate is not a figure).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import gc
import getpass
import io
import logging
import multiprocessing
import os
import pstats
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event as MpEvent
from pathlib import Path
from typing import Any

import yaml

from jipsa.adapters.mqtt.client import MqttClient, MqttSettings
from jipsa.adapters.mqtt.expose import state_payload
from jipsa.adapters.mqtt.simulator import MqttSimulator, scaled_home
from jipsa.app import App, Config, MqttOptions
from jipsa.core import Device, Home, SystemClock, parse_home
from jipsa.core.messages import Event, EventType
from jipsa.core.validation import validate_command
from jipsa.hub.hub import Hub

MOSQUITTO_CANDIDATES = ["/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto", "/opt/homebrew/sbin/mosquitto"]
SPAWN = multiprocessing.get_context("spawn")

# DESIGN §8
TARGET_TEXT_P50_MS = 1.0
TARGET_TEXT_P99_MS = 5.0
TARGET_PIPELINED_RATE = 2_000.0
TARGET_PIPELINED_P99_MS = 20.0
TARGET_INGEST_RATE = 15_000.0
TARGET_BYTES_PER_DEVICE = 2 * 1024


@dataclass(frozen=True, slots=True)
class Plan:
    """How much of each measurement to do."""

    devices: tuple[int, ...]
    """Device counts, one jipsa process each."""
    single: int
    """Commands timed one at a time (text and hub path each)."""
    pipelined: int
    """Commands in the pipelined run."""
    concurrency: tuple[int, ...]
    """Commands in flight at once in the pipelined runs, one run each."""
    reports: int
    """State reports in the ingestion burst."""
    profile: bool
    """Add a profiled ingestion burst."""
    discovery_timeout: float
    """Seconds discovery may take before this N is given up."""
    freeze_gc: bool = False
    """Call ``gc.freeze()`` once more after the benchmark's own warm-up (App already freezes what start-up
    and each discovery batch built, as ``jipsa serve`` runs it)."""


# --- small helpers --------------------------------------------------------------------------------------

def demo_home() -> Home:
    return parse_home(files("jipsa").joinpath("data/demo_home.yaml").read_text(encoding="utf-8"), "demo")


def rss_kib() -> int:
    """The process's resident set now (not its peak), in KiB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuWatch:
    """CPU seconds used by this process, the simulator and the broker during a phase, and the pauses of
    this process's garbage collector (each one stops the event loop)."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self.start = {name: cpu_seconds(pid) for name, pid in pids.items()}
        self.t0 = time.perf_counter()
        self.pauses: list[float] = []
        self._gc_started = 0.0
        gc.callbacks.append(self._gc)

    def _gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.pauses.append(time.perf_counter() - self._gc_started)

    def line(self) -> str:
        wall = time.perf_counter() - self.t0
        if self._gc in gc.callbacks:
            gc.callbacks.remove(self._gc)
        used = {name: cpu_seconds(pid) - self.start[name] for name, pid in self.pids.items()}
        cpu = ", ".join(f"{name} {seconds:.2f} s ({100 * seconds / wall:.0f} %)"
                        for name, seconds in used.items())
        if not self.pauses:
            return f"CPU over {wall:.2f} s wall: {cpu}"
        return (f"CPU over {wall:.2f} s wall: {cpu}; jipsa's garbage collector paused it {len(self.pauses)} "
                f"times, {1e3 * sum(self.pauses):.1f} ms in all, the longest {1e3 * max(self.pauses):.1f} ms")


def p50_p99(samples: Sequence[float]) -> tuple[float, float]:
    """Median and 99th percentile, in milliseconds."""
    q = statistics.quantiles(sorted(samples), n=100, method="inclusive")
    return q[49] * 1e3, q[98] * 1e3


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def tag() -> str:
    return uuid.uuid4().hex[:8]


async def until(check: Callable[[], bool], timeout: float, what: str, every: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(every)


async def wait_mp(event: MpEvent, timeout: float, what: str) -> None:
    """Wait for another process's event without blocking the loop."""
    if not await asyncio.to_thread(event.wait, timeout):
        raise RuntimeError(f"timed out after {timeout:g} s waiting for {what}")


# --- the broker -----------------------------------------------------------------------------------------

def find_mosquitto() -> str | None:
    configured = os.environ.get("JIPSA_TEST_MOSQUITTO")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("mosquitto") or next((p for p in MOSQUITTO_CANDIDATES if os.access(p, os.X_OK)), None)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


BROKER_SETTINGS = ["allow_anonymous true", "set_tcp_nodelay true", "persistence false",
                   "max_queued_messages 1000000", "max_inflight_messages 100", "max_packet_size 1048576"]


@contextlib.contextmanager
def mosquitto(executable: str, directory: Path) -> Any:
    """A throwaway broker on a free port; yields its URL."""
    port = free_port()
    config = directory / "mosquitto.conf"
    log = directory / "mosquitto.log"
    config.write_text("\n".join([f"listener {port} 127.0.0.1", *BROKER_SETTINGS, f"log_dest file {log}",
                                 "log_type error", "log_type warning", f"user {getpass.getuser()}", ""]),
                      encoding="utf-8")
    process = subprocess.Popen([executable, "-c", str(config)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 5
        while True:
            if process.poll() is not None:
                text = log.read_text(errors="replace") if log.exists() else ""
                raise RuntimeError(f"mosquitto exited with {process.returncode}: {text}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"mosquitto did not listen on port {port} within 5 s") from None
                time.sleep(0.01)
        yield f"mqtt://127.0.0.1:{port}", process.pid
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- helper processes -----------------------------------------------------------------------------------

def simulator_main(url: str, count: int, prefix: str, base: str, ready: MpEvent) -> None:
    """The device simulator (another process): announce ``count`` devices, then obey commands."""
    async def go() -> None:
        demo = demo_home()
        # Each copy of the demo home is a house of its own, so a command costs one house's simulation.
        sim = MqttSimulator(scaled_home(demo, count), MqttSettings(url, f"sim-{base}"), clock=SystemClock(),
                            prefix=prefix, base=base, tick=3600, household=len(demo.devices))
        async with asyncio.TaskGroup() as tasks:
            tasks.create_task(sim.run())
            await sim.announced.wait()
            ready.set()
    asyncio.run(go())


ECHO_WORKERS = 64  # as the simulator's DRAIN_WORKERS


def echo_main(url: str, base: str, ready: MpEvent) -> None:
    """The floor's device (another process): answers ``<base>/<id>/on/set`` on ``<base>/<id>/state``."""
    async def go() -> None:
        queue: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue(maxsize=1_000_000)

        def on_message(topic: str, payload: bytes) -> None:
            queue.put_nowait((topic.split("/")[1], payload))

        client = MqttClient(MqttSettings(url, f"echo-{base}"), on_message)
        await client.subscribe(f"{base}/+/on/set")

        async def drain() -> None:
            while True:
                device, payload = await queue.get()
                await client.publish(f"{base}/{device}/state", b'{"on": "%s"}' % payload, qos=1, retain=True)

        async with client, asyncio.TaskGroup() as tasks:
            await client.wait_connected()
            for _ in range(ECHO_WORKERS):
                tasks.create_task(drain())
            ready.set()
    asyncio.run(go())


def publisher_main(url: str, messages: list[tuple[str, bytes]], window: int, ready: MpEvent,
                   go: MpEvent, result: Connection) -> None:
    """A raw state publisher (another process): on ``go``, publish every message (QoS 1, retained) with at
    most ``window`` unacknowledged, in order, and send back the seconds it took.

    It speaks MQTT 3.1.1 over a blocking socket with every packet encoded beforehand, so the load generator
    costs next to nothing of the two cores it shares with the broker and the subscriber being measured;
    the messages are the same QoS 1 PUBLISH packets any client would send, each acknowledged by the broker.
    """
    endpoint = MqttSettings(url, "check").endpoint
    packets = [_publish_packet(topic, payload, 1 + n % 65_535) for n, (topic, payload) in enumerate(messages)]
    with socket.create_connection((endpoint.host, endpoint.port)) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        client_id = f"pub-{tag()}".encode()
        body = b"\x00\x04MQTT\x04\x02\x00\x3c" + len(client_id).to_bytes(2, "big") + client_id
        sock.sendall(b"\x10" + _remaining_length(len(body)) + body)
        connack = _read_exactly(sock, 4)
        if connack[0] != 0x20 or connack[3] != 0:
            raise RuntimeError(f"the broker refused the publisher: CONNACK {connack.hex()}")
        ready.set()
        go.wait()
        started, cpu = time.perf_counter(), time.process_time()
        sent = acked = 0
        pending = b""
        while acked < len(packets):
            room = window - (sent - acked)
            if sent < len(packets) and room > 0:
                batch = packets[sent:sent + room]
                sock.sendall(b"".join(batch))
                sent += len(batch)
            data = pending + sock.recv(65_536)
            if not data:
                raise RuntimeError("the broker closed the publisher's connection")
            whole = len(data) - len(data) % 4  # PUBACKs only: 0x40 0x02 and a packet id
            acked += whole // 4
            pending = data[whole:]
        result.send((time.perf_counter() - started, time.process_time() - cpu))


def _remaining_length(length: int) -> bytes:
    out = bytearray()
    while True:
        length, digit = divmod(length, 128)
        out.append(digit | (0x80 if length else 0))
        if not length:
            return bytes(out)


def _publish_packet(topic: str, payload: bytes, packet_id: int) -> bytes:
    name = topic.encode()
    body = len(name).to_bytes(2, "big") + name + packet_id.to_bytes(2, "big") + payload
    return b"\x33" + _remaining_length(len(body)) + body  # PUBLISH, QoS 1, retained


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise RuntimeError("the broker closed the connection")
        data += chunk
    return data


class Publisher:
    """A :func:`publisher_main` process, connected and waiting for :meth:`go`."""

    def __init__(self, url: str, messages: list[tuple[str, bytes]], window: int = 256) -> None:
        self.ready = SPAWN.Event()
        self.started = SPAWN.Event()
        self.receive, send = SPAWN.Pipe(duplex=False)
        self.cpu = float("nan")
        """CPU seconds the publisher used while publishing (known after :meth:`seconds`)."""
        self.process = SPAWN.Process(target=publisher_main, daemon=True,
                                     args=(url, messages, window, self.ready, self.started, send))

    async def __aenter__(self) -> Publisher:
        self.process.start()
        await wait_mp(self.ready, 30, "the publisher to connect")
        return self

    def go(self) -> float:
        self.started.set()
        return time.perf_counter()

    async def seconds(self) -> float:
        """Wall seconds the publisher took to have every message acknowledged by the broker."""
        if not await asyncio.to_thread(self.receive.poll, 120):
            raise RuntimeError("the publisher did not finish within 120 s")
        wall, self.cpu = self.receive.recv()
        return float(wall)

    async def __aexit__(self, *exc: object) -> None:
        self.process.join(5)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()


def stop(process: multiprocessing.process.BaseProcess) -> None:
    if process.is_alive():
        process.terminate()
    process.join(10)


# --- the floor ------------------------------------------------------------------------------------------

async def floor(url: str, plan: Plan) -> dict[str, float]:
    """The bare broker: raw round trips and a raw subscriber, no jipsa in between."""
    base = f"floor-{tag()}"
    ready = SPAWN.Event()
    echo = SPAWN.Process(target=echo_main, args=(url, base, ready), daemon=True)
    echo.start()
    waiters: dict[str, asyncio.Future[None]] = {}
    received = 0

    def on_message(topic: str, payload: bytes) -> None:
        nonlocal received
        received += 1
        waiter = waiters.pop(topic.split("/")[1], None)
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    client = MqttClient(MqttSettings(url, f"req-{base}"), on_message)
    await client.subscribe(f"{base}/+/state")
    out: dict[str, float] = {}
    try:
        async with client:
            await client.wait_connected()
            await wait_mp(ready, 30, "the echo responder")
            loop = asyncio.get_running_loop()

            async def round_trip(device: str, on: bool) -> float:
                t0 = time.perf_counter()
                waiter = waiters[device] = loop.create_future()
                await client.publish(f"{base}/{device}/on/set", b"ON" if on else b"OFF", qos=1)
                async with asyncio.timeout(5):
                    await waiter
                return time.perf_counter() - t0

            for n in range(20):  # warm-up
                await round_trip("d0", n % 2 == 0)
            single = [await round_trip(f"d{n % 16}", n % 2 == 0) for n in range(plan.single)]
            out["rtt_p50"], out["rtt_p99"] = p50_p99(single)
            print(f"[floor] raw round trip, one at a time: n={len(single)}  p50={out['rtt_p50']:.3f} ms  "
                  f"p99={out['rtt_p99']:.3f} ms", flush=True)

            samples: list[float] = []

            async def worker(w: int, count: int) -> None:
                for n in range(count):
                    samples.append(await round_trip(f"p{w}", n % 2 == 0))

            for level in plan.concurrency:
                samples = []
                share = plan.pipelined // level
                t0 = time.perf_counter()
                async with asyncio.TaskGroup() as tasks:
                    for w in range(level):
                        tasks.create_task(worker(w, share))
                wall = time.perf_counter() - t0
                out[f"pipe_rate@{level}"] = len(samples) / wall
                out[f"pipe_p50@{level}"], out[f"pipe_p99@{level}"] = p50_p99(samples)
                print(f"[floor] raw round trips, {level} in flight: n={len(samples)}  "
                      f"{out[f'pipe_rate@{level}']:,.0f} round trips/s  "
                      f"p50={out[f'pipe_p50@{level}']:.3f} ms  p99={out[f'pipe_p99@{level}']:.3f} ms",
                      flush=True)

            # Ingestion floor: a raw subscriber counts a burst of state messages from the raw publisher.
            devices = [f"s{n}" for n in range(200)]
            messages = [(f"{base}/{devices[n % len(devices)]}/state", b'{"on": "ON", "brightness": %d}'
                         % (1 + (n // len(devices)) % 100)) for n in range(plan.reports)]
            received = 0
            async with Publisher(url, messages) as publisher:
                cpu = time.process_time()  # this process: the subscriber (the echo responder is idle)
                started = publisher.go()
                last = [0, started]

                def progressed() -> bool:
                    if received != last[0]:
                        last[0], last[1] = received, time.perf_counter()
                    return received >= len(messages)

                await until(progressed, 120, "the floor's state burst", every=0.005)
                cpu = time.process_time() - cpu
                sent = await publisher.seconds()
            out["ingest_rate"] = received / (last[1] - started)
            print(f"[floor] raw subscriber, burst of {len(messages):,} QoS 1 state messages: "
                  f"{out['ingest_rate']:,.0f} msg/s received, {1e6 * cpu / len(messages):.1f} µs of CPU each "
                  f"(the publisher sent them at {len(messages) / sent:,.0f} msg/s, using "
                  f"{publisher.cpu:.2f} s CPU)", flush=True)
    finally:
        stop(echo)
    return out


# --- jipsa ----------------------------------------------------------------------------------------------

def rooms_only(home: Home, path: Path) -> Path:
    areas = [{"id": a.id, "name": a.name} for a in home.areas]
    path.write_text(yaml.safe_dump({"home": {"name": "우리집"}, "areas": areas}, allow_unicode=True),
                    encoding="utf-8")
    return path


def jipsa_main(url: str, count: int, plan: Plan, broker_pid: int, result: Connection) -> None:
    """One device count in a fresh process; sends back its figures."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message).300s")
    result.send(asyncio.run(jipsa_side(url, count, plan, broker_pid)))


async def jipsa_side(url: str, count: int, plan: Plan, broker_pid: int) -> dict[str, float]:
    label = f"[jipsa N={count:,}]"
    out: dict[str, float] = {}
    key = tag()
    prefix, base = f"ha-{key}", f"sim-{key}"
    with tempfile.TemporaryDirectory(prefix="jipsa-bench-") as tmp:
        demo = demo_home()
        config = Config(home_path=rooms_only(demo, Path(tmp) / "home.yaml"), db_path=Path(tmp) / "home.db",
                        schedule_poll=3600, tick=3600, settle_heap=True,  # as `jipsa serve` runs
                        mqtt=MqttOptions(MqttSettings(url, f"jipsa-{key}"), prefix=prefix, zigbee2mqtt=None))
        async with App(config) as app:
            assert app.mqtt is not None
            await app.mqtt.client.wait_connected()
            await app.assistant.handle("거실 조명 켜 줘")  # loads the Korean model; no such device yet
            gc.collect()
            if plan.profile:
                tracemalloc.start()
                traced = tracemalloc.take_snapshot()
            rss_before = rss_kib()

            ready = SPAWN.Event()
            simulator = SPAWN.Process(target=simulator_main, args=(url, count, prefix, base, ready))
            t0 = time.perf_counter()
            simulator.start()
            assert simulator.pid is not None
            pids = {"jipsa": os.getpid(), "simulator": simulator.pid}
            if broker_pid:
                pids["broker"] = broker_pid
            watch = CpuWatch(pids)
            try:
                hub = app.hub
                with profiled(f"{label} profiled discovery") if plan.profile else contextlib.nullcontext():
                    complete = await discovered(hub, count, plan.discovery_timeout, label)
                if not complete:
                    out["discovery_s"] = float("inf")
                    print(f"{label} discovery {watch.line()}", flush=True)
                    return out
                print(f"{label} discovery {watch.line()}", flush=True)
                await wait_mp(ready, 60, "the simulator's announcement")
                out["discovery_s"] = time.perf_counter() - t0
                gc.collect()
                if plan.freeze_gc:
                    gc.freeze()  # what is alive now is never scanned again by the collector
                    print(f"{label} gc.freeze(): {gc.get_freeze_count():,} objects frozen", flush=True)
                rss_after = rss_kib()
                out["bytes_per_device"] = (rss_after - rss_before) * 1024 / count
                print(f"{label} discovery of {count:,} devices (simulator start to every device and first "
                      f"state in the hub): {out['discovery_s']:.1f} s; RSS {rss_before / 1024:.0f} → "
                      f"{rss_after / 1024:.0f} MiB = {out['bytes_per_device'] / 1024:.2f} KiB per device",
                      flush=True)
                if plan.profile:
                    diff = tracemalloc.take_snapshot().compare_to(traced, "lineno")
                    tracemalloc.stop()
                    top = "\n".join(f"  {stat}" for stat in diff[:15])
                    print(f"--- {label} Python allocations alive after discovery, by line (tracemalloc on, "
                          f"so the RSS above is inflated by it in a --profile run):\n{top}", flush=True)
                await measure_commands(app, plan, out, label, pids)
                gc.collect()
                out["bytes_per_device_nlu"] = (rss_kib() - rss_before) * 1024 / count
                print(f"{label} RSS after the commands (the understanding index of the {count:,}-device home "
                      f"built): {out['bytes_per_device_nlu'] / 1024:.2f} KiB per device", flush=True)
                sim_devices = scaled_home(demo, count).devices
                await measure_ingestion(app, url, sim_devices, base, plan, out, label, pids)
            finally:
                stop(simulator)
    return out


async def discovered(hub: Hub, count: int, timeout: float, label: str) -> bool:
    """Wait until the hub has ``count`` devices, each with its first state; say how far it got every 10 s."""
    started = time.perf_counter()
    said = started

    def progress() -> tuple[int, int]:
        devices = hub.home.devices
        return len(devices), sum(1 for d in devices if hub.state(d.id))

    while (now := time.perf_counter()) - started < timeout:
        found, reporting = progress()
        if found >= count and reporting >= count:
            return True
        if now - said >= 10:
            said = now
            print(f"{label} … {now - started:.0f} s: {found:,} devices in the hub, {reporting:,} with a "
                  "state", flush=True)
        await asyncio.sleep(0.25)
    found, reporting = progress()
    print(f"{label} discovery NOT complete after {timeout:g} s: {found:,} of {count:,} devices in the hub, "
          f"{reporting:,} with a first state; the other figures are skipped for this N", flush=True)
    return False


async def measure_commands(app: App, plan: Plan, out: dict[str, float], label: str,
                           pids: dict[str, int]) -> None:
    hub = app.hub
    # Text → ack: the demo home's "거실 조명" keeps its name; its copies are "거실 조명 2", "거실 조명 3" …
    texts = ["거실 조명 켜 줘", "거실 조명 꺼 줘"]
    target = next(d.id for d in hub.home.devices if d.name == "거실 조명")
    for n in range(10):
        turn = await app.assistant.handle(texts[n % 2])
        if turn.outcome != "done" or [a.command.device_id for a in turn.actions] != [target]:
            raise RuntimeError(f"{texts[n % 2]!r} did not act on {target} only: {turn.outcome}: {turn.reply}")
    samples: list[float] = []
    for n in range(plan.single):
        t0 = time.perf_counter()
        turn = await app.assistant.handle(texts[n % 2])
        samples.append(time.perf_counter() - t0)
        if turn.outcome != "done":
            raise RuntimeError(f"{texts[n % 2]!r}: {turn.outcome}: {turn.reply}")
    out["text_p50"], out["text_p99"] = p50_p99(samples)
    if plan.profile:
        with profiled(f"{label} profiled text → ack ({plan.single} one at a time)"):
            for n in range(plan.single):
                await app.assistant.handle(texts[n % 2])
    print(f"{label} text → ack (Assistant.handle {texts[0]!r}/{texts[1]!r}), one at a time: "
          f"n={len(samples)}  p50={out['text_p50']:.3f} ms  p99={out['text_p99']:.3f} ms", flush=True)

    lights = [d for d in hub.home.devices if d.type.value == "light" and d.has("on_off")]

    async def execute(device: Device, on: bool) -> float:
        command = validate_command(device, "turn_on" if on else "turn_off")
        t0 = time.perf_counter()
        outcome = await hub.execute(command)
        elapsed = time.perf_counter() - t0
        if not outcome.ok:
            raise RuntimeError(f"{command}: {outcome.error}")
        return elapsed

    samples = [await execute(lights[n % len(lights)], (n // len(lights)) % 2 == 0)
               for n in range(plan.single)]
    out["hub_p50"], out["hub_p99"] = p50_p99(samples)
    print(f"{label} command → ack (Hub.execute turn_on/turn_off, {len(lights):,} lights in turn), one at a "
          f"time: n={len(samples)}  p50={out['hub_p50']:.3f} ms  p99={out['hub_p99']:.3f} ms", flush=True)

    async def worker(device: Device, share: int, samples: list[float]) -> None:
        for n in range(share):
            samples.append(await execute(device, n % 2 == 0))

    # The hub writes state and events behind, in one SQLite transaction every PERSIST_SECONDS, on the
    # event loop: timed here (a wrapper around this hub's flush), as each one holds up every command.
    flushes: list[float] = []
    hub_flush = hub.flush

    def timed_flush() -> None:
        started = time.perf_counter()
        hub_flush()
        flushes.append(time.perf_counter() - started)

    hub.flush = timed_flush  # type: ignore[method-assign]
    for level in plan.concurrency:
        concurrency = min(level, len(lights))
        share = plan.pipelined // concurrency
        samples = []
        flushes.clear()
        watch = CpuWatch(pids)
        t0 = time.perf_counter()
        async with asyncio.TaskGroup() as tasks:
            for device in lights[:concurrency]:
                tasks.create_task(worker(device, share, samples))
        wall = time.perf_counter() - t0
        cpu = watch.line()
        if flushes:
            cpu += (f"; the hub's write-behind held the loop {len(flushes)} times, "
                    f"{1e3 * sum(flushes):.0f} ms in all, the longest {1e3 * max(flushes):.1f} ms")
        out[f"pipe_rate@{level}"] = len(samples) / wall
        out[f"pipe_p50@{level}"], out[f"pipe_p99@{level}"] = p50_p99(samples)
        out[f"pipe_n@{level}"] = concurrency
        print(f"{label} command → ack (Hub.execute), {concurrency} in flight (one light each): "
              f"n={len(samples)}  {out[f'pipe_rate@{level}']:,.0f} commands/s  "
              f"p50={out[f'pipe_p50@{level}']:.3f} ms  p99={out[f'pipe_p99@{level}']:.3f} ms; {cpu}",
              flush=True)
    hub.flush = hub_flush  # type: ignore[method-assign]
    if plan.profile:
        concurrency = min(plan.concurrency[-1], len(lights))
        share = plan.pipelined // concurrency
        title = f"{label} profiled pipelined commands ({share * concurrency:,} at {concurrency} in flight)"
        with profiled(title):
            async with asyncio.TaskGroup() as tasks:
                for device in lights[:concurrency]:
                    tasks.create_task(worker(device, share, []))


async def measure_ingestion(app: App, url: str, sim_devices: Sequence[Device], base: str, plan: Plan,
                            out: dict[str, float], label: str, pids: dict[str, int]) -> None:
    hub = app.hub
    by_name = {d.name: d.id for d in hub.home.devices}
    lights = [d for d in sim_devices if d.has("brightness") and d.name in by_name][:1000]
    hub_id = {d.id: by_name[d.name] for d in lights}
    watched = set(hub_id.values())

    def burst(offset: int) -> tuple[list[tuple[str, bytes]], dict[str, int]]:
        messages: list[tuple[str, bytes]] = []
        final: dict[str, int] = {}
        for n in range(plan.reports):
            device = lights[n % len(lights)]
            brightness = 1 + (offset + n // len(lights)) % 100  # each report to a light changes it
            p = state_payload(device, {"on": True, "brightness": brightness}, base=base)
            messages.append((p.topic, p.payload))
            final[hub_id[device.id]] = brightness
        return messages, final

    async def run_burst(messages: list[tuple[str, bytes]]) -> tuple[int, float, float, float]:
        seen = [0, 0.0]

        def count(event: Event) -> None:
            if event.type is EventType.STATE_CHANGED and event.device_id in watched:
                seen[0] += 1
                seen[1] = time.perf_counter()

        hub.bus.add_listener(count)
        try:
            async with Publisher(url, messages) as publisher:
                started = publisher.go()
                last = [0]

                def done_or_stalled() -> bool:
                    if seen[0] >= len(messages):
                        return True
                    if seen[0] != last[0]:
                        last[0] = int(seen[0])
                        return False
                    return time.perf_counter() - max(seen[1], started) > 10  # nothing for 10 s: lost

                await until(done_or_stalled, 300, "the state burst", every=0.005)
                sent = await publisher.seconds()
        finally:
            hub.bus._listeners.remove(count)
        return int(seen[0]), seen[1] - started, sent, publisher.cpu

    messages, final = burst(0)
    watch = CpuWatch(pids)
    got, wall, sent, publisher_cpu = await run_burst(messages)
    cpu = watch.line()
    wrong = sum(1 for device_id, value in final.items() if hub.state(device_id).get("brightness") != value)
    out["ingest_rate"] = got / wall
    out["ingest_lost"] = len(messages) - got
    out["ingest_wrong"] = wrong
    print(f"{label} state ingestion: {len(messages):,} reports to {len(lights):,} lights → {got:,} state "
          f"changes in the hub in {wall:.2f} s = {out['ingest_rate']:,.0f} reports/s (the publisher sent "
          f"them at {len(messages) / sent:,.0f} msg/s); lost {len(messages) - got}, lights whose final "
          f"brightness is not the last sent: {wrong}; {cpu}, publisher {publisher_cpu:.2f} s", flush=True)

    if plan.profile:
        messages, _ = burst(50)
        with profiled(f"{label} profiled state burst ({len(messages):,} reports)"):
            await run_burst(messages)


@contextlib.contextmanager
def profiled(title: str, lines: int = 28) -> Any:
    """cProfile the block and print where the time went (cumulative, our code, SQLAlchemy, paho)."""
    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        wall = time.perf_counter() - t0
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text)
        stats.sort_stats("cumulative").print_stats(r"jipsa/|sqlalchemy|paho|kiwi|asyncio/events", lines)
        root = str(Path(sys.prefix).parent)
        body = "\n".join(line.replace(root + "/", "") for line in text.getvalue().splitlines()
                         if line.strip() and "List reduced" not in line)
        print(f"--- {title}: cProfile on, {wall:.2f} s wall (slowed by the profiler, not a figure)\n{body}",
              flush=True)


def run_jipsa(url: str, count: int, plan: Plan, broker_pid: int) -> dict[str, float]:
    receive, send = SPAWN.Pipe(duplex=False)
    process = SPAWN.Process(target=jipsa_main, args=(url, count, plan, broker_pid, send))
    process.start()
    send.close()
    try:
        result: dict[str, float] = receive.recv()
    except EOFError:
        process.join(30)
        raise RuntimeError(f"the jipsa process for {count:,} devices failed (exit {process.exitcode})"
                           ) from None
    finally:
        process.join(30)
    return result


# --- report ---------------------------------------------------------------------------------------------

def summary(count: int, j: dict[str, float], f: dict[str, float], plan: Plan) -> None:
    print(f"\n== N = {count:,} devices: jipsa vs. the bare broker floor (DESIGN §8 targets) ==")
    if j["discovery_s"] == float("inf"):
        print("discovery did not complete within --discovery-timeout: every target MISSED for this N")
        return
    rows = [
        ("text → ack p50", f"{j['text_p50']:.3f} ms", f"{f['rtt_p50']:.3f} ms", j["text_p50"] / f["rtt_p50"],
         f"≤ {TARGET_TEXT_P50_MS:g} ms", j["text_p50"] <= TARGET_TEXT_P50_MS),
        ("text → ack p99", f"{j['text_p99']:.3f} ms", f"{f['rtt_p99']:.3f} ms", j["text_p99"] / f["rtt_p99"],
         f"≤ {TARGET_TEXT_P99_MS:g} ms", j["text_p99"] <= TARGET_TEXT_P99_MS),
        ("command → ack p50 (hub)", f"{j['hub_p50']:.3f} ms", f"{f['rtt_p50']:.3f} ms",
         j["hub_p50"] / f["rtt_p50"], f"(≤ {TARGET_TEXT_P50_MS:g} ms)", j["hub_p50"] <= TARGET_TEXT_P50_MS),
        ("command → ack p99 (hub)", f"{j['hub_p99']:.3f} ms", f"{f['rtt_p99']:.3f} ms",
         j["hub_p99"] / f["rtt_p99"], f"(≤ {TARGET_TEXT_P99_MS:g} ms)", j["hub_p99"] <= TARGET_TEXT_P99_MS),
        ("state ingestion", f"{j['ingest_rate']:,.0f} /s", f"{f['ingest_rate']:,.0f} /s",
         j["ingest_rate"] / f["ingest_rate"], f"≥ {TARGET_INGEST_RATE:,.0f}/s, none lost",
         j["ingest_rate"] >= TARGET_INGEST_RATE and j["ingest_lost"] == 0 and j["ingest_wrong"] == 0),
        ("memory per device", f"{j['bytes_per_device'] / 1024:.2f} KiB", "—", None,
         f"≤ {TARGET_BYTES_PER_DEVICE // 1024} KiB", j["bytes_per_device"] <= TARGET_BYTES_PER_DEVICE),
        ("  … with the NLU index", f"{j['bytes_per_device_nlu'] / 1024:.2f} KiB", "—", None,
         f"≤ {TARGET_BYTES_PER_DEVICE // 1024} KiB", j["bytes_per_device_nlu"] <= TARGET_BYTES_PER_DEVICE),
    ]
    for at, level in enumerate(plan.concurrency, start=2):  # after the four latency rows
        rate, p99, n = j[f"pipe_rate@{level}"], j[f"pipe_p99@{level}"], j[f"pipe_n@{level}"]
        peer_rate, peer_p99 = f[f"pipe_rate@{level}"], f[f"pipe_p99@{level}"]
        rows[2 * at:2 * at] = [
            (f"pipelined rate ({n:.0f} in flight)", f"{rate:,.0f} cmd/s", f"{peer_rate:,.0f} rt/s",
             rate / peer_rate, f"≥ {TARGET_PIPELINED_RATE:,.0f}/s", rate >= TARGET_PIPELINED_RATE),
            (f"pipelined p99 ({n:.0f} in flight)", f"{p99:.3f} ms", f"{peer_p99:.3f} ms", p99 / peer_p99,
             f"≤ {TARGET_PIPELINED_P99_MS:g} ms", p99 <= TARGET_PIPELINED_P99_MS)]
    print(f"{'figure':36s} {'jipsa':>14s} {'floor':>12s} {'ratio':>7s}  {'target':24s} verdict")
    for name, mine, peer, ratio, target, met in rows:
        shown = f"{ratio:.1f}x" if ratio is not None else "—"
        print(f"{name:36s} {mine:>14s} {peer:>12s} {shown:>7s}  {target:24s} {verdict(met)}")
    print("ratio: jipsa / floor (latency: how many times slower; throughput: the share of the floor's rate). "
          "Targets in parentheses are the text path's, shown for the hub path for reference.")


async def run_floor(url: str, plan: Plan) -> dict[str, float]:
    return await floor(url, plan)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", default="1000,10000", help="device counts, comma-separated")
    parser.add_argument("--quick", action="store_true", help="a fast smoke run (200 devices, few samples)")
    parser.add_argument("--broker", default=None, help="use this broker (mqtt://host:port) instead of "
                        "starting mosquitto")
    parser.add_argument("--concurrency", default="8,32,128",
                        help="commands in flight when pipelined, comma-separated: one run each")
    parser.add_argument("--profile", action="store_true",
                        help="profile the text path, the pipelined run and an extra ingestion burst")
    parser.add_argument("--freeze-gc", action="store_true",
                        help="gc.freeze() once more after the warm-up (App freezes after start-up)")
    parser.add_argument("--discovery-timeout", type=float, default=180,
                        help="seconds discovery of N devices may take before that N is given up")
    args = parser.parse_args()
    devices = tuple(int(x) for x in args.devices.split(",") if x.strip())
    levels = tuple(int(x) for x in args.concurrency.split(",") if x.strip())
    if args.quick:
        plan = Plan((200,) if args.devices == "1000,10000" else devices, 50, 500,
                    tuple(dict.fromkeys(min(level, 32) for level in levels)), 3_000, args.profile,
                    args.discovery_timeout, args.freeze_gc)
    else:
        plan = Plan(devices, 500, 5_000, levels, 30_000, args.profile, args.discovery_timeout, args.freeze_gc)
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        broker_pid = 0
        if args.broker is not None:
            url = args.broker
            MqttSettings(url, "check")  # a bad URL fails here, with the reason
            print(f"broker: {url} (given)")
        else:
            executable = find_mosquitto()
            if executable is None:
                print("mosquitto is not installed (apt-get install mosquitto), or set JIPSA_TEST_MOSQUITTO; "
                      "or pass --broker mqtt://host:port", file=sys.stderr)
                sys.exit(2)
            directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="jipsa-broker-")))
            url, broker_pid = stack.enter_context(mosquitto(executable, directory))
            version = subprocess.run([executable, "-h"], capture_output=True, text=True).stdout.splitlines()
            print(f"broker: {version[0] if version else executable} at {url}; {'; '.join(BROKER_SETTINGS)}")
        print(f"{os.cpu_count()} CPUs; plan: devices {', '.join(f'{n:,}' for n in plan.devices)}; "
              f"{plan.single} single commands, {plan.pipelined:,} pipelined at "
              f"{' and '.join(map(str, plan.concurrency))} in flight, "
              f"{plan.reports:,} state reports", flush=True)
        peer = asyncio.run(run_floor(url, plan))
        results = {count: run_jipsa(url, count, plan, broker_pid) for count in plan.devices}
    for count, mine in results.items():
        summary(count, mine, peer, plan)
    print(f"\nwall {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
