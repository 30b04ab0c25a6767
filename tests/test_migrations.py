"""Stairway: every revision upgrades, downgrades and upgrades again; head matches the models."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import make_url

from clearsite import migrate
from core.db import make_engine
from core.models import Base
from tests import dbutil


async def _admin(url: str, sql: str) -> None:
    engine = make_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(sql))
    finally:
        await engine.dispose()


@pytest.fixture
def empty_db(tmp_path: Path) -> Iterator[str]:
    """Its own database: a new SQLite file, or a new PostgreSQL database beside the test db."""
    configured = dbutil.configured_url()
    if configured is None:
        yield dbutil.sqlite_url(tmp_path / "stairway.db")
        return
    base = make_url(configured)
    name = f"{base.database}_stairway"
    admin = base.set(database="postgres").render_as_string(hide_password=False)
    asyncio.run(_admin(admin, f'DROP DATABASE IF EXISTS "{name}"'))
    asyncio.run(_admin(admin, f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    asyncio.run(_admin(admin, f'DROP DATABASE IF EXISTS "{name}"'))


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def test_every_revision_goes_up_down_and_up_again(empty_db: str) -> None:
    revisions = _revisions()
    assert revisions, "no migrations found"
    for index, revision in enumerate(revisions):
        previous = revisions[index - 1] if index else "base"
        migrate.upgrade(empty_db, revision)
        migrate.downgrade(empty_db, previous)
        migrate.upgrade(empty_db, revision)


def test_head_schema_matches_the_models(empty_db: str) -> None:
    migrate.upgrade(empty_db)

    async def diff() -> list[object]:
        engine = make_engine(empty_db)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(
                    lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
                )
        finally:
            await engine.dispose()

    assert asyncio.run(diff()) == []
