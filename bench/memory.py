"""Memory per device without a broker: what discovery, the MQTT bindings, the hub and the understanding index
keep for each device, beside the same devices registered as a home of virtual devices.

    .venv/bin/python bench/memory.py [--devices 100000] [--trace]

Each side runs in a fresh process, so its memory is its own:

* **mqtt**: an :class:`~jipsa.app.App` as ``jipsa serve --mqtt`` runs it (SQLite store, ``settle_heap``),
  on a home with the demo home's rooms and no devices; the simulator's discovery configs for N devices
  (``scaled_home(demo, N)``: the demo home repeated, each copy a house of its own) are fed to its MQTT
  adapter as if they had come from the broker, one message at a time, the adapter applies them in one
  batch, each device's first availability and state message follows (as the simulator sends them), and
  one request is understood so the understanding index covers every device. RSS after minus before,
  over N. The messages are made by another process and read from a file as one block before the first
  reading: each topic and payload becomes an object of its own only when it is fed, as from a socket,
  and nothing the simulator's side builds leaves freed memory behind for the adapter to fill.
* **peer (registry)**: the same N devices as a home of virtual devices, with what ``App`` builds from a
  home file (store, virtual adapter, hub, assistant), one request understood: the registry alone (home,
  hub state, simulated state, understanding index) with nothing of MQTT.

``--trace`` adds the mqtt side's live Python allocations by source line (tracemalloc; slows discovery);
``--heap`` what the allocators hold before and after on the mqtt side: Python's small-object arenas (live
blocks, and freed blocks in arenas something still pins) and glibc's heap (``mallinfo2``).
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import gc
import logging
import multiprocessing
import os
import re
import struct
import sys
import tempfile
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from mqtt import demo_home, rooms_only, rss_kib  # bench/mqtt.py, beside this file

from jipsa.adapters.mqtt.client import MqttSettings
from jipsa.adapters.mqtt.expose import availability_payload, discovery_messages, state_payload
from jipsa.adapters.mqtt.simulator import scaled_home
from jipsa.adapters.virtual import VirtualAdapter
from jipsa.app import App, Config, MqttOptions
from jipsa.assistant.assistant import Assistant
from jipsa.core import SystemClock
from jipsa.hub.hub import Hub
from jipsa.store import SqlStore

SPAWN = multiprocessing.get_context("spawn")
TARGET_BYTES = 2 * 1024  # DESIGN §8


def write_messages(count: int, folder: str) -> None:
    """(Another process.) The simulator's messages for ``count`` devices, in two files: the discovery
    configs, then each device's first availability and state."""
    home = scaled_home(demo_home(), count)
    announce = (m for device in home.devices for m in discovery_messages(device))
    first = (m for device in home.devices
             for m in (availability_payload(device, True), state_payload(device, device.initial_state)))
    for name, messages in (("announce", announce), ("first", first)):
        with open(Path(folder) / name, "wb") as out:
            for message in messages:
                topic = message.topic.encode()
                out.write(struct.pack("<HI", len(topic), len(message.payload)) + topic + message.payload)


def messages(block: bytes) -> Iterator[tuple[str, bytes]]:
    """The messages in a block :func:`write_messages` wrote, each topic and payload a new object."""
    at = 0
    while at < len(block):
        topic_size, payload_size = struct.unpack_from("<HI", block, at)
        at += 6
        topic = block[at:at + topic_size].decode()
        at += topic_size
        yield topic, block[at:at + payload_size]
        at += payload_size


def heap() -> dict[str, int]:
    """Bytes held by Python's small-object allocator (arenas, live blocks) and by glibc's heap."""
    with tempfile.TemporaryFile("w+") as out:
        saved = os.dup(2)
        try:
            os.dup2(out.fileno(), 2)
            sys._debugmallocstats()  # prints to the C stderr
            sys.stderr.flush()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        stats = out.read()

    def figure(name: str) -> int:
        found = re.search(r"^# " + re.escape(name) + r"\s+=\s+([\d,]+)", stats, re.M)
        return int(found.group(1).replace(",", "")) if found else 0

    class MallInfo2(ctypes.Structure):
        _fields_ = [(n, ctypes.c_size_t) for n in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
            "keepcost")]
    libc = ctypes.CDLL(None)
    libc.mallinfo2.restype = MallInfo2
    info = libc.mallinfo2()
    return {"arenas": figure("arenas allocated current") * 1024 * 1024,
            "live": figure("bytes in allocated blocks"), "glibc": info.arena + info.hblkhd}


