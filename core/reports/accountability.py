"""Accountability figures over public reports: counts for the project card, and how officials
answer per project or per public authority (median time to first answer, share resolved within
target, share reopened, average rating)."""

from __future__ import annotations

import statistics
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.projects.models import Project
from core.reports.models import CitizenReport
from core.reports.schemas import OPEN_STATUSES, Accountability

MAX_ROWS = 100_000


def _public() -> Any:
    return CitizenReport.is_public.is_(True)


async def card_counts(session: AsyncSession, project_id: str) -> tuple[int, int]:
    """(open, answered) public reports of a project."""
    r = CitizenReport
    row = (
        await session.execute(
            select(
                func.count().filter(r.status.in_(OPEN_STATUSES)),
                func.count().filter(r.first_answer_at.is_not(None)),
            ).where(r.project_id == project_id, _public())
        )
    ).one()
    return int(row[0] or 0), int(row[1] or 0)


async def for_project(session: AsyncSession, project_id: str) -> Accountability:
    """The figures over a project's public reports."""
    return await _figures(session, CitizenReport.project_id == project_id)


async def for_authority(session: AsyncSession, authority_id: str) -> Accountability:
    """The figures over the public reports on every project of a public authority."""
    ids = select(Project.id).where(Project.public_authority_id == authority_id)
    return await _figures(session, CitizenReport.project_id.in_(ids))


async def _figures(session: AsyncSession, where: Any) -> Accountability:
    r = CitizenReport
    rows = (
        await session.execute(
            select(
                r.status,
                r.created_at,
                r.first_answer_at,
                r.resolved_at,
                r.closed_at,
                r.close_reason,
                r.expected_at,
                r.target_hours,
                r.reopened_count,
                r.rating,
            )
            .where(where, _public())
            .limit(MAX_ROWS)
        )
    ).all()
    waits = [
        (row.first_answer_at - row.created_at).total_seconds() / 3600
        for row in rows
        if row.first_answer_at is not None
    ]
    resolved = [row for row in rows if row.resolved_at is not None]
    in_time = [
        row
        for row in resolved
        if row.resolved_at
        <= (row.expected_at or row.created_at + timedelta(hours=row.target_hours))
    ]
    ratings = [row.rating for row in rows if row.rating is not None]
    return Accountability(
        reports=len(rows),
        open=sum(1 for row in rows if row.status in OPEN_STATUSES),
        answered=len(waits),
        median_hours_to_first_answer=round(statistics.median(waits), 2) if waits else None,
        resolved_within_target_share=round(len(in_time) / len(resolved), 4) if resolved else None,
        reopened_share=(
            round(sum(1 for row in rows if row.reopened_count) / len(rows), 4) if rows else None
        ),
        average_rating=round(sum(ratings) / len(ratings), 2) if ratings else None,
        ratings=len(ratings),
    )
