"""The sandbox served by a real `clearsite run` without a token (the browser and clock tests)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.cli.conftest import free_port


@dataclass
class Run:
    """A `clearsite run` without a token: its base URL; its output once it has stopped."""

    base: str
    out: str = ""
    err: str = ""


@contextlib.contextmanager
def clearsite_run(db_url: str, cwd: Path, log_level: str = "WARNING") -> Iterator[Run]:
    """`clearsite run` with no token on a free port; stopped with SIGTERM, which must be clean."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update(DATABASE_URL=db_url, API_PORT=str(port), LOG_LEVEL=log_level)
    proc = subprocess.Popen(
        [sys.executable, "-m", "clearsite", "run"],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    run = Run(f"http://127.0.0.1:{port}")
    try:
        _wait_for(f"{run.base}/sandbox/api/users", proc)
        yield run
    finally:
        proc.send_signal(signal.SIGTERM)
        run.out, run.err = proc.communicate(timeout=60)
    assert proc.returncode == 0, run.err
    assert f"sandbox mode. Open {run.base}/sandbox" in run.out


@pytest.fixture
def server(db_url: str, tmp_path: Path) -> Iterator[str]:
    """The base URL of a `clearsite run` without a token."""
    with clearsite_run(db_url, tmp_path) as run:
        yield run.base


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
