"""The virtual adapter: the :class:`~jipsa.hub.ports.DeviceLink` that serves simulated devices.

It wires a :class:`~jipsa.adapters.virtual.simulation.VirtualHome` to the hub: :meth:`VirtualAdapter.run`
reports every served device's state once, then ticks the simulation every ``tick`` seconds with the
injected clock's time; :meth:`VirtualAdapter.send` applies a command and reports what it changed at once.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from jipsa.adapters.virtual.environment import Ambient
from jipsa.adapters.virtual.simulation import VirtualHome
from jipsa.core.capabilities import Value
from jipsa.core.clock import Clock
from jipsa.core.devices import Device, Home
from jipsa.core.messages import Command, StateReport

if TYPE_CHECKING:
    from jipsa.hub.ports import ReportSink


class VirtualAdapter:
    """Simulated devices behind the ``DeviceLink`` port: the embedded default and the demo home.

    ``states`` is the stored state to resume from (by device id) and ``since`` when it was stored: the
    time in between is simulated first, so a cycle running when the process stopped has finished since
    (no ``since``: the stored state is taken as now). ``tick`` how many seconds of the event
    loop pass between simulation steps; ``rng`` adds small variations (``None``: deterministic);
    ``ambient`` is the weather rooms drift back to. The simulated time is always ``clock.now()``, so a
    :class:`~jipsa.core.clock.ManualClock` makes hours pass at once.
    """

    name = "virtual"

    def __init__(self, *, home: Home, clock: Clock, states: Mapping[str, Mapping[str, Value]] | None = None,
                 since: datetime | None = None, tick: float = 1.0, rng: random.Random | None = None,
                 ambient: Ambient | None = None) -> None:
        if tick <= 0:
            raise ValueError("tick must be positive")
        self._clock = clock
        self._tick = tick
        now = clock.now()
        start = since if since is not None and since < now else now
        self._sim = VirtualHome(home, states, start, rng, ambient=ambient)
        self._sink: ReportSink | None = None
        self._served: frozenset[str] = frozenset()

    @property
    def simulation(self) -> VirtualHome:
        """The simulation behind the adapter, for reading its state."""
        return self._sim

    async def run(self, devices: Sequence[Device], sink: ReportSink) -> None:
        """Report the served devices' state, then keep the simulation running until cancelled."""
        self._served = frozenset(d.id for d in devices if self._sim.simulates(d.id))
        self._sim.advance(self._clock.now())
        self._sink = sink
        try:
            for device_id in self._sim.device_ids:
                if device_id in self._served:
                    sink(StateReport(device_id, self._sim.state(device_id), available=True))
            while True:
                await asyncio.sleep(self._tick)
                self._deliver(self._sim.advance(self._clock.now()))
        finally:
            self._sink = None

    async def send(self, command: Command) -> None:
        """Carry out one validated command; ``UnknownDeviceError`` for a device not simulated here."""
        self._deliver(self._sim.apply(command, self._clock.now()))

    def set_door(self, device_id: str, is_open: bool) -> None:
        """Open or close a virtual refrigerator's door now (for demos)."""
        self._deliver(self._sim.set_door(device_id, is_open, self._clock.now()))

    def set_active(self, device_id: str, active: bool) -> None:
        """Trigger or clear a virtual binary sensor now (for demos)."""
        self._deliver(self._sim.set_active(device_id, active, self._clock.now()))

    def _deliver(self, reports: Iterable[StateReport]) -> None:
        # Before run() starts there is no sink: the state is kept and reported in full when it does.
        sink = self._sink
        if sink is None:
            return
        for report in reports:
            if report.device_id in self._served:
                sink(report)
