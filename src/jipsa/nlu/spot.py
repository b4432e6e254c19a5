"""Spotting names in an utterance: devices, areas, device-type nouns, settings and phrases.

The home's names and the lexicon's nouns are compiled once into a table keyed by their spaceless form, so
``거실불``, ``거실 불`` and ``거실 불을`` all hit the alias ``거실 불``. The scanner walks the utterance
left to
right taking the longest key at each place, then swallows a following particle (을/를/이랑/도 …) so that
morphology only sees predicates. One-syllable keys need a word boundary on the left (``차`` is the car in
``차 시동 걸어``, not in ``차단``); Latin keys need word boundaries on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass

from jipsa.core.devices import DeviceClass, DeviceType, Home
from jipsa.nlu.lexicon import ATTRIBUTE_WORDS, PHRASES, TYPE_WORDS, VALUE_WORDS

PARTICLES: tuple[str, ...] = tuple(sorted((
    "이랑", "랑", "하고", "와", "과", "을", "를", "이", "가", "은", "는", "도", "만", "의", "에", "에서",
    "좀",
    "으로", "로", "부터", "까지", "이나", "나", "들", "들을", "들도", "들은", "이요", "요", "쪽", "쪽에",
    "쪽도",
), key=len, reverse=True))
"""Particles (and the plural 들) that may follow a spotted noun and belong to it."""

_NOT_AFTER_ONE = ("단", "편", "안", "만족", "러", "렀", "가능", "량", "법", "고기", "꽃", "록", "산", "장",
                  "기", "다", "이", "리", "비", "신", "동", "문", "여", "사")


@dataclass(frozen=True, slots=True)
class Entry:
    """What a key means; one key may mean several things (``난방`` is a boiler alias and a mode)."""

    kind: str
    """``device``, ``area``, ``type``, ``attribute``, ``value`` or ``action``."""
    ids: tuple[str, ...] = ()
    """Device ids for ``device``; the area id for ``area``."""
    dtype: DeviceType | None = None
    """The device type of a ``type`` noun."""
    dclass: DeviceClass | None = None
    """The device class of a ``type`` noun, when it names one."""
    name: str = ""
    """The attribute name, or the action, for ``attribute`` and ``action``."""
    values: tuple[tuple[str, str], ...] = ()
    """``(attribute, value)`` choices of a ``value`` word."""


@dataclass(frozen=True, slots=True)
class Mention:
    """A spotted key in the text."""

    entries: tuple[Entry, ...]
    """Its meanings, devices first."""
    surface: str
    """The words as spoken, without the particle."""
    start: int
    """Start offset in the normalised text."""
    end: int
    """End offset, particle included."""
    particle: str
    """The particle that followed, if any."""

    def first(self, kind: str) -> Entry | None:
        """Its meaning of this kind, if it has one."""
        return next((e for e in self.entries if e.kind == kind), None)


_KIND_ORDER = {"device": 0, "area": 1, "type": 2, "value": 3, "attribute": 4, "action": 5}


class Spotter:
    """The compiled name table of one home."""

    def __init__(self, home: Home) -> None:
        table: dict[str, list[Entry]] = {}

        def add(key: str, entry: Entry) -> None:
            k = key.lower().replace(" ", "")
            if not k:
                return
            bucket = table.setdefault(k, [])
            same = next((i for i, e in enumerate(bucket) if e.kind == entry.kind == "device"), None)
            if same is not None:
                old = bucket[same]
                bucket[same] = Entry("device", tuple(dict.fromkeys(old.ids + entry.ids)))
            elif entry not in bucket:
                bucket.append(entry)

        for dev in home.devices:
            for name in (dev.name, *dev.aliases):
                add(name, Entry("device", (dev.id,)))
        for area in home.areas:
            for name in (area.name, *area.aliases):
                add(name, Entry("area", (area.id,)))
        for word, (dtype, dclass) in TYPE_WORDS.items():
            add(word, Entry("type", dtype=dtype, dclass=dclass))
        for word, attr in ATTRIBUTE_WORDS.items():
            add(word, Entry("attribute", name=attr))
        for word, values in VALUE_WORDS.items():
            add(word, Entry("value", values=values))
        for word, action in PHRASES.items():
            add(word, Entry("action", name=action))
        self._table = {k: tuple(sorted(v, key=lambda e: _KIND_ORDER[e.kind])) for k, v in table.items()}
        self._max = max((len(k) for k in self._table), default=1)

    def scan(self, text: str, blocked: list[bool]) -> list[Mention]:
        """Every key in ``text`` outside ``blocked`` positions, longest first, left to right."""
        positions = [i for i, ch in enumerate(text) if ch != " "]
        squeezed = "".join(text[i] for i in positions)
        n = len(squeezed)
        found: list[Mention] = []
        last_end = 0
        i = 0
        while i < n:
            pos = positions[i]
            if blocked[pos]:
                i += 1
                continue
            left_ok = pos == 0 or text[pos - 1] == " " or pos == last_end or blocked[pos - 1]
            hit = None
            for length in range(min(self._max, n - i), 0, -1):
                key = squeezed[i:i + length]
                entries = self._table.get(key)
                if entries is None:
                    continue
                end = positions[i + length - 1] + 1
                if any(blocked[pos:end]):
                    continue
                if not self._fits(text, pos, end, key, left_ok):
                    continue
                hit = (entries, end, length)
                break
            if hit is None:
                i += 1
                continue
            entries, end, length = hit
            particle = _particle_after(text, end)
            if entries[0].kind == "action":
                particle = ""
            mention_end = end + len(particle)
            found.append(Mention(entries, text[pos:end], pos, mention_end, particle))
            last_end = mention_end
            i += length
            while i < n and positions[i] < mention_end:
                i += 1
        return found

    @staticmethod
    def _fits(text: str, start: int, end: int, key: str, left_ok: bool) -> bool:
        if key.isascii():
            before = text[start - 1] if start > 0 else " "
            after = text[end] if end < len(text) else " "
            if after == "s" and (end + 1 >= len(text) or not text[end + 1].isascii()
                                 or not text[end + 1].isalnum()):
                after = " "
            return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())
        if len(key) == 1:
            if not left_ok:
                return False
            rest = text[end:end + 4]
            if key == "불":
                return not rest.startswith(_NOT_AFTER_ONE[:5])
            if rest[:1] in ("", " "):
                return True
            return any(rest.startswith(p) and rest[len(p):len(p) + 1] in ("", " ") for p in PARTICLES)
        return True


def _particle_after(text: str, end: int) -> str:
    for particle in PARTICLES:
        if text.startswith(particle, end):
            after = text[end + len(particle):end + len(particle) + 1]
            # a particle must end the word, or be 좀/도/만 before more particles or a verb
            if after in ("", " ") or particle in ("좀", "들", "만", "도", "이랑", "랑", "하고"):
                return particle
    return ""
