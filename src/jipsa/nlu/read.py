"""Reading the words of one clause once names and numbers are blanked out: predicates and what they ask
for, questions (몇 도야, 켜져 있어?, 다 됐어?), tense, negation (-지 마), complaints (너무 어두워, 건조해) and
words jipsa does not know. Korean goes through Kiwi's morphemes, English word by word.
"""

from __future__ import annotations

from collections.abc import Sequence

from jipsa.nlu.intents import Clause
from jipsa.nlu.lexicon import (
    AIR_COMPLAINTS,
    ALL_WORDS,
    COMPLAINTS,
    EN_WORDS,
    HUMIDITY_COMPLAINTS,
    INTENSIFIERS,
    MAX_WORDS,
    MIN_WORDS,
    MORE_WORDS,
    PREDICATES,
    WARM_FEELINGS,
    Action,
)
from jipsa.nlu.morphology import Morph

_QUESTION_FORMS = {"몇", "얼마", "얼마나", "언제", "어떻", "어떠", "뭐", "무엇", "무슨", "어느", "알리",
                   "확인", "어때", "어디"}
_REMAINING_FORMS = {"끝나", "남", "걸리"}
_PLAIN_VERBS = frozenset({"하", "되", "주", "있", "없", "보", "놓", "두", "가", "오", "싶", "말", "대",
                          "드리", "시키", "해주", "좋", "같", "알", "쓰", "자", "나오", "나가", "들"})
"""Verbs that ask for nothing themselves (해 줘, 해 놔, 켜 봐): never a sign the request is about something
else."""
_HOME_WORDS = frozenset({"집", "제자리", "자리", "충전기", "충전대", "홈", "기지", "도크"})
"""Where a vacuum goes back to (집에 가, 제자리로 가)."""
_RARE_FORMS = frozenset({"괜찮", "부탁", "지", "제", "돌아가", "들어가", "가", "중", "좋", "들리", "보이",
                         *HUMIDITY_COMPLAINTS, *AIR_COMPLAINTS})
"""Forms that need a closer look in :func:`read_korean` (checked together so common words stay fast)."""
_ON_OFF_FORMS = frozenset(f for f, a in PREDICATES.items() if a in (Action.ON, Action.OFF))
_STATE_FORMS = {"켜지": "on", "꺼지": "on", "잠기": "open", "열리": "open", "닫히": "open",
                "작동되": "on", "돌아가": "on"}
_PAST_STATE = {Action.ON, Action.OFF, Action.STOP, Action.LOCK, Action.UNLOCK, Action.OPEN, Action.CLOSE,
               Action.RUN, Action.START, Action.CLEAN}
_PAST_RUNNING = (Action.ON, Action.OFF, Action.STOP, Action.RUN, Action.START, Action.CLEAN, Action.DOCK)
_A_WHILE = frozenset({"잠깐", "잠시", "잠깐만", "잠시만"})
_HOMING = frozenset({"가", "돌아가", "들어가", "돌아오"})
"""Verbs of going back (충전하러 갔어?, 제자리로 돌아갔어?): in the past and asked, the vacuum's state."""
_OPPOSITE = {Action.BRIGHTER: Action.DARKER, Action.DARKER: Action.BRIGHTER, Action.LOUDER: Action.QUIETER,
             Action.QUIETER: Action.LOUDER, Action.COOLER: Action.WARMER, Action.WARMER: Action.COOLER,
             Action.UP: Action.DOWN, Action.DOWN: Action.UP, Action.STRONGER: Action.WEAKER,
             Action.WEAKER: Action.STRONGER}
_EN_COMPLAINTS = {"warm": Action.COOLER, "hot": Action.COOLER, "cold": Action.WARMER,
                  "bright": Action.DARKER, "dark": Action.BRIGHTER, "loud": Action.QUIETER,
                  "noisy": Action.QUIETER, "quiet": Action.LOUDER}
