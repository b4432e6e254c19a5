"""The words jipsa knows: device-type nouns, predicates, attribute nouns and setting values, Korean and
English.

Identifiers are English; the Korean lives here. Predicate keys are Kiwi lemmas (``끄`` for 꺼/끄고/꺼 줘);
surface phrases (``PHRASES``) catch what the morphological analyser splits badly (``음소거``) and the
English verbs. Every action is one of the ``Action`` strings below; ``intents`` turns an action and a device
into an intent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from jipsa.core.devices import DeviceClass, DeviceType

T, C = DeviceType, DeviceClass


class Action:
    """What a predicate asks for, before the device decides the intent."""

    ON: Final = "on"
    OFF: Final = "off"
    UP: Final = "up"
    DOWN: Final = "down"
    SET: Final = "set"
    OPEN: Final = "open"
    CLOSE: Final = "close"
    LOCK: Final = "lock"
    UNLOCK: Final = "unlock"
    RUN: Final = "run"            # 돌리다: start an appliance, switch on anything else
    START: Final = "start"
    PAUSE: Final = "pause"
    STOP: Final = "stop"
    RESUME: Final = "resume"
    MUTE: Final = "mute"
    UNMUTE: Final = "unmute"
    DOCK: Final = "dock"
    CLEAN: Final = "clean"
    COOLER: Final = "cooler"
    WARMER: Final = "warmer"
    BRIGHTER: Final = "brighter"
    DARKER: Final = "darker"
    LOUDER: Final = "louder"
    QUIETER: Final = "quieter"
    STRONGER: Final = "stronger"
    WEAKER: Final = "weaker"
    MOISTER: Final = "moister"     # 건조해: the air is dry, raise the humidity
    DRIER: Final = "drier"         # 습해, 눅눅해: the air is damp, lower it
    NEXT: Final = "next"
    PREVIOUS: Final = "previous"
    ENGINE: Final = "engine"       # 시동: with ON/OFF it means the engine
    PURIFY: Final = "purify"      # 공기가 안 좋아, 공기 깨끗하게: run the air purifier
    DO: Final = "do"              # 하다/해 줘: set when a value is given, else nothing
    STATE: Final = "state"        # 켜져 있어? 잠겼어? — a question about state
    FIX: Final = "fix"            # 고정해: keep the air (or the head of a fan) pointing one way
    FLATTEN: Final = "flatten"    # 눕혀: blind slats laid flat, open to the light
    UPRIGHT: Final = "upright"    # 세워: blind slats stood up, closed


ADJUSTMENTS: Mapping[str, int] = {
    Action.COOLER: -1, Action.WARMER: +1, Action.BRIGHTER: +1, Action.DARKER: -1, Action.LOUDER: +1,
    Action.QUIETER: -1, Action.STRONGER: +1, Action.WEAKER: -1, Action.UP: +1, Action.DOWN: -1,
    Action.NEXT: +1, Action.PREVIOUS: -1, Action.MOISTER: +1, Action.DRIER: -1,
}
"""The direction of each relative action."""

TYPE_WORDS: Mapping[str, tuple[DeviceType, DeviceClass | None]] = {
    "불": (T.LIGHT, None), "조명": (T.LIGHT, None), "전등": (T.LIGHT, None), "등": (T.LIGHT, None),
    "불빛": (T.LIGHT, None), "라이트": (T.LIGHT, None), "전구": (T.LIGHT, None), "형광등": (T.LIGHT, None),
    "light": (T.LIGHT, None), "lights": (T.LIGHT, None), "lamp": (T.LIGHT, None), "lamps": (T.LIGHT, None),
    "스위치": (T.SWITCH, None),
    "플러그": (T.PLUG, None), "콘센트": (T.PLUG, None), "멀티탭": (T.PLUG, None), "plug": (T.PLUG, None),
    "에어컨": (T.AIR_CONDITIONER, None), "에어콘": (T.AIR_CONDITIONER, None),
    "냉방기": (T.AIR_CONDITIONER, None), "냉난방기": (T.AIR_CONDITIONER, None),
    "aircon": (T.AIR_CONDITIONER, None), "ac": (T.AIR_CONDITIONER, None),
    "air conditioner": (T.AIR_CONDITIONER, None), "air conditioning": (T.AIR_CONDITIONER, None),
    "히터": (T.HEATER, None), "난로": (T.HEATER, None), "온풍기": (T.HEATER, None),
    "전기난로": (T.HEATER, None), "heater": (T.HEATER, None),
    "보일러": (T.BOILER, None), "보이라": (T.BOILER, None), "boiler": (T.BOILER, None),
    "온도조절기": (T.THERMOSTAT, None), "thermostat": (T.THERMOSTAT, None),
    "공기청정기": (T.AIR_PURIFIER, None), "공청기": (T.AIR_PURIFIER, None), "청정기": (T.AIR_PURIFIER, None),
    "air purifier": (T.AIR_PURIFIER, None), "purifier": (T.AIR_PURIFIER, None),
    "가습기": (T.HUMIDIFIER, None), "humidifier": (T.HUMIDIFIER, None),
    "제습기": (T.DEHUMIDIFIER, None), "dehumidifier": (T.DEHUMIDIFIER, None),
    "선풍기": (T.FAN, None), "서큘레이터": (T.FAN, None), "fan": (T.FAN, None),
    "냉장고": (T.REFRIGERATOR, None), "fridge": (T.REFRIGERATOR, None),
    "refrigerator": (T.REFRIGERATOR, None),
    "세탁기": (T.WASHER, None), "세탁": (T.WASHER, None), "빨래": (T.WASHER, None),
    "washer": (T.WASHER, None),
    "washing machine": (T.WASHER, None),
    "건조기": (T.DRYER, None), "dryer": (T.DRYER, None),
    "식기세척기": (T.DISHWASHER, None), "식세기": (T.DISHWASHER, None), "dishwasher": (T.DISHWASHER, None),
    "설거지": (T.DISHWASHER, None),
    "청소기": (T.ROBOT_VACUUM, None), "로봇청소기": (T.ROBOT_VACUUM, None),
    "vacuum": (T.ROBOT_VACUUM, None), "robot vacuum": (T.ROBOT_VACUUM, None),
    "티비": (T.TV, None), "tv": (T.TV, None), "텔레비전": (T.TV, None), "테레비": (T.TV, None),
    "텔레비": (T.TV, None), "티브이": (T.TV, None), "티브": (T.TV, None), "television": (T.TV, None),
    "스피커": (T.SPEAKER, None), "speaker": (T.SPEAKER, None),
    "커튼": (T.COVER, C.CURTAIN), "curtain": (T.COVER, C.CURTAIN), "curtains": (T.COVER, C.CURTAIN),
    "블라인드": (T.COVER, C.BLIND), "blind": (T.COVER, C.BLIND), "blinds": (T.COVER, C.BLIND),
    "차양": (T.COVER, C.SHADE), "셰이드": (T.COVER, C.SHADE), "shade": (T.COVER, C.SHADE),
    "차고문": (T.COVER, C.GARAGE), "차고": (T.COVER, C.GARAGE), "garage door": (T.COVER, C.GARAGE),
    "garage": (T.COVER, C.GARAGE), "대문": (T.COVER, C.GATE), "gate": (T.COVER, C.GATE),
    "도어락": (T.DOOR_LOCK, None), "도어록": (T.DOOR_LOCK, None), "현관문": (T.DOOR_LOCK, None),
    "잠금장치": (T.DOOR_LOCK, None), "door lock": (T.DOOR_LOCK, None),
    "front door": (T.DOOR_LOCK, None), "door": (T.DOOR_LOCK, None),
    "가스": (T.GAS_VALVE, None), "가스밸브": (T.GAS_VALVE, None), "가스 밸브": (T.GAS_VALVE, None),
    "밸브": (T.GAS_VALVE, None), "gas": (T.GAS_VALVE, None), "gas valve": (T.GAS_VALVE, None),
    "valve": (T.GAS_VALVE, None),
    "커피머신": (T.COFFEE_MACHINE, None), "커피 머신": (T.COFFEE_MACHINE, None),
    "커피메이커": (T.COFFEE_MACHINE, None), "coffee machine": (T.COFFEE_MACHINE, None),
    "커피": (T.COFFEE_MACHINE, None), "coffee": (T.COFFEE_MACHINE, None),
    "coffee maker": (T.COFFEE_MACHINE, None),
    # coffee drinks no programme names: asking for one brews (the machine's own programme)
    "라떼": (T.COFFEE_MACHINE, None), "카페라떼": (T.COFFEE_MACHINE, None),
    "카페 라떼": (T.COFFEE_MACHINE, None), "카푸치노": (T.COFFEE_MACHINE, None),
    "카페모카": (T.COFFEE_MACHINE, None), "룽고": (T.COFFEE_MACHINE, None),
    "플랫화이트": (T.COFFEE_MACHINE, None), "마키아토": (T.COFFEE_MACHINE, None),
    "latte": (T.COFFEE_MACHINE, None), "cappuccino": (T.COFFEE_MACHINE, None),
    "가스불": (T.GAS_VALVE, None), "가스레인지": (T.GAS_VALVE, None), "가스렌지": (T.GAS_VALVE, None),
    "차": (T.VEHICLE, None), "자동차": (T.VEHICLE, None), "car": (T.VEHICLE, None),
    "온도계": (T.SENSOR, C.TEMPERATURE), "온도 센서": (T.SENSOR, C.TEMPERATURE),
    "습도계": (T.SENSOR, C.HUMIDITY), "습도 센서": (T.SENSOR, C.HUMIDITY),
    "창문": (T.BINARY_SENSOR, C.WINDOW), "window": (T.BINARY_SENSOR, C.WINDOW),
    "동작 센서": (T.BINARY_SENSOR, C.MOTION), "motion sensor": (T.BINARY_SENSOR, C.MOTION),
    "누수": (T.BINARY_SENSOR, C.LEAK), "누수 센서": (T.BINARY_SENSOR, C.LEAK),
    "leak": (T.BINARY_SENSOR, C.LEAK),
}
"""Nouns naming a kind of device (and class), by lower-case surface form."""

MAIN_LIGHT_WORDS: frozenset[str] = frozenset({
    "큰불", "큰등", "큰조명", "메인조명", "메인등", "메인불", "천장등", "천장조명", "천장불", "main light",
    "ceiling light"})
"""The main light of a room (spaces removed): 안방 큰 불 is the 안방's ceiling light, not its lamp."""

