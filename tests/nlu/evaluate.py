"""Run the labelled NLU corpus and print accuracy per phenomenon: ``python -m tests.nlu.evaluate [-v] [DIR]``.

``DIR`` evaluates another set laid out the same way (``DIR/corpus/*.yaml``, homes in ``DIR/homes`` or
here) — a set written before the parser saw it, to measure how the parser does on unseen sentences.

Each corpus file (``tests/nlu/corpus/*.yaml``) names a home (``demo`` for the packaged demo home, else a
file under ``tests/nlu/homes``) and lists items: ``t`` the text, ``tag`` the phenomenon, optional ``area``
(the speaker's area id), ``f`` the expected frames as ``[intent, targets, args]`` (args optional), optional
``amb`` (the frames are ambiguous), ``slots`` (slots every frame must carry) or ``reason`` (no frames).
An item is right when intents, targets (in order), args and these flags all match exactly.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from jipsa.core import Home, parse_home
from jipsa.nlu import understand

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"
HOMES = HERE / "homes"


@dataclass(frozen=True)
class Item:
    """One labelled utterance."""

    file: str
    text: str
    tag: str
    area: str | None
    frames: tuple[tuple[str, tuple[str, ...], tuple[tuple[str, Any], ...]], ...]
    ambiguous: bool
    slots: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None
    home_name: str = "demo"


def load_home(name: str, homes: Path = HOMES) -> Home:
    """The demo home (``demo``) or a test home file by name (in ``homes``, else here)."""
    if name == "demo":
        return parse_home(files("jipsa").joinpath("data/demo_home.yaml").read_text(encoding="utf-8"),
                          "demo_home.yaml")
    path = homes / name if (homes / name).is_file() else HOMES / name
    return parse_home(path.read_text(encoding="utf-8"), str(path))


def load_items(corpus: Path = CORPUS) -> Iterator[Item]:
    """Every corpus item, file by file."""
    for path in sorted(corpus.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for raw in doc["items"]:
            frames = tuple(
                (f[0], tuple(f[1]), tuple(sorted((f[2] if len(f) > 2 else {}).items())))
                for f in raw.get("f", []))
            yield Item(path.name, str(raw["t"]), raw["tag"], raw.get("area"), frames,
                       bool(raw.get("amb", False)), dict(raw.get("slots", {})), raw.get("reason"),
                       doc["home"])


def check(item: Item, home: Home) -> tuple[bool, str]:
    """Whether the parser gets ``item`` right, and what it produced."""
    result = understand(item.text, home, item.area)
    got = tuple((f.intent, f.targets, tuple(sorted(f.args.items()))) for f in result.frames)
    shown = "; ".join(f"{i} {list(t)} {dict(a)}" for i, t, a in got) or f"<{result.reason}>"
    if result.ambiguous:
        shown += " (ambiguous)"
    if item.reason is not None:
        return (not got and result.reason == item.reason), shown
    ok = got == item.frames and result.ambiguous == item.ambiguous
    for frame in result.frames:
        for key, value in item.slots.items():
            if frame.slots.get(key) != value:
                ok = False
                shown += f" [slot {key}={frame.slots.get(key)!r}]"
    return ok, shown


def evaluate(verbose: bool = False, root: Path = HERE) -> tuple[int, int, dict[str, list[int]]]:
    """Run the corpus under ``root``; returns (right, total, {tag: [right, total]})."""
    homes: dict[str, Home] = {}
    per_tag: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    right = total = 0
    for item in load_items(root / "corpus"):
        home = homes.get(item.home_name) or homes.setdefault(
            item.home_name, load_home(item.home_name, root / "homes"))
        ok, shown = check(item, home)
        key = f"{'en' if item.file.startswith('english') else 'ko'}:{item.tag}"
        per_tag[key][0] += ok
        per_tag[key][1] += 1
        right += ok
        total += 1
        if verbose and not ok:
            expected = "; ".join(f"{i} {list(t)} {dict(a)}" for i, t, a in item.frames) or f"<{item.reason}>"
            print(f"MISS [{item.file}:{item.tag}] {item.text!r} (area={item.area})\n"
                  f"     want {expected}{' (ambiguous)' if item.ambiguous else ''}\n     got  {shown}")
    return right, total, dict(per_tag)


def main(argv: list[str]) -> int:
    dirs = [a for a in argv if not a.startswith("-")]
    right, total, per_tag = evaluate(verbose="-v" in argv, root=Path(dirs[0]) if dirs else HERE)
    for tag, (ok, n) in sorted(per_tag.items()):
        print(f"{tag:24s} {ok:4d}/{n:<4d} {100 * ok / n:6.1f} %")
    print(f"{'total':24s} {right:4d}/{total:<4d} {100 * right / max(total, 1):6.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