HARMLESS_NOUNS = {"지금", "이제", "거", "것", "수", "때", "번", "여기", "이거", "저거", "그거", "내", "나",
                   "우리", "코스", "단계", "정도", "쯤", "다음", "시간", "분", "상태", "현재", "바로", "방",
                   "쪽", "안", "좀", "다시", "계속", "잠깐", "잠시", "지", "게", "음", "요", "줘", "네", "씨",
                   "오늘", "영하", "레벨", "단", "도", "프로", "모드", "더", "제일", "가장", "최대", "최소",
                   "최대한", "최고", "최저", "끝", "전원", "기능", "작동", "예약", "혹시", "미리", "먼저",
                   "다들", "한번", "세기", "조금", "약간", "살짝", "의", "대", "후", "뒤", "중", "수치",
                   "농도", "집", "우리집", "집안", "잔", "프로그램", "퍼센트", "퍼", "약", "대략",
                   # whom a request is said to (엄마 불 꺼 줘) and who feels it (목이 너무 건조해)
                   "엄마", "아빠", "할머니", "할아버지", "애들", "애", "애기", "아기", "아이", "아이들",
                   "동생", "남편", "아내", "와이프", "손님", "가족", "목", "피부", "입술", "코", "몸", "손",
                   "눈", "머리", "귀", "발", "손발", "방안", "실내", "거기", "바닥", "방바닥",
                   # where and how long (물 새는 데, 밤새 틀어 놔)
                   "데", "곳", "밤새", "밤새도록", "하루종일", "종일",
                   # what the speaker thinks should be done (꺼야 될 듯, 켜야 할 듯해)
                   "듯",
                   # a particle left alone once the phrase before it is blanked (다른 채널로 바꿔)
                   "로", "으로", "를", "을", "타이머"}
_AIMS = frozenset({"아래", "위", "밑", "아래쪽", "위쪽", "밑쪽", "천장", "바닥", "앞", "정면"})
"""Where the air may be sent (바람 방향 아래로): a way it points, which no swing setting holds."""
_AIMED_AT = frozenset({"나", "저", "우리", "사람", "애기", "아기", "애들", "아이", "얼굴", "몸", "침대",
                       "소파"})
"""Whom or what the air may be sent to or kept from (바람 나한테 안 오게, 사람 피해서)."""
_AIR_ATTRIBUTES = frozenset({"swing_mode", "vane", "fan_speed"})
_READINGS = frozenset({"temperature", "humidity", "pm10", "pm25", "battery", "fuel_percent", "range_km",
                       "remaining_minutes"})
"""Readings that, named with nothing asked of them (거실 온도, 미세먼지), are a question."""
_SETTINGS = frozenset({"volume", "channel", "brightness", "fan_speed", "mode", "fridge", "freezer",
                       "oscillating", "swing_mode", "tilt_position", "vane", "color", "input"})
"""Settings that, named alone with a question mark (티비 볼륨?), are a question."""
_COUNTED = {"번": "channel", "단": "fan_speed", "단계": "fan_speed"}
"""What 몇 N이야 asks of (티비 몇 번이야 → the channel, 선풍기 몇 단이야 → the fan speed)."""
_SOMEONE = frozenset({"사람", "누구", "누가", "아무"})
"""Who may be somewhere (현관에 누구 있어?): a question for motion and occupancy sensors."""
_WHY = frozenset({"왜", "어째서", "어째", "웬일"})
"""Why something was done (왜 불 켰어): with a past verb, a question about it, not a request."""
_DONE_THING = frozenset({"거", "것", "게", "사람"})
"""After a verb in -ㄴ (켠 거, 연 사람): the deed itself, asked about with 누가/언제/왜."""
_BROKEN = frozenset({"되", "하"})
_BECAUSE = frozenset({"으니까", "니까", "으니", "니", "어서", "아서", "길래", "는데", "은데", "ㄴ데"})
"""Connectives after which a clause is the reason for what follows (필요 없으니까 꺼): not the request."""
"""Verbs after 안 that say a thing does not work (청소가 안 돼, 작동을 안 해)."""
_EN_STOP = {"the", "a", "an", "to", "in", "of", "my", "our", "is", "are", "it", "turn", "switch", "set",
            "please", "can", "you", "could", "would", "will", "and", "then", "at", "by", "for", "me",
            "percent", "degrees", "degree", "what", "what's", "whats", "how", "does", "did", "when",
            "which", "room", "now", "this", "that", "be", "bit", "little", "more", "some", "all", "every",
            "everything", "everywhere", "level", "speed", "from", "with", "right", "currently", "again",
            "house", "home", "mode", "program", "cycle", "up", "down", "there", "here", "i", "we", "do",
            "tell", "check", "still", "left", "long", "remaining", "until", "done", "finish", "finished",
            "much", "time", "locked", "unlocked", "open", "closed", "running", "temp", "too", "very",
            "so", "hot", "cold", "dark", "bright", "warm", "cool", "max", "maximum", "min", "minimum",
            "full", "fully", "lowest", "highest", "make", "shut", "get", "let", "go", "back", "base",
            "charger", "on", "off", "its", "it's", "hey", "ok", "okay", "turned", "way", "put",
            "start", "stop", "number", "degrees.", "inside", "outside", "like", "im", "really",
            "feel", "feels", "getting", "one", "cup", "cups", "s", "id", "love", "want", "fancy", "need",
            "wanna"}
