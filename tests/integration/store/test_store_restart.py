"""Restart without loss: a writer killed with SIGKILL at an arbitrary moment loses nothing it reported.

``store_writer.py`` prints a line after each write returns; this test reads some lines, lets the writer
run on for a random moment, kills it outright (no chance to flush or close anything), then reopens
the file and checks that every write it reported is there, whole, and nothing else is half there.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from jipsa.store import SqlStore

WRITER = Path(__file__).with_name("store_writer.py")
DEVICES = 7

pytestmark = [pytest.mark.integration, pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")]


def _run_and_kill(db_path: Path, lines_before_kill: int, linger: float) -> list[str]:
    """Start the writer, read ``lines_before_kill`` lines, wait ``linger`` s, SIGKILL; all its lines."""
    proc = subprocess.Popen([sys.executable, str(WRITER), str(db_path)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    try:
        assert proc.stdout is not None and proc.stderr is not None
        while len(lines) < lines_before_kill:
            line = proc.stdout.readline()
            if not line:
                raise AssertionError(f"the writer stopped early: {proc.stderr.read()}")
            lines.append(line.strip())
        time.sleep(linger)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        # Whatever it printed before dying was also reported as committed.
        lines.extend(line.strip() for line in proc.stdout.read().splitlines())
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert proc.returncode == -signal.SIGKILL
    return lines


def _last(lines: list[str], kind: str) -> int:
    numbers = [int(line.split()[-1]) for line in lines if line.startswith(f"committed {kind} ")]
    return max(numbers, default=-1)


@pytest.mark.parametrize("seed", range(6))
def test_every_reported_write_survives_sigkill(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    db_path = tmp_path / "jipsa.db"
    lines = _run_and_kill(db_path, lines_before_kill=rng.choice([1, 2, 15, 80, 400, 1500]),
                          linger=rng.uniform(0, 0.02))
    last_state, last_event = _last(lines, "state"), _last(lines, "event")
    assert last_state >= 0

    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]

    with SqlStore.sqlite(db_path) as store:
        states = store.load_states()
        # Every device holds at least its last reported write, and at most the one in flight after it.
        for d in range(DEVICES):
            reported = [n for n in range(last_state + 1) if n % DEVICES == d]
            if not reported:
                continue
            stored = states[f"dev.{d}"]
            n, tick = stored["n"], stored["tick"]
            assert isinstance(n, int) and isinstance(tick, float)
            assert reported[-1] <= n <= last_state + 1, (d, stored, last_state)
            assert stored["even"] == (n % 2 == 0)  # a batch is never half written
            assert tick >= last_state // 10

        events = store.events(limit=1_000_000)
        numbers = [event.data["n"] for _, event in reversed(events)]
        # Every reported event once, in order, plus at most the one in flight.
        assert numbers[: last_event + 1] == list(range(last_event + 1))
        assert len(numbers) - (last_event + 1) in (0, 1)
        ids = [event_id for event_id, _ in events]
        assert ids == sorted(ids, reverse=True)

        # The reopened file takes new writes.
        store.append_events([])
        store.save_states({"dev.0": {"after": True}}, datetime(2030, 1, 1, tzinfo=UTC))
        assert store.load_states()["dev.0"]["after"] is True
