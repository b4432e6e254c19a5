"""Memory per device without a broker: what discovery, the MQTT bindings, the hub and the understanding index
keep for each device, beside the same devices registered as a home of virtual devices.

    .venv/bin/python bench/memory.py [--devices 100000] [--trace]

Each side runs in a fresh process, so its memory is its own:

* **mqtt**: an :class:`~jipsa.app.App` as ``jipsa serve --mqtt`` runs it (SQLite store, ``settle_heap``),
  on a home with the demo home's rooms and no devices; the simulator's discovery configs for N devices
  (``scaled_home(demo, N)``: the demo home repeated, each copy a house of its own) are fed to its MQTT
  adapter as if they had come from the broker, one device's at a time, the adapter applies them in one
  batch, each device's first availability and state message follows (as the simulator sends them), and
  one request is understood so the understanding index covers every device. RSS after minus before,
  over N.
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
import sys
import tempfile
import tracemalloc
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


def wire(topic: str) -> str:
    """A topic as the client decodes it from the socket: a string object of its own."""
    return topic.encode().decode()


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


async def mqtt_side(count: int, trace: bool, show_heap: bool = False) -> dict[str, float]:
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
            home = scaled_home(demo, count)
            adapter = app.mqtt
            assert adapter is not None

            gc.collect()
            if trace:
                tracemalloc.start()
                before = tracemalloc.take_snapshot()
            rss_before = rss_kib()
            heap_before = heap() if show_heap else {}
            # Messages made one device at a time, as they come from the broker: nothing built up front
            # leaves freed memory behind for the bindings to fill.
            for device in home.devices:
                for message in discovery_messages(device):
                    adapter.feed(wire(message.topic), message.payload)
            await adapter.apply_pending()
            assert len(app.hub.home.devices) == count, f"{len(app.hub.home.devices)} of {count} devices"
            for n, device in enumerate(home.devices):  # what the simulator sends once they are announced
                first = (availability_payload(device, True), state_payload(device, device.initial_state))
                for message in first:
                    adapter.feed(wire(message.topic), message.payload)
                if n % 100 == 99:
                    await asyncio.sleep(0)  # the hub writes its reports behind, as it does while serving
            del home
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


def child(side: str, count: int, trace: bool, show_heap: bool,
          out: multiprocessing.connection.Connection) -> None:
    result = asyncio.run(mqtt_side(count, trace, show_heap) if side == "mqtt" else peer_side(count))
    out.send(result)


def run(side: str, count: int, trace: bool, show_heap: bool = False) -> dict[str, float]:
    receive, send = SPAWN.Pipe(duplex=False)
    process = SPAWN.Process(target=child, args=(side, count, trace, show_heap, send))
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
    mqtt = run("mqtt", args.devices, args.trace, args.heap)["bytes"]
    peer = run("peer", args.devices, False)["bytes"]
    verdict = "met" if mqtt <= TARGET_BYTES else "MISSED"
    print(f"{args.devices:,} devices, RSS per device: over MQTT discovery {mqtt / 1024:.2f} KiB "
          f"(target ≤ {TARGET_BYTES // 1024} KiB: {verdict}); the same devices as virtual ones (peer) "
          f"{peer / 1024:.2f} KiB; ratio {mqtt / peer:.2f}x")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
