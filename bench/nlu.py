"""Understanding latency and throughput: ``python bench/nlu.py [--rounds N]``.

Parses every corpus sentence of the demo home (tests/nlu/corpus/demo_ko.yaml) on the demo home and on a
generated 1,000-device home, one at a time on one core, and prints the Kiwi model load time, p50/p95/p99
per utterance and utterances per second. Each system under test is one entry of ``SYSTEMS`` (a name and a
function that builds a parse callable for a home); a peer such as hassil is added as another entry.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import yaml

from jipsa.core import Area, Device, DeviceType, Home, HomeInfo, parse_home
from jipsa.nlu import Understander
from jipsa.nlu.morphology import shared_morphology

ROOT = Path(__file__).resolve().parent.parent
Parser = Callable[[str], object]


def demo_home() -> Home:
    return parse_home(files("jipsa").joinpath("data/demo_home.yaml").read_text(encoding="utf-8"), "demo")


def big_home(devices: int = 1000) -> Home:
    """A generated home: 50 rooms, ``devices`` devices of mixed types, the demo's names mixed in."""
    rooms = [Area(f"room{i}", f"방{i}호", (f"룸{i}",)) for i in range(48)]
    demo = demo_home()
    areas = (*demo.areas, *rooms)
    kinds = [DeviceType.LIGHT, DeviceType.AIR_CONDITIONER, DeviceType.TV, DeviceType.FAN, DeviceType.PLUG]
    made = list(demo.devices)
    words = {DeviceType.LIGHT: "조명", DeviceType.AIR_CONDITIONER: "에어컨", DeviceType.TV: "티비",
             DeviceType.FAN: "선풍기", DeviceType.PLUG: "플러그"}
    i = 0
    while len(made) < devices:
        room = rooms[i % len(rooms)]
        kind = kinds[i % len(kinds)]
        made.append(Device(f"gen.{i}", f"{room.name} {words[kind]} {i}", kind, area=room.id,
                           aliases=(f"{room.name} {words[kind]}{i}호",)))
        i += 1
    return Home(HomeInfo(), areas, tuple(made), demo.routines)


def jipsa_parser(home: Home) -> Parser:
    understander = Understander(home)
    return lambda text: understander.understand(text)


SYSTEMS: list[tuple[str, Callable[[Home], Parser]]] = [("jipsa", jipsa_parser)]
"""The systems compared; each builds a parse callable for a home."""


def sentences() -> list[str]:
    doc = yaml.safe_load((ROOT / "tests/nlu/corpus/demo_ko.yaml").read_text(encoding="utf-8"))
    return [str(item["t"]) for item in doc["items"] if str(item["t"]).strip()]


def measure(parse: Parser, texts: list[str], rounds: int) -> tuple[list[float], float]:
    for text in texts:  # warm-up: caches and first-call costs
        parse(text)
    samples: list[float] = []
    started = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            t0 = time.perf_counter()
            parse(text)
            samples.append(time.perf_counter() - t0)
    return samples, time.perf_counter() - started


def report(label: str, samples: list[float], wall: float) -> None:
    ordered = sorted(samples)
    q = statistics.quantiles(ordered, n=100)
    print(f"{label:28s} n={len(ordered):6d}  p50={q[49] * 1e3:.3f} ms  p95={q[94] * 1e3:.3f} ms  "
          f"p99={q[98] * 1e3:.3f} ms  {len(ordered) / wall:,.0f} utt/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--cold", action="store_true", help="clear the morphology memo before each call")
    args = parser.parse_args()
    morph = shared_morphology()
    t0 = time.perf_counter()
    morph.load()
    print(f"kiwi model load: {time.perf_counter() - t0:.3f} s")
    texts = sentences()
    for home_label, home in (("demo home", demo_home()), ("1,000-device home", big_home())):
        for name, build in SYSTEMS:
            t0 = time.perf_counter()
            parse = build(home)
            built = time.perf_counter() - t0
            if args.cold:
                inner = parse

                def parse(text: str, inner: Parser = inner) -> object:
                    morph._memo.clear()
                    return inner(text)
            samples, wall = measure(parse, texts, args.rounds)
            print(f"[{name}] index build on {home_label}: {built * 1e3:.1f} ms")
            report(f"{name} / {home_label}", samples, wall)


if __name__ == "__main__":
    main()
