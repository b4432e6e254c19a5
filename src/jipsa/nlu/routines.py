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
    stem = _volitional_stem(text)
    if stem is not None:
        will = stem[:-1] + chr(ord(stem[-1]) + 8)  # 나가 → 나갈, 보 → 볼
        forms += [stem + "겠습니다", stem + "겠어요", stem + "겠어", will + "게", will + "게요", will + "래",
                  will + "래요", will + "거야", will + "거예요", will + "까", stem + "자"]
        if (ord(stem[-1]) - 0xAC00) % 28 == 0:  # 나가 → 나간다, 자 → 잔다: the plain statement
            forms.append(stem[:-1] + chr(ord(stem[-1]) + 4) + "다")
        # what the speaker should or means to do (이제 자야겠다, 나가야지, 자려고): the same occasion
        must = _connective(stem) + "야"
        forms += [must + "겠다", must + "겠어", must + "겠어요", must + "겠네", must + "겠습니다",
                  must + "지", must + "돼", stem + "려고", stem + "려고요"]
    return [*dict.fromkeys(f for f in forms if f), *past_forms(text)]


_CONTRACTED = {8: 9, 13: 14, 20: 6, 18: 4, 11: 10}
"""Vowels of a stem's last syllable and the vowel its -아/-어 form contracts to (보 → 봐, 주 → 줘,
마시 → 마셔, 끄 → 꺼, 되 → 돼); ㅏ, ㅓ, ㅐ, ㅔ, ㅕ take the ending into themselves (가 → 가, 서 → 서)."""


def _connective(stem: str) -> str:
    """The -아/-어 form of a verb stem whose last syllable has no final consonant (자 → 자, 보 → 봐,
    하 → 해)."""
    if stem.endswith("하"):
        return stem[:-1] + "해"
    code = ord(stem[-1]) - 0xAC00
    vowel = (code % 588) // 28
    if vowel in _CONTRACTED:
        return stem[:-1] + chr(0xAC00 + code - vowel * 28 + _CONTRACTED[vowel] * 28)
    return stem


def _volitional_stem(text: str) -> str | None:
    """The verb stem of an alias said as an intention (나갈게, 잘래, 영화 볼 거야, 영화 보자), with no final
    consonant added (나가, 자, 영화보); ``None`` when it is not one."""
    def syllable(ch: str) -> int:
        return ord(ch) - 0xAC00 if "가" <= ch <= "힣" else -1

    for ending in ("거야", "게", "래"):
        if text.endswith(ending) and len(text) > len(ending):
            before = text[-len(ending) - 1]
            if syllable(before) % 28 == 8:  # the syllable before ends in ㄹ
                return text[:-len(ending) - 1] + chr(ord(before) - 8)
    if text.endswith("자") and len(text) >= 3 and syllable(text[-2]) >= 0 and syllable(text[-2]) % 28 == 0:
        return text[:-1]  # 영화 보자 (but not 잘 자: a verb of its own)
    return None


_HONORIFIC_PAST = {"왔어": "오셨어", "갔어": "가셨어", "났어": "나셨어"}
"""Past tenses of verbs said of someone else, with their honorific (손님 왔어 → 손님 오셨어)."""


def past_forms(text: str) -> list[str]:
    """An alias in the plain past -었어/-았어 (손님 왔어, 다녀왔어) in its other forms: formal (왔습니다),
    plain (왔다) and, for coming and going, honorific (오셨어, 오셨습니다)."""
    if len(text) < 2 or not text.endswith("어"):
        return []
    code = ord(text[-2]) - 0xAC00
    if not (0 <= code < 11172 and code % 28 == 20):  # the syllable before ends in ㅆ: a past tense
        return []
    stems = [text[:-1]]
    for plain, honorific in _HONORIFIC_PAST.items():
        if text.endswith(plain):
            stems.append(text[: -len(plain)] + honorific[:-1])
    forms = []
    for stem in stems:
        forms += [stem + "습니다", stem + "다", stem + "어"]
    return [f for f in forms if f != text]


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


OCCASIONS: tuple[tuple[str, ...], ...] = (
    ("외출", "외출할게", "나갈게", "나가요", "다녀올게", "갔다올게", "출근할게", "출근", "회사 갈게",
     "회사 다녀올게", "학교 갈게", "학교 다녀올게", "놀러 갈게"),
    ("귀가", "다녀왔어", "다녀왔습니다", "나 왔어", "집에 왔어", "퇴근했어", "집 도착", "집에 도착했어"),
    ("잘게", "잘 자", "이제 잘래", "굿나잇", "자러 갈게", "잘 거야", "취침"),
    ("일어났어", "좋은 아침", "굿모닝", "기상", "깼어"),
)
"""Ways of saying the same occasion: a routine named by one of them (외출 모드, 다녀올게) is also run by the
others (출근할게, 학교 다녀올게), unless another routine has that name itself."""


def occasion_forms(key: str) -> list[str]:
    """The other sayings of the occasion whose lookup key is ``key`` (empty when it is none of them)."""
    for family in _OCCASION_KEYS:
        if key in family:
            return [k for k in family if k != key]
    return []


_OCCASION_KEYS: tuple[frozenset[str], ...] = tuple(
    frozenset(routine_key(form) for text in family for form in volitional_forms("".join(text.split())))
    for family in OCCASIONS)


OCCASION_PLACES = frozenset({
    "회사", "학교", "학원", "운동", "마트", "산책", "출장", "여행", "밖에", "일", "장"})
"""Where someone goes or comes back from, said before an occasion (회사 갔다올게, 학교 다녀왔어)."""


def without_place(text: str) -> str:
    """``text`` without a leading place word of :data:`OCCASION_PLACES` (and its particle 에)."""
    first, _sep, rest = text.strip().partition(" ")
    if rest and (first in OCCASION_PLACES or first.removesuffix("에") in OCCASION_PLACES):
        return rest
    return text
