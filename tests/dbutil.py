"""Test databases: a migrated SQLite template copied per test, or a truncated PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from clearsite import migrate
from core.db import is_sqlite, make_engine
from core.models import Base

TEST_DATABASE_URL_ENV = "TEST_DATABASE_URL"


def configured_url() -> str | None:
    """The PostgreSQL (or other) URL the suite runs on, when one is given."""
    return os.environ.get(TEST_DATABASE_URL_ENV) or None


def sqlite_url(path: Path) -> str:
    """An aiosqlite URL for a file."""
    return f"sqlite+aiosqlite:///{path}"


async def sqlite_writable(url: str, wait_s: float = 3.0) -> bool:
    """Whether another connection can take SQLite's write lock within `wait_s` seconds."""
    path = Path(make_url(url).database or "")
    return await asyncio.to_thread(_try_write_lock, path, wait_s)


def _try_write_lock(path: Path, wait_s: float) -> bool:
    connection = sqlite3.connect(path, timeout=wait_s, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        connection.close()


async def reset_schema(url: str) -> None:
    """Drop everything in a PostgreSQL database's public schema."""
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


async def truncate_all(url: str) -> None:
    """Empty every table (PostgreSQL), keeping the schema and the Alembic version."""
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()


def prepare_template(tmp_root: Path) -> str:
    """Migrate the session's database once; return its URL."""
    url = configured_url()
    if url is None:
        url = sqlite_url(tmp_root / "template.db")
    else:
        asyncio.run(reset_schema(url))
    migrate.upgrade(url)
    return url


def fresh_database(template_url: str, tmp_path: Path) -> str:
    """A database for one test: a copy of the SQLite template, or the emptied PostgreSQL one."""
    if is_sqlite(template_url):
        source = Path(make_url(template_url).database or "")
        target = tmp_path / "test.db"
        shutil.copyfile(source, target)
        return sqlite_url(target)
    asyncio.run(truncate_all(template_url))
    return template_url
