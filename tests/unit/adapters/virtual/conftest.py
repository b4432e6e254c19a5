"""Fixtures for the virtual appliances: the demo home and a driver that sends commands and moves time."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from typing import Any

import pytest

from jipsa.adapters.virtual import Ambient, VirtualHome
from jipsa.core import Home, StateReport, Value, parse_home, validate_command

T0 = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


class Driver:
    """A simulation with its own notion of now: send commands, let minutes pass, read state."""

    def __init__(self, home: Home, *, states: Mapping[str, Mapping[str, Value]] | None = None,
                 ambient: Ambient | None = None, **kwargs: Any) -> None:
        self.home = home
        self.now = T0
        self.sim = VirtualHome(home, states or {}, T0, ambient=ambient, **kwargs)

    def send(self, device_id: str, command: str, **args: Value) -> list[StateReport]:
        device = self.home.device(device_id)
        assert device is not None
        return self.sim.apply(validate_command(device, command, args), self.now)

    def wait(self, minutes: float = 0, seconds: float = 0) -> list[StateReport]:
        self.now += timedelta(minutes=minutes, seconds=seconds)
        return self.sim.advance(self.now)

    def state(self, device_id: str) -> Mapping[str, Value]:
        return self.sim.state(device_id)

    def __getitem__(self, key: tuple[str, str]) -> Value:
        device_id, attribute = key
        return self.sim.state(device_id)[attribute]


def changes(reports: list[StateReport], device_id: str) -> dict[str, Value]:
    """What the reports say changed on one device."""
    merged: dict[str, Value] = {}
    for report in reports:
        if report.device_id == device_id:
            merged.update(report.values)
    return merged


@pytest.fixture(scope="session")
def demo_home() -> Home:
    text = files("jipsa").joinpath("data/demo_home.yaml").read_text(encoding="utf-8")
    return parse_home(text, "demo_home.yaml")


@pytest.fixture
def drive(demo_home: Home) -> Driver:
    """The demo home in a summer (28 °C ambient), deterministic."""
    return Driver(demo_home)


@pytest.fixture
def make_driver() -> Callable[..., Driver]:
    """A driver for a home written inline (YAML), or for the demo home with other settings."""

    def make(home: Home | str, **kwargs: Any) -> Driver:
        if isinstance(home, str):
            home = parse_home(home, "test_home.yaml")
        return Driver(home, **kwargs)

    return make


@pytest.fixture
def reports_of() -> Callable[[list[StateReport], str], dict[str, Value]]:
    return changes
