"""Who, when or why something was done is a question about the device, never the action; a device taken back
with 아니 after a request keeps the request's verb. Each rule has its guard cases."""

from __future__ import annotations

import pytest

from jipsa.core import Home
from jipsa.nlu import understand


@pytest.mark.parametrize(
    ("text", "target", "attribute"),
    [
        ("누가 거실 불 켰어", "light.living_room", "on"),
        ("누가 거실 불 켰어?", "light.living_room", "on"),
        ("누가 거실 에어컨 틀었어요", "climate.living_room", "on"),
        ("누가 현관문 열었어", "lock.front_door", "locked"),
        ("누가 현관문 잠갔어요?", "lock.front_door", "locked"),
        ("언제 보일러 껐어", "boiler.home", "on"),
        ("왜 주방 불 켰어요", "light.kitchen", "on"),
        ("어째서 티비 켜 놨어", "tv.living_room", "on"),
        ("누가 티비 켜 놨냐", "tv.living_room", "on"),
        ("누가 세탁기 돌렸어", "washer.utility_room", "on"),
        ("누가 안방 불 켠 거야", "light.master_bedroom", "on"),
        ("현관문 연 사람 누구야", "lock.front_door", "locked"),
    ],
)
def test_who_when_why_asks_the_state(demo_home: Home, text: str, target: str, attribute: str) -> None:
    (frame,) = understand(text, demo_home).frames
    got = (frame.intent, frame.targets, frame.slots.get("attribute"))
    assert got == ("HassGetState", (target,), attribute)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("누가 거실 불 좀 켜 줘", "HassTurnOn"),  # someone, please: a request
        ("거실 불 켰어", "HassTurnOn"),  # no question word, no question: still a command
        ("누가 켠 거실 불 꺼 줘", "HassTurnOff"),  # the deed describes what to switch off
    ],
)
def test_requests_stay_requests(demo_home: Home, text: str, intent: str) -> None:
    (frame,) = understand(text, demo_home).frames
    assert frame.intent == intent


@pytest.mark.parametrize(
    ("text", "intent", "target"),
    [
        ("아이방 에어컨 꺼 줘 아 아니 작은방 불", "HassTurnOff", "light.small_room"),
        ("거실 불 켜 아니 주방 불", "HassTurnOn", "light.kitchen"),
        ("거실 에어컨 틀어 아니 꺼", "HassTurnOff", "climate.living_room"),  # the verb taken back
        ("거실 아니 안방 불 꺼", "HassTurnOff", "light.master_bedroom"),  # a word taken back before the verb
    ],
)
def test_thing_taken_back_after_the_request_keeps_its_verb(
        demo_home: Home, text: str, intent: str, target: str) -> None:
    (frame,) = understand(text, demo_home).frames
    assert (frame.intent, frame.targets) == (intent, (target,))
