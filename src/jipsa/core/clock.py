"""Time as a port: the system clock for running homes, a manual clock for tests and simulations."""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Where jipsa reads the time; injected so nothing calls ``time.time()`` directly."""

    def now(self) -> datetime:
        """The current time, time-zone aware (UTC)."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back, for intervals and timeouts."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        """The current time in UTC."""
        return datetime.now(UTC)

    def monotonic(self) -> float:
        """``time.monotonic()``."""
        return time.monotonic()


class ManualClock:
    """A clock that moves only when told to: tests and simulations run hours in no time."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
        if self._now.tzinfo is None:
            raise ValueError("start must be time-zone aware")
        self._mono = 0.0

    def now(self) -> datetime:
        """The clock's current time."""
        return self._now

    def monotonic(self) -> float:
        """Seconds advanced since the clock was made."""
        return self._mono

    def advance(self, delta: timedelta | float) -> datetime:
        """Move the clock forward by ``delta`` (seconds or a timedelta); returns the new time."""
        seconds = delta.total_seconds() if isinstance(delta, timedelta) else float(delta)
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError("a clock moves forward by a finite amount, never back")
        self._now += timedelta(seconds=seconds)
        self._mono += seconds
        return self._now
