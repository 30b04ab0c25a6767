"""Stairway: every revision upgrades, downgrades and upgrades again; head matches the models."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
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


async def _run(url: str, *statements: str, **params: object) -> list[tuple[object, ...]]:
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            rows: list[tuple[object, ...]] = []
            for sql in statements:
                bound = {k: v for k, v in params.items() if f":{k}" in sql}
                result = await conn.execute(text(sql), bound)
                rows = [tuple(r) for r in result] if result.returns_rows else []
            return rows
    finally:
        await engine.dispose()


def test_photo_bytes_move_to_their_own_table_and_back(empty_db: str) -> None:
    """The upgrade copies the bytes before dropping the column (on SQLite the rebuilt table
    must not cascade to them), the foreign key cascades, the downgrade copies them back."""
    migrate.upgrade(empty_db, "20261202_draft_photos")
    insert = (
        "INSERT INTO report_photo (id, report_id, draft_chat_id, position, media_key, content,"
        " content_type, size, created_at) VALUES (:id, NULL, 7, 0, :key, :content,"
        " 'image/jpeg', :size, :at)"
    )
    at = datetime(2026, 12, 2, 5, tzinfo=UTC)
    blob = bytes(range(256)) * 1200
    for id_, content in ((1, blob), (2, None)):
        asyncio.run(
            _run(
                empty_db,
                insert,
                id=id_,
                key=f"k{id_}",
                content=content,
                size=len(content or b""),
                at=at,
            )
        )

    migrate.upgrade(empty_db, "20261202_photo_content")
    moved = asyncio.run(_run(empty_db, "SELECT photo_id, content FROM report_photo_content"))
    assert moved == [(1, blob)]
    gone = asyncio.run(
        _run(
            empty_db,
            "DELETE FROM report_photo WHERE id = 1",
            "SELECT count(*) FROM report_photo_content",
        )
    )
    assert gone == [(0,)]
    asyncio.run(
        _run(
            empty_db,
            "INSERT INTO report_photo (id, report_id, draft_chat_id, position, media_key,"
            " content_type, size, created_at) VALUES (3, NULL, 7, 0, 'k3', 'image/jpeg', 2, :at)",
            "INSERT INTO report_photo_content (photo_id, content) VALUES (3, :two)",
            at=at,
            two=b"\xff\xd8",
        )
    )

    migrate.downgrade(empty_db, "20261202_draft_photos")
    back = asyncio.run(_run(empty_db, "SELECT id, content FROM report_photo ORDER BY id"))
    assert back == [(2, None), (3, b"\xff\xd8")]
