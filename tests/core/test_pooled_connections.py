"""Pooled connections: a dropped PostgreSQL connection is replaced at checkout; a SQLite
connection goes back to the pool without an open transaction, whether its unit of work read,
wrote, failed or was cancelled."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.db import make_engine, make_session_factory
from core.uow import unit_of_work
from tests.dbutil import sqlite_writable


async def test_a_connection_the_server_dropped_is_replaced(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL drops connections; a SQLite file has none to drop")
    engine = make_engine(db_url, pool_size=1, max_overflow=0)
    factory = make_session_factory(engine)
    try:
        async with unit_of_work(factory) as svc:
            pid = await svc.session.scalar(text("SELECT pg_backend_pid()"))
        killer = make_engine(db_url)
        async with killer.connect() as conn:
            killed = await conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            # Gone on the server's side, as after a restart; the client has read its socket close.
            gone = text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
            for _ in range(100):
                if not await conn.scalar(gone, {"pid": pid}):
                    break
                await asyncio.sleep(0.05)
        await killer.dispose()
        await asyncio.sleep(0.1)
        assert killed is True
        # The one pooled connection is dead: the checkout notices and connects again.
        async with unit_of_work(factory) as svc:
            again = await svc.session.scalar(text("SELECT pg_backend_pid()"))
            assert (await svc.projects.find_nearby(50.45, 30.52)).items == ()
        assert again != pid
    finally:
        await engine.dispose()


async def test_a_transaction_left_waiting_is_ended_by_the_server(db_url: str) -> None:
    """The notifier's delivery pool: a transaction paused mid-way (the process was stopped)
    holds its row locks only until the idle limit, then the server ends it."""
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's idle_in_transaction_session_timeout")
    engine = make_engine(db_url, idle_in_transaction_s=0.3)
    try:
        async with engine.connect() as conn:
            limit = await conn.scalar(text("SHOW idle_in_transaction_session_timeout"))
            assert limit == "300ms"
            await asyncio.sleep(1.0)  # idle inside the transaction SQLAlchemy began
            with pytest.raises(DBAPIError):
                await conn.scalar(text("SELECT 1"))
        async with engine.connect() as conn:  # the pool replaces the ended connection
            assert await conn.scalar(text("SELECT 1")) == 1
    finally:
        await engine.dispose()


async def _in_transaction(factory: async_sessionmaker[AsyncSession]) -> bool:
    async with factory() as session:
        raw = await (await session.connection()).get_raw_connection()
        return bool(raw.driver_connection.in_transaction)  # type: ignore[union-attr]


async def _write_then_fail(factory: async_sessionmaker[AsyncSession], insert: Any) -> None:
    async with factory() as session:
        await session.execute(insert, {"id": 1})
        raise RuntimeError("the block fails before it commits")


async def test_sqlite_connections_return_without_a_transaction(db_url: str) -> None:
    if db_url.startswith("postgresql"):
        pytest.skip("the SQLite pool's reset")
    engine = make_engine(db_url, pool_size=1, max_overflow=0)
    factory = make_session_factory(engine)
    insert = text(
        "INSERT INTO chat (id, type, is_active, first_seen_at, last_seen_at)"
        " VALUES (:id, 'private', true, '2026-12-01 10:00:00', '2026-12-01 10:00:00')"
    )
    try:
        async with unit_of_work(factory) as svc:
            await svc.projects.find_nearby(50.45, 30.52)
        assert not await _in_transaction(factory)
        with pytest.raises(RuntimeError):
            await _write_then_fail(factory, insert)
        # Closed without a commit: the pool rolled the write back.
        assert not await _in_transaction(factory)
        async with factory() as session:
            assert await session.scalar(text("SELECT count(*) FROM chat")) == 0
        async with unit_of_work(factory) as svc:
            await svc.session.execute(insert, {"id": 2})
        assert not await _in_transaction(factory)
        async with factory() as session:
            assert await session.scalar(text("SELECT count(*) FROM chat")) == 1
    finally:
        await engine.dispose()


async def test_a_cancelled_sqlite_write_does_not_keep_the_write_lock(db_url: str) -> None:
    """A stop cancels a write while it waits for the lock: once it has run, the lock is free.

    SQLAlchemy closes the connection of a cancelled statement without closing its cursor;
    sqlite3 then keeps that connection's transaction, and so the database's write lock, open
    (here: an executemany, as the notifier records outcomes). A stopping notifier waited on
    its own lock for minutes.
    """
    if db_url.startswith("postgresql"):
        pytest.skip("SQLite's single write lock")
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    insert = text(
        "INSERT INTO chat (id, type, is_active, first_seen_at, last_seen_at)"
        " VALUES (:id, 'private', true, '2026-12-01 10:00:00', '2026-12-01 10:00:00')"
    )

    async def write() -> None:
        async with unit_of_work(factory) as svc:
            await svc.session.execute(insert, [{"id": 1}, {"id": 2}])

    blocker = sqlite3.connect(make_url(db_url).database or "", isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        task = asyncio.create_task(write())
        await asyncio.sleep(0.5)  # the INSERT waits for the lock in its connection's thread
        task.cancel()
        await asyncio.sleep(0.1)
        blocker.execute("ROLLBACK")  # now the INSERT runs, for a unit of work already cancelled
        with pytest.raises(asyncio.CancelledError):
            await task
        assert await sqlite_writable(db_url, wait_s=5.0)
        async with factory() as session:
            assert await session.scalar(text("SELECT count(*) FROM chat")) == 0
    finally:
        blocker.close()
        await engine.dispose()
