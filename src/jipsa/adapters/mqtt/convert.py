"""Vendor words ↔ catalogue values: modes, fan speeds, programs, states and colours.

Devices name the same thing many ways (``heat_cool``, ``middle``, ``Quick Wash``, ``HDMI 1``). Each
catalogue enum attribute has a table of the words that mean each of its values; :func:`enum_map` builds
the two-way map for one device's list of options. Colours go between the catalogue's named colours and
hue/saturation, RGB or CIE xy.
"""

from __future__ import annotations

import colorsys
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from jipsa.core.capabilities import ATTRIBUTE_OWNER, CATALOGUE


def word_key(text: str) -> str:
    """A word reduced for matching: lower case, letters and digits only (``"HDMI 1"`` → ``"hdmi1"``)."""
    return re.sub(r"[\W_]+", "", text.lower())


_SYNONYMS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "hvac_mode": {
        "cool": ("cooling", "냉방"), "heat": ("heating", "난방"), "dry": ("dehumidify", "제습"),
        "fan_only": ("fan", "송풍"), "auto": ("heat_cool", "heatcool", "자동"),
    },
    "fan_speed": {
        "low": ("min", "silent", "quiet", "weak", "1", "약", "약풍"),
        "medium": ("mid", "middle", "med", "2", "중", "중풍"),
        "high": ("max", "strong", "3", "강", "강풍"),
        "turbo": ("boost", "powerful", "4", "터보"),
        "auto": ("smart", "자동"),
    },
    "mode": {
        "auto": ("smart", "schedule", "자동"), "sleep": ("night", "수면", "취침"),
        "turbo": ("boost", "performance", "high_demand", "터보"),
        "eco": ("energy_saving", "절전"), "heating": ("heat", "난방"),
        "away": ("vacation", "holiday", "외출"),
        "hot_water": ("water", "dhw", "온수"), "quiet": ("silent", "저소음"),
        "normal": ("none", "manual", "comfort", "home", "electric", "heat_pump", "gas", "일반"),
    },
    "program": {
        "standard": ("normal", "cotton", "표준"), "quick": ("speed", "rapid", "quick_wash", "쾌속"),
        "heavy": ("intensive", "strong", "강력"), "delicate": ("wool", "gentle", "울", "섬세"),
        "eco": ("energy_saving", "절전"), "rinse": ("rinse_spin", "헹굼"), "dry": ("drying", "건조"),
        "espresso": ("에스프레소",), "americano": ("lungo", "아메리카노"),
    },
    "operation_state": {
        "idle": ("off", "standby", "ready", "stopped", "대기"),
        "running": ("run", "on", "active", "washing", "drying", "rinsing", "spinning", "brewing", "동작"),
        "paused": ("pause", "일시정지"), "finished": ("end", "done", "complete", "completed", "완료"),
    },
    "vacuum_state": {
        "docked": ("charging", "charged", "dock"), "cleaning": ("clean", "running"),
        "paused": ("pause",), "returning": ("return", "return_to_base"), "idle": ("error", "stopped"),
    },
    "input": {
        "tv": ("antenna", "live_tv"), "hdmi1": ("hdmi",), "hdmi2": (), "hdmi3": (), "usb": (),
        "bluetooth": ("bt",),
    },
    "swing_mode": {
        "off": ("stop", "fixed", "정지", "고정"), "on": ("swing", "auto", "회전"),
        "vertical": ("updown", "up_down", "상하"), "horizontal": ("leftright", "left_right", "좌우"),
        "both": ("all", "3d", "상하좌우"),
    },
    "color": {
        "white": ("cool_white",), "warm_white": ("warm",), "red": (), "orange": (), "yellow": (),
        "green": (), "blue": (), "purple": ("violet",), "pink": ("magenta",),
    },
}


def _vocabulary(attribute: str) -> dict[str, str]:
    attr = CATALOGUE[ATTRIBUTE_OWNER[attribute]].attribute(attribute)
    words: dict[str, str] = {}
    for value in attr.values if attr else ():
        words.setdefault(word_key(value), value)
    for value, synonyms in _SYNONYMS.get(attribute, {}).items():
        for word in synonyms:
            words.setdefault(word_key(word), value)
    return words


