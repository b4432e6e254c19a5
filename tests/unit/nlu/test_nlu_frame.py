"""Frames survive the round trip through the ``jipsa parse`` dictionary (stored schedules rely on it)."""

from __future__ import annotations

from jipsa.nlu.frame import Frame


def test_a_frame_comes_back_from_its_dict() -> None:
    frame = Frame("HassTurnOff", {"domain": "light", "delay_seconds": 1800}, ("light.a", "light.b"), {},
                  ambiguous=True)
    assert Frame.from_dict(frame.to_dict()) == frame
    plain = Frame("HassClimateSetTemperature", {}, ("climate.x",), {"temperature": 24})
    assert Frame.from_dict(plain.to_dict()) == plain
