"""Spotting names in an utterance: devices, areas, device-type nouns, settings and phrases.

The home's names and the lexicon's nouns are compiled once into a table keyed by their spaceless form, so
``거실불``, ``거실 불`` and ``거실 불을`` all hit the alias ``거실 불``. The scanner walks the utterance
left to
right taking the longest key at each place, then swallows a following particle (을/를/이랑/도 …) so that
morphology only sees predicates. One-syllable keys need a word boundary on the left (``차`` is the car in
``차 시동 걸어``, not in ``차단``); Latin keys need word boundaries on both sides.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from jipsa.core.devices import DeviceClass, DeviceType, Home
from jipsa.nlu.lexicon import (
    ALL_WORDS,
    ATTRIBUTE_WORDS,
    EN_ROOM_WORDS,
    MAIN_LIGHT_WORDS,
    MAX_WORDS,
    MIN_WORDS,
    MODE_ONLY_VALUES,
    MORE_WORDS,
    PHRASES,
    PREDICATES,
    TO_ONLY_VALUES,
    TYPE_WORDS,
    VALUE_WORDS,
)
from jipsa.nlu.read import HARMLESS_NOUNS

PARTICLES: tuple[str, ...] = tuple(sorted((
    "이랑", "랑", "하고", "와", "과", "을", "를", "이", "가", "은", "는", "도", "만", "의", "에", "에서",
    "좀",
    "으로", "로", "부터", "까지", "이나", "나", "들", "들을", "들도", "들은", "이요", "요", "쪽", "쪽에",
    "쪽도",
), key=len, reverse=True))
"""Particles (and the plural 들) that may follow a spotted noun and belong to it."""

_NOT_AFTER_ONE = ("단", "편", "안", "만족", "러", "렀", "가능", "량", "법", "고기", "꽃", "록", "산", "장",
                  "기", "다", "이", "리", "비", "신", "동", "문", "여", "사")


_NOT_AFTER_FIRE = (*_NOT_AFTER_ONE[:5], "게", "어", "었", "고 있")
"""What 불 is not a light before: 불편, 불안, and the verb 불다, to blow (바람 불게 해, 불어)."""
_ONE_FOLLOWERS = ("코스", "모드")
"""Nouns a one-syllable setting word may be written together with (울코스로 돌려)."""
_FUZZY_MIN = 3
_NOT_SLIPS = frozenset("이가을를은는도만의에로와과랑요해하줘켜꺼돼되야어아서고게지니나")
"""Grammatical syllables (particles, verb endings): a name whose last syllable is slipped into one of
these is another word (가스 차단해 is not 가스 차단기)."""
_WILD = "\0"
_KNOWN_WORDS = ALL_WORDS | MAX_WORDS | MIN_WORDS | MORE_WORDS
"""Words that are never a name said with a slip (전부 is not 전등)."""
_SINO_FLOORS = {"1": "일", "2": "이", "3": "삼", "4": "사", "5": "오"}


def _floor_names(floor: str) -> list[str]:
    """``2층`` and its spoken reading ``이층``."""
    names = [floor]
    digits = floor.removesuffix("층").strip()
    if digits in _SINO_FLOORS and floor.endswith("층"):
        names.append(_SINO_FLOORS[digits] + "층")
    return names


_UPSTAIRS = ("위층", "윗층")
_DOWNSTAIRS = ("아래층", "아랫층", "밑층")
_FLOOR_NUMBER = re.compile(r"^(지하\s*|B)?(\d+)\s*층?$")


def _relative_floors(floors: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """위층/아래층 in a home of numbered floors: every area above the lowest floor, and those on it."""
    levels: dict[int, list[str]] = {}
    for floor, ids in floors.items():
        match = _FLOOR_NUMBER.match(floor.strip())
        if match is None:
            return {}  # a floor named otherwise (다락) cannot be ordered
        level = int(match.group(2)) * (-1 if match.group(1) else 1)
        levels.setdefault(level, []).extend(ids)
    if len(levels) < 2:
        return {}
    lowest = min(levels)
    upper = tuple(i for level in sorted(levels) if level != lowest for i in levels[level])
    words = dict.fromkeys(_UPSTAIRS, upper)
    words.update({w: tuple(levels[lowest]) for w in _DOWNSTAIRS})
    return words


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

        self._device_area = {dev.id: dev.area for dev in home.devices}
        """Where each device lives, to tell a room said before a name from the name's own room."""
        for dev in home.devices:
            for name in (dev.name, *dev.aliases):
                add(name, Entry("device", (dev.id,)))
        floors: dict[str, list[str]] = {}
        for area in home.areas:
            for name in (area.name, *area.aliases):
                add(name, Entry("area", (area.id,)))
            if area.floor:
                floors.setdefault(area.floor, []).append(area.id)
        for area in home.areas:
            # An English id (living_room, kitchen) also names its room, for English requests in a home
            # whose names are Korean; only where the words name nothing else.
            words = area.id.replace("_", " ").replace("-", " ")
            if words.isascii() and any(ch.isalpha() for ch in words) and words.replace(" ", "") not in table:
                add(words, Entry("area", (area.id,)))
        for word, korean in EN_ROOM_WORDS.items():
            # bedroom → 안방/침실, kitchen → 주방: only where exactly one room has such a name
            rooms = {a.id for a in home.areas for n in (a.name, *a.aliases) if n.replace(" ", "") in korean}
            if len(rooms) == 1 and word.replace(" ", "") not in table:
                add(word, Entry("area", (rooms.pop(),)))
        for floor, ids in floors.items():
            # 2층 불 다 꺼: a floor names every area on it (also read 이층)
            for name in _floor_names(floor):
                if name.replace(" ", "") not in table:
                    add(name, Entry("area", tuple(ids)))
        for word, floor_ids in _relative_floors(floors).items():
            # 위층 불 꺼, 아래층 청소기: upstairs is every floor above the lowest, downstairs the lowest
            if word not in table:
                add(word, Entry("area", floor_ids))
        for word, (dtype, dclass) in TYPE_WORDS.items():
            add(word, Entry("type", dtype=dtype, dclass=dclass))
        for word in MAIN_LIGHT_WORDS:
            add(word, Entry("type", dtype=DeviceType.LIGHT, name="main"))
        for word, attr in ATTRIBUTE_WORDS.items():
            add(word, Entry("attribute", name=attr))
        for word, values in VALUE_WORDS.items():
            add(word, Entry("value", values=values))
        for word, action in PHRASES.items():
            add(word, Entry("action", name=action))
        self.partial = frozenset(_partial_names(home, table, add))
        """Keys that are the first word of a device's name said alone (컴퓨터 for 컴퓨터 전원)."""
        self._table = {k: tuple(sorted(v, key=lambda e: _KIND_ORDER[e.kind])) for k, v in table.items()}
        self._max = max((len(k) for k in self._table), default=1)
        # One-syllable slips in names of three syllables or more (거실 조멍 → 거실 조명): each such
        # device or area key under every pattern with one syllable wildcarded; a pattern two different
        # things share is dropped, so a slip is only read when it can mean one thing.
        fuzzy: dict[str, tuple[Entry, ...] | None] = {}
        meant: dict[str, set[str]] = {}
        for key, entries in self._table.items():
            named = tuple(e for e in entries if e.kind in ("device", "area", "type"))
            if len(key) < _FUZZY_MIN or not named or not all("가" <= ch <= "힣" for ch in key):
                continue
            for j in range(len(key)):
                pattern = key[:j] + _WILD + key[j + 1:]
                if pattern in fuzzy and fuzzy[pattern] != named:
                    fuzzy[pattern] = None
                else:
                    fuzzy[pattern] = named
                    meant.setdefault(pattern, set()).add(key[j])
        self._fuzzy = {k: v for k, v in fuzzy.items() if v is not None}
        # the syllables a pattern stands for, to tell a vowel slip (에어켠 for 에어컨) from another word
        self._meant = {k: frozenset(v) for k, v in meant.items() if k in self._fuzzy}
        self._fuzzy_max = max((len(k) for k in self._fuzzy), default=0)

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
                if not left_ok and end - pos > length:
                    continue  # a key across a space begins a word (농도 어떻게 holds no 도어)
                glued = len(key) == 1 and bool(found) and pos == last_end and text[pos - 1] != " " \
                    and entries[0].kind in ("attribute", "type") and key not in TO_ONLY_VALUES
                if not glued and not self._fits(text, pos, end, key, left_ok):
                    continue  # (a one-syllable word written onto a name needs no space after: 블라인드살열어)
                if key in self.partial and not (left_ok and _word_ends(text, end)):
                    continue  # 컴퓨터 for 컴퓨터 전원, but not inside a longer word
                hit = (entries, end, length)
                break
            if left_ok and self._fuzzy:
                slip = self._slip(text, positions, squeezed, i, hit[2] if hit else 0, blocked)
                if slip is not None:
                    hit = slip
            if hit is None:
                i += 1
                continue
            if hit[0][0].kind == "area":
                hit = self._area_before_name(squeezed, positions, i, hit)
            entries, end, length = hit
            particle = _particle_after(text, end, blocked)
            if entries[0].kind == "action":
                particle = ""
            mention_end = end + len(particle)
            found.append(Mention(entries, text[pos:end], pos, mention_end, particle))
            last_end = mention_end
            i += length
            while i < n and positions[i] < mention_end:
                i += 1
        return found

    def _area_before_name(self, squeezed: str, positions: list[int], i: int,
                          hit: tuple[tuple[Entry, ...], int, int]) -> tuple[tuple[Entry, ...], int, int]:
        """An area key whose tail begins the name of a device in that area (아래층 거실 + 거실 조명) yields
        that name: the area is read up to where the name begins, when that part is a key of its own (아래층,
        1층); 위층 거실 불 keeps its room where 거실 불 is downstairs."""
        length = hit[2]
        for j in range(length - 1, 0, -1):
            head = self._table.get(squeezed[i:i + j])
            if head is None or head[0].kind not in ("area", "device"):
                continue
            for size in range(min(self._max, len(squeezed) - i - j), length - j, -1):
                entries = self._table.get(squeezed[i + j:i + j + size])
                if entries is not None and entries[0].kind == "device" and all(
                        self._device_area.get(d) in hit[0][0].ids for d in entries[0].ids):
                    return head, positions[i + j - 1] + 1, j
        return hit

    def _slip(self, text: str, positions: list[int], squeezed: str, i: int, exact: int,
              blocked: list[bool]) -> tuple[tuple[Entry, ...], int, int] | None:
        """A name said with one wrong syllable starting at squeezed offset ``i``, longer than the exact
        match there (``exact`` syllables), ending a word (no particle), with the slip after the exact
        match and the rest not another known word; else ``None``."""
        n = len(squeezed)
        for length in range(min(self._fuzzy_max, n - i), max(exact + 1, _FUZZY_MIN) - 1, -1):
            end = positions[i + length - 1] + 1
            if text[end:end + 1] not in ("", " "):
                continue
            if any(blocked[positions[i]:end]):
                continue
            window = squeezed[i:i + length]
            if not all("가" <= ch <= "힣" for ch in window) or window[exact:] in self._table:
                continue
            # a three-syllable name slipped in its last syllable is too often a verb (청소해 ≠ 청소기),
            # unless only the vowel slipped (에어켠 = 에어컨, 보일라 = 보일러);
            # never the first syllable: 안방 불 is not 옷방 불, 욕실 전등 is not 거실 전등
            for j in range(max(exact, 1), length):
                pattern = window[:j] + _WILD + window[j + 1:]
                named = self._fuzzy.get(pattern)
                if named is None or (j == length - 1 and window[j] in _NOT_SLIPS):
                    continue
                if j == length - 1 and length <= _FUZZY_MIN and not any(
                        _vowel_slip(window[j], ch) or _fused_particle(window[j], ch)
                        or _tense_slip(window[j], ch) for ch in self._meant.get(pattern, ())):
                    continue
                at = positions[i + j]
                if text[at - 1:at] in ("", " ") and text[at + 1:at + 2] in ("", " "):
                    continue  # a syllable said on its own is a word (텔레비 켜), not a slip
                if text[at + 1:at + 2] == " " and window[j] in _NOT_SLIPS:
                    continue  # a particle ending a word (집 안에 불) is grammar, not 안방 불 slipped
                if text[text.rfind(" ", 0, at) + 1:end] in _KNOWN_WORDS:
                    continue  # 거실 전부: the word is 전부 ("all"), not 전등 slipped
                return named, end, length
        return None

    @staticmethod
    def _fits(text: str, start: int, end: int, key: str, left_ok: bool) -> bool:
        if key.isascii():
            before = text[start - 1] if start > 0 else " "
            after = text[end] if end < len(text) else " "
            if after == "s" and (end + 1 >= len(text) or not text[end + 1].isascii()
                                 or not text[end + 1].isalnum()):
                after = " "
            return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())
        if key in MODE_ONLY_VALUES:
            return left_ok and text[end:].lstrip().startswith(("으로", "로", "모드", "기능", "운전"))
        if key in TO_ONLY_VALUES:
            if key in ("강", "약") and end == len(text):
                return left_ok
            return left_ok and any(text.startswith(p, end) and text[end + len(p):end + len(p) + 1]
                                   in ("", " ") for p in ("으로", "로"))
        if len(key) == 1:
            if not left_ok:
                return False
            rest = text[end:end + 4]
            if key == "불":
                return not rest.startswith(_NOT_AFTER_FIRE)
            if rest[:1] in ("", " ") or rest.startswith(_ONE_FOLLOWERS):
                return True
            return any(rest.startswith(p) and rest[len(p):len(p) + 1] in ("", " ") for p in PARTICLES)
        return True


