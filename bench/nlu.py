"""Understanding latency, throughput and accuracy, jipsa beside Home Assistant's hassil.

``python bench/nlu.py [--rounds N] [--peer-rounds N] [--cold] [--no-peer]``

Parses every sentence of the labelled demo-home corpus (tests/nlu/corpus/demo_ko.yaml), with the speaker's
area where the item gives one, on the demo home and on a generated 1,000-device home, one at a time on one
core, and prints per system p50/p95/p99 per utterance and utterances per second, the accuracy on the demo
home, the throughput ratio jipsa / peer, the Korean model load time and the process's peak RSS.

Each system is one entry of ``SYSTEMS``: a name and a function that builds a :class:`Runner` for a home (or
raises :class:`Unavailable`, and the system is reported as skipped). The peer is Home Assistant's ``hassil``
with the Korean sentences of ``home-assistant-intents`` (the ``bench`` extra); without them jipsa runs alone.

Scoring. jipsa: an item is right exactly as in ``python -m tests.nlu.evaluate`` (intents, targets in order,
args and flags). hassil returns one intent and entity names, not device ids, so its result is resolved the
way Home Assistant's intent handlers narrow targets (see :func:`HassilRunner.resolve`), and an item is right
when the intent name equals the expected one and the resolved devices are exactly the expected targets (as
a set; args such as a temperature are not compared, which favours hassil). A routine (``JipsaRunRoutine``)
counts as right when hassil answers ``HassTurnOn`` on that routine, exposed to it as a script. Items with
two or more frames are wrong for hassil (one intent per sentence); items labelled with no frame
(out of domain, unknown device, empty) are right when hassil matches nothing.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from importlib.metadata import PackageNotFoundError, version
from importlib.resources import files
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # for tests.nlu.evaluate (its item loader and scorer) when run as a script
    sys.path.insert(0, str(ROOT))

from tests.nlu.evaluate import Item, check, load_items  # noqa: E402

from jipsa.core import Area, Device, DeviceType, Home, HomeInfo, parse_home  # noqa: E402
from jipsa.nlu import Understander  # noqa: E402
from jipsa.nlu.morphology import shared_morphology  # noqa: E402
from jipsa.nlu.resolve import DOMAINS  # noqa: E402

CORPUS_FILE = "demo_ko.yaml"


class Unavailable(Exception):
    """A system cannot run here (a package is missing); the message says why."""


class Runner(Protocol):
    """One system built for one home."""

    def parse(self, text: str, area: str | None) -> object:
        """Understand ``text`` said in area id ``area``."""

    def right(self, item: Item) -> bool:
        """Whether the system gets the labelled ``item`` right (by its documented rule)."""


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


# --- jipsa ----------------------------------------------------------------------------------------------

class JipsaRunner:
    def __init__(self, home: Home) -> None:
        self.home = home
        self.understander = Understander(home)

    def parse(self, text: str, area: str | None) -> object:
        return self.understander.understand(text, area)

    def right(self, item: Item) -> bool:
        return check(item, self.home)[0]


# --- hassil (Home Assistant) ----------------------------------------------------------------------------

# How Home Assistant would model each jipsa device type: its entity domain (and device class).
# Home Assistant has no climate entity for a refrigerator nor a switch for a car: it reads a fridge
# through sensors and tracks a car as a device_tracker; every other type keeps jipsa's own domain slot.
HA_DOMAIN: dict[DeviceType, str] = {**DOMAINS, DeviceType.REFRIGERATOR: "sensor",
                                    DeviceType.VEHICLE: "device_tracker"}
HA_DEVICE_CLASS: dict[DeviceType, str] = {
    DeviceType.TV: "tv", DeviceType.SPEAKER: "speaker", DeviceType.DEHUMIDIFIER: "dehumidifier",
    DeviceType.GAS_VALVE: "gas",
}
# Intents whose handler in Home Assistant only ever targets one domain.
INTENT_DOMAIN = {
    "HassClimateSetTemperature": "climate", "HassClimateGetTemperature": "climate", "HassLightSet": "light",
    "HassVacuumStart": "vacuum", "HassVacuumReturnToBase": "vacuum", "HassVacuumCleanArea": "vacuum",
    "HassMediaPause": "media_player", "HassMediaUnpause": "media_player", "HassMediaNext": "media_player",
    "HassSetVolume": "media_player", "HassMediaPlayerMute": "media_player",
    "HassMediaPlayerUnmute": "media_player", "HassFanSetSpeed": "fan", "HassHumidifierSetpoint": "humidifier",
}
ROUTINE_DOMAIN = "script"


def ha_entity(device: Device) -> tuple[str, str | None]:
    """The Home Assistant domain and device class of ``device``."""
    device_class = str(device.device_class) if device.device_class else HA_DEVICE_CLASS.get(device.type)
    return HA_DOMAIN.get(device.type, "switch"), device_class
_hassil_intents: Any = None
hassil_load_s: float | None = None


def _hassil_versions() -> str:
    found = []
    for package in ("hassil", "home-assistant-intents"):
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            found.append(f"{package} (version unknown)")
    return ", ".join(found)


def _korean_intents() -> Any:
    """hassil's Intents for Korean, loaded once (timed in ``hassil_load_s``)."""
    global _hassil_intents, hassil_load_s
    if _hassil_intents is None:
        t0 = time.perf_counter()
        try:
            from hassil import Intents
            from home_assistant_intents import get_intents
        except ImportError as err:
            raise Unavailable(f"{err.name or err} is not installed (pip install -e '.[bench]')") from err
        data = get_intents("ko")
        if not data:
            raise Unavailable("home-assistant-intents has no Korean sentences")
        _hassil_intents = Intents.from_dict(data)
        hassil_load_s = time.perf_counter() - t0
    return _hassil_intents


