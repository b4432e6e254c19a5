"""Korean grammar for replies: particles chosen by the final consonant of the word before them.

``josa("에어컨", "을/를")`` → ``에어컨을``; ``josa("조명", "이/가")`` → ``조명이``;
``josa("세탁기", "이/가")`` → ``세탁기가``. Digits and Latin letters are read as a Korean speaker would
say them (``TV`` → 티비, no final consonant; ``24`` → 이십사, none; ``30`` → 삼십, final ㅂ; ``0`` → 영,
final ㅇ), and ``(으)로`` treats a final ㄹ like a vowel.
"""

from __future__ import annotations

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_RIEUL = 8  # index of ㄹ among final consonants

# Final consonant index (0 = none) of the last sound of each digit and Latin letter as said in Korean.
# 일 ㄹ, 이, 삼 ㅁ, 사, 오, 육 ㄱ, 칠 ㄹ, 팔 ㄹ, 구; a zero is read by its place (see _number_final).
_DIGIT_FINAL = {"1": 8, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": 8, "8": 8, "9": 0}
# The place word a number ends in, by its count of trailing zeros: 십 ㅂ, 백 ㄱ, 천 ㄴ, 만 ㅁ.
_PLACE_FINAL = {1: 17, 2: 1, 3: 4}
_MAN_FINAL, _YEONG_FINAL = 16, 21
_LETTER_FINAL = {"l": 8, "m": 16, "n": 4, "r": 8}  # 엘, 엠, 엔, 알; the others end in a vowel
_SYMBOL_FINAL = {"%": 0, "°": 0}  # 퍼센트, 도

_PAIRS = {
    "을/를": ("을", "를"), "이/가": ("이", "가"), "은/는": ("은", "는"), "과/와": ("과", "와"),
    "이랑/랑": ("이랑", "랑"), "아/야": ("아", "야"), "이에요/예요": ("이에요", "예요"),
    "이야/야": ("이야", "야"), "이나/나": ("이나", "나"), "이라/라": ("이라", "라"),
}


def final_consonant(word: str) -> int | None:
    """Index of the final consonant of the last sounded character (0 = none); ``None`` if unknown."""
    text = word.strip()
    for index in range(len(text) - 1, -1, -1):
        ch = text[index]
        code = ord(ch)
        if _HANGUL_FIRST <= code <= _HANGUL_LAST:
            return (code - _HANGUL_FIRST) % 28
        if ch in _DIGIT_FINAL:
            return _DIGIT_FINAL[ch]
        if ch == "0":
            return _number_final(text[:index + 1])
        if ch.isascii() and ch.isalpha():
            return _LETTER_FINAL.get(ch.lower(), 0)
        if ch in _SYMBOL_FINAL:
            return _SYMBOL_FINAL[ch]
        if ch in ")]}'\" .":
            continue
        return None
    return None


def _number_final(text: str) -> int:
    """The final consonant of a number ending in ``0``: ``10`` 십, ``100`` 백, ``1,000`` 천, ``0`` 영."""
    run = len(text) - len(text.rstrip("0123456789,"))
    number = text[len(text) - run:].replace(",", "")
    if text[:len(text) - run].endswith(".") or not number.strip("0"):
        return _YEONG_FINAL  # decimals are read digit by digit: 2.0 → 이 점 영
    zeros = len(number) - len(number.rstrip("0"))
    if zeros >= 12:
        return 0  # 조
    if zeros >= 8:
        return 1  # 억
    return _PLACE_FINAL.get(zeros, _MAN_FINAL)


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
