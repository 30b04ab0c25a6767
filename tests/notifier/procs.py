"""Notifier processes for crash tests: the real `clearsite notifier` command, killed for real."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from botapi_emulator import BotApiEmulator
from tests.conftest import UowFactory


def notifier_env(
    db_url: str, fake: BotApiEmulator, lease_s: float = 2.0, rate: float = 1000.0
) -> dict[str, str]:
    """Environment for a notifier sending to the fake (1,000 msg/s by default), short leases."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update(
        DATABASE_URL=db_url,
        TELEGRAM_BOT_TOKEN=fake.token,
        TELEGRAM_API_URL=fake.url,
        SEND_RATE_PER_SEC=str(rate),
        PAID_BROADCAST="true",
        DELIVERY_LEASE_SECONDS=str(lease_s),
        LOG_LEVEL="WARNING",
    )
    return env


async def start_notifier(
    env: dict[str, str], procs: list[asyncio.subprocess.Process] | None = None
) -> asyncio.subprocess.Process:
    """`clearsite notifier` in a child process, added to `procs` (see `notifiers`)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "clearsite",
        "notifier",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    if procs is not None:
        procs.append(proc)
    return proc


async def stop_notifier(proc: asyncio.subprocess.Process, sig: int = signal.SIGTERM) -> int:
    """Signal the child and wait for it: a stop may wait out sends in flight (up to 15 s) and
    then scheduled jobs under way (up to 20 s), so the bound is 60 s."""
    if proc.returncode is None:
        proc.send_signal(sig)
    async with asyncio.timeout(60):
        return await proc.wait()


@asynccontextmanager
async def notifiers() -> AsyncIterator[list[asyncio.subprocess.Process]]:
    """Collects started notifiers; any still running at the end (a failed test) is killed."""
    procs: list[asyncio.subprocess.Process] = []
    try:
        yield procs
    finally:
        for proc in procs:
            if proc.returncode is None:
                proc.send_signal(signal.SIGCONT)
                proc.kill()
                await proc.wait()


async def pause_notifier(proc: asyncio.subprocess.Process) -> None:
    """SIGSTOP the child and wait until the kernel shows it stopped."""
    proc.send_signal(signal.SIGSTOP)
    deadline = time.monotonic() + 5
    while not _stopped(proc.pid):
        if time.monotonic() > deadline:
            raise TimeoutError(f"notifier {proc.pid} did not stop")
        await asyncio.sleep(0.01)


def _stopped(pid: int) -> bool:
    """Whether /proc shows the process stopped by a signal."""
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    return state in ("T", "t")


async def wait_sent(fake: BotApiEmulator, count: int, timeout: float = 20.0) -> None:  # noqa: ASYNC109
    """Wait until the fake has accepted `count` messages."""
    await fake.wait_sent(count, timeout=timeout)


async def broadcast_to_all(uow: UowFactory, chats: int) -> int:
    """Active chats 1..chats and one broadcast to all of them; its id."""
    from core.broadcasts.schemas import BroadcastCreate
    from tests.outboxutil import add_chats

    async with uow() as svc:
        await add_chats(svc, range(1, chats + 1))
        made = await svc.broadcasts.create(
            "apikey:1",
            BroadcastCreate.model_validate(
                {"audience": {"kind": "all"}, "text": {"en": "Crash test"}, "sender": "QA"}
            ),
        )
    return made.id


def elapsed_since(start: float) -> float:
    """Seconds since a monotonic start."""
    return time.monotonic() - start
