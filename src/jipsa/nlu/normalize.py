"""Text clean-up before anything else looks at an utterance.

Unicode NFKC (full-width Latin and digits become half-width, compatibility forms fold) then NFC so Hangul
syllables are composed; Latin is lower-cased; punctuation becomes spaces except the few marks that carry
meaning (``%``, a decimal point or time colon between digits, ``?``, which is reported as ``question``);
spoken fillers (음, 저기, 좀, 어, 그 …) and the wake word are dropped; runs of spaces collapse.

The output is idempotent: ``normalize(normalize(t).text).text == normalize(t).text``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

FILLERS: frozenset[str] = frozenset({
    "음", "음음", "흠", "어", "어어", "아", "저", "저기", "저기요", "좀", "그", "그러니까", "있잖아",
    "있잖아요",
    "혹시", "제발", "그냥", "일단", "얼른", "빨리", "한번", "한 번", "집사야", "집사", "집사님", "자비스",
    "지니야", "빅스비", "시리야", "알렉사", "아리아", "클로바", "헤이",
    "please", "pls", "hey", "jipsa", "um", "uh", "erm", "hmm", "just", "kindly",
})
"""Whole words that carry no request; removed wherever they stand alone."""

_PUNCT_KEEP = {"%", "?", ".", ":", "-"}
_DIGIT_MARK = re.compile(r"(?<!\d)[.:](?!\d)|(?<=\d)[.:](?!\d)|(?<!\d)[.:](?=\d)")
_SPACES = re.compile(r"\s+")
_DASH = re.compile(r"(?<![a-z0-9])-|-(?![a-z0-9])")
_PORT = re.compile(r"\b(hdmi|usb|에이치디엠아이) ?(\d)")
_SPELLED_LATIN = re.compile(r"에이치디엠아이|유에스비")
"""Latin words as a speech recogniser spells them out in Hangul (에이치디엠아이 이로 = hdmi 2로)."""
_PORT_SPOKEN = re.compile(r"\b(hdmi) ?(일|이|삼|사)(?=으로|로|번|\s|$)")
_SINO_DIGITS = {"일": "1", "이": "2", "삼": "3", "사": "4"}
_SINO_TENS_APART = re.compile(
    r"(?<![가-힣])([이삼사오육칠팔구]?십) ([일이삼사오육칠팔구])"
    r"(?= ?(?:도|프로|퍼센트|%|번|단|으로|로|까지))")
"""A Sino-Korean ten and its unit said apart (이십 육도로 = 26도로, 칠십 오 프로): one number."""
_HESITATIONS = frozenset({"뭐지", "뭐더라", "뭐였지", "뭐였더라", "뭐냐"})
"""Searching for a word (그 뭐지, 뭐더라): no question when more words follow."""
_LAUGH = re.compile(r"[ㅋㅎㅠㅜ]{2,}")


@dataclass(frozen=True, slots=True)
class Normalized:
    """An utterance after clean-up."""

    text: str
    """Lower-cased, NFC, single-spaced text without fillers or punctuation."""
    question: bool
    """Whether the utterance was written with a question mark."""


def normalize(text: str) -> Normalized:
    """Clean ``text`` for matching; never raises on any ``str``."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", _LAUGH.sub(" ", text))).lower()
    question = "?" in folded
    chars: list[str] = []
    for ch in folded:
        if ch in "'’`":
            continue
        if ch.isspace() or ch == "?":
            chars.append(" ")
        elif ch in _PUNCT_KEEP or ch.isalnum():
            chars.append(ch)
        elif unicodedata.category(ch)[0] in "PSCZ":
            chars.append(" ")
        else:
            chars.append(ch)
    cleaned = "".join(chars)
    cleaned = _DIGIT_MARK.sub(" ", cleaned)
    cleaned = _DASH.sub(" ", cleaned)
    if "에이" in cleaned or "유에" in cleaned:
        cleaned = _SPELLED_LATIN.sub(lambda m: "hdmi" if m.group(0)[0] == "에" else "usb", cleaned)
    cleaned = _PORT.sub(r"\1\2", cleaned)
    if "hdmi" in cleaned:
        cleaned = _PORT_SPOKEN.sub(lambda m: m.group(1) + _SINO_DIGITS[m.group(2)], cleaned)
    if "십 " in cleaned:
        cleaned = _SINO_TENS_APART.sub(r"\1\2", cleaned)
    words = [_request_typo(_colloquial(w) if w[0] in _KYEO or w[-1] in "셈삼" else w)
             for w in map(_dialect_imperative, _SPACES.split(cleaned)) if w and w not in FILLERS]
    if "아니" in words or not _HESITATIONS.isdisjoint(words):
        words = _spoken_repairs(words)
    if "커" in cleaned or "껴" in cleaned:
        words = _switch_typos(words)
    if "따" in cleaned or "뜨" in cleaned:
        words = [_WARM_WORDS.get(w, w) for w in words]
    out = " ".join(words)
    # a second pass removes two-word fillers such as "한 번"
    for filler in ("한 번 ",):
        if out.startswith(filler):
            out = out[len(filler):]
    return Normalized(out, question)


