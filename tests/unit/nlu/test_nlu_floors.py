"""Floors said relatively (위층/아래층), a room's alias before a device's name, and 청소 in a room with
several vacuums, on a small two-storey home."""

from __future__ import annotations

import pytest

from jipsa.core import Home, parse_home
from jipsa.nlu import parse

HOME = """
home: {name: 두층집, language: ko}
areas:
  - {id: living, name: 거실, aliases: [아래층 거실], floor: 1층}
  - {id: kitchen, name: 주방, floor: 1층}
  - {id: family, name: 가족실, aliases: [위층 거실], floor: 2층}
  - {id: bedroom, name: 안방, floor: 2층}
devices:
  - {id: light.living, name: 거실 조명, aliases: [거실 불], area: living, type: light}
  - {id: light.living_lamp, name: 플로어 스탠드, area: living, type: light}
  - {id: light.kitchen, name: 주방 조명, area: kitchen, type: light}
  - {id: light.family, name: 가족실 조명, area: family, type: light}
  - {id: light.bedroom, name: 안방 조명, area: bedroom, type: light}
  - {id: vacuum.down, name: 코드제로, area: living, type: robot_vacuum}
  - {id: vacuum.up, name: 제트봇, area: family, type: robot_vacuum}
"""


@pytest.fixture(scope="module")
def home() -> Home:
    return parse_home(HOME, "two_floors.yaml")


@pytest.mark.parametrize(("text", "intent", "targets", "ambiguous"), [
    ("위층 불 다 꺼", "HassTurnOff", ("light.family", "light.bedroom"), False),
    ("아랫층 불 다 꺼 줘", "HassTurnOff", ("light.living", "light.living_lamp", "light.kitchen"), False),
    ("아래층 거실 조명 꺼", "HassTurnOff", ("light.living",), False),
    ("위층 거실 불 켜", "HassTurnOn", ("light.family",), False),
    ("위층 청소해 줘", "HassVacuumStart", ("vacuum.up",), False),
    ("거실 청소 그만해", "JipsaStop", ("vacuum.down",), False),
    ("주방 청소해", "HassVacuumStart", ("vacuum.down", "vacuum.up"), True),
])
def test_floors_and_rooms(home: Home, text: str, intent: str, targets: tuple[str, ...],
                          ambiguous: bool) -> None:
    (frame,) = parse(text, home)
    assert (frame.intent, frame.targets, frame.ambiguous) == (intent, targets, ambiguous)
