"""A real Mosquitto broker per test, on a free port of 127.0.0.1, that can be stopped, killed and restarted.

The broker keeps its persistence file in the test's temporary directory, so QoS 1 messages queued for
persistent sessions survive :meth:`Broker.stop` (SIGTERM: Mosquitto saves on a clean exit) and, up to
the last autosave, :meth:`Broker.kill` (SIGKILL). The executable is ``$JIPSA_TEST_MOSQUITTO``, else
``mosquitto`` on the PATH or in the usual sbin directories. Without it the tests are skipped, except
under ``CI=true``, where they fail: CI must not pass by skipping.
"""

from __future__ import annotations

import getpass
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

_CANDIDATES = ["/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto", "/opt/homebrew/sbin/mosquitto"]


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"MQTT tests cannot run under CI=true: {reason}")
    pytest.skip(reason)


def _find_mosquitto() -> str:
    configured = os.environ.get("JIPSA_TEST_MOSQUITTO")
    if configured:
        if not os.access(configured, os.X_OK):
            _unavailable(f"JIPSA_TEST_MOSQUITTO={configured} is not an executable")
        return configured
    found = shutil.which("mosquitto") or next((p for p in _CANDIDATES if os.access(p, os.X_OK)), None)
    if found is None:
        _unavailable("mosquitto is not installed (apt-get install mosquitto)")
    return found


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Broker:
    """One Mosquitto process with its configuration, persistence and log in ``directory``."""

    def __init__(self, executable: str, directory: Path, port: int | None = None) -> None:
        self.executable = executable
        self.directory = directory
        self.port = port or _free_port()
        self.config = directory / "mosquitto.conf"
        self.log = directory / "mosquitto.log"
        self.data = directory / "data"
        self.data.mkdir(exist_ok=True)
        self._process: subprocess.Popen[bytes] | None = None
        self.config.write_text("\n".join([
            f"listener {self.port} 127.0.0.1",
            "allow_anonymous true",
            "set_tcp_nodelay true",
            "persistence true",
            f"persistence_location {self.data}/",
            "autosave_interval 1",
            "max_queued_messages 100000",
            "max_inflight_messages 100",
            "max_packet_size 1048576",
            f"log_dest file {self.log}",
            "log_type error",
            "log_type warning",
            "log_type notice",
            "log_type information",
            # Started as root, Mosquitto drops to the "mosquitto" user, which cannot write our files.
            f"user {getpass.getuser()}",
            "",
        ]), encoding="utf-8")

    @property
    def url(self) -> str:
        """The broker's address for :class:`jipsa.adapters.mqtt.client.MqttSettings`."""
        return f"mqtt://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        """Whether the process is alive."""
        return self._process is not None and self._process.poll() is None

    def start(self, *, wipe: bool = False, timeout: float = 5.0) -> None:
        """Start on the same port and return once it accepts connections; ``wipe`` forgets all sessions."""
        if self.running:
            raise RuntimeError("the broker is already running")
        if wipe:
            for path in self.data.iterdir():
                path.unlink()
        self._process = subprocess.Popen([self.executable, "-c", str(self.config)],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                stderr = self._process.stderr.read().decode(errors="replace") if self._process.stderr else ""
                self._close_pipes()
                raise RuntimeError(f"mosquitto exited with {self._process.returncode}: {stderr}"
                                   f"{self.log_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.01)
        self.kill()
        raise RuntimeError(f"mosquitto did not accept connections on port {self.port} within {timeout} s:"
                           f"\n{self.log_text()}")

    def stop(self, timeout: float = 5.0) -> None:
        """SIGTERM and wait: Mosquitto writes its persistence file on a clean exit."""
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._close_pipes()
        self._process = None

    def kill(self) -> None:
        """SIGKILL: whatever was not yet autosaved is lost, as in a power cut."""
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGCONT)  # a paused process must be able to die
            self._process.kill()
        self._process.wait()
        self._close_pipes()
        self._process = None

    def pause(self) -> None:
        """SIGSTOP: the broker keeps its connections but answers nothing until :meth:`resume`."""
        if self._process is None or self._process.poll() is not None:
            raise RuntimeError("the broker is not running")
        self._process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        """SIGCONT: the broker reads what was sent meanwhile and answers it."""
        if self._process is not None:
            self._process.send_signal(signal.SIGCONT)

    def log_text(self) -> str:
        """The broker's log so far (for failure messages)."""
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def _close_pipes(self) -> None:
        if self._process is not None and self._process.stderr is not None:
            self._process.stderr.close()


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    """A running Mosquitto broker, stopped after the test."""
    server = Broker(_find_mosquitto(), tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.kill()
