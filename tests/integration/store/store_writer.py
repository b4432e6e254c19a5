"""A process that writes to a SqlStore until it is killed; the restart test's victim.

``python store_writer.py DB_PATH`` saves, in a loop, one state batch and one event per step and
prints ``committed N`` after each call returns: from that moment the write must survive anything that
happens to this process. Step N writes ``dev.{N % 7}``'s ``n`` and ``even`` (plus every device's
``tick`` every 10 steps) and one event with ``data = {"n": N}``.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

from jipsa.core.messages import Event, EventType
from jipsa.store import SqlStore

DEVICES = 7
T0 = datetime(2025, 3, 1, tzinfo=UTC)


def main(path: str) -> None:
    store = SqlStore.sqlite(path)
    n = 0
    while True:
        at = T0 + timedelta(milliseconds=n)
        states: dict[str, dict[str, bool | int | float | str | None]] = {
            f"dev.{n % DEVICES}": {"n": n, "even": n % 2 == 0}}
        if n % 10 == 0:
            for d in range(DEVICES):
                states.setdefault(f"dev.{d}", {})["tick"] = n / 10
        store.save_states(states, at)
        print(f"committed state {n}", flush=True)
        store.append_events([Event(type=EventType.STATE_CHANGED, at=at, device_id=f"dev.{n % DEVICES}",
                                   data={"n": n})])
        print(f"committed event {n}", flush=True)
        n += 1


if __name__ == "__main__":
    main(sys.argv[1])
