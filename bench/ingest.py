"""In-process costs behind the MQTT figures, without a broker: discovery and state ingestion.

    .venv/bin/python bench/ingest.py [--devices 10000] [--reports 50000]

1. Discovery: the device simulator's Home Assistant discovery configs for ``--devices`` devices (the demo
   home repeated) fed straight through :class:`~jipsa.adapters.mqtt.discovery.Discovery`; configs/s, and the
   time for the first and the last tenth of them (equal means each config costs the same however many are
   known).
2. Ingestion: ``--reports`` state reports into a running hub with an SQLite store, which writes behind in
   batches, against the peer measured in the same run: the same reports into a hub that is not running,
   which writes each report in its own transaction. Every report must end up in the store's event history.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from importlib.resources import files
from pathlib import Path

from jipsa.adapters.mqtt.discovery import Discovery
from jipsa.adapters.mqtt.expose import discovery_messages
from jipsa.adapters.mqtt.simulator import scaled_home
from jipsa.core import Home, StateReport, SystemClock, parse_home
from jipsa.hub import Hub
from jipsa.store import SqlStore


def demo_home() -> Home:
    return parse_home(files("jipsa").joinpath("data/demo_home.yaml").read_text(encoding="utf-8"), "demo")


def bench_discovery(devices: int) -> None:
    home = scaled_home(demo_home(), devices)
    configs = [p for d in home.devices for p in discovery_messages(d)]
    tenth = max(1, len(configs) // 10)
    registry = Discovery()
    times: dict[int, float] = {}
    start = time.perf_counter()
    for n, p in enumerate(configs):
        if n in (tenth, len(configs) - tenth):
            times[n] = time.perf_counter()
        registry.handle(p.topic, p.payload)
    end = time.perf_counter()
    wall = end - start
    first, last = times[tenth] - start, end - times[len(configs) - tenth]
    assert len(registry.devices) == devices, f"{len(registry.devices)} of {devices} devices found"
    print(f"discovery: {len(configs):,} configs for {devices:,} devices in {wall:.2f} s = "
          f"{len(configs) / wall:,.0f} configs/s; first tenth {first:.3f} s, last tenth {last:.3f} s "
          f"(ratio {last / first:.2f}; 1.0 = no slower with more known)")


async def ingest(reports: int, *, running: bool) -> float:
    home = demo_home()
    sensors = [d.id for d in home.devices if d.has("temperature_measurement") and d.type.value == "sensor"]
    with tempfile.TemporaryDirectory() as folder:
        store = SqlStore.sqlite(Path(folder) / "bench.db")
        try:
            hub = Hub(home, links={}, clock=SystemClock(), store=store)
            start = time.perf_counter()
            if running:
                async with hub:
                    for n in range(reports):
                        value = 20 + (n % 200) / 10
                        hub.ingest(StateReport(sensors[n % len(sensors)], {"temperature": value}))
                        if n % 500 == 0:
                            await asyncio.sleep(0)  # let the writer run, as adapters' I/O would
            else:
                for n in range(reports):
                    hub.ingest(StateReport(sensors[n % len(sensors)], {"temperature": 20 + (n % 200) / 10}))
            wall = time.perf_counter() - start
            stored = len(store.events(limit=reports + 10))
            assert stored == reports, f"{stored} of {reports} reports in the store"
        finally:
            store.close()
    return reports / wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--reports", type=int, default=50_000)
    args = parser.parse_args()
    bench_discovery(args.devices)
    batched = asyncio.run(ingest(args.reports, running=True))
    peer = asyncio.run(ingest(min(args.reports, 5_000), running=False))
    print(f"ingestion into the hub with SQLite: {batched:,.0f} reports/s written behind in batches; "
          f"peer, one transaction per report: {peer:,.0f} reports/s; ratio {batched / peer:.1f}x; "
          "every report stored")


if __name__ == "__main__":
    main()