_EN_DID_STATE = frozenset({"lock", "unlock", "close", "shut", "open"})
"""Verbs that, asked in the past (did I lock …?), ask whether the thing is locked or open."""
_EN_QUESTION_START = {"is", "are", "what", "what's", "whats", "how", "does", "did", "when", "which",
                      "tell", "check"}
_EN_STATE = {"locked": "open", "unlocked": "open", "open": "open", "closed": "open", "on": "on",
             "off": "on", "running": "on"}


def read_korean(clause: Clause, morphs: Sequence[Morph], question_mark: bool = False) -> bool:
    """Fill ``clause`` from the Kiwi morphemes of what is left once names and numbers are blanked out;
    ``True`` when a noun jipsa does not know was said (the request is about something else)."""
    unknown = False
    prev: Morph | None = None
    asked = question_mark
    done = fine = favour = when = became = all_said = False
    adverbial = 0  # actions said as -게 adverbs (세게, 약하게): they need a verb jipsa knows
    foreign = False  # the last verb is one jipsa does not know (세게 때려)
    broken = False  # 청소가 안 돼, 에어컨 고장났어: it does not work; what state is it in
    there = False  # 있어?/없어?: whether something is so
    someone = False  # 누구 있어?, 사람 있니: whether anyone is there
    who = False  # 누구/누가: asks by itself, with or without a question mark
    came = False  # 누가 왔어: someone arrived
    why = False  # 왜/어째서: asks a reason, never for an action
    done_by: str | None = None  # 불 켠 거, 문 연 사람: the action said as done, in a relative clause
    leak = False
    detected = False  # 감지됐어?: whether a sensor detects something
    for k, m in enumerate(morphs):
        form = m.form
        nxt = morphs[k + 1] if k + 1 < len(morphs) else None
        if clause.attribute in _AIR_ATTRIBUTES and _aimed(m, morphs[k + 1:k + 4]):
            # 바람 방향 아래로, 바람 나한테 안 오게, 사람 피해서: a way to point the air that no swing
            # setting holds (asked of a device, it cannot do it)
            clause.values.append((("swing_mode", "aimed"),))
            prev = m
            continue
        if form == "안" and m.tag == "MAG" and nxt is not None and nxt.is_predicate:
            after = morphs[k + 2] if k + 2 < len(morphs) else None
            if after is not None and after.form in ("어도", "아도", "도") and after.tag == "EC":
                clause.negated = True  # 안 켜도 돼, 청소 안 해도 돼: not needed
            elif after is not None and after.form == "게" and after.tag == "EC":
                clause.opposite = True  # 회전 안 하게 해: make it not turn
            elif nxt.form in _BROKEN and nxt.tag == "VV" and not (prev is not None and prev.tag == "EC"):
                broken = True
        elif (form == "고장" and nxt is not None and nxt.form == "나" and nxt.tag == "VV") or (
                form == "필요" and nxt is not None and nxt.form == "없"
                and _after(morphs, k + 1) not in _BECAUSE):
            if form == "필요":
                clause.negated = True  # 끌 필요 없어: not needed
                prev = m
                continue
            broken = True
        if m.tag == "EP" and form in ("었", "았", "였") and prev is not None and prev.is_predicate:
            verb = prev
            if prev.tag == "VX" and prev.form in ("놓", "두") and k >= 3 and morphs[k - 2].tag == "EC":
                verb = morphs[k - 3]  # 켜 놨어?, 꺼 뒀어?, 잠가 놨니?: the verb before the auxiliary
            elif prev.form == "하" and k >= 2 and morphs[k - 2].end == prev.start:
                verb = morphs[k - 2]  # 시작했어?, 차단했니?: the verbal noun before 하다
            if PREDICATES.get(verb.form) in _PAST_STATE:
                clause.past = PREDICATES[verb.form]
            elif verb.form in _HOMING and Action.DOCK in clause.actions:
                clause.past = Action.DOCK  # 충전하러 갔어?, 제자리로 돌아갔니: is it back home
            elif prev.form in ("되", "돌") or all_said:
                done = True  # 다 됐어?, 다 돌았어?, 청소 다 했어?, 커피 다 내려졌어?: is it done
        if m.tag == "ETM" and form in ("ᆫ", "은") and prev is not None and prev.is_predicate \
                and PREDICATES.get(prev.form) in _PAST_STATE and nxt is not None and nxt.form in _DONE_THING:
            done_by = PREDICATES[prev.form]
        if form in ("있", "없") and m.tag in ("VA", "VV") and not (prev is not None and prev.tag == "EC"):
            there = True
        elif form in _SOMEONE and m.tag in ("NNG", "NP"):
            someone = True
            who = who or form in ("누구", "누가")
            prev = m
            continue
        if form == "감지":
            detected = True
            prev = m
            continue
        if form == "새" and _leaks(m, nxt):
            leak = True  # 물 새?, 가스 새는 것 같아, 가스 새나: something leaks
            prev = m
            continue
        if form == "말" and m.tag in ("VV", "VX") and nxt is not None and nxt.form in ("고", "구") \
                and nxt.tag == "EC" and not (prev is not None and prev.form == "지") \
                and not (k + 2 < len(morphs) and morphs[k + 2].form == "도"):
            # 에어컨 말고 선풍기, 24도 말고 26도로, 꺼 말고 켜: not this but what follows (말고도 adds)
            clause.negated = clause.instead = True
            prev = m
            continue
        if m.tag == "VV":
            foreign = form not in PREDICATES and form not in _PLAIN_VERBS
            if form not in PREDICATES and nxt is not None and nxt.form == "게" and nxt.tag == "EC" \
                    and k + 2 < len(morphs):
                unknown = False  # 영화 보게 불 꺼, 책 읽게: the nouns before say why, not what
            became = became or form == "되"
        elif form == "다" and m.tag == "MAG":
            all_said = True
        elif form == "언제":
            when = True
        elif form in _WHY and m.tag == "MAG":
            why = True
        if m.tag in ("EF", "EC") and form in ("니", "나", "냐", "까", "ㄹ까", "는지"):
            asked = True
        if form in _RARE_FORMS or m.tag == "SL":
            if form == "괜찮" and m.is_predicate:
                fine = True  # 미세먼지 괜찮아?: how is it
            elif form in ("들리", "보이") and prev is not None and prev.form == "안" and not question_mark:
                # 소리가 안 들려: louder; 안 보여: brighter
                clause.actions.append(Action.LOUDER if form == "들리" else Action.BRIGHTER)
                prev = m
                continue
            elif clause.attribute in ("pm10", "pm25") and m.is_predicate and (
                    form in AIR_COMPLAINTS or (form == "좋" and prev is not None and prev.form == "안")):
                if question_mark or (nxt is not None and nxt.form in ("니", "나", "냐", "까", "ㄹ까")):
                    clause.question = True  # 미세먼지 심해?: the reading
                else:
                    clause.actions.append(Action.PURIFY)  # 공기가 탁해, 공기 안 좋네, 공기 깨끗하게 해 줘
                prev = m
                continue
            elif form == "부탁" and m.tag == "NNG":
                favour = True  # 에어컨 부탁해: "see to it", when nothing else is asked
                prev = m
                continue
            elif m.tag == "SL" and EN_WORDS.get(form) in (Action.ON, Action.OFF):
                clause.actions.append(EN_WORDS[form])  # 거실 불 on 해 줘
                prev = m
                continue
            elif form in HUMIDITY_COMPLAINTS and (m.is_predicate or (nxt is not None and nxt.tag == "XSA")):
                if not question_mark and not (nxt is not None and nxt.form == "게"):
                    clause.actions.append(HUMIDITY_COMPLAINTS[form])  # 너무 건조해 → more humid; 습해 → drier
                prev = m
                continue
            elif form == "지" and m.tag == "EC" and nxt is not None and nxt.form == "말" \
                    and prev is not None and prev.form in PREDICATES:
                clause.negated = True  # 켜지 마, 끄지 말고: the action is not wanted
            elif form == "제" and m.tag == "XPN" and nxt is not None and nxt.form == "일":
                clause.maximum = True  # 제일 read as 제 + 일 beside another word
                prev = m
                continue
            elif form in ("돌아가", "가", "들어가") and prev is not None and prev.tag == "JKB" and (
                    form == "돌아가" or (k >= 2 and morphs[k - 2].form in _HOME_WORDS)):
                clause.actions.append(Action.DOCK)  # 충전기로 돌아가, 제자리로 돌아가, 집에 가: back home
                prev = m
                continue
            elif form == "돌아가" and Action.DOCK in clause.actions:
                prev = m
                continue
            elif form == "가" and Action.DOCK in clause.actions:
                prev = m
                continue  # 충전하러 가
            elif form == "중" and prev is not None and prev.form in PREDICATES and clause.actions \
                    and clause.actions[-1] == PREDICATES[prev.form]:
                # 작동 중이야?, 청소 중이니: whether it is running (청소 stays: it names the vacuum)
                if clause.actions[-1] != Action.CLEAN:
                    clause.actions.pop()
                clause.question = True
                clause.state_of = "on"
                prev = m
                continue
        if form in _ON_OFF_FORMS and nxt is not None and nxt.form in ("있", "어", "아") \
                and _stative(morphs, k):
            clause.question = True  # 켜 있어? 꺼 있네: the state, not the action
            clause.state_of = "on"
        elif form == "도" and prev is not None and prev.form == "몇":
            clause.question = True
            clause.attribute = clause.attribute or "temperature"
        elif form in _COUNTED and prev is not None and prev.form == "몇":
            clause.question = True  # 티비 몇 번이야, 선풍기 몇 단이야
            clause.attribute = clause.attribute or _COUNTED[form]
        elif form == "지" and m.tag == "VX" and prev is not None and prev.form in PREDICATES:
            clause.question = True
            clause.state_of = "on" if PREDICATES[prev.form] in (Action.ON, Action.OFF) else "open"
            if clause.actions:
                clause.actions.pop()
        elif form in ("켜지", "꺼지") and nxt is not None and (nxt.form == "게" or nxt.tag == "ETN"):
            # 꺼지게 해 줘, 켜짐 예약: switch it off, on
            clause.actions.append(Action.ON if form == "켜지" else Action.OFF)
        elif form in _STATE_FORMS and m.is_predicate:
            clause.question = True
            clause.state_of = _STATE_FORMS[form]
        elif form == "걸리" and m.is_predicate and Action.ENGINE in clause.actions:
            clause.question = True  # 시동 걸려 있어?, 시동 걸렸나: whether the engine runs
            clause.state_of = "on"
        elif form in _REMAINING_FORMS and m.is_predicate:
            clause.remaining = True
        elif form in _QUESTION_FORMS or (form == "어떻게" and nxt is not None and nxt.form == "되"):
            clause.question = True  # (어떻게 돼?: how is it)
        elif form in MAX_WORDS:
            clause.maximum = True
        elif form in MIN_WORDS:
            clause.minimum = True
        elif form in MORE_WORDS:
            clause.more = True
        elif (form in COMPLAINTS or (form in WARM_FEELINGS and _intensified(morphs, k))) \
                and (m.tag == "VA" or (m.tag in ("XR", "MAG") and nxt is not None and nxt.tag == "XSA"
                                       and _after(morphs, k + 1) != "게")) \
                and not (nxt is not None and nxt.form == "게") \
                and not (nxt is not None and nxt.tag == "ETM"):  # 낮은 온도로, 밝은 색으로: what is wanted
            # 너무 어두워, 소리가 작아: a complaint asks for the opposite of the adjective (not 밝아?)
            if not question_mark:
                clause.actions.append(_OPPOSITE[PREDICATES[form]])
        elif form in PREDICATES and (m.is_predicate or m.tag in ("NNG", "NNP", "MAG", "NNB", "XR")):
            if prev is not None and prev.form == "그만" and m.is_predicate:
                pass  # 그만 돌려: stop, whatever the verb
            else:
                action = PREDICATES[form]
                if action == Action.STOP and any(x.form in _A_WHILE for x in morphs[max(0, k - 2):k]):
                    action = Action.PAUSE  # 잠깐만 멈춰, 잠시 정지해: for a while, a pause
                clause.actions.append(action)
                if nxt is not None and nxt.form == "게" and m.is_predicate:
                    adverbial += 1
                    foreign = False  # 책 읽게 밝게: the verb before was the purpose, not the request
        elif m.tag in ("NNG", "NNP", "SL", "SH", "NNB") and form not in HARMLESS_NOUNS \
                and form not in ALL_WORDS:
            unknown = True
        prev = m
    if broken and not any(m.form == "주" and m.tag == "VX" for m in morphs):
        clause.question = True
        clause.state_of = "on"
        clause.actions = [a for a in clause.actions if a == Action.CLEAN]
    if foreign and adverbial and adverbial == len(clause.actions):
        clause.actions = []  # 세게 때려: how, but not a thing jipsa does
    if leak:
        clause.leak = True
        clause.question = clause.question or asked
        unknown = False  # 천장에서 물이 새요: what leaks and where, not something else asked
    if someone and who and not clause.actions:
        came = any(x.form == "오" and x.tag == "VV" for x in morphs)
        asked = asked or there or came  # 현관에 누구 있어, 누가 왔어: a question as spoken
        there = there or came
    if someone and there and asked and not clause.actions:
        clause.attribute = "presence"
    if (fine or (there and not clause.actions)) and asked:
        clause.question = True  # 미세먼지 괜찮아?, 누수 없어?
    if when and became:
        clause.remaining = True  # 언제 다 돼?: when will it be done
    if favour and set(clause.actions) <= {Action.DO} and not clause.question:
        clause.actions = [Action.RUN]
    if detected and asked and not clause.question:
        clause.question = True  # 현관 센서 감지됐어?: what the sensor says
        clause.actions = [a for a in clause.actions if a != Action.DO]
    if not clause.actions and not clause.question and not clause.values and not clause.quantities and (
            clause.attribute in _READINGS or (asked and clause.attribute in _SETTINGS)):
        clause.question = True  # 거실 온도, 미세먼지, 청소기 배터리는?: said alone, a reading is asked
    if done and asked and not clause.question:
        clause.remaining = True  # 세탁기 다 됐어?, 커피 다 됐니: how long is left
        clause.actions = [a for a in clause.actions if a != Action.DO]
    if clause.remaining and not clause.question:
        clause.remaining = asked  # 세탁기 끝났어? asks; 세탁기 끝났어 (no question) asks nothing
        clause.question = asked
    if (clause.question or clause.remaining) and clause.attribute is None and clause.state_of is None \
            and any(m.form == "충전" for m in morphs):
        # 차 충전 얼마나 됐어?, 충전 몇 프로야, 충전 다 됐어?: how charged it is (충전 중이야? is its state)
        clause.attribute, clause.question, clause.remaining = "battery", True, False
        clause.actions = [a for a in clause.actions if a != Action.DOCK]
    # 누가 불 켰어, 언제 보일러 껐어, 왜 문 열었어: who, when or why something was done asks about it
    # (with or without a question mark), never for it; what jipsa can tell is the state now
    if clause.past is None and done_by is not None and (who or when or why):
        clause.past = done_by  # 누가 불 켠 거야, 불 켠 게 누구야, 언제 보일러 끈 거야
    told = clause.past is not None and (who or when or why)
    if clause.past is not None and (asked or told) and (
            not clause.question or (told and clause.state_of is None)):
        # 잠갔어? 껐어?: "did it get locked / switched off" asks about the state now
        clause.question = True
        clause.state_of = "on" if clause.past in _PAST_RUNNING else "open"
        if clause.past != Action.CLEAN:  # 청소했어? still names the vacuum's cleaning
            clause.actions = [a for a in clause.actions if a != clause.past]
    return unknown


