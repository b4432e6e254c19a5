"""Natural-language understanding: Korean and English text → :class:`Frame`s for one home.

``parse(text, home, area=None)`` is the library form of ``jipsa parse`` (DESIGN §5); ``understand`` also
says why nothing was understood. Both keep the compiled index of the last few homes, keyed by the home
object, and share one lazily loaded Kiwi analyser; build an :class:`Understander` to hold one explicitly.
Intents and arguments are documented in ``docs/intents.md``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from jipsa.core.devices import Home
from jipsa.nlu.frame import Frame, ParseResult
from jipsa.nlu.parse import MAX_CHARS, Understander, names_programme

__all__ = ["MAX_CHARS", "Frame", "ParseResult", "Understander", "mentioned", "names_programme", "parse",
           "understand", "understander"]

_CACHE_SIZE = 8
_cache: OrderedDict[int, tuple[Home, Understander]] = OrderedDict()
_cache_lock = threading.Lock()


def understander(home: Home) -> Understander:
    """The cached :class:`Understander` of ``home`` (built on first use)."""
    key = id(home)
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] is home:
            _cache.move_to_end(key)
            return hit[1]
    built = Understander(home)
    with _cache_lock:
        _cache[key] = (home, built)
        _cache.move_to_end(key)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return built


def understand(text: str, home: Home, area: str | None = None) -> ParseResult:
    """Everything understood in ``text`` about ``home``, said in area ``area``; never raises on a ``str``."""
    return understander(home).understand(text, area)


def parse(text: str, home: Home, area: str | None = None) -> list[Frame]:
    """The frames of ``text``: the ``jipsa parse`` contract as a library call."""
    return list(understand(text, home, area).frames)


def mentioned(text: str, home: Home) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The area ids and device ids ``text`` names in ``home`` (for answers given as a fragment)."""
    return understander(home).mentioned(text)
