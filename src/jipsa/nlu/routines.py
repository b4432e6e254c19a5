"""Routine names as people say them: the key a routine is looked up by, whatever request ending follows
its name (외출 모드로 바꿔 줘, 취침 모드 켜 줄래) and whatever form its -ㄹ게 alias takes (나갈게 → 나간다,
다녀오겠습니다).
"""

from __future__ import annotations

from jipsa.nlu.lexicon import ROUTINE_LEAD_WORDS, ROUTINE_PREFIXES, ROUTINE_VERBS


def volitional_forms(text: str) -> list[str]:
    """A routine alias and, when it ends in the promise -ㄹ게/-ㄹ래 (다녀올게, 잘게), its other forms: formal
    and polite (다녀오겠습니다, 다녀오겠어요, 자겠습니다), -ㄹ래/-ㄹ게요, and the plain statement (나간다,
    잔다): families say any of them."""
    forms = [text]
    if len(text) >= 2 and text[-1] in "게래" and "가" <= text[-2] <= "힣":
        code = ord(text[-2]) - 0xAC00
        if code % 28 == 8:  # the syllable before ends in ㄹ
            stem = text[:-2] + chr(ord(text[-2]) - 8)
            forms += [stem + "겠습니다", stem + "겠어요", stem + "겠어", text[:-1] + "게요",
                      text[:-1] + "래", text[:-1] + "래요"]
            if (ord(stem[-1]) - 0xAC00) % 28 == 0:  # 나가 → 나간다, 자 → 잔다: the plain statement
                forms.append(stem[:-1] + chr(ord(stem[-1]) + 4) + "다")
    return forms


def routine_words(text: str) -> str:
    """``text`` without leading words that change nothing (나, 이제), spaces removed."""
    words = text.split(" ")
    while len(words) > 1 and words[0] in ROUTINE_LEAD_WORDS:
        words.pop(0)
    return "".join(words)


_ROUTINE_ENDINGS = tuple(sorted({*ROUTINE_VERBS, "요"}, key=len, reverse=True))


def routine_key(text: str) -> str:
    """The lookup key of a routine's spaceless name or of an utterance: English lead words and request
    endings (모드, 로 바꿔 줘, 실행해 …) peeled off."""
    key = text
    for prefix in ROUTINE_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix) + 2:
            key = key[len(prefix):]
    while True:
        # the longest ending first: 전환해 is one word, not 전환 + 해
        suffix = next((v for v in _ROUTINE_ENDINGS if key.endswith(v) and len(key) > len(v) + 1), None)
        if suffix is None:
            return key
        key = key[: -len(suffix)]