def _at(morphs: Sequence[Morph], k: int) -> Morph | None:
    return morphs[k] if k < len(morphs) else None


def _aimed(m: Morph, following: Sequence[Morph]) -> bool:
    """Whether ``m`` says where the air should go: a direction before 로/으로/쪽 (아래로, 위쪽으로) or
    someone before 한테/에게/쪽 or 피하다 (나한테, 사람 피해서, 사람을 피해)."""
    if not following or m.tag not in ("NNG", "NP", "NNB"):
        return False
    rest = [x for x in following if x.form not in ("쪽", "을", "를")]
    if not rest:
        return False
    if m.form in _AIMS:
        return rest[0].tag == "JKB" and rest[0].form in ("로", "으로")
    return m.form in _AIMED_AT and (rest[0].form in ("한테", "에게", "께", "로", "으로", "피하")
                                    or (rest[0].form == "피" and len(rest) > 1 and rest[1].form == "하"))


def _leaks(m: Morph, nxt: Morph | None) -> bool:
    """Whether ``m`` is the verb 새다, "to leak" (물 새?): the analyser sometimes takes it for the noun
    (a bird) before 는/나/니."""
    return m.form == "새" and (m.tag == "VV" or (m.tag == "NNG" and nxt is not None and nxt.start == m.end
                                                and nxt.form in ("는", "나", "니", "냐", "요")))


