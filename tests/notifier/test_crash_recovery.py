"""Real notifier processes: SIGKILL mid-broadcast, two notifiers at once, a database outage."""

from __future__ import annotations

import asyncio
import logging
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from botapi_emulator import BotApiEmulator as FakeTelegramServer
from core.db import is_sqlite, make_engine
from tests.conftest import UowFactory
from tests.notifier.conftest import settled
from tests.notifier.procs import broadcast_to_all, notifier_env, start_notifier, stop_notifier

logger = logging.getLogger(__name__)

# Sends in flight plus outcomes not yet committed when the process dies (see notifier/results.py).
MAX_REPEATS = 200


def delivered_to_every_chat(fake: FakeTelegramServer, chats: int) -> bool:
    return all(fake.message_counts[(c, _text())] >= 1 for c in range(1, chats + 1))


def _text() -> str:
    return "📢 <b>Announcement from QA</b>\n\nCrash test"


@pytest.mark.slow
async def test_sigkill_mid_broadcast_then_restart_delivers_everything(
    uow: UowFactory, db_url: str, fake: FakeTelegramServer
) -> None:
    await broadcast_to_all(uow, 5000)
    env = notifier_env(db_url, fake)
    first = await start_notifier(env)
    await fake.wait_sent(1500, timeout=20)
    await stop_notifier(first, signal.SIGKILL)
    second = await start_notifier(env)
    try:
        counts = await settled(uow, timeout=30)
    finally:
        assert await stop_notifier(second) == 0
    repeats = sum(n - 1 for n in fake.duplicates().values())
    logger.warning("SIGKILL test: %d repeated messages", repeats)
    assert counts.sent == 5000
    assert delivered_to_every_chat(fake, 5000)
    assert repeats <= MAX_REPEATS


@pytest.mark.slow
async def test_two_notifiers_share_the_outbox_without_duplicates(
    uow: UowFactory, db_url: str, fake: FakeTelegramServer
) -> None:
    await broadcast_to_all(uow, 3000)
    env = notifier_env(db_url, fake, lease_s=30)
    procs = [await start_notifier(env), await start_notifier(env)]
    try:
        counts = await settled(uow, timeout=30)
    finally:
        codes = [await stop_notifier(p) for p in procs]
    assert codes == [0, 0]
    assert counts.sent == 3000
    assert fake.duplicates() == {}
    assert len(fake.sent_messages()) == 3000


@pytest.mark.slow
async def test_database_outage_mid_broadcast_loses_nothing(
    uow: UowFactory, db_url: str, fake: FakeTelegramServer
) -> None:
    await broadcast_to_all(uow, 3000)
    proc = await start_notifier(notifier_env(db_url, fake))
    try:
        await fake.wait_sent(500, timeout=20)
        await interrupt_database(db_url)
        counts = await settled(uow, timeout=40)
    finally:
        assert await stop_notifier(proc) == 0
    repeats = sum(n - 1 for n in fake.duplicates().values())
    logger.warning("database outage test: %d repeated messages", repeats)
    assert counts.sent == 3000
    assert delivered_to_every_chat(fake, 3000)
    # The process never died: what it sent while the database was away is not sent again,
    # even after its leases expired (the stall outlasts the test's 2 s lease).
    assert repeats == 0


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