SWITCHABLE_TYPES: frozenset[DeviceType] = frozenset({
    T.LIGHT, T.SWITCH, T.PLUG, T.AIR_CONDITIONER, T.HEATER, T.BOILER, T.AIR_PURIFIER, T.HUMIDIFIER,
    T.DEHUMIDIFIER, T.FAN, T.TV, T.SPEAKER, T.COFFEE_MACHINE})
"""What "turn off the living room" switches: appliances people leave on, not fridges or washers."""

PREDICATES: Mapping[str, str] = {
    # on / off
    "켜": Action.ON, "키": Action.ON, "틀": Action.ON, "작동": Action.ON, "가동": Action.ON,
    "동작": Action.ON, "켜짐": Action.ON, "꺼짐": Action.OFF,
    "켜지": Action.STATE, "꺼지": Action.STATE, "잠기": Action.STATE, "열리": Action.STATE,
    "닫히": Action.STATE, "작동되": Action.STATE, "돌아가": Action.STATE,
    "돌리": Action.RUN, "돌려주": Action.RUN, "돌려보내": Action.DOCK, "보내": Action.DOCK,
    "끄": Action.OFF, "꺼": Action.OFF, "멈추": Action.STOP, "정지": Action.STOP,
    "중지": Action.STOP, "그만하": Action.STOP, "그만": Action.STOP, "종료": Action.OFF,
    # up / down / set
    "올리": Action.UP, "높이": Action.UP, "키우": Action.UP, "늘리": Action.UP, "높": Action.UP,
    "내리": Action.DOWN, "낮추": Action.DOWN, "줄이": Action.DOWN, "낮": Action.DOWN,
    "맞추": Action.SET, "설정": Action.SET, "바꾸": Action.SET, "변경": Action.SET, "조절": Action.SET,
    "조정": Action.SET, "하": Action.DO, "되": Action.DO, "만들": Action.DO,
    # covers, locks, valves
    "열": Action.OPEN, "닫": Action.CLOSE, "걷": Action.OPEN, "치": Action.CLOSE, "펴": Action.OPEN,
    "펼치": Action.OPEN, "접": Action.CLOSE,
    "잠그": Action.LOCK, "잠구": Action.LOCK, "잠": Action.LOCK, "차단": Action.CLOSE,
    "풀": Action.UNLOCK, "해제": Action.UNLOCK, "개방": Action.OPEN,
    # appliances and vacuum
    "시작": Action.START, "재생": Action.RESUME, "이어": Action.RESUME, "일시정지": Action.PAUSE,
    "청소": Action.CLEAN, "충전": Action.DOCK, "복귀": Action.DOCK, "돌아오": Action.DOCK,
    "들어가": Action.DOCK, "귀환": Action.DOCK,
    "음소거": Action.MUTE,
    # feelings and qualities
    "시원하": Action.COOLER, "시원": Action.COOLER, "서늘하": Action.COOLER, "덥": Action.COOLER,
    "차갑": Action.COOLER, "뜨겁": Action.WARMER, "따뜻": Action.WARMER, "따뜻하": Action.WARMER,
    "따듯": Action.WARMER, "따듯하": Action.WARMER, "춥": Action.WARMER, "훈훈": Action.WARMER,
    "훈훈하": Action.WARMER,
    "뜨끈": Action.WARMER, "뜨끈하": Action.WARMER, "따끈": Action.WARMER, "따끈하": Action.WARMER,
    "뜨뜻": Action.WARMER, "뜨뜻하": Action.WARMER, "따숩": Action.WARMER, "따습": Action.WARMER,
    "선선": Action.COOLER, "선선하": Action.COOLER,
    "쌀쌀": Action.WARMER, "쌀쌀하": Action.WARMER, "으슬으슬": Action.WARMER, "후텁지근": Action.COOLER,
    "후덥지근": Action.COOLER, "무덥": Action.COOLER, "조용히": Action.QUIETER,
    # heat and cold said by likeness: 절절 끓어, 찜통이야 / 냉골이야, 얼음장이야
    "끓": Action.COOLER, "찜통": Action.COOLER, "냉골": Action.WARMER, "찌": Action.COOLER,
    "얼음장": Action.WARMER,
    "밝": Action.BRIGHTER, "환하": Action.BRIGHTER, "환": Action.BRIGHTER,
    "어둡": Action.DARKER, "어둑하": Action.DARKER, "깜깜": Action.DARKER,
    "캄캄": Action.DARKER, "은은하": Action.DARKER, "은은": Action.DARKER,
    "크": Action.LOUDER, "조용": Action.QUIETER, "조용하": Action.QUIETER, "작": Action.QUIETER,
    "시끄럽": Action.QUIETER, "시끄러": Action.QUIETER, "눈부시": Action.DARKER, "부시": Action.DARKER,
    "뽑": Action.START, "타": Action.DO,
    "세": Action.STRONGER, "강하": Action.STRONGER, "세차": Action.STRONGER,
    "약하": Action.WEAKER, "살살": Action.WEAKER, "시동": Action.ENGINE,
    # where the air or the slats point
    "고정": Action.FIX, "눕히": Action.FLATTEN, "세우": Action.UPRIGHT,
}
"""Kiwi lemmas (verbs, adjectives, roots and verbal nouns) and the action each asks for."""

