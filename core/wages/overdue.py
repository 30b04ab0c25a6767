"""The overdue scan: set-based reads per reminder step, chunked, deduplicated by a unique key."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import insert_new_returning
from core.wages.models import WageEntry, WageEvent
from core.wages.schemas import OPEN_STATUSES
from core.wages.sync import EventKey

SCAN_CHUNK = 5000


def step_windows(
    today: date, grace_days: int, steps: tuple[int, ...]
) -> list[tuple[int, date, date | None]]:
    """(step, latest due date, due date it must be after) for each step.

    An entry gets the reminder of the highest step it has reached, once: when a scan was missed
    the worker hears the current lateness, not a burst of the steps in between.
    """
    ordered = sorted(steps)
    windows = []
    for index, step in enumerate(ordered):
        latest = today - timedelta(days=grace_days + step)
        nxt = ordered[index + 1] if index + 1 < len(ordered) else None
        after = today - timedelta(days=grace_days + nxt) if nxt is not None else None
        windows.append((step, latest, after))
    return windows


async def scan(
    session: AsyncSession, today: date, grace_days: int, steps: tuple[int, ...], now: datetime
) -> list[EventKey]:
    """Record an `overdue` event for each open entry that reached a new step; returns them.

    Candidates are read in id order, a chunk at a time, and inserted with ON CONFLICT DO NOTHING:
    the unique (entry, kind, step) key, not an anti-join, decides what is new, so the plan does
    not depend on fresh statistics of the event table.
    """
    found: list[EventKey] = []
    for step, latest, after in step_windows(today, grace_days, steps):
        last = ""
        while True:
            ids = await _candidates(session, latest, after, last)
            if not ids:
                break
            rows = [
                {"entry_id": i, "kind": "overdue", "step": step, "occurred_at": now} for i in ids
            ]
            new = await insert_new_returning(
                session,
                WageEvent,
                rows,
                unique=["entry_id", "kind", "step"],
                returning=[WageEvent.entry_id],
            )
            found += [(entry_id, "overdue", step) for (entry_id,) in new]
            last = ids[-1]
    return found


async def _candidates(
    session: AsyncSession, latest: date, after: date | None, last: str
) -> list[str]:
    conditions = [
        WageEntry.status.in_(OPEN_STATUSES),
        WageEntry.due_date <= latest,
        WageEntry.id > last,
    ]
    if after is not None:
        conditions.append(WageEntry.due_date > after)
    stmt = select(WageEntry.id).where(and_(*conditions)).order_by(WageEntry.id).limit(SCAN_CHUNK)
    return list(await session.scalars(stmt))