def _after(morphs: Sequence[Morph], k: int) -> str:
    """The form after position ``k``, or ``""``."""
    return morphs[k + 1].form if k + 1 < len(morphs) else ""


def _stative(morphs: Sequence[Morph], k: int) -> bool:
    """Whether the on/off verb at ``k`` is followed by 있다 (켜 있어, 꺼 있다): a state, not a request."""
    rest = [m for m in morphs[k + 1:k + 3] if not (m.tag == "EC" and m.form in ("어", "아"))]
    return bool(rest) and rest[0].form == "있" and rest[0].tag in ("VX", "VA", "VV")


def read_english(clause: Clause, morphs: Sequence[Morph]) -> bool:
    """:func:`read_korean` for English words."""
    unknown = False
    words = [m.form for m in morphs]
    first = words[0] if words else ""
    question = first in _EN_QUESTION_START
    for k, word in enumerate(words):
        prev = words[k - 1] if k else ""
        after = words[k + 1] if k + 1 < len(words) else ""
        if question and word in _EN_COMPLAINTS and word in ("warm", "hot", "cold"):
            clause.attribute = clause.attribute or "temperature"  # how warm is it in the office
            continue
        if not question and word in _EN_COMPLAINTS and prev in ("too", "so", "very", "really"):
            clause.actions.append(_EN_COMPLAINTS[word])  # too warm → cooler, too loud → quieter
            continue
        if word in ("on", "off") and after in ("the", "my", "our", "a") and prev not in (
                "turn", "switch", "put", "flip", "it", "them", "everything", "all"):
            continue  # volume up on the tv: a preposition, not "switch on"
        if question and word in _EN_STATE:
            clause.state_of = clause.state_of or _EN_STATE[word]
        elif question and first == "did" and word in _EN_DID_STATE:
            clause.state_of = clause.state_of or "open"  # did I lock the front door?: whether it is locked
        elif word in EN_WORDS and not question:
            clause.actions.append(EN_WORDS[word])
        elif word in MAX_WORDS:
            clause.maximum = True
        elif word in MIN_WORDS:
            clause.minimum = True
        elif word in ("left", "remaining", "finish", "finished", "done"):
            clause.remaining = question
        elif word not in _EN_STOP and not word.isdigit():
            unknown = True
        if word in ("hot", "warm") and not question:
            clause.actions.append(Action.COOLER if word == "hot" else Action.WARMER)
        if word in ("cold",) and not question:
            clause.actions.append(Action.WARMER)
        if word in ("dark",) and not question:
            clause.actions.append(Action.BRIGHTER)
    clause.question = clause.question or question
    return unknown


def _intensified(morphs: Sequence[Morph], k: int) -> bool:
    """Whether an intensifier (너무, 엄청) comes just before ``morphs[k]`` (좀 and 진짜 may stand between)."""
    for m in reversed(morphs[max(0, k - 3):k]):
        if m.form in INTENSIFIERS:
            return True
        if m.form not in ("좀", "진짜", "정말", "막", "아주"):
            return False
    return False