PHRASES: Mapping[str, str] = {
    "음소거해제": Action.UNMUTE, "음소거풀": Action.UNMUTE, "소리켜": Action.UNMUTE, "음소거": Action.MUTE,
    "소리꺼": Action.MUTE, "소리죽여": Action.MUTE, "일시정지": Action.PAUSE, "일시중지": Action.PAUSE,
    "잠깐멈춰": Action.PAUSE, "잠깐정지": Action.PAUSE, "다시재생": Action.RESUME, "다시틀어": Action.RESUME,
    "계속재생": Action.RESUME, "이어서재생": Action.RESUME, "이어서틀어": Action.RESUME,
    "충전하러": Action.DOCK, "충전기로": Action.DOCK, "집으로": Action.DOCK, "제자리로": Action.DOCK,
    "다음채널": Action.NEXT, "이전채널": Action.PREVIOUS, "채널다음": Action.NEXT, "다른채널": Action.NEXT,
    "켜져": Action.STATE, "꺼져": Action.STATE,
}
"""Compact surface phrases read before morphology, longest first."""

EN_WORDS: Mapping[str, str] = {
    "on": Action.ON, "off": Action.OFF, "start": Action.START, "run": Action.RUN, "stop": Action.STOP,
    "pause": Action.PAUSE, "resume": Action.RESUME, "unpause": Action.RESUME, "continue": Action.RESUME,
    "open": Action.OPEN, "close": Action.CLOSE, "shut": Action.CLOSE, "lock": Action.LOCK,
    "unlock": Action.UNLOCK, "raise": Action.UP, "increase": Action.UP, "up": Action.UP,
    "lower": Action.DOWN, "decrease": Action.DOWN, "down": Action.DOWN, "reduce": Action.DOWN,
    "set": Action.SET, "change": Action.SET, "switch": Action.SET, "make": Action.DO, "put": Action.SET,
    "dim": Action.DARKER, "darker": Action.DARKER, "brighten": Action.BRIGHTER,
    "brighter": Action.BRIGHTER, "warmer": Action.WARMER, "cooler": Action.COOLER,
    "colder": Action.COOLER, "louder": Action.LOUDER, "quieter": Action.QUIETER, "softer": Action.QUIETER,
    "stronger": Action.STRONGER, "faster": Action.STRONGER, "weaker": Action.WEAKER,
    "slower": Action.WEAKER, "mute": Action.MUTE, "unmute": Action.UNMUTE, "dock": Action.DOCK,
    "clean": Action.CLEAN, "vacuum": Action.CLEAN, "next": Action.NEXT, "previous": Action.PREVIOUS,
    "activate": Action.ON, "enable": Action.ON, "deactivate": Action.OFF, "disable": Action.OFF,
    "kill": Action.OFF, "vacuuming": Action.CLEAN, "hoover": Action.CLEAN, "send": Action.DOCK,
    "freezing": Action.WARMER, "chilly": Action.WARMER, "boiling": Action.COOLER,
    "stuffy": Action.COOLER, "closed": Action.CLOSE,
}
"""English words, after lower-casing, and their action."""