_KIDA_ENDINGS: dict[str, frozenset[str]] = {
    "키": frozenset({"라", "라이", "자", "세요", "셔", "셔요", "시오", "십시오", "소", "쇼", "이소",
                    "도", "면", "지", "지마", "니까", "어", "어라", "어줘", "어요", "줘", "주라", "주세요",
                    "주이소", "주소", "셈", "삼", "라고", "놔", "놓고", "둬"}),
    "킬": frozenset({"래", "래요", "게", "게요", "까", "까요", "께"}),
    "킨": frozenset({"다"}),
    "킵": frozenset({"니다", "시다"}),
}
"""Endings of 키다, the everyday saying of 켜다 (불 키라, 에어컨 키세요, 킬까): the analyser takes most of
them for the noun 키 (height), so they are spelt as 켜다's (켜라, 켜세요, 켤까)."""
_KYEO = {"키": "켜", "킬": "켤", "킨": "켠", "킵": "켭"}


def _spoken_repairs(words: list[str]) -> list[str]:
    """Words a speaker took back or searched with: ``X 아니 Y`` keeps only ``Y`` (거실 아니 안방 불 꺼,
    이십삼 아니 이십사 도로, 켜 아니 꺼), and 뭐지/뭐더라 before more words is dropped.

    What 아니 takes back is the word before it, or as many words as lead up to the first word said again
    after it (거실 불 아니 안방 불 꺼 takes back 거실 불)."""
    out: list[str] = []
    for k, word in enumerate(words):
        if word in _HESITATIONS and k + 1 < len(words):
            continue
        if word == "아니" and out and k + 1 < len(words):
            after = words[k + 1:k + 4]
            verb = _request_start(out)
            if verb > 0 and not any(_is_request(w) for w in words[k + 1:]):
                # 아이방 에어컨 꺼 줘 아니 작은방 불: only a thing said after the request; it takes the
                # place of the thing the request was said of and keeps its verb
                return words[k + 1:] + out[verb:]
            back = after.index(out[-1]) + 1 if out[-1] in after else 1
            del out[-min(back, len(out)):]
            continue
        out.append(word)
    return out


_REQUEST_ENDINGS = ("줘", "줘요", "주세요", "줄래", "줄래요", "해", "해요", "해라", "꺼", "켜", "어", "아",
                    "라", "세요", "춰", "려", "가", "놔", "둬")
"""How a spoken request usually ends (꺼 줘, 틀어, 잠가, 돌려, 켜 놔): what a correction after it keeps."""


def _is_request(word: str) -> bool:
    return word.endswith(_REQUEST_ENDINGS)


def _request_start(words: list[str]) -> int:
    """Where the request words closing ``words`` start (아이방 에어컨 꺼 줘 → 2), or 0 when it does not end
    with a request or nothing comes before it."""
    k = len(words)
    while k > 0 and (_is_request(words[k - 1]) or words[k - 1] == "좀"):
        k -= 1
    return k if k < len(words) else 0


def _standard_verb(word: str) -> str:
    """``word`` with the verb 키다 spelt as 켜다 (키라 → 켜라), else unchanged."""
    endings = _KIDA_ENDINGS.get(word[:1])
    if endings is None or word[1:] not in endings:
        return word
    return _KYEO[word[0]] + word[1:]


_WORDS = re.compile(r"\S+")


def standard_verbs(text: str) -> str:
    """``text`` with every word of the verb 키다 spelt as 켜다, offsets unchanged: for what is left of an
    utterance once its names are blanked out (에어컨키라 → 키라)."""
    if "키" not in text and "킬" not in text and "킨" not in text and "킵" not in text:
        return text
    return _WORDS.sub(lambda m: _standard_verb(m.group()), text)


_SAM_STEMS = frozenset("끄꺼켜하해")


def _colloquial(word: str) -> str:
    """``word`` with 키다 spelt as 켜다 and a chat ending as -세요 (키셈 → 켜세요)."""
    return _slang_polite(_standard_verb(word))


def _slang_polite(word: str) -> str:
    """``word`` with the chat ending -셈/-삼 (끄셈, 켜주셈, 끄삼) said as -세요; -삼 only after a verb that
    switches or does (끄삼, 하삼), as 삼 is also three."""
    if len(word) >= 2 and "가" <= word[-2] <= "힣" and (
            word.endswith("셈") or (word.endswith("삼") and word[-2] in _SAM_STEMS)):
        return word[:-1] + "세요"
    return word


