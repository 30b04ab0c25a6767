"""Overdue reports: not acknowledged within target, or past the expected date. One reminder to
the officials in charge when a report becomes overdue, and the list for the morning digest."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.context import DomainContext
from core.outbox.service import OutboxService
from core.projects.models import Project
from core.reports import notices, reads
from core.reports.models import CitizenReport
from core.reports.schemas import OverdueReport

BATCH = 500


async def scan(session: AsyncSession, ctx: DomainContext, outbox: OutboxService) -> int:
    """Remind the officials of each report that became overdue since the last scan."""
    now = ctx.clock()
    rows = list(
        await session.scalars(
            select(CitizenReport)
            .where(reads.overdue_sql(now), CitizenReport.overdue_notified_at.is_(None))
            .order_by(CitizenReport.id)
            .limit(BATCH)
        )
    )
    told = 0
    for report in rows:
        report.overdue_notified_at = now
        item = _item(report, None)
        params = {
            "report": await notices.summary(session, report),
            "why": item.why,
            "since": item.since.isoformat(),
            "since_date": item.since.astimezone(ctx.zone).date().isoformat(),
        }
        key = f"cr:{report.id}:od:{notices.stamp(item.since)}"
        told += await notices.to_officials(
            session, outbox, report, notices.OVERDUE, params, key, ctx.default_locale
        )
    await session.flush()
    return told


def _item(report: CitizenReport, title: str | None) -> OverdueReport:
    past_expected = report.status != "new" and report.expected_at is not None
    since = report.expected_at if past_expected and report.expected_at else report.due_at
    return OverdueReport(
        id=report.id,
        reference=report.reference,
        category=report.category_code,
        project_id=report.project_id,
        project_title=title,
        status=report.status,
        since=since,
        why="past_expected" if past_expected else "not_acknowledged",
    )


async def overdue_list(
    session: AsyncSession, now: datetime, limit: int = 200
) -> list[OverdueReport]:
    """Every overdue report, the longest overdue first (up to `limit`)."""
    rows = await session.execute(
        select(CitizenReport, Project.title)
        .outerjoin(Project, Project.id == CitizenReport.project_id)
        .where(reads.overdue_sql(now))
        .order_by(CitizenReport.id)
        .limit(limit)
    )
    items = [_item(report, title) for report, title in rows]
    return sorted(items, key=lambda i: (i.since, i.id))


DIGEST_ITEMS = 15  # a Telegram message holds 4,096 characters; the wage part needs room too


async def digest_params(session: AsyncSession, ctx: DomainContext) -> dict[str, Any]:
    """The morning digest's reports part: the longest overdue first, at most DIGEST_ITEMS."""
    items = await overdue_list(session, ctx.clock(), limit=10_000)
    if not items:
        return {}
    return {
        "reports_overdue": [
            {
                **item.model_dump(
                    mode="json",
                    include={"reference", "category", "project_id", "project_title", "why"},
                ),
                "since_date": item.since.astimezone(ctx.zone).date().isoformat(),
            }
            for item in items[:DIGEST_ITEMS]
        ],
        "reports_overdue_total": len(items),
    }