VOCABULARY: Mapping[str, Mapping[str, str]] = {name: _vocabulary(name) for name in _SYNONYMS}
"""For each enum attribute: every known word (reduced by :func:`word_key`) → the catalogue value."""


@dataclass(frozen=True, slots=True)
class EnumMap:
    """One device's options for an enum attribute, both ways."""

    attribute: str
    """The catalogue attribute."""
    to_jipsa: Mapping[str, str]
    """Device option → catalogue value."""
    to_device: Mapping[str, str]
    """Catalogue value → the device option to send (the first option that means it)."""

    @property
    def values(self) -> tuple[str, ...]:
        """The catalogue values the device offers."""
        return tuple(self.to_device)

    def read(self, raw: object) -> str | None:
        """The catalogue value of a reported option, if it is one."""
        if not isinstance(raw, str | int | float) or isinstance(raw, bool):
            return None
        text = str(raw)
        return self.to_jipsa.get(text) or VOCABULARY.get(self.attribute, {}).get(word_key(text))


def enum_map(attribute: str, options: Iterable[str]) -> EnumMap | None:
    """The map for a device's options; ``None`` when none of them means a catalogue value."""
    words = VOCABULARY.get(attribute, {})
    to_jipsa: dict[str, str] = {}
    to_device: dict[str, str] = {}
    for option in options:
        value = words.get(word_key(option))
        if value is not None:
            to_jipsa[option] = value
            to_device.setdefault(value, option)
    return EnumMap(attribute, to_jipsa, to_device) if to_device else None


# --- colours ------------------------------------------------------------------------------------

COLOR_HS: Mapping[str, tuple[float, float]] = {
    "white": (0.0, 0.0), "warm_white": (30.0, 40.0), "red": (0.0, 100.0), "orange": (30.0, 100.0),
    "yellow": (60.0, 100.0), "green": (120.0, 100.0), "blue": (240.0, 100.0), "purple": (280.0, 100.0),
    "pink": (330.0, 60.0),
}
"""Hue (degrees) and saturation (%) of each catalogue colour."""


def color_from_hs(hue: float, saturation: float) -> str | None:
    """The nearest catalogue colour to a hue and saturation, or ``None`` for nonsense."""
    if not (math.isfinite(hue) and math.isfinite(saturation)):
        return None
    hue %= 360

    def distance(item: tuple[str, tuple[float, float]]) -> float:
        h, s = item[1]
        dh = abs(hue - h)
        return min(dh, 360 - dh) / 180 * min(s, saturation) / 100 + abs(saturation - s) / 100
    return min(COLOR_HS.items(), key=distance)[0]


def color_from_rgb(red: float, green: float, blue: float) -> str | None:
    """The nearest catalogue colour to an RGB colour (0–255 each)."""
    if not all(math.isfinite(c) and 0 <= c <= 255 for c in (red, green, blue)):
        return None
    h, s, _v = colorsys.rgb_to_hsv(red / 255, green / 255, blue / 255)
    return color_from_hs(h * 360, s * 100)


def color_from_xy(x: float, y: float) -> str | None:
    """The nearest catalogue colour to a CIE 1931 xy point (at full brightness)."""
    if not (math.isfinite(x) and math.isfinite(y)) or y <= 0 or x < 0:
        return None
    big_x, big_z = x / y, (1 - x - y) / y
    rgb = (3.2406 * big_x - 1.5372 - 0.4986 * big_z,
           -0.9689 * big_x + 1.8758 + 0.0415 * big_z,
           0.0557 * big_x - 0.2040 + 1.0570 * big_z)
    top = max(rgb)
    if not math.isfinite(top) or top <= 0:
        return None
    r, g, b = (max(0.0, c / top) for c in rgb)
    return color_from_rgb(r * 255, g * 255, b * 255)


def color_to_rgb(color: str) -> tuple[int, int, int]:
    """The RGB (0–255) of a catalogue colour."""
    h, s = COLOR_HS[color]
    r, g, b = colorsys.hsv_to_rgb(h / 360, s / 100, 1.0)
    return round(r * 255), round(g * 255), round(b * 255)
