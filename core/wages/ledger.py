"""Schedules and entries: references checked, rows upserted, state changes turned into events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.wages.models import WageEntry, WageSchedule, Worker
from core.wages.parse import invalid
from core.wages.schemas import Counts, EntryIn, ScheduleIn, WagePackage
from core.wages.sync import EventKey, chunks

_ENTRY_FIELDS = (
    "schedule_id", "worker_id", "project_id", "due_date", "period_end", "amount_due",
    "amount_paid", "currency", "status", "is_overpaid", "is_paid_on_time", "paid_at", "reference",
)  # fmt: skip


@dataclass(frozen=True)
class Period:
    """What an entry takes from its schedule."""

    project_id: str
    currency: str
    due_date: date
    period_end: date
    is_released: bool


def _period(s: ScheduleIn | WageSchedule) -> Period:
    return Period(
        s.project_id, s.currency, s.due_date, s.period_end, s.funds_released_at is not None
    )


async def check_references(session: AsyncSession, package: WagePackage) -> dict[str, Period]:
    """Every entry's schedule and worker exists (here or stored) and currencies agree."""
    periods = {s.id: _period(s) for s in package.schedules}
    wanted = sorted({e.schedule_id for e in package.entries} - set(periods))
    for chunk in chunks(wanted):
        rows = await session.scalars(select(WageSchedule).where(WageSchedule.id.in_(chunk)))
        periods.update({r.id: _period(r) for r in rows})
    workers = {w.id for w in package.workers}
    missing = sorted({e.worker_id for e in package.entries} - workers)
    for chunk in chunks(missing):
        workers.update(await session.scalars(select(Worker.id).where(Worker.id.in_(chunk))))
    for i, e in enumerate(package.entries):
        if e.schedule_id not in periods:
            raise invalid("entries", i, e.id, "schedule_id", f"unknown schedule {e.schedule_id!r}")
        if e.worker_id not in workers:
            raise invalid("entries", i, e.id, "worker_id", f"unknown worker {e.worker_id!r}")
        if e.currency != periods[e.schedule_id].currency:
            raise invalid("entries", i, e.id, "currency", "differs from the schedule's currency")
    return periods


async def upsert_schedules(
    session: AsyncSession, schedules: tuple[ScheduleIn, ...], now: datetime
) -> tuple[Counts, list[EventKey]]:
    """Create or update schedules; moved dates and released funds flow to stored entries."""
    created = updated = 0
    moved: list[dict[str, Any]] = []
    released: list[str] = []
    for chunk in chunks(schedules):
        ids = [s.id for s in chunk]
        old = {
            r.id: r
            for r in await session.scalars(select(WageSchedule).where(WageSchedule.id.in_(ids)))
        }
        fresh: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        for s in chunk:
            values = s.model_dump()
            row = old.get(s.id)
            if row is None:
                fresh.append({**values, "updated_at": now})
            elif any(getattr(row, k) != v for k, v in values.items()):
                changed.append({**values, "updated_at": now})
                if row.funds_released_at is None and s.funds_released_at is not None:
                    released.append(s.id)
                if _period(row) != _period(s):
                    moved.append(
                        {"sid": s.id, "p": s.project_id, "d": s.due_date, "e": s.period_end}
                    )
        if fresh:
            await session.execute(insert(WageSchedule), fresh)
        if changed:
            await session.execute(update(WageSchedule), changed)
        created += len(fresh)
        updated += len(changed)
    events = await _cascade(session, moved, released, now)
    return Counts(
        created=created, updated=updated, unchanged=len(schedules) - created - updated
    ), events