ATTRIBUTE_WORDS: Mapping[str, str] = {
    "온도": "temperature", "실내온도": "temperature", "기온": "temperature", "temperature": "temperature",
    "temp": "temperature", "희망온도": "temperature", "설정온도": "temperature",
    "밝기": "brightness", "조도": "brightness", "brightness": "brightness",
    "볼륨": "volume", "소리": "volume", "음량": "volume", "volume": "volume", "sound": "volume",
    "채널": "channel", "channel": "channel",
    "바람": "fan_speed", "풍량": "fan_speed", "풍속": "fan_speed", "바람세기": "fan_speed",
    "세기": "fan_speed", "fan speed": "fan_speed", "speed": "fan_speed",
    "습도": "humidity", "humidity": "humidity", "humid": "humidity",
    "모드": "mode", "mode": "mode", "운전모드": "mode",
    "색": "color", "색깔": "color", "색상": "color", "컬러": "color", "color": "color", "colour": "color",
    "색온도": "color_temp", "color temperature": "color_temp",
    "외부입력": "input", "입력": "input", "input": "input", "source": "input",
    "위치": "position", "position": "position",
    "냉장실": "fridge", "냉장": "fridge", "냉동실": "freezer", "냉동": "freezer", "freezer": "freezer",
    "미세먼지": "pm10", "초미세먼지": "pm25", "공기질": "pm10", "공기": "pm10", "air quality": "pm10",
    "먼지": "pm10",
    "배터리": "battery", "battery": "battery", "남은시간": "remaining_minutes",
    "기름": "fuel_percent", "연료": "fuel_percent", "주행가능거리": "range_km",
    "문": "door", "도어": "door",
    # a fan turning its head, an air conditioner's louvres, a blind's slats (``vane``: whichever the device
    # has: the slats of a blind, else the swing of the air)
    "회전": "oscillating", "회전기능": "oscillating", "고개": "oscillating",
    "oscillation": "oscillating", "oscillating": "oscillating", "oscillate": "oscillating",
    "스윙": "swing_mode", "바람방향": "swing_mode", "풍향": "swing_mode", "방향": "swing_mode",
    "바람각도": "swing_mode", "swing": "swing_mode", "swing mode": "swing_mode",
    "air direction": "swing_mode",
    "살": "tilt_position", "슬랫": "tilt_position", "slats": "tilt_position",
    "slat": "tilt_position", "tilt": "vane", "틸트": "vane", "rotate": "oscillating",
    "rotating": "oscillating", "rotation": "oscillating", "swinging": "swing_mode",
    "각도": "vane", "날개": "vane", "루버": "vane", "louvers": "vane", "louvres": "vane", "vanes": "vane",
}
"""Nouns naming a setting or reading; values are attribute names or the refrigerator compartments.
``door`` is the door of the named thing: a refrigerator's ``door_open``, a car's lock, else the door lock."""

