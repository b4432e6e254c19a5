"""The `jipsa` command end to end, in subprocesses, as a person would use it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

JIPSA = [sys.executable, "-m", "jipsa"]


def run(*args: str, cwd: Path, stdin: bytes | str | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess[str]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    proc = subprocess.run([*JIPSA, *args], cwd=cwd, input=data, capture_output=True, timeout=timeout,
                          env={**os.environ, "PYTHONUTF8": "1"}, check=False)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8", "replace"),
                                       proc.stderr.decode("utf-8", "replace"))


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr


@pytest.fixture
def home_dir(tmp_path: Path) -> Path:
    result = run("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "home.yaml").exists()
    return tmp_path


def test_init_refuses_to_overwrite(home_dir: Path) -> None:
    result = run("init", cwd=home_dir)
    assert result.returncode != 0
    assert "already exists" in result.stderr
    assert_no_traceback(result)


def test_say_acts_and_state_persists(home_dir: Path) -> None:
    result = run("say", "거실 에어컨 24도로 켜 줘", cwd=home_dir)
    assert result.returncode == 0, result.stderr
    assert "거실 에어컨" in result.stdout and "24도" in result.stdout
    table = run("devices", cwd=home_dir)
    assert table.returncode == 0, table.stderr
    line = next(line for line in table.stdout.splitlines() if "거실 에어컨" in line)
    assert "켜짐" in line and "24°C" in line
    history = run("history", cwd=home_dir)
    assert "set_temperature" in history.stdout or "turn_on" in history.stdout


def test_say_json_reports_actions(home_dir: Path) -> None:
    result = run("say", "--json", "안방 불 켜 줘", cwd=home_dir)
    data = json.loads(result.stdout)
    assert data["actions"] and data["actions"][0]["device_id"] == "light.master_bedroom"
    assert data["actions"][0]["ok"] is True


def test_sensitive_action_needs_confirmation(home_dir: Path) -> None:
    asked = run("say", "--json", "현관문 열어 줘", cwd=home_dir)
    data = json.loads(asked.stdout)
    assert not any(a["command"] == "unlock" for a in data["actions"])
    assert "할까요" in data["reply"]
    done = run("say", "--json", "--yes", "현관문 열어 줘", cwd=home_dir)
    assert any(a["command"] == "unlock" and a["ok"] for a in json.loads(done.stdout)["actions"])


def test_parse_contract(home_dir: Path) -> None:
    lines = "거실 불 끄고 에어컨 켜 줘\n오늘 날씨 어때?\n\n" + "\x00\x01garbage\n"
    result = run("parse", cwd=home_dir, stdin=lines)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 4
    first = out[0]
    assert first["ok"] is True and first["text"] == "거실 불 끄고 에어컨 켜 줘"
    assert first["frames"][0]["intent"] == "HassTurnOff"
    assert first["frames"][0]["targets"] == ["light.living_room"]
    assert first["frames"][1]["intent"] == "HassTurnOn"
    for item in out[1:]:
        assert item["ok"] is False and item["frames"] == [] and item["reason"]


def test_parse_survives_binary_and_huge_input(home_dir: Path) -> None:
    junk = bytes(b for b in range(256) if b != 0x0A) * 64 + b"\n"
    junk += "불".encode() * (10 * 1024 * 1024 // 3) + b"\n"
    result = run("parse", cwd=home_dir, stdin=junk, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(result.stdout.splitlines()) == 2
    assert_no_traceback(result)


@pytest.mark.parametrize("text", ["", "   ", "\x07\x1b[2J", "ㅋㅋㅋㅋ", "a" * 100_000, "불" * 30_000])
def test_say_odd_input_is_answered(home_dir: Path, text: str) -> None:
    result = run("say", text or " ", cwd=home_dir)
    assert_no_traceback(result)
    assert result.returncode == 0
    assert result.stdout.strip()


def test_bad_home_file_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "home.yaml").write_text("devices:\n  - id: x\n    name: 엑스\n    type: toaster\n",
                                        encoding="utf-8")
    result = run("devices", cwd=tmp_path)
    assert result.returncode == 2
    assert "home.yaml:4" in result.stderr and "toaster" in result.stderr
    assert_no_traceback(result)
    (tmp_path / "home.yaml").write_text("areas: [\n", encoding="utf-8")
    broken = run("say", "불 켜", cwd=tmp_path)
    assert broken.returncode == 2 and "not valid YAML" in broken.stderr
    assert_no_traceback(broken)
    missing = run("--home", str(tmp_path / "nope.yaml"), "devices", cwd=tmp_path)
    assert missing.returncode == 2 and "jipsa init" in missing.stderr


def test_unknown_area_is_refused(home_dir: Path) -> None:
    result = run("parse", "--area", "attic", cwd=home_dir, stdin="불 켜\n")
    assert result.returncode == 2 and "attic" in result.stderr


def test_chat_keeps_a_conversation(home_dir: Path) -> None:
    result = run("chat", cwd=home_dir, stdin="가스 밸브 열어 줘\n응\n가스 밸브 열려 있어?\n")
    assert result.returncode == 0, result.stderr
    replies = [line for line in result.stdout.splitlines() if line.startswith("집사:")]
    assert len(replies) == 4
    assert "열까요" in replies[1] or "열까요" in result.stdout
    assert "가스 밸브를 열었어요" in replies[2]


def test_restart_after_kill_keeps_committed_state(home_dir: Path) -> None:
    """Kill `jipsa serve` mid-run; what `say` committed before is still there after a restart."""
    run("say", "주방 불 켜 줘", cwd=home_dir)
    server = subprocess.Popen([*JIPSA, "serve", "--tick", "0.05"], cwd=home_dir,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.5)
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
    table = run("devices", cwd=home_dir)
    line = next(line for line in table.stdout.splitlines() if "주방 조명" in line)
    assert "켜짐" in line


@pytest.mark.parametrize(("args", "config", "expected"), [
    (("--mqtt", "ftp://broker", "devices"), None, "expected mqtt://host:port"),
    (("--mqtt", "mqtt://user:pw@broker:1883", "devices"), None, "credentials"),
    (("--config", "jipsa.yaml", "devices"), "mqtt: [1, 2]\n", "unknown mqtt keys"),
    (("--config", "jipsa.yaml", "devices"), "mqtt: {url: 'mqtt://h', colour: red}\n", "colour"),
    (("--config", "jipsa.yaml", "devices"), "mqtt: {url: 'mqtt://h\n", "not valid YAML"),
    (("--config", "missing.yaml", "devices"), None, "cannot read"),
    (("simulate", "--mqtt", "mqtts://h:99999"), None, "port"),
])
def test_bad_mqtt_configuration_is_one_clear_line(home_dir: Path, args: tuple[str, ...], config: str | None,
                                                   expected: str) -> None:
    if config is not None:
        (home_dir / "jipsa.yaml").write_text(config, encoding="utf-8")
    result = run(*args, cwd=home_dir)
    assert result.returncode == 2
    assert expected in result.stderr, result.stderr
    assert_no_traceback(result)


def test_commands_from_the_command_line_are_audited(home_dir: Path) -> None:
    from jipsa.core.clock import SystemClock
    from jipsa.store.accounts import AccountStore

    assert run("say", "주방 불 켜 줘", cwd=home_dir).returncode == 0
    with AccountStore.sqlite(home_dir / "home.accounts.db", clock=SystemClock()) as accounts:
        (entry,) = accounts.audit("home")
    assert (entry.via, entry.device_id, entry.command, entry.ok, entry.text) == (
        "cli", "light.kitchen", "turn_on", True, "주방 불 켜 줘")


def test_serve_runs_the_dashboard_and_makes_the_owner(home_dir: Path) -> None:
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([*JIPSA, "serve", "--port", str(port), "--owner", "boss"], cwd=home_dir,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        assert server.stderr is not None
        lines = [server.stderr.readline().decode() for _ in range(2)]
        assert f"http://localhost:{port}/" in lines[0], lines
        assert "owner login: boss / " in lines[1], lines
        password = lines[1].split("boss / ")[1].split()[0]
        assert len(password) >= 12
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
            assert b"/static/app.js" in page.read()
        login = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/auth/login", method="POST",
            data=json.dumps({"username": "boss", "password": password}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(login, timeout=10) as answer:
            assert json.load(answer)["homes"][0]["role"] == "owner"
        taken = run("serve", "--port", str(port), cwd=home_dir)  # the port in use: one clear line
        assert taken.returncode == 1 and "cannot listen" in taken.stderr, taken.stderr
        assert_no_traceback(taken)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=20)
        if server.stderr is not None:
            server.stderr.close()
    assert server.returncode == 0
