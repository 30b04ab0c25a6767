"""The overdue scan: set-based reads per reminder step, chunked, deduplicated by a unique key."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import insert_new_returning
from core.wages.models import WageEntry, WageEvent
from core.wages.schemas import OPEN_STATUSES
from core.wages.sync import EventKey, chunks

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


def reached_step(
    due_date: date, today: date, grace_days: int, steps: tuple[int, ...]
) -> int | None:
    """The highest reminder step an unpaid entry has reached (None before the first)."""
    late = (today - due_date).days - grace_days
    return max((step for step in steps if step <= late), default=None)


async def evaluate(
    session: AsyncSession,
    entry_ids: Iterable[str],
    schedule_ids: Iterable[str],
    today: date,
    grace_days: int,
    steps: tuple[int, ...],
    now: datetime,
) -> list[EventKey]:
    """The scan for the entries a sync touched (given, or of the given schedules), right after
    it: an entry that arrives already late alerts now, not at the next hourly scan.

    The events are the scan's own (highest step reached, unique key), so the scan that follows
    records nothing new for them.
    """
    if not steps:
        return []
    latest = today - timedelta(days=grace_days + min(steps))
    late: dict[str, date] = {}
    for column, ids in ((WageEntry.id, entry_ids), (WageEntry.schedule_id, schedule_ids)):
        for chunk in chunks(sorted(set(ids))):
            rows = await session.execute(
                select(WageEntry.id, WageEntry.due_date).where(
                    column.in_(chunk),
                    WageEntry.status.in_(OPEN_STATUSES),
                    WageEntry.due_date <= latest,
                )
            )
            late.update((entry_id, due) for entry_id, due in rows)
    events = [
        {"entry_id": entry_id, "kind": "overdue", "step": step, "occurred_at": now}
        for entry_id, due in sorted(late.items())
        if (step := reached_step(due, today, grace_days, steps)) is not None
    ]
    found: list[EventKey] = []
    for chunk in chunks(events):
        new = await insert_new_returning(
            session,
            WageEvent,
            list(chunk),
            unique=["entry_id", "kind", "step"],
            returning=[WageEvent.entry_id, WageEvent.step],
        )
        found += [(entry_id, "overdue", int(step)) for entry_id, step in new]
    return found