_NOT_PARTIAL = frozenset({"우리", "저희", "작은", "새로", "새로운", "예전", "옛날", "왼쪽", "오른쪽", "위층",
                          "아래층", "가운데", "여기", "저기", "거기", "이쪽", "저쪽", "제일", "메인등"})
"""First words of a name that say which one rather than what (우리 차, 작은 티비): never a name alone (nor
a verb jipsa knows, 동작, or a word it reads as harmless, 바닥)."""


def _partial_names(home: Home, table: dict[str, list[Entry]],
                   add: Callable[[str, Entry], None]) -> list[str]:
    """The first word of a device's name or alias said alone (컴퓨터 for 컴퓨터 전원, 벽걸이 for 벽걸이
    에어컨; after a room's name: 움직임 for 현관 움직임 센서), where it is two syllables or more, names
    nothing else jipsa knows and only that device."""
    areas = sorted({n for a in home.areas for n in (a.name, *a.aliases)}, key=len, reverse=True)
    owners: dict[str, set[str]] = {}
    for dev in home.devices:
        for name in (dev.name, *dev.aliases):
            # after a room's name, the longest first (하은이 방 불: 불, not 하은이)
            area = next((a for a in areas if name.startswith(a + " ")), None)
            words = name[len(area) + 1:].split() if area else name.split()
            if len(words) < 2:
                continue
            word = words[0].lower()
            if len(word) >= 2 and all("가" <= ch <= "힣" for ch in word) and word not in _NOT_PARTIAL \
                    and word not in table and word not in _KNOWN_WORDS and word not in PREDICATES \
                    and word not in HARMLESS_NOUNS:
                owners.setdefault(word, set()).add(dev.id)
    found = []
    for word, ids in owners.items():
        if len(ids) == 1:
            add(word, Entry("device", tuple(ids)))
            found.append(word)
    return found


