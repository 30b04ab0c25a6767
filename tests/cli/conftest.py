"""Run the real `clearsite` command in a subprocess against the test database."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

CliRunner = Callable[..., subprocess.CompletedProcess[str]]


# Ports handed to servers that a test starts later. They come from below the kernel's
# ephemeral range (32768-60999 on Linux), which every outgoing connection of a busy machine
# draws from: a port from bind(0) can be taken by such a connection before the server binds it.
_SERVER_PORTS = range(20000, 32000)


def free_port() -> int:
    """A TCP port nobody listens on right now, outside the ephemeral range."""
    for _ in range(200):
        port = random.choice(_SERVER_PORTS)  # noqa: S311 - not security
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free TCP port found")


@pytest.fixture
def cli_env(db_url: str, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update(DATABASE_URL=db_url, LOG_LEVEL="WARNING", API_PORT=str(free_port()))
    return env


@pytest.fixture
def cli(cli_env: dict[str, str], tmp_path: Path) -> CliRunner:
    def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - our own command, fixed arguments
            [sys.executable, "-m", "clearsite", *args],
            env=cli_env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run
