"""Real notifier processes: SIGKILL, SIGSTOP past the lease, two notifiers, a database outage."""

from __future__ import annotations

import asyncio
import logging
import signal
import sqlite3
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from botapi_emulator import BotApiEmulator
from core.db import is_sqlite, make_engine
from notifier.engine import EngineConfig
from tests.conftest import UowFactory
from tests.dbutil import sqlite_writable
from tests.notifier.conftest import settled
from tests.notifier.procs import (
    broadcast_to_all,
    notifier_env,
    notifiers,
    pause_notifier,
    start_notifier,
    stop_notifier,
)
from tests.outboxutil import deliveries

logger = logging.getLogger(__name__)

# Generous: a passing test ends as soon as it is done; these bound only a failure, on a busy
# 2-core machine (see `make crash-loop`).
SENT_TIMEOUT_S = 60
SETTLE_TIMEOUT_S = 120


def delivered_to_every_chat(chats: int, *fakes: BotApiEmulator) -> bool:
    return all(
        sum(f.message_counts[(c, _text())] for f in fakes) >= 1 for c in range(1, chats + 1)
    )


async def covered(chats: int, *fakes: BotApiEmulator, timeout: float) -> None:  # noqa: ASYNC109 - a deadline, not a cancel scope
    """Wait until every chat got the message from one of the fakes."""
    deadline = time.monotonic() + timeout
    while not delivered_to_every_chat(chats, *fakes):
        assert time.monotonic() < deadline, "the other notifier never took the batch over"
        await asyncio.sleep(0.1)


def repeats(*fakes: BotApiEmulator) -> int:
    """Messages delivered more than once, over every fake (one per notifier)."""
    total: Counter[tuple[int | str, str]] = Counter()
    for fake in fakes:
        total.update(fake.message_counts)
    return sum(n - 1 for n in total.values() if n > 1)


def _text() -> str:
    return "📢 <b>Announcement from QA</b>\n\nCrash test"


async def failures(uow: UowFactory) -> Counter[str | None]:
    """Why the rows that were not sent ended as they did (for a failing assertion)."""
    async with uow() as svc:
        rows = await deliveries(svc)
    return Counter(f"{r.state}: {r.last_error}" for r in rows if r.state != "sent")


async def recorded_sent(uow: UowFactory) -> int:
    async with uow() as svc:
        return (await svc.outbox.counts()).sent


@pytest.mark.slow
async def test_sigkill_mid_broadcast_repeats_only_what_was_sent_but_unrecorded(
    uow: UowFactory, db_url: str, fake: BotApiEmulator
) -> None:
    await broadcast_to_all(uow, 5000)
    env = notifier_env(db_url, fake)
    async with notifiers() as procs:
        first = await start_notifier(env, procs)
        await fake.wait_sent(1500, timeout=SENT_TIMEOUT_S)
        await stop_notifier(first, signal.SIGKILL)
        await asyncio.sleep(0.5)  # what the dead process wrote (requests, a COMMIT) has landed
        unrecorded = len(fake.sent_messages()) - await recorded_sent(uow)
        second = await start_notifier(env, procs)
        counts = await settled(uow, timeout=SETTLE_TIMEOUT_S)
        assert await stop_notifier(second) == 0
    repeated = repeats(fake)
    logger.warning("SIGKILL test: %d repeated, %d unrecorded at the kill", repeated, unrecorded)
    assert counts.sent == 5000, await failures(uow)
    assert delivered_to_every_chat(5000, fake)
    # Only a message sent but not yet recorded can go out twice; back-pressure caps those.
    assert repeated <= unrecorded <= EngineConfig(rate_per_sec=1000).max_unrecorded


@pytest.mark.slow
async def test_two_notifiers_share_the_outbox_without_duplicates(
    uow: UowFactory, db_url: str, fake: BotApiEmulator
) -> None:
    await broadcast_to_all(uow, 3000)
    async with BotApiEmulator(record=True) as other:
        envs = [notifier_env(db_url, f, lease_s=30) for f in (fake, other)]
        async with notifiers() as procs:
            for env in envs:
                await start_notifier(env, procs)
            counts = await settled(uow, timeout=SETTLE_TIMEOUT_S)
            codes = [await stop_notifier(p) for p in procs]
        assert codes == [0, 0]
        assert counts.sent == 3000, await failures(uow)
        assert repeats(fake, other) == 0
        assert len(fake.sent_messages()) + len(other.sent_messages()) == 3000
        # Both really sent: each notifier talks to its own fake Bot API.
        assert len(fake.sent_messages()) > 0
        assert len(other.sent_messages()) > 0


