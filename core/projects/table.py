"""The catalogue as a table: one row per project with the card's figures (CSV export)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.projects.models import Party, Project, ProjectLocation
from core.projects.queries import delay_days

BATCH = 500
COLUMNS = (
    "id",
    "title",
    "status",
    "progress_pct",
    "budget_amount",
    "budget_currency",
    "paid_amount",
    "planned_start_date",
    "planned_end_date",
    "actual_start_date",
    "completed_date",
    "delay_days",
    "public_authority",
    "contractors",
    "lat",
    "lon",
)


async def rows(session: AsyncSession, today: date) -> AsyncIterator[dict[str, Any]]:
    """Every project by id, in batches (memory stays flat for any catalogue)."""
    last = ""
    while True:
        batch = (
            await session.scalars(
                select(Project).where(Project.id > last).order_by(Project.id).limit(BATCH)
            )
        ).all()
        if not batch:
            return
        ids = [p.id for p in batch]
        contractors = await _contractors(session, ids)
        points = await _first_points(session, ids)
        for project in batch:
            yield _row(project, contractors.get(project.id, []), points.get(project.id), today)
        session.expunge_all()
        last = ids[-1]


def _row(
    project: Project, contractors: list[str], point: tuple[float, float] | None, today: date
) -> dict[str, Any]:
    record = json.loads(project.record)
    return {
        "id": project.id,
        "title": project.title,
        "status": project.status,
        "progress_pct": project.progress_pct,
        "budget_amount": project.budget_amount,
        "budget_currency": project.budget_currency,
        "paid_amount": paid_so_far(record, project.budget_currency),
        "planned_start_date": project.planned_start_date,
        "planned_end_date": project.planned_end_date,
        "actual_start_date": _date_of((record.get("implementationPeriod") or {}).get("startDate")),
        "completed_date": project.completed_date,
        "delay_days": delay_days(
            project.planned_end_date, project.completed_date, project.status, today
        ),
        "public_authority": project.public_authority_name,
        "contractors": "; ".join(contractors),
        "lat": point[0] if point else None,
        "lon": point[1] if point else None,
    }


def paid_so_far(record: dict[str, Any], currency: str | None) -> Decimal | None:
    """The sum of the record's payments in the budget's currency (project-level transactions,
    else those of its contracting processes); None when it publishes none."""
    transactions: Sequence[Any] = record.get("transactions") or [
        t
        for process in record.get("contractingProcesses") or []
        for t in ((process.get("summary") or {}).get("transactions") or [])
    ]
    total: Decimal | None = None
    for transaction in transactions:
        value = transaction.get("value") or {}
        if currency and value.get("currency") not in (None, currency):
            continue
        try:
            amount = Decimal(str(value["amount"]))
        except (KeyError, InvalidOperation):
            continue
        if amount.is_finite():
            total = (total or Decimal(0)) + amount
    return total


def _date_of(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


async def _contractors(session: AsyncSession, ids: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    parties = await session.execute(
        select(Party.project_id, Party.name)
        .where(Party.project_id.in_(ids), Party.roles.contains("|supplier|"))
        .order_by(Party.project_id, Party.name)
    )
    for project_id, name in parties:
        found.setdefault(project_id, []).append(name)
    return found


async def _first_points(session: AsyncSession, ids: list[str]) -> dict[str, tuple[float, float]]:
    first = (
        select(func.min(ProjectLocation.id))
        .where(ProjectLocation.project_id.in_(ids))
        .group_by(ProjectLocation.project_id)
    )
    points = await session.execute(
        select(ProjectLocation.project_id, ProjectLocation.lat, ProjectLocation.lon).where(
            ProjectLocation.id.in_(first)
        )
    )
    return {pid: (lat, lon) for pid, lat, lon in points}