async def _cascade(
    session: AsyncSession, moved: list[dict[str, Any]], released: list[str], now: datetime
) -> list[EventKey]:
    if moved:
        table = cast(Table, WageEntry.__table__)
        stmt = (
            update(table)
            .where(table.c.schedule_id == bindparam("sid"))
            .values(project_id=bindparam("p"), due_date=bindparam("d"), period_end=bindparam("e"))
        )
        await session.execute(stmt, moved)
    events: list[EventKey] = []
    for chunk in chunks(released):
        ids = await session.scalars(
            update(WageEntry)
            .where(WageEntry.schedule_id.in_(chunk), WageEntry.status == "scheduled")
            .values(status="funds_released", updated_at=now)
            .returning(WageEntry.id)
        )
        events += [(entry_id, "funds_released", 0) for entry_id in ids]
    return events


def derive_status(entry: EntryIn, is_released: bool) -> str:
    """The status an entry is in: as sent when `failed`, else from amounts and released funds."""
    if entry.status == "failed":
        return "failed"
    if entry.amount_paid > 0 and entry.amount_paid >= entry.amount_due:
        return "credited"
    if entry.amount_paid > 0:
        return "partial"
    if entry.status == "credited":
        return "credited"
    if is_released or entry.status == "funds_released":
        return "funds_released"
    return "scheduled"


def event_for(old: Any, new: dict[str, Any]) -> EventKey | None:
    """The event a change of state raises: partial once per paid amount, others once each."""
    status = new["status"]
    if status == "partial":
        if old is None or old.status != "partial" or old.amount_paid != new["amount_paid"]:
            return (new["id"], "partial", int(new["amount_paid"] * 100))
        return None
    if status in ("funds_released", "credited", "failed") and (
        old is None or old.status != status
    ):
        return (new["id"], status, 0)
    return None


async def upsert_entries(
    session: AsyncSession,
    entries: tuple[EntryIn, ...],
    periods: dict[str, Period],
    now: datetime,
    zone: ZoneInfo,
) -> tuple[Counts, list[EventKey]]:
    """Create or update entries; returns the counts and the events their changes raise."""
    created = updated = 0
    events: list[EventKey] = []
    for chunk in chunks(entries):
        ids = [e.id for e in chunk]
        # Plain rows, not ORM objects: a 100,000-entry sync compares, it does not need identity.
        columns = [getattr(WageEntry, k) for k in ("id", *_ENTRY_FIELDS)]
        rows = await session.execute(select(*columns).where(WageEntry.id.in_(ids)))
        old = {r.id: r for r in rows}
        fresh: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        for e in chunk:
            values = _entry_values(e, periods[e.schedule_id], now, zone)
            row = old.get(e.id)
            if row is not None and e.paid_at is None and row.status == values["status"]:
                values["is_paid_on_time"] = row.is_paid_on_time  # judged when it was first seen
            if row is not None and all(getattr(row, k) == values[k] for k in _ENTRY_FIELDS):
                continue
            (fresh if row is None else changed).append({**values, "updated_at": now})
            if (event := event_for(row, values)) is not None:
                events.append(event)
        if fresh:
            await session.execute(insert(WageEntry), fresh)
        if changed:
            await session.execute(update(WageEntry), changed)
        created += len(fresh)
        updated += len(changed)
    return Counts(
        created=created, updated=updated, unchanged=len(entries) - created - updated
    ), events


def _entry_values(e: EntryIn, period: Period, now: datetime, zone: ZoneInfo) -> dict[str, Any]:
    status = derive_status(e, period.is_released)
    paid_day = (e.paid_at or now).astimezone(zone).date()
    return {
        "id": e.id,
        "schedule_id": e.schedule_id,
        "worker_id": e.worker_id,
        "project_id": period.project_id,
        "due_date": period.due_date,
        "period_end": period.period_end,
        "amount_due": Decimal(e.amount_due),
        "amount_paid": Decimal(e.amount_paid),
        "currency": e.currency,
        "status": status,
        "is_overpaid": e.overpaid,
        "is_paid_on_time": status == "credited" and paid_day <= period.due_date,
        "paid_at": e.paid_at,
        "reference": e.reference,
    }
