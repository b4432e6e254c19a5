"""Korean grammar for replies: particles chosen by the final consonant of the word before them.

``josa("에어컨", "을/를")`` → ``에어컨을``; ``josa("조명", "이/가")`` → ``조명이``; ``josa("세탁기", "이/가")`` →
``세탁기가``. Digits and Latin letters are read as a Korean speaker would say them (``TV`` → 티비, no final
consonant; ``24`` → 이십사, none; ``PM10`` → 텐, final ㄴ), and ``(으)로`` treats a final ㄹ like a vowel.
"""

from __future__ import annotations

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_RIEUL = 8  # index of ㄹ among final consonants

# Final consonant index (0 = none) of the last sound of each digit and Latin letter as said in Korean.
_DIGIT_FINAL = {"0": 16, "1": 8, "2": 0, "3": 1, "4": 0, "5": 0, "6": 1, "7": 8, "8": 8, "9": 0}
_LETTER_FINAL = {"l": 8, "m": 16, "n": 4, "r": 8}  # 엘, 엠, 엔, 알; the others end in a vowel

_PAIRS = {
    "을/를": ("을", "를"), "이/가": ("이", "가"), "은/는": ("은", "는"), "과/와": ("과", "와"),
    "이랑/랑": ("이랑", "랑"), "아/야": ("아", "야"), "이에요/예요": ("이에요", "예요"),
    "이야/야": ("이야", "야"), "이나/나": ("이나", "나"), "이라/라": ("이라", "라"),
}


def final_consonant(word: str) -> int | None:
    """Index of the final consonant of the last sounded character (0 = none); ``None`` if unknown."""
    for ch in reversed(word.strip()):
        code = ord(ch)
        if _HANGUL_FIRST <= code <= _HANGUL_LAST:
            return (code - _HANGUL_FIRST) % 28
        if ch in _DIGIT_FINAL:
            return _DIGIT_FINAL[ch]
        if ch.isascii() and ch.isalpha():
            return _LETTER_FINAL.get(ch.lower(), 0)
        if ch in ")]}'\" .":
            continue
        return None
    return None


def has_final(word: str) -> bool:
    """Whether the word ends in a consonant sound (unknown endings count as consonant)."""
    final = final_consonant(word)
    return final is None or final != 0


def josa(word: str, pair: str) -> str:
    """``word`` followed by the right form of the particle ``pair`` (``"을/를"``, ``"(으)로"`` …)."""
    if pair == "(으)로":
        final = final_consonant(word)
        return word + ("로" if final in (0, _RIEUL) else "으로")
    try:
        with_final, without = _PAIRS[pair]
    except KeyError:
        raise ValueError(f"unknown particle pair {pair!r}") from None
    return word + (with_final if has_final(word) else without)
