"""`clearsite run` and the single roles start, serve, and stop cleanly on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys
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
    finally:
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "loading demo data" in out
    assert "TELEGRAM_BOT_TOKEN is not set" in err


@pytest.mark.parametrize("role", ["notifier", "bot"])
def test_single_roles_start_and_stop(cli_env: dict[str, str], tmp_path: Path, role: str) -> None:
    proc = _start([role], cli_env, tmp_path)
    time.sleep(1.5)
    assert proc.poll() is None or proc.returncode == 0
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
