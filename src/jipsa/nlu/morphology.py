"""Korean morphology through kiwipiepy: lemmas of predicates, endings that join clauses.

One :class:`Morphology` holds one ``Kiwi`` analyser, created on first use (about a second) and shared by
every home; results are memoised per text because the same commands come back again and again. English
text goes through :func:`english_tokens` instead, a plain word split.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from dataclasses import dataclass
from typing import Any

_CACHE_SIZE = 4096
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Morph:
    """One morpheme with its place in the analysed text."""

    form: str
    """The lemma or surface form (``켜``, ``고``, ``주``)."""
    tag: str
    """Sejong part-of-speech tag without Kiwi's irregular suffix (``VV``, ``EC``, ``NNG``)."""
    start: int
    """Offset in the analysed text."""
    end: int
    """End offset (exclusive)."""

    @property
    def is_predicate(self) -> bool:
        """A verb, adjective, root or auxiliary."""
        return self.tag[0] == "V" or self.tag in ("XR", "XSV", "XSA")


class Morphology:
    """A lazily created Kiwi analyser with a bounded memo of analyses."""

    def __init__(self) -> None:
        self._kiwi: Any = None
        self._lock = threading.Lock()
        self._memo: dict[str, tuple[Morph, ...]] = {}
        self.load_seconds: float | None = None
        """How long loading the model took, once it has been loaded."""

    def load(self) -> None:
        """Load the Kiwi model now rather than on the first analysis."""
        if self._kiwi is not None:
            return
        with self._lock:
            if self._kiwi is None:
                started = time.perf_counter()
                # imported here: loading the model takes about a second
                from kiwipiepy import Kiwi  # type: ignore[import-untyped]

                # The default, multi-word and typo dictionaries are for open text (names of people and
                # places, typo correction); a home's names come from its own file, and leaving them out
                # more than halves both the load time and the resident memory (docs/benchmarks.md).
                kiwi = Kiwi(model_type="cong", load_typo_dict=False, load_multi_dict=False,
                            load_default_dict=False)
                kiwi.tokenize("거실 불 켜 줘")  # the first analysis finishes building the model
                self._kiwi = kiwi
                self.load_seconds = time.perf_counter() - started

    def analyze(self, text: str) -> tuple[Morph, ...]:
        """The morphemes of ``text`` (blank-padded spans keep their offsets)."""
        if not text.strip():
            return ()
        memo = self._memo.get(text)
        if memo is not None:
            return memo
        self.load()
        tokens = self._kiwi.tokenize(text)
        morphs = _rejoined(tuple(Morph(t.form, t.tag.split("-")[0], t.start, t.start + t.len)
                                 for t in tokens))
        if len(self._memo) >= _CACHE_SIZE:
            self._memo.clear()
        self._memo[text] = morphs
        return morphs


_REJOIN = {("끝", "나"): "끝나", ("줄", "이"): "줄이"}
"""Verbs Kiwi splits into a noun and a verb (or the copula) after some words (언제쯤 끝나 → 언제 + 쯤 +
끝 + 나; 줄이라 → 줄 + 이 + 라)."""


def _rejoined(morphs: tuple[Morph, ...]) -> tuple[Morph, ...]:
    """``morphs`` with the split verbs of :data:`_REJOIN` made whole again."""
    if not any((a.form, b.form) in _REJOIN for a, b in itertools.pairwise(morphs)):
        return morphs
    out: list[Morph] = []
    for m in morphs:
        if out and m.tag in ("VV", "VCP") and out[-1].tag == "NNG" and out[-1].end == m.start and (
                verb := _REJOIN.get((out[-1].form, m.form))):
            out[-1] = Morph(verb, "VV", out[-1].start, m.end)
        else:
            out.append(m)
    return tuple(out)


def english_tokens(text: str) -> tuple[Morph, ...]:
    """Words of English (or any unsegmented Latin) text as pseudo-morphemes tagged ``EN``."""
    return tuple(Morph(m.group(), "EN", m.start(), m.end()) for m in _WORD.finditer(text))


_SHARED: Morphology | None = None
_SHARED_LOCK = threading.Lock()


def shared_morphology() -> Morphology:
    """The process-wide analyser, created (not yet loaded) on first call."""
    global _SHARED
    if _SHARED is None:
        with _SHARED_LOCK:
            if _SHARED is None:
                _SHARED = Morphology()
    return _SHARED