class HassilRunner:
    """hassil's ``recognize_best`` as Home Assistant's conversation agent calls it, on one home.

    Slot lists as Home Assistant builds them: ``name`` holds every device name and alias (the value is the
    text itself, with the entity's domain and device class as context for ``requires_context``), routines
    as scripts; ``area`` holds every area name and alias. The speaker's area goes in ``intent_context``.
    """

    def __init__(self, home: Home) -> None:
        self.intents = _korean_intents()  # raises Unavailable without hassil and home-assistant-intents
        from hassil import recognize_best
        from hassil.intents import TextSlotList

        self.recognize_best = recognize_best
        self.home = home
        self.by_name: dict[str, list[tuple[str, str | None, str, str | None]]] = {}
        names: list[tuple[str, str, dict[str, str]]] = []
        for device in home.devices:
            domain, device_class = ha_entity(device)
            context = {"domain": domain, **({"device_class": device_class} if device_class else {})}
            for text in (device.name, *device.aliases):
                names.append((text, text, context))
                self.by_name.setdefault(text.casefold(), []).append(
                    (device.id, device.area, domain, device_class))
        for routine in home.routines:
            for text in (routine.name, *routine.aliases):
                names.append((text, text, {"domain": ROUTINE_DOMAIN}))
                self.by_name.setdefault(text.casefold(), []).append(
                    (f"routine.{routine.id}", None, ROUTINE_DOMAIN, None))
        self.area_id: dict[str, str] = {}
        self.area_name: dict[str, str] = {}
        areas: list[tuple[str, str]] = []
        for area in home.areas:
            self.area_name[area.id] = area.name
            for text in (area.name, *area.aliases):
                areas.append((text, text))
                self.area_id[text.casefold()] = area.id
        self.slot_lists = {"name": TextSlotList.from_tuples(names, allow_template=False, name="name"),
                           "area": TextSlotList.from_tuples(areas, allow_template=False, name="area")}
        self.devices = [(d.id, d.area, *ha_entity(d)) for d in home.devices]

    def parse(self, text: str, area: str | None) -> Any:
        context = None
        if area is not None and area in self.area_name:
            name = self.area_name[area]
            context = {"area": {"value": name, "text": name}}
        return self.recognize_best(text, self.intents, slot_lists=self.slot_lists, intent_context=context,
                                   language="ko", best_metadata_key="hass_custom_sentence",
                                   best_slot_name="name")

    def resolve(self, result: Any) -> set[str]:
        """The device ids a recognised intent acts on: Home Assistant's narrowing by name, area, domain."""
        slots = {key: entity.value for key, entity in result.entities.items()}
        domain = slots.get("domain") or INTENT_DOMAIN.get(result.intent.name)
        device_class = slots.get("device_class")
        if "name" in slots:
            candidates = list(self.by_name.get(str(slots["name"]).strip().casefold(), []))
        elif "area" in slots or domain or device_class:
            candidates = list(self.devices)
        else:
            return set()
        if "area" in slots:
            area_id = self.area_id.get(str(slots["area"]).strip().casefold())
            candidates = [c for c in candidates if c[1] == area_id or c[2] == ROUTINE_DOMAIN]
        if domain:
            domains = {domain} if isinstance(domain, str) else set(domain)
            candidates = [c for c in candidates if c[2] in domains]
        if device_class:
            classes = {device_class} if isinstance(device_class, str) else set(device_class)
            candidates = [c for c in candidates if c[3] in classes]
        return {c[0] for c in candidates}

    def right(self, item: Item) -> bool:
        result = self.parse(item.text, item.area)
        if not item.frames:
            return result is None
        if result is None or len(item.frames) != 1:
            return False
        intent, targets, args = item.frames[0]
        got = self.resolve(result)
        if intent == "JipsaRunRoutine":
            return result.intent.name == "HassTurnOn" and got == {f"routine.{dict(args).get('routine')}"}
        return result.intent.name == intent and got == set(targets)


def hassil_covers(item: Item) -> bool:
    """Whether Home Assistant's Korean sentences have the item's intent at all (or it expects nothing)."""
    if not item.frames:
        return True
    names = set(_korean_intents().intents) | {"JipsaRunRoutine"}
    return len(item.frames) == 1 and item.frames[0][0] in names


SYSTEMS: list[tuple[str, Callable[[Home], Runner]]] = [("jipsa", JipsaRunner), ("hassil", HassilRunner)]
"""The systems compared, jipsa first; each builds a :class:`Runner` for a home or raises Unavailable."""


