"""Pooled connections: a dropped PostgreSQL connection is replaced at checkout; a SQLite
connection goes back to the pool without an open transaction, whether its unit of work read,
wrote or failed."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.db import make_engine, make_session_factory
from core.uow import unit_of_work


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