HUMIDITY_COMPLAINTS: Mapping[str, str] = {
    "건조": Action.MOISTER, "건조하": Action.MOISTER, "메마르": Action.MOISTER, "습하": Action.DRIER,
    "눅눅": Action.DRIER, "눅눅하": Action.DRIER, "꿉꿉": Action.DRIER, "꿉꿉하": Action.DRIER,
    "끈적": Action.DRIER, "끈적하": Action.DRIER, "습": Action.DRIER}
"""What the air feels like (너무 건조해, 습해, 눅눅해): asks for the humidity the other way. Read only as an
adjective (건조 + 하다), so 건조 as a noun (건조 코스) is not a complaint."""

AIR_COMPLAINTS: frozenset[str] = frozenset({"탁하", "탁", "나쁘", "심하", "많", "더럽", "깨끗하", "깨끗",
                                            "맑", "답답", "답답하", "갑갑", "갑갑하", "텁텁", "텁텁하",
                                            "매캐", "매캐하", "퀴퀴", "퀴퀴하"})
"""What the air is said to be (공기가 탁해, 공기가 답답해, 미세먼지 심해, 먼지 많아, 공기 깨끗하게): with the
air or dust named, a request to run the air purifier (a question asks the reading)."""

COMPLAINTS: frozenset[str] = frozenset({"밝", "어둡", "크", "작", "환하", "차갑", "뜨겁", "조용", "낮", "높",
                                        "세", "강하", "약하", "깜깜", "캄캄"})
