"""`clearsite run` and the single roles start, serve, and stop cleanly on SIGTERM."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest


def _wait_healthy(port: int, proc: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"exited early: {proc.communicate()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("never became healthy")


def _start(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "clearsite", *args],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_run_serves_demo_data_and_stops_on_signal(
    cli_env: dict[str, str], tmp_path: Path, sig: signal.Signals
) -> None:
    port = int(cli_env["API_PORT"])
    proc = _start(["run"], cli_env, tmp_path)
    try:
        _wait_healthy(port, proc)
        items = httpx.get(f"http://127.0.0.1:{port}/api/v1/projects?limit=5").json()["items"]
        assert len(items) == 5
        assert httpx.get(f"http://127.0.0.1:{port}/sandbox").status_code == 200
    finally:
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "loading demo data" in out
    assert f"No TELEGRAM_BOT_TOKEN: sandbox mode. Open http://127.0.0.1:{port}/sandbox" in out


def _wait_for_line(proc: subprocess.Popen[str], needle: str, timeout: float = 60) -> None:
    """Read stderr until a line contains `needle` (the role has installed its handlers)."""
    assert proc.stderr is not None
    found = threading.Event()

    def reader() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            if needle in line:
                found.set()
                return

    threading.Thread(target=reader, daemon=True).start()
    assert found.wait(timeout), f"never logged {needle!r}"


def test_notifier_role_starts_and_stops_on_sigterm(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    proc = _start(["notifier"], {**cli_env, "LOG_LEVEL": "INFO"}, tmp_path)
    _wait_for_line(proc, "notifier started")
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    for pipe in (proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()
    assert proc.returncode == 0


def test_bot_role_without_token_says_so_and_exits_cleanly(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    proc = _start(["bot"], cli_env, tmp_path)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert "TELEGRAM_BOT_TOKEN is not set" in err


def test_run_on_a_port_already_taken_says_so_without_a_traceback(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", int(cli_env["API_PORT"])))
        taken.listen()
        proc = _start(["run"], {**cli_env, "LOG_LEVEL": "INFO"}, tmp_path)
        _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert f"the API could not listen on 127.0.0.1:{cli_env['API_PORT']}" in err
    assert "Traceback" not in err