def _word_ends(text: str, end: int) -> bool:
    """Whether a word ends at ``end``, or a particle ending it follows."""
    if text[end:end + 1] in ("", " "):
        return True
    return any(text.startswith(p, end) and text[end + len(p):end + len(p) + 1] in ("", " ")
               for p in PARTICLES)


def _vowel_slip(said: str, meant: str) -> bool:
    """Whether two Hangul syllables differ only in their vowel (켠/컨, 라/러)."""
    a, b = ord(said) - 0xAC00, ord(meant) - 0xAC00
    return 0 <= a < 11172 and 0 <= b < 11172 and a // 588 == b // 588 and a % 28 == b % 28


_TENSE = {0: 1, 3: 4, 7: 8, 9: 10, 12: 13}
"""Lax initial consonants and their tense partners (ㄱ ㄲ, ㄷ ㄸ, ㅂ ㅃ, ㅅ ㅆ, ㅈ ㅉ)."""


def _tense_slip(said: str, meant: str) -> bool:
    """Whether two Hangul syllables differ only in a lax or tense initial (끼/기: 세탁끼 = 세탁기)."""
    a, b = ord(said) - 0xAC00, ord(meant) - 0xAC00
    if not (0 <= a < 11172 and 0 <= b < 11172) or a % 588 != b % 588:
        return False
    x, y = a // 588, b // 588
    return _TENSE.get(x) == y or _TENSE.get(y) == x


def _fused_particle(said: str, meant: str) -> bool:
    """Whether ``said`` is ``meant`` with the particle ㄴ/ㄹ fused onto it (냉장곤 = 냉장고는, 세탁길 =
    세탁기를)."""
    a, b = ord(said) - 0xAC00, ord(meant) - 0xAC00
    return 0 <= b < 11172 and b % 28 == 0 and a - b in (4, 8)


def _particle_after(text: str, end: int, blocked: list[bool]) -> str:
    for particle in PARTICLES:
        if text.startswith(particle, end):
            stop = end + len(particle)
            after = text[stop:stop + 1]
            # a particle must end the word, or be 좀/도/만 before more particles or a verb, or come right
            # before a number written onto it (에어컨은이십사도로)
            if after in ("", " ") or particle in ("좀", "들", "만", "도", "이랑", "랑", "하고") or (
                    stop < len(blocked) and blocked[stop]):
                return particle
    return ""
