"""In-process costs behind the MQTT figures, without a broker: discovery and state ingestion.

    .venv/bin/python bench/ingest.py [--devices 10000] [--reports 50000]

1. Discovery: the device simulator's Home Assistant discovery configs for ``--devices`` devices (the demo
   home repeated) fed straight through :class:`~jipsa.adapters.mqtt.discovery.Discovery`; configs/s, and the
   time for the first and the last tenth of them (equal means each config costs the same however many are
   known).
2. Decoding: the simulator's JSON state messages for its lights (``{"on": "ON", "brightness": 37}``, read
   by the light's value templates) through :meth:`~jipsa.adapters.mqtt.binding.MqttDevice.decode`, in
   µs per message, beside the same messages through the template evaluator's tree (each template's
   ``evaluate``, as every template was rendered before value templates had accessors).
3. Store writes: one write-behind batch (2,000 events and 2,000 state values) through the store, beside
   the same rows through SQLAlchemy's ``insert`` and SQLite upsert, as the store wrote them before.
4. Ingestion: ``--reports`` state reports into a running hub with an SQLite store, which writes behind in
   batches, against the peer measured in the same run: the same reports into a hub that is not running,
   which writes each report in its own transaction. Every report must end up in the store's event history.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import tempfile
import time
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from jipsa.adapters.mqtt.binding import Payload
from jipsa.adapters.mqtt.discovery import Discovery
from jipsa.adapters.mqtt.expose import discovery_messages, state_payload
from jipsa.adapters.mqtt.simulator import scaled_home
from jipsa.core import Event, EventType, Home, StateReport, SystemClock, parse_home
from jipsa.hub import Hub
from jipsa.store import SqlStore, schema


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


def bench_decode(devices: int, messages: int = 30_000) -> None:
    home = scaled_home(demo_home(), devices)
    registry = Discovery()
    for device in home.devices:
        for p in discovery_messages(device):
            registry.handle(p.topic, p.payload)
    bindings = {b.device.name: b for b in registry.devices.values()}
    lights = [d for d in home.devices if d.has("brightness") and d.name in bindings][:140]
    sample = []
    for n in range(messages):
        light = lights[n % len(lights)]
        p = state_payload(light, {"on": n % 3 != 0, "brightness": 1 + n % 100})
        sample.append((bindings[light.name], p.topic, p.payload))
    start = time.perf_counter()
    values = sum(len(binding.decode(topic, payload).values) for binding, topic, payload in sample)
    decode = (time.perf_counter() - start) / messages
    # The same messages through the value templates of one such light: accessors, and the peer, the tree.
    entity = next(e for e in registry.entities()
                  if e.component == "light" and e.device is not None and e.device.name == lights[0].name)
    templates = [t for key, t in entity.form.templates.items() if key.endswith("value_template")]
    payloads = [Payload(payload) for _binding, _topic, payload in sample]
    for message in payloads:
        message.json  # noqa: B018 - parse once up front: both sides get it parsed
    start = time.perf_counter()
    for message in payloads:
        for template in templates:
            template.render_with(message.text, message.json)
    accessors = (time.perf_counter() - start) / messages
    start = time.perf_counter()
    for message in payloads:
        for template in templates:
            template.evaluate({"value": message.text, "value_json": message.json})
    tree = (time.perf_counter() - start) / messages
    print(f"decode: {messages:,} light state messages through MqttDevice.decode: {decode * 1e6:.2f} µs per "
          f"message ({values / messages:.1f} values each); their {len(templates)} value templates: "
          f"{accessors * 1e6:.2f} µs per message with accessors, {tree * 1e6:.2f} µs through the tree "
          f"(ratio {tree / accessors:.1f}x)")


def bench_store_writes(changes: int = 2_000, rounds: int = 5) -> None:
    """One write-behind batch (``changes`` events and as many state values) through the store, beside the
    peer: the same rows through SQLAlchemy's ``insert`` and SQLite upsert with their per-row processing, as
    the store wrote them before it handed rows to the driver itself, rows made in the time as the store makes
    them (best of ``rounds`` each)."""
    now = datetime.now(UTC)
    events = [Event(EventType.STATE_CHANGED, now, f"light.n{n % 1000}", {"changes": {"brightness": n % 100}})
              for n in range(changes)]
    states = {f"light.n{n}": {"brightness": n % 100, "on": True} for n in range(changes // 2)}
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # as the store encodes
    upsert = sqlite.insert(schema.device_state)
    upsert = upsert.on_conflict_do_update(
        index_elements=["device_id", "attribute"],
        set_={"value": upsert.excluded.value, "updated_at": upsert.excluded.updated_at})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        store = SqlStore.sqlite(path)
        engine = sa.create_engine(f"sqlite:///{path}")
        try:
            best = peer = math.inf
            for _round in range(rounds):
                start = time.perf_counter()
                store.append_events(events)
                store.save_states(states, now)
                best = min(best, time.perf_counter() - start)
                start = time.perf_counter()
                event_rows = [{"at": e.at, "type": e.type.value, "device_id": e.device_id,
                               "data": encode(dict(e.data))} for e in events]
                with engine.begin() as conn:
                    conn.execute(sa.insert(schema.events), event_rows)
                state_rows = [{"device_id": d, "attribute": a, "value": encode(v), "updated_at": now}
                              for d, values in states.items() for a, v in values.items()]
                with engine.begin() as conn:
                    conn.execute(upsert, state_rows)
                peer = min(peer, time.perf_counter() - start)
        finally:
            engine.dispose()
            store.close()
    print(f"store writes: {changes:,} events and {changes:,} state values in {best * 1e3:.1f} ms; peer, the "
          f"same rows through SQLAlchemy's insert and upsert: {peer * 1e3:.1f} ms; ratio {peer / best:.1f}x")


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
    bench_decode(min(args.devices, 1_000))
    bench_store_writes()
    batched = asyncio.run(ingest(args.reports, running=True))
    peer = asyncio.run(ingest(min(args.reports, 5_000), running=False))
    print(f"ingestion into the hub with SQLite: {batched:,.0f} reports/s written behind in batches; "
          f"peer, one transaction per report: {peer:,.0f} reports/s; ratio {batched / peer:.1f}x; "
          "every report stored")


if __name__ == "__main__":
    main()