"""Adjectives that ask for the opposite when said as a complaint (너무 어두워 → brighter) rather than
with -게 (어둡게 → darker): 바람이 너무 차가워 → warmer, 차갑게 → cooler. 덥/춥/시끄럽/눈부시 are complaints
in the lexicon already."""

WARM_FEELINGS: frozenset[str] = frozenset({"따뜻", "따뜻하", "따듯", "따듯하", "훈훈", "훈훈하", "뜨뜻",
                                           "뜨뜻하", "뜨끈", "뜨끈하", "따끈", "따끈하"})
"""Pleasant warmth: asked for with -게 (따뜻하게 → warmer), but said as a statement after an intensifier
(방이 너무 따뜻해, 엄청 훈훈하네) a complaint that it is too warm (→ cooler)."""

INTENSIFIERS: frozenset[str] = frozenset({"너무", "넘", "너무너무", "엄청", "무지", "되게", "겁나", "완전",
                                          "지나치"})
"""Words that make a pleasant quality too much (너무 따뜻해)."""

VEHICLE_CLIMATE_WORDS: frozenset[str] = frozenset({"에어컨", "에어콘", "히터", "난방", "냉방", "공조",
                                                   "냉난방", "air conditioning", "ac", "aircon",
                                                   "heater", "heating", "climate"})
"""Climate words that, beside a named car, mean the car's own climate (차 에어컨 켜 → feature=climate)."""

