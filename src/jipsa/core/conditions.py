"""Conditions on readings: run a request when a measured value crosses a number.

``실내 온도가 28도 넘으면 에어컨 켜 줘`` waits for the temperature of the named sensors to go above 28. A
condition fires once per crossing: after it has fired it is re-armed only when the reading has gone back
past the number by a margin (:data:`MARGINS`), so a sensor wavering around 28.0 does not switch the air
conditioner on over and over. With several sensors (실내 온도: every room's), the condition holds when
any of them crosses, and is re-armed when all have gone back.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jipsa.core.korean import josa

OPERATORS = (">", ">=", "<", "<=")
"""Above, at least, below, at most."""

MARGINS: Mapping[str, float] = {"temperature": 0.5, "cabin_temperature": 0.5, "humidity": 2.0,
                                "pm25": 5.0, "pm10": 5.0}
"""How far a reading must go back past the number before the condition can fire again."""

ATTRIBUTES = frozenset(MARGINS)
"""The readings a condition may watch."""

_LABEL_KO = {"temperature": "온도", "cabin_temperature": "차 실내 온도", "humidity": "습도",
             "pm25": "초미세먼지", "pm10": "미세먼지"}
_LABEL_EN = {"temperature": "temperature", "cabin_temperature": "car's cabin temperature",
             "humidity": "humidity", "pm25": "PM2.5", "pm10": "PM10"}
_UNIT_KO = {"temperature": "도", "cabin_temperature": "도", "humidity": "%"}
_UNIT_EN = {"temperature": "°C", "cabin_temperature": "°C", "humidity": "%", "pm25": " µg/m³",
            "pm10": " µg/m³"}


class ConditionError(ValueError):
    """A condition slot that cannot be watched (unknown reading, operator or number)."""


@dataclass(frozen=True, slots=True)
class Condition:
    """A reading compared with a number, on some devices."""

    attribute: str
    """The attribute read: ``temperature``, ``humidity``, ``pm25``, ``pm10``."""
    operator: str
    """One of :data:`OPERATORS`."""
    value: float
    """The number compared with, in the attribute's unit."""
    devices: tuple[str, ...]
    """The devices whose readings count."""
    area: str | None = None
    """The area as said (``거실``), for replies."""

    def __post_init__(self) -> None:
        if self.attribute not in ATTRIBUTES:
            raise ConditionError(f"a condition cannot watch {self.attribute!r}")
        if self.operator not in OPERATORS:
            raise ConditionError(f"unknown comparison {self.operator!r}")
        if isinstance(self.value, bool) or not isinstance(self.value, int | float) \
                or not math.isfinite(self.value):
            raise ConditionError("a condition needs a finite number")
        if not self.devices:
            raise ConditionError("a condition needs a device to read")

    @classmethod
    def from_slot(cls, slot: Mapping[str, Any]) -> Condition:
        """The condition of a frame's ``condition`` slot (docs/intents.md); ``ConditionError`` if bad."""
        try:
            devices = tuple(str(d) for d in slot.get("devices", ()))
            area = slot.get("area")
            return cls(str(slot["attribute"]), str(slot["op"]), slot["value"], devices,
                       str(area) if area is not None else None)
        except (KeyError, TypeError, AttributeError) as exc:
            raise ConditionError(f"malformed condition: {exc}") from exc

    def to_dict(self) -> dict[str, Any]:
        """The slot form, for the store."""
        out: dict[str, Any] = {"attribute": self.attribute, "op": self.operator, "value": self.value,
                               "devices": list(self.devices)}
        if self.area is not None:
            out["area"] = self.area
        return out

    @property
    def upward(self) -> bool:
        """Whether it waits for the reading to rise."""
        return self.operator in (">", ">=")

    def holds(self, readings: Iterable[float]) -> bool:
        """Whether any reading is past the number."""
        return any(_compare(r, self.operator, self.value) for r in readings)

    def cleared(self, readings: Iterable[float]) -> bool:
        """Whether every reading has gone back past the number by the margin (so it may fire again).

        With no readings at all nothing is known, and it is not cleared."""
        values = list(readings)
        margin = MARGINS[self.attribute]
        if self.upward:
            return bool(values) and all(r < self.value - margin for r in values)
        return bool(values) and all(r > self.value + margin for r in values)

    def describe_ko(self, area_name: str | None = None) -> str:
        """The condition as the first half of a sentence: ``거실 온도가 28도를 넘을 때``."""
        subject = " ".join(x for x in (area_name or self.area, _LABEL_KO[self.attribute]) if x)
        number = _number(self.value) + _UNIT_KO.get(self.attribute, "")
        tail = {">": f"{josa(number, '을/를')} 넘을 때", ">=": f"{number} 이상이 될 때",
                "<": f"{number} 아래로 내려갈 때", "<=": f"{number} 이하가 될 때"}[self.operator]
        return f"{josa(subject, '이/가')} {tail}"

    def describe_en(self, area_name: str | None = None) -> str:
        """The condition in English: ``when the living room temperature goes above 28°C``."""
        place = area_name or self.area
        subject = f"the {place} {_LABEL_EN[self.attribute]}" if place else f"the {_LABEL_EN[self.attribute]}"
        number = _number(self.value) + _UNIT_EN.get(self.attribute, "")
        verb = {">": "goes above", ">=": "reaches", "<": "drops below", "<=": "falls to"}[self.operator]
        return f"when {subject} {verb} {number}"

    def reading_ko(self, value: float) -> str:
        """A reading with its unit in Korean: ``27.5도``."""
        return _number(value) + _UNIT_KO.get(self.attribute, "")

    def reading_en(self, value: float) -> str:
        """A reading with its unit in English: ``27.5°C``."""
        return _number(value) + _UNIT_EN.get(self.attribute, "")


_COMPARE: Mapping[str, Callable[[float, float], bool]] = {
    ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}


def _compare(reading: float, op: str, value: float) -> bool:
    return _COMPARE[op](reading, value)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