@pytest.mark.slow
async def test_a_notifier_paused_past_its_lease_does_not_resend_its_batch(
    uow: UowFactory, db_url: str, fake: BotApiEmulator
) -> None:
    lease_s, rate = 2.0, 200.0
    await broadcast_to_all(uow, 2000)
    async with BotApiEmulator(record=True) as other:
        async with notifiers() as procs:
            paused = await start_notifier(notifier_env(db_url, fake, lease_s, rate), procs)
            await start_notifier(notifier_env(db_url, other, lease_s, rate), procs)
            await fake.wait_sent(100, timeout=SENT_TIMEOUT_S)
            await pause_notifier(paused)
            held = 2000 - len(fake.sent_messages())
            frozen_writer = is_sqlite(db_url) and not await sqlite_writable(db_url)
            if frozen_writer:
                # SQLite has one writer: paused inside a write, the process holds the database
                # and nobody can take its batch over. Resume it after several leases; it must
                # still send nothing whose lease lapsed.
                await asyncio.sleep(lease_s * 5)
            else:
                # While it sleeps, the other notifier sends everything left, the paused one's
                # batch too once its lease has run out: only then does the paused one wake up.
                await covered(2000, fake, other, timeout=SETTLE_TIMEOUT_S)
            before_resume = len(other.sent_messages())
            paused.send_signal(signal.SIGCONT)
            counts = await settled(uow, timeout=SETTLE_TIMEOUT_S)
            codes = [await stop_notifier(p) for p in procs]
        repeated = repeats(fake, other)
        logger.warning(
            "SIGSTOP test: %d repeated messages (paused inside a write: %s)",
            repeated,
            frozen_writer,
        )
        assert codes == [0, 0]
        assert counts.sent == 2000, await failures(uow)
        assert delivered_to_every_chat(2000, fake, other)
        if not frozen_writer:
            assert before_resume >= held
        # Only what was sent (or already on its way) but unrecorded at the pause may repeat.
        assert repeated <= EngineConfig(rate_per_sec=rate).max_unrecorded


@pytest.mark.slow
async def test_database_outage_mid_broadcast_loses_nothing(
    uow: UowFactory, db_url: str, fake: BotApiEmulator
) -> None:
    await broadcast_to_all(uow, 3000)
    async with notifiers() as procs:
        proc = await start_notifier(notifier_env(db_url, fake), procs)
        await fake.wait_sent(500, timeout=SENT_TIMEOUT_S)
        await interrupt_database(db_url)
        counts = await settled(uow, timeout=SETTLE_TIMEOUT_S)
        assert await stop_notifier(proc) == 0
    repeated = repeats(fake)
    logger.warning("database outage test: %d repeated messages", repeated)
    assert counts.sent == 3000, await failures(uow)
    assert delivered_to_every_chat(3000, fake)
    # The process never died: what it sent while the database was away is not sent again,
    # even after its leases expired (the stall outlasts the test's 2 s lease).
    assert repeated == 0


async def interrupt_database(url: str) -> None:
    """PostgreSQL: kill every other connection to this database, twice, as a restart would.

    SQLite has no server to restart: hold its write lock for two seconds instead, so every
    writer stalls mid-broadcast and must carry on afterwards.
    """
    if is_sqlite(url):
        await asyncio.to_thread(_hold_sqlite_lock, Path(make_url(url).database or ""), 2.0)
        return
    engine = make_engine(url)
    try:
        for _ in range(2):
            async with engine.begin() as conn:
                await conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                )
            await asyncio.sleep(0.3)
    finally:
        await engine.dispose()


def _hold_sqlite_lock(path: Path, seconds: float) -> None:
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        connection.execute("BEGIN EXCLUSIVE")
        time.sleep(seconds)
        connection.execute("COMMIT")
    finally:
        connection.close()