VALUE_WORDS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "냉방": (("hvac_mode", "cool"),), "cool": (("hvac_mode", "cool"),), "cooling": (("hvac_mode", "cool"),),
    "난방": (("hvac_mode", "heat"), ("mode", "heating")), "heat": (("hvac_mode", "heat"),),
    "heating": (("hvac_mode", "heat"), ("mode", "heating")),
    "제습": (("hvac_mode", "dry"),), "dry": (("hvac_mode", "dry"),),
    "송풍": (("hvac_mode", "fan_only"),), "fan only": (("hvac_mode", "fan_only"),),
    "자동": (("hvac_mode", "auto"), ("mode", "auto"), ("fan_speed", "auto"), ("swing_mode", "on")),
    "auto": (("hvac_mode", "auto"), ("mode", "auto"), ("fan_speed", "auto"), ("swing_mode", "on")),
    "취침": (("mode", "sleep"),), "수면": (("mode", "sleep"),), "sleep": (("mode", "sleep"),),
    "외출": (("mode", "away"),), "away": (("mode", "away"),), "온수": (("mode", "hot_water"),),
    "hot water": (("mode", "hot_water"),), "터보": (("mode", "turbo"), ("fan_speed", "turbo")),
    "turbo": (("mode", "turbo"), ("fan_speed", "turbo")), "파워": (("mode", "turbo"), ("fan_speed", "turbo")),
    "절전": (("mode", "eco"),), "에코": (("mode", "eco"), ("program", "eco")),
    "eco": (("mode", "eco"), ("program", "eco")),
    # Samsung's wind-free cooling: no device in the catalogue has it, so asking for it is unsupported
    "무풍": (("mode", "wind_free"),),
    "저소음": (("mode", "quiet"),), "quiet": (("mode", "quiet"),), "일반": (("mode", "normal"),),
    "약풍": (("fan_speed", "low"),), "미풍": (("fan_speed", "low"),), "중풍": (("fan_speed", "medium"),),
    "강풍": (("fan_speed", "high"),), "low": (("fan_speed", "low"),), "medium": (("fan_speed", "medium"),),
    "high": (("fan_speed", "high"),),
    "강": (("fan_speed", "high"),), "중": (("fan_speed", "medium"),), "중간": (("fan_speed", "medium"),),
    "약": (("fan_speed", "low"),),
    "흰색": (("color", "white"),), "하얀색": (("color", "white"),), "하얀": (("color", "white"),),
    "white": (("color", "white"),), "주황색": (("color", "orange"),), "주황": (("color", "orange"),),
    "orange": (("color", "orange"),), "전구색": (("color", "warm_white"),), "warm white": (("color",
    "warm_white"),),
    "빨간색": (("color", "red"),), "빨강": (("color", "red"),), "빨간": (("color", "red"),),
    "red": (("color", "red"),), "노란색": (("color", "yellow"),), "노랑": (("color", "yellow"),),
    "노란": (("color", "yellow"),), "yellow": (("color", "yellow"),),
    "초록색": (("color", "green"),), "초록": (("color", "green"),), "녹색": (("color", "green"),),
    "green": (("color", "green"),), "파란색": (("color", "blue"),), "파랑": (("color", "blue"),),
    "파란": (("color", "blue"),), "blue": (("color", "blue"),), "보라색": (("color", "purple"),),
    "보라": (("color", "purple"),), "purple": (("color", "purple"),), "분홍색": (("color", "pink"),),
    "핑크": (("color", "pink"),), "분홍": (("color", "pink"),), "pink": (("color", "pink"),),
    # where the air goes: an air conditioner's swing, else a fan's turning (side to side only)
    "위아래": (("swing_mode", "vertical"),), "상하": (("swing_mode", "vertical"),),
    "아래위": (("swing_mode", "vertical"),), "위아래로만": (("swing_mode", "vertical"),),
    "좌우": (("swing_mode", "horizontal"), ("oscillating", "on")),
    "좌우회전": (("swing_mode", "horizontal"), ("oscillating", "on")),
    "상하회전": (("swing_mode", "vertical"),), "상하스윙": (("swing_mode", "vertical"),),
    "좌우스윙": (("swing_mode", "horizontal"),),
    "양옆": (("swing_mode", "horizontal"), ("oscillating", "on")),
    "옆으로": (("swing_mode", "horizontal"), ("oscillating", "on")),
    "상하좌우": (("swing_mode", "both"),), "전방향": (("swing_mode", "both"),),
    "사방": (("swing_mode", "both"),), "사방으로": (("swing_mode", "both"),),
    "한방향": (("swing_mode", "off"), ("oscillating", "off")),
    "정면": (("swing_mode", "off"), ("oscillating", "off")),
    "vertical": (("swing_mode", "vertical"),), "vertically": (("swing_mode", "vertical"),),
    "up and down": (("swing_mode", "vertical"),),
    "horizontal": (("swing_mode", "horizontal"), ("oscillating", "on")),
    "horizontally": (("swing_mode", "horizontal"), ("oscillating", "on")),
    "side to side": (("swing_mode", "horizontal"), ("oscillating", "on")),
    "left and right": (("swing_mode", "horizontal"), ("oscillating", "on")),
    "hdmi1": (("input", "hdmi1"),), "hdmi 1": (("input", "hdmi1"),), "hdmi2": (("input", "hdmi2"),),
    "hdmi 2": (("input", "hdmi2"),), "hdmi3": (("input", "hdmi3"),), "hdmi 3": (("input", "hdmi3"),),
    "hdmi": (("input", "hdmi1"),), "usb": (("input", "usb"),), "블루투스": (("input", "bluetooth"),),
    "bluetooth": (("input", "bluetooth"),), "방송": (("input", "tv"),),
    "쾌속": (("program", "quick"),), "빠른": (("program", "quick"),), "quick": (("program", "quick"),),
    "표준": (("program", "standard"),), "standard": (("program", "standard"),),
    "강력": (("program", "heavy"),), "heavy": (("program", "heavy"),), "울": (("program", "delicate"),),
    "섬세": (("program", "delicate"),), "delicate": (("program", "delicate"),),
    "헹굼": (("program", "rinse"),), "rinse": (("program", "rinse"),),
    "에스프레소": (("program", "espresso"),), "espresso": (("program", "espresso"),),
    "아메리카노": (("program", "americano"),), "americano": (("program", "americano"),),
}
"""Setting values by surface form, each with the attributes it may set, most likely first."""

MODE_ONLY_VALUES: frozenset[str] = frozenset({"무풍"})
"""Value words read only as the setting asked for (무풍으로, 무풍 모드, 무풍 기능): 무풍 에어컨 names a
kind of air conditioner."""

TO_ONLY_VALUES: frozenset[str] = frozenset({"강", "중", "중간", "약"})
"""Value words read only before 으로/로 (바람 강으로, 풍량 중간으로), 강 and 약 also last in the utterance
(선풍기 약): elsewhere they are other words (약 30분, 약 먹을 시간, 약하게, 작동 중)."""

