"""A new chat recorded on its own (`ChatService.touch_alone`, `DriverQuery.write_alone`): the
same row as `touch`, committed at once on SQLite's loop thread; never a wait on the loop when
another connection holds SQLite's write lock; part of the unit of work when it wrote before."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.engine import make_url

from core.chats.models import Chat
from core.context import DomainContext
from core.db import make_engine, make_session_factory
from core.uow import unit_of_work
from tests.conftest import UowFactory
from tests.dbutil import sqlite_writable


async def _stored(uow: UowFactory, chat_id: int) -> dict[str, Any]:
    async with uow() as svc:
        row = (await svc.session.execute(select(Chat.__table__).where(Chat.id == chat_id))).one()
    return dict(row._mapping)


async def test_touch_alone_stores_and_returns_what_touch_does(uow: UowFactory) -> None:
    async with uow() as svc:
        alone = await svc.chats.touch_alone(50, "private", "uk-UA")
    async with uow() as svc:
        joined = await svc.chats.touch(51, "private", "uk-UA")
    assert alone.model_dump() == {**joined.model_dump(), "id": 50}
    assert await _stored(uow, 50) == {**await _stored(uow, 51), "id": 50}
    async with uow() as svc:  # an existing chat: reactivated, its language kept when absent
        await svc.chats.mark_unreachable({50: "blocked"})
    async with uow() as svc:
        again = await svc.chats.touch_alone(50, "group", None)
    assert (again.is_active, again.telegram_language, again.type) == (True, "uk-UA", "private")
    assert (await _stored(uow, 50))["inactive_reason"] is None


async def test_touch_alone_after_a_write_is_part_of_the_unit_of_work(uow: UowFactory) -> None:
    async with uow() as svc:
        await svc.chats.touch(60, "private", None)

    async def failing_handler() -> None:
        async with uow() as svc:
            await svc.chats.set_locale(60, "ko")
            await svc.chats.touch_alone(61, "private", None)
            raise RuntimeError("the handler failed")

    with pytest.raises(RuntimeError):
        await failing_handler()
    async with uow() as svc:
        assert (await svc.chats.get(60)).locale is None
        assert await svc.chats.seen(61, None) is None


async def test_on_sqlite_it_commits_on_the_loops_thread(db_url: str, ctx: DomainContext) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("on PostgreSQL touch_alone is touch")
    engine = make_engine(db_url)
    threads: list[int] = []

    @event.listens_for(engine.sync_engine, "connect")
    def record_commits(dbapi_connection: Any, _record: Any) -> None:
        sqlite3_connection = dbapi_connection.driver_connection._connection
        sqlite3_connection.set_trace_callback(
            lambda sql: threads.append(threading.get_ident()) if sql == "COMMIT" else None
        )

    try:
        async with unit_of_work(make_session_factory(engine), ctx) as svc:
            await svc.chats.touch_alone(70, "private", None)
            # Committed already: another connection can take the write lock and sees the row.
            assert await sqlite_writable(db_url, wait_s=0.5)
    finally:
        await engine.dispose()
    assert threads == [threading.get_ident()]


async def test_on_sqlite_a_held_write_lock_is_waited_for_off_the_loop(
    db_url: str, ctx: DomainContext
) -> None:
    """Another connection holds the write lock for 0.5 s: touch_alone takes the usual way, which
    waits in aiosqlite's thread; the loop keeps running meanwhile, and the busy timeout of the
    connection is what it was."""
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    holder = sqlite3.connect(Path(make_url(db_url).database or ""), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    engine = make_engine(db_url)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    asyncio.get_running_loop().call_later(0.5, holder.execute, "ROLLBACK")
    try:
        async with unit_of_work(make_session_factory(engine), ctx) as svc:
            chat = await svc.chats.touch_alone(80, "private", None)
            timeout = (await svc.session.execute(text("PRAGMA busy_timeout"))).scalar_one()
        async with unit_of_work(make_session_factory(engine), ctx) as svc:
            stored = await svc.chats.get(80)
    finally:
        ticker.cancel()
        holder.close()
        await engine.dispose()
    assert chat == stored
    assert timeout == 30_000
    assert ticks >= 10  # the loop ran while the write waited (a blocked loop makes none)