async def mqtt_side(count: int, folder: str, trace: bool, show_heap: bool = False) -> dict[str, float]:
    announce = (Path(folder) / "announce").read_bytes()
    first = (Path(folder) / "first").read_bytes()
    with tempfile.TemporaryDirectory(prefix="jipsa-bench-") as tmp:
        demo = demo_home()
        config = Config(home_path=rooms_only(demo, Path(tmp) / "home.yaml"), db_path=Path(tmp) / "home.db",
                        schedule_poll=3600, tick=3600, settle_heap=True,
                        mqtt=MqttOptions(MqttSettings("mqtt://127.0.0.1:1", "bench"), zigbee2mqtt=None))
        # Running, so state reports reach the hub; the broker is unreachable (its client keeps retrying,
        # quietly) and the messages are fed to the adapter instead.
        logging.getLogger("jipsa.adapters.mqtt").setLevel(logging.CRITICAL)
        async with App(config) as app:
            await app.assistant.handle("거실 조명 켜 줘")  # loads the Korean model
            adapter = app.mqtt
            assert adapter is not None

            gc.collect()
            if trace:
                tracemalloc.start()
                before = tracemalloc.take_snapshot()
            rss_before = rss_kib()
            heap_before = heap() if show_heap else {}
            for topic, payload in messages(announce):
                adapter.feed(topic, payload)
            await adapter.apply_pending()
            assert len(app.hub.home.devices) == count, f"{len(app.hub.home.devices)} of {count} devices"
            for n, (topic, payload) in enumerate(messages(first)):  # as the simulator sends them next
                adapter.feed(topic, payload)
                if n % 200 == 199:
                    await asyncio.sleep(0)  # the hub writes its reports behind, as it does while serving
            await app.assistant.handle("거실 조명 켜 줘")
            app.hub.flush()
            await asyncio.sleep(0)
            gc.collect()
            used = (rss_kib() - rss_before) * 1024 / count
            if show_heap:
                grown = {k: (v - heap_before[k]) / count for k, v in heap().items()}
                print(f"mqtt side, per device: small-object arenas {grown['arenas'] / 1024:.2f} KiB, of "
                      f"them live blocks {grown['live'] / 1024:.2f} KiB (the rest freed blocks in arenas "
                      f"still in use); glibc heap {grown['glibc'] / 1024:.2f} KiB")
            if trace:
                by_file = tracemalloc.take_snapshot().compare_to(before, "lineno")
                tracemalloc.stop()
                print("mqtt side, live Python allocations by line (per device):")
                for stat in by_file[:30]:
                    name = stat.traceback[0].filename.split("site-packages/")[-1].split("src/")[-1]
                    print(f"  {stat.size_diff / count:8.0f} B  {name}:{stat.traceback[0].lineno}")
            return {"bytes": used}


async def peer_side(count: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="jipsa-bench-") as tmp:
        demo = demo_home()
        empty = Config(home_path=rooms_only(demo, Path(tmp) / "empty.yaml"), db_path=Path(tmp) / "empty.db",
                       schedule_poll=3600, tick=3600, settle_heap=True)
        warm = App(empty)
        await warm.assistant.handle("거실 조명 켜 줘")  # loads the Korean model
        warm.store.close()
        home = scaled_home(demo, count)
        gc.collect()
        rss_before = rss_kib()
        # What App builds from a home file (a home file is at most 1 MiB: 100,000 devices do not fit).
        store = SqlStore.sqlite(Path(tmp) / "home.db")
        try:
            clock = SystemClock()
            virtual = VirtualAdapter(home=home, clock=clock, states={}, since=None, tick=3600)
            hub = Hub(home, links={"virtual": virtual}, clock=clock, store=store)
            assistant = Assistant(hub, records=store)
            del home
            await assistant.handle("거실 조명 켜 줘")
            hub.flush()
            gc.collect()
            return {"bytes": (rss_kib() - rss_before) * 1024 / count}
        finally:
            store.close()


def child(side: str, count: int, folder: str, trace: bool, show_heap: bool,
          out: multiprocessing.connection.Connection) -> None:
    result = asyncio.run(mqtt_side(count, folder, trace, show_heap) if side == "mqtt" else peer_side(count))
    out.send(result)


def run(side: str, count: int, folder: str = "", trace: bool = False,
        show_heap: bool = False) -> dict[str, float]:
    receive, send = SPAWN.Pipe(duplex=False)
    process = SPAWN.Process(target=child, args=(side, count, folder, trace, show_heap, send))
    process.start()
    while not receive.poll(1):
        if not process.is_alive():
            raise SystemExit(f"the {side} side failed (exit code {process.exitcode})")
    result: dict[str, float] = receive.recv()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=100_000)
    parser.add_argument("--trace", action="store_true", help="live allocations by line on the mqtt side")
    parser.add_argument("--heap", action="store_true", help="what the allocators hold, on the mqtt side")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jipsa-bench-") as folder:
        writer = SPAWN.Process(target=write_messages, args=(args.devices, folder))
        writer.start()
        writer.join()
        if writer.exitcode != 0:
            raise SystemExit(f"making the messages failed (exit code {writer.exitcode})")
        mqtt = run("mqtt", args.devices, folder, args.trace, args.heap)["bytes"]
    peer = run("peer", args.devices)["bytes"]
    verdict = "met" if mqtt <= TARGET_BYTES else "MISSED"
    print(f"{args.devices:,} devices, RSS per device: over MQTT discovery {mqtt / 1024:.2f} KiB "
          f"(target ≤ {TARGET_BYTES // 1024} KiB: {verdict}); the same devices as virtual ones (peer) "
          f"{peer / 1024:.2f} KiB; ratio {mqtt / peer:.2f}x")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