_DIALECT_STEMS = {"끄": "꺼", "하": "해"}
"""Stems said before the Gyeongsang -래이 in their plain form (끄래이, 하래이): their -어 form before -라."""


_THROW_AWAY = ("뿌리라", "삐리라", "뿌라", "삐라", "뿌러", "삐러", "뿌", "삐")
"""The dialect saying of the auxiliary 버리다 (꺼뿌라, 꺼삐라, 꺼뿌: 꺼 버려)."""


_GEURAE = ("그래이", "거래이", "그라이", "거라이")
"""The Gyeongsang imperative said with -그/-거 (끄그래이, 하거래이): the same -래이 after the stem."""


def _dialect_imperative(word: str) -> str:
    """``word`` with the Gyeongsang imperative -라이/-래이 (꺼라이, 키래이, 켜 주래이) said as -라 (꺼라,
    키라, 주라), after a verb's -아/-어 form or a stem jipsa switches with (키, 끄, 주, 하), and 버리다
    said -뿌라/-삐라 after a verb's -아/-어 form (꺼뿌라 → 꺼버려); other words ending so (드라이) are left
    alone."""
    if len(word) >= 2 and word.endswith(_THROW_AWAY) and word[-1] in "라러뿌삐":
        end = next(e for e in _THROW_AWAY if word.endswith(e))
        stem = word[: -len(end)]
        code = ord(stem[-1]) - 0xAC00 if stem else -1
        if 0 <= code < 11172 and code % 28 == 0 and (code % 588) // 28 in _CONNECTIVE_VOWELS \
                and stem not in ("아", "어", "야", "여"):
            return stem + "버려"
    if len(word) > 3 and word.endswith(_GEURAE):
        word = word[:-3] + "래이"  # 끄그래이, 켜 주거래이: the same imperative with -그/-거 before it
    if len(word) < 3 or not word.endswith(("라이", "래이")):
        return word
    stem = word[:-2]
    last = stem[-1]
    code = ord(last) - 0xAC00
    if last in _DIALECT_STEMS:
        return stem[:-1] + _DIALECT_STEMS[last] + "라"
    if last in "키주" or (0 <= code < 11172 and code % 28 == 0 and (code % 588) // 28 in _CONNECTIVE_VOWELS):
        return stem + "라"
    return word


_WARM_WORDS = {w: "따뜻하게" for w in (
    "따시게", "따습게", "따숩게", "따수게", "따땃하게", "따땃이", "뜨시게", "뜨숩게", "뜨습게", "따스하게",
    "따시하게", "뜨듯하게")}
"""Dialect and spoken sayings of 따뜻하게 (따숩게, 따시게, 뜨시게, 따땃하게), which the analyser splits
into other verbs (따시게 → 따 + 시 + 게)."""
_AUXILIARY_STARTS = ("줘", "주", "봐", "놔", "놓", "둬", "두")
_SWITCH_SLIPS = {"커": "켜", "껴": "꺼"}
"""켜 typed 커 (the vowel beside ㅕ, and as it is often said) and 꺼 typed 껴, before 줘/봐/놔 (커 줘, 껴줘):
커 is never the adjective 크다 there, nor 껴 the verb 끼다 said to a device."""


def _switch_typos(words: list[str]) -> list[str]:
    """``words`` with 커/껴 before an auxiliary (커줘, 껴 줘, 커 봐) read as 켜/꺼."""
    out = list(words)
    for k, word in enumerate(words):
        right = _SWITCH_SLIPS.get(word[:1])
        if right is None:
            continue
        rest = word[1:] or (words[k + 1] if k + 1 < len(words) else "")
        if rest.startswith(_AUXILIARY_STARTS):
            out[k] = right + word[1:]
    return out


_GIVE_TYPOS = ("주삼", "조", "쥬")
_CONNECTIVE_VOWELS = frozenset({0, 1, 4, 6, 9, 14})  # ㅏ ㅐ ㅓ ㅕ ㅘ ㅝ: the -아/-어 form of a verb


def _request_typo(word: str) -> str:
    """``word`` with 줘 typed or said as 조/쥬/주삼 after a verb's -아/-어 form (꺼조, 켜쥬) put right."""
    if not word.endswith(_GIVE_TYPOS):
        return word
    typo = next(t for t in _GIVE_TYPOS if word.endswith(t))
    stem = word[: -len(typo)]
    code = ord(stem[-1]) - 0xAC00 if stem else -1
    if 0 <= code < 11172 and code % 28 == 0 and (code % 588) // 28 in _CONNECTIVE_VOWELS:
        return stem + "줘"
    return word


def compact(text: str) -> str:
    """``text`` without spaces: the key for spacing-insensitive matching (``거실불`` = ``거실 불``)."""
    return text.replace(" ", "")