EN_ROOM_WORDS: Mapping[str, tuple[str, ...]] = {
    "bedroom": ("침실", "안방", "큰방"), "master bedroom": ("안방", "큰방", "침실"),
    "main bedroom": ("안방", "큰방", "침실"), "living room": ("거실",), "lounge": ("거실", "라운지"),
    "kitchen": ("주방", "부엌"), "bathroom": ("욕실", "화장실"), "restroom": ("화장실", "욕실"),
    "toilet": ("화장실", "욕실"), "kids room": ("아이방", "애기방", "아기방"),
    "kid's room": ("아이방", "애기방", "아기방"), "children's room": ("아이방", "애기방", "아기방"),
    "nursery": ("아이방", "애기방", "아기방"), "baby room": ("아기방", "애기방", "아이방"),
    "study": ("서재", "공부방"), "office": ("서재", "작업실", "사무실"),
    "laundry room": ("다용도실", "세탁실"), "utility room": ("다용도실", "세탁실"),
    "entrance": ("현관",), "hallway": ("현관", "복도"), "entryway": ("현관",),
    "balcony": ("베란다", "발코니"),
    "veranda": ("베란다", "발코니"), "dressing room": ("드레스룸", "옷방"), "closet": ("드레스룸", "옷방"),
    "dining room": ("식당", "다이닝룸"), "terrace": ("테라스",), "spare room": ("작은방", "손님방"),
    "guest room": ("손님방", "게스트룸"),
}
"""English room words and the Korean names a room they mean may have: in a home whose rooms have Korean
names only, ``what's the temperature in the bedroom`` asks about the one room called 침실, 안방 or 큰방
(never when two rooms fit)."""

ALL_WORDS: frozenset[str] = frozenset({"다", "전부", "모든", "모두", "전체", "싹", "싹다", "all", "every",
                                       "everything", "everywhere", "집안"})
"""Quantifiers that ask for every device of a kind."""

MAX_WORDS: frozenset[str] = frozenset({"최대", "최대로", "최대한", "최고", "최고로", "제일", "가장", "끝까지",
                                       "빵빵", "max", "maximum", "full", "fully"})
MIN_WORDS: frozenset[str] = frozenset({"최소", "최소로", "최소한", "최저", "최저로", "min", "minimum",
                                       "lowest"})
MORE_WORDS: frozenset[str] = frozenset({"더", "조금", "약간", "살짝", "좀더", "조금더", "a bit", "bit",
                                        "more",
                                        "little"})

QUESTION_WORDS: frozenset[str] = frozenset({
    "몇", "얼마", "얼마나", "언제", "어때", "어떄", "어떻", "어떤", "무슨", "뭐", "무엇", "있나", "있니",
    "인지",
    "what", "what's", "whats", "is", "are", "how", "when", "which", "does", "did"})
"""Words that mark a question about state."""

ROUTINE_VERBS: tuple[str, ...] = (
    # how the request is asked (줘/줄래/주세요 …), stripped first
    "주실래요", "주시겠어요", "주세요", "줄래요", "줄래", "줘요", "주라", "줘", "좀",
    # the verb that runs it
    "실행해", "실행시켜", "실행", "시작해", "시작", "켜", "해", "할게요", "할게", "할래", "하자",
    "바꿔", "변경해", "변경", "전환해", "전환", "돌려", "가동해", "가동", "작동시켜", "설정해", "설정",
    "적용해", "적용", "모드틀어", "부탁해", "부탁할게", "부탁",
    # the word for it and the particle before the verb
    "모드", "로", "으로", "scene", "routine", "mode")
"""Words that may follow a routine's name and still just mean "run it" (외출 모드로 바꿔 줄래), peeled off
from the end one at a time."""

ROUTINE_PREFIXES: tuple[str, ...] = ("start", "run", "activate", "begin", "the")
"""Words that may come before a routine's name (English word order)."""

ROUTINE_LEAD_WORDS: frozenset[str] = frozenset({
    "나", "이제", "우리", "저희", "지금", "그럼", "저", "나도", "저도", "우리도", "자", "이제는", "오늘은",
    # whom it is said to: the family as often as the assistant (엄마 나갈게, 여보 다녀올게)
    "엄마", "아빠", "여보", "자기", "자기야", "얘들아", "애들아", "얘야", "여러분", "할머니", "할아버지"})
"""Whole words before a routine's name or alias that change nothing (나 나간다, 이제 영화 보자, 엄마
나갈게)."""