# --- measuring ------------------------------------------------------------------------------------------

def corpus() -> list[Item]:
    return [item for item in load_items() if item.file == CORPUS_FILE]


def measure(parse: Callable[[str, str | None], object], inputs: list[tuple[str, str | None]],
            rounds: int) -> tuple[list[float], float]:
    for text, area in inputs:  # warm-up: caches and first-call costs
        parse(text, area)
    samples: list[float] = []
    started = time.perf_counter()
    for _ in range(rounds):
        for text, area in inputs:
            t0 = time.perf_counter()
            parse(text, area)
            samples.append(time.perf_counter() - t0)
    return samples, time.perf_counter() - started


def report(label: str, samples: list[float], wall: float) -> float:
    ordered = sorted(samples)
    q = statistics.quantiles(ordered, n=100)
    rate = len(ordered) / wall
    print(f"{label:30s} n={len(ordered):6d}  p50={q[49] * 1e3:.3f} ms  p95={q[94] * 1e3:.3f} ms  "
          f"p99={q[98] * 1e3:.3f} ms  {rate:,.0f} utt/s")
    return rate


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def accuracy(runner: Runner, items: Iterable[Item]) -> tuple[int, int]:
    marks = [runner.right(item) for item in items]
    return sum(marks), len(marks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20, help="timed passes over the corpus for jipsa")
    parser.add_argument("--peer-rounds", type=int, default=None,
                        help="timed passes for the peer (default: as --rounds; lower it on a slow machine)")
    parser.add_argument("--cold", action="store_true", help="clear jipsa's morphology memo before each call")
    parser.add_argument("--no-peer", action="store_true", help="run jipsa alone")
    args = parser.parse_args()
    started = time.perf_counter()
    morph = shared_morphology()
    t0 = time.perf_counter()
    morph.load()
    print(f"kiwi (Korean model) load: {time.perf_counter() - t0:.3f} s; "
          f"peak RSS so far {peak_rss_mib():.0f} MiB")
    items = corpus()
    inputs = [(item.text, item.area) for item in items if item.text.strip()]
    print(f"corpus: {len(inputs)} sentences of tests/nlu/corpus/{CORPUS_FILE} (speaker area where labelled)")
    systems = SYSTEMS[:1] if args.no_peer else SYSTEMS
    skipped: dict[str, str] = {}
    rates: dict[tuple[str, str], float] = {}
    for home_label, home in (("demo home", demo_home()), ("1,000-device home", big_home())):
        for name, build in systems:
            if name in skipped:
                continue
            t0 = time.perf_counter()
            try:
                runner = build(home)
            except Unavailable as err:
                skipped[name] = str(err)
                print(f"[{name}] skipped: {err}")
                continue
            built = time.perf_counter() - t0
            parse = runner.parse
            if name == "jipsa" and args.cold:
                inner = parse

                def parse(text: str, area: str | None, inner: Callable[..., object] = inner) -> object:
                    morph._memo.clear()
                    return inner(text, area)
            if name == "hassil" and hassil_load_s is not None and home_label == "demo home":
                print(f"[hassil] {_hassil_versions()}; Korean intents load: {hassil_load_s:.3f} s; "
                      f"peak RSS so far {peak_rss_mib():.0f} MiB")
            rounds = args.rounds if name == "jipsa" or args.peer_rounds is None else args.peer_rounds
            samples, wall = measure(parse, inputs, rounds)
            print(f"[{name}] index build on {home_label}: {built * 1e3:.1f} ms; {rounds} rounds")
            rates[name, home_label] = report(f"{name} / {home_label}", samples, wall)
            if home_label == "demo home":
                right, total = accuracy(runner, items)
                line = f"[{name}] accuracy on the demo home: {right}/{total} = {100 * right / total:.1f} %"
                if "hassil" in {n for n, _ in systems} and "hassil" not in skipped:
                    try:
                        covered = [item for item in items if hassil_covers(item)]
                        c_right, c_total = accuracy(runner, covered)
                        line += (f"; on the {c_total} items whose intent Home Assistant's Korean sentences "
                                 f"have: {c_right}/{c_total} = {100 * c_right / c_total:.1f} %")
                    except Unavailable:
                        pass
                print(line)
        if ("hassil", home_label) in rates:
            ratio = rates["jipsa", home_label] / rates["hassil", home_label]
            print(f"speed ratio on the {home_label} (jipsa utt/s / hassil utt/s): {ratio:.1f}x")
    if "hassil" in skipped:
        print(f"peer hassil skipped: {skipped['hassil']}")
    print("scoring: jipsa right = intents, targets (in order), args and flags exact (tests/nlu/evaluate.py)")
    if any(name == "hassil" for name, _ in rates):
        print("scoring: hassil right = intent name equal and resolved devices exactly the expected targets "
              "(a set; args not compared); a routine = HassTurnOn on it as a script; multi-frame items "
              "wrong; no-frame items right when nothing matches")
    print(f"peak RSS: {peak_rss_mib():.0f} MiB; wall {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
