"""Fixtures shared by the whole suite: the demo home and a clock that moves only when told."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib.resources import files

import pytest

from jipsa.core import Home, ManualClock, parse_home


@pytest.fixture(scope="session")
def demo_text() -> str:
    """The demo home file's text."""
    return files("jipsa").joinpath("data/demo_home.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def demo_home(demo_text: str) -> Home:
    """The demo home."""
    return parse_home(demo_text, "demo_home.yaml")


@pytest.fixture
def clock() -> ManualClock:
    """A manual clock at 2026-07-01 14:00 UTC."""
    return ManualClock(datetime(2026, 7, 1, 14, 0, tzinfo=UTC))
