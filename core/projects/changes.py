"""Change numbers: every create or update of a project takes the next one.

The numbers come from one counter row. Its row lock is held until the sync commits, so a
second sync takes its numbers only after the first one's rows are visible: numbers become
visible in order, and a reader walking `change_seq > n` never skips a change that commits
later with a smaller number. (SQLite has one writer at a time, which gives the same.)
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import insert_ignoring_duplicates
from core.projects.models import ProjectChangeCounter

COUNTER_ID = 1


async def reserve(session: AsyncSession, count: int, now: datetime) -> int:
    """Reserve `count` numbers; returns the first. Holds the counter's lock until commit."""
    stmt = (
        update(ProjectChangeCounter)
        .where(ProjectChangeCounter.id == COUNTER_ID)
        .values(value=ProjectChangeCounter.value + count, changed_at=now)
        .returning(ProjectChangeCounter.value)
    )
    last = (await session.execute(stmt)).scalar()
    if last is None:
        row = {"id": COUNTER_ID, "value": 0, "changed_at": now}
        await insert_ignoring_duplicates(session, ProjectChangeCounter, [row], unique=["id"])
        last = (await session.execute(stmt)).scalar_one()
    return int(last) - count + 1


async def last_change(session: AsyncSession) -> tuple[int, datetime | None]:
    """(the newest change number, when it was taken); (0, None) before any change."""
    row = (
        await session.execute(
            select(ProjectChangeCounter.value, ProjectChangeCounter.changed_at).where(
                ProjectChangeCounter.id == COUNTER_ID
            )
        )
    ).first()
    return (0, None) if row is None else (int(row.value), row.changed_at)
