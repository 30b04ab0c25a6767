"""The sandbox served by a real `clearsite run` without a token (the browser and clock tests)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.cli.conftest import free_port


@pytest.fixture
def server(db_url: str, tmp_path: Path) -> Iterator[str]:
    """`clearsite run` with no token on a free port; stopped with SIGTERM, which must be clean."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update(DATABASE_URL=db_url, API_PORT=str(port), LOG_LEVEL="WARNING")
    proc = subprocess.Popen(
        [sys.executable, "-m", "clearsite", "run"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/sandbox/api/users", proc)
        yield base
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert f"sandbox mode. Open {base}/sandbox" in out


def _wait_for(url: str, proc: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"clearsite run exited early: {proc.communicate()}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("the sandbox never answered")
