"""Hot reads (core/driver_query.py): on SQLite they run on the event loop's own thread, inside
the unit of work's transaction, and still through aiosqlite's thread when sqlite3's connection
may not leave it; a unit of work that read only on the loop goes back to the pool without a
hop to aiosqlite's thread."""

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
from tests.dbutil import sqlite_writable

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
    """Forty units of work at once on a small pool: each writes a new chat through SQLAlchemy
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


class _CountingQueue:
    """aiosqlite's queue of work for a connection's thread, counting what is put on it."""

    def __init__(self, queue: Any) -> None:
        self.queue = queue
        self.sent = 0

    def put_nowait(self, item: Any) -> None:
        self.sent += 1
        self.queue.put_nowait(item)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.queue, name)


async def test_a_unit_of_work_that_read_on_the_loop_is_checked_in_without_a_hop(
    db_url: str,
) -> None:
    """The pool's ROLLBACK at check-in goes to aiosqlite's thread only after a statement was
    sent there; after a read on the loop's thread alone, sqlite3's rollback runs on the loop."""
    _sqlite_only(db_url)
    engine = make_engine(db_url, pool_size=1, max_overflow=0)
    factory = make_session_factory(engine)
    ctx = DomainContext(clock=fixed_clock(NOW))
    try:
        async with unit_of_work(factory, ctx) as svc:
            await svc.chats.touch(1, "private", "uk")  # a write, on aiosqlite's thread
            raw = await (await svc.session.connection()).get_raw_connection()
            driver: Any = raw.driver_connection
            queue = driver._tx = _CountingQueue(driver._tx)
        after_write = queue.sent  # its COMMIT, and the ROLLBACK at check-in
        async with unit_of_work(factory, ctx) as svc:
            assert await svc.chats.seen(1, "uk") is not None
            assert (await svc.projects.find_nearby(50.45, 30.52)).items == ()
        after_reads = queue.sent
        async with unit_of_work(factory, ctx) as svc:
            await svc.chats.set_locale(1, "ko")
        after_second_write = queue.sent
        assert await sqlite_writable(db_url)
    finally:
        await engine.dispose()
    assert after_write == 2
    assert after_reads == after_write
    assert after_second_write > after_reads + 2  # the read and write, COMMIT, ROLLBACK
