"""Hot reads (core/driver_query.py): on SQLite they run on the event loop's own thread, inside
the unit of work's transaction, and still through aiosqlite's thread when sqlite3's connection
may not leave it."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from core.clock import fixed_clock
from core.context import DomainContext
from core.db import make_engine, make_session_factory
from core.driver_query import DriverQuery
from core.uow import unit_of_work
from tests.conftest import NOW

# The thread a statement runs on, reported by SQLite itself through a function of ours.
_THREAD = DriverQuery(lambda _: select(func.clearsite_thread().label("thread")))


def _with_thread_function(engine: AsyncEngine) -> AsyncEngine:
    def register(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.create_function("clearsite_thread", 0, threading.get_ident)

    event.listen(engine.sync_engine, "connect", register)
    return engine


def _sqlite_only(db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("asyncpg runs on the event loop already; aiosqlite has a thread of its own")


async def test_a_hot_read_on_sqlite_runs_on_the_loops_thread(db_url: str) -> None:
    _sqlite_only(db_url)
    engine = _with_thread_function(make_engine(db_url))
    try:
        async with unit_of_work(make_session_factory(engine)) as svc:
            rows = await _THREAD.rows(svc.session, None)
            # The same function through the ORM runs on aiosqlite's thread: it tells them apart.
            through_orm = await svc.session.scalar(select(func.clearsite_thread()))
    finally:
        await engine.dispose()
    assert [row.thread for row in rows] == [threading.get_ident()]
    assert through_orm != threading.get_ident()


async def test_a_connection_kept_to_its_thread_is_read_through_aiosqlite(db_url: str) -> None:
    _sqlite_only(db_url)
    engine = make_engine(db_url, connect_args={"timeout": 30, "check_same_thread": True})
    _with_thread_function(engine)
    try:
        async with unit_of_work(make_session_factory(engine)) as svc:
            rows = await _THREAD.rows(svc.session, None)
    finally:
        await engine.dispose()
    assert len(rows) == 1
    assert rows[0].thread != threading.get_ident()


async def test_hot_reads_see_their_own_unit_of_works_writes_under_concurrency(
    db_url: str,
) -> None:
    """Forty units of work at once on a small pool: each writes a new chat through the ORM
    (aiosqlite's thread) and then reads it with the hot read (here, on SQLite, on the loop's
    thread) before committing; another unit of work reads them all afterwards."""
    engine = make_engine(db_url, pool_size=3, max_overflow=2)
    factory = make_session_factory(engine)
    ctx = DomainContext(clock=fixed_clock(NOW))

    async def one(chat_id: int) -> tuple[int | None, int | None]:
        async with unit_of_work(factory, ctx) as svc:
            await svc.chats.touch(chat_id, "private", "uk")
            mine = await svc.chats.seen(chat_id, "uk")
            other = await svc.chats.seen(chat_id + 1_000, "uk")  # nobody writes these
            return (mine.id if mine else None, other.id if other else None)

    try:
        results = await asyncio.gather(*(one(7_000 + n) for n in range(40)))
        async with unit_of_work(factory, ctx) as svc:
            later = [await svc.chats.seen(7_000 + n, "uk") for n in range(40)]
    finally:
        await engine.dispose()
    assert results == [(7_000 + n, None) for n in range(40)]
    assert [chat.id if chat else None for chat in later] == [7_000 + n for n in range(40)]
