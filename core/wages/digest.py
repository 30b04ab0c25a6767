"""Overdue wages by employer and project for officials: the API figures and the daily digest."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.chats.models import Chat
from core.config import SUPPORTED_LOCALES
from core.officials.models import Official
from core.outbox.schemas import DeliveryIn
from core.projects.models import Project
from core.wages.models import WageEntry, WageReport, WageSchedule
from core.wages.schemas import OPEN_STATUSES, MoneyTotal, OverdueGroup, OverdueSummary

KIND = "wage_digest"

DIGEST_GROUPS = 15  # a Telegram message holds 4,096 characters


def _totals(sums: dict[str, Decimal]) -> tuple[MoneyTotal, ...]:
    return tuple(MoneyTotal(currency=c, amount=a) for c, a in sorted(sums.items()))


async def overdue_summary(session: AsyncSession, today: date, grace_days: int) -> OverdueSummary:
    """Overdue = open and at least one day past due date + grace; no per-worker data."""
    latest = today - timedelta(days=grace_days + 1)
    late = (WageEntry.status.in_(OPEN_STATUSES), WageEntry.due_date <= latest)
    key = (WageSchedule.employer_id, WageEntry.project_id)
    joined = (
        select()
        .select_from(WageEntry)
        .join(WageSchedule, WageSchedule.id == WageEntry.schedule_id)
    )
    money = await session.execute(
        joined.add_columns(
            *key,
            WageEntry.currency,
            func.count(),
            func.sum(WageEntry.amount_due - WageEntry.amount_paid),
            func.min(WageEntry.due_date),
            func.max(WageSchedule.employer_name),
        )
        .where(*late)
        .group_by(*key, WageEntry.currency)
    )
    people = await session.execute(
        joined.add_columns(*key, func.count(func.distinct(WageEntry.worker_id)))
        .where(*late)
        .group_by(*key)
    )
    reports = await session.execute(
        select(WageReport.employer_id, WageReport.project_id, func.count())
        .where(WageReport.status == "open")
        .group_by(WageReport.employer_id, WageReport.project_id)
    )
    groups = _groups(list(money), dict(_pairs(people)), dict(_pairs(reports)), today, grace_days)
    titles = await _titles(session, {g["project_id"] for g in groups})
    workers = await session.scalar(
        joined.add_columns(func.count(func.distinct(WageEntry.worker_id))).where(*late)
    )
    return _summary(groups, titles, int(workers or 0), today, grace_days)


def _pairs(rows: Any) -> list[tuple[tuple[str, str], int]]:
    return [((r[0], r[1]), int(r[2])) for r in rows]


def _new_group(
    employer_id: str, name: str | None, project_id: str, oldest: date | None
) -> dict[str, Any]:
    return {
        "employer_id": employer_id,
        "employer_name": name or employer_id,
        "project_id": project_id,
        "entries": 0,
        "sums": defaultdict(Decimal),
        "oldest": oldest,
    }


def _groups(
    money: list[Any], people: dict[Any, int], reports: dict[Any, int], today: date, grace: int
) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for employer_id, project_id, currency, count, unpaid, oldest, name in money:
        g = groups.setdefault(
            (employer_id, project_id), _new_group(employer_id, name, project_id, oldest)
        )
        g["entries"] += int(count)
        g["sums"][currency] += Decimal(unpaid or 0)
        g["oldest"] = min(g["oldest"], oldest)
    for employer_id, project_id in reports:
        groups.setdefault(
            (employer_id, project_id), _new_group(employer_id, None, project_id, None)
        )
    for key, g in groups.items():
        g["workers"] = people.get(key, 0)
        g["open_reports"] = reports.get(key, 0)
        g["max_days_late"] = (today - g["oldest"]).days - grace if g["oldest"] else 0
    return sorted(groups.values(), key=lambda g: (-g["max_days_late"], g["employer_id"]))


async def _titles(session: AsyncSession, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = await session.execute(select(Project.id, Project.title).where(Project.id.in_(ids)))
    return {pid: title for pid, title in rows}  # noqa: C416 - rows are Row objects


def _summary(
    groups: list[dict[str, Any]], titles: dict[str, str], workers: int, today: date, grace: int
) -> OverdueSummary:
    total: dict[str, Decimal] = defaultdict(Decimal)
    reads = []
    for g in groups:
        for currency, amount in g["sums"].items():
            total[currency] += amount
        reads.append(
            OverdueGroup(
                employer_id=g["employer_id"],
                employer_name=g["employer_name"],
                project_id=g["project_id"],
                project_title=titles.get(g["project_id"]) or g["project_id"],
                entries=g["entries"],
                workers=g["workers"],
                max_days_late=g["max_days_late"],
                unpaid=_totals(g["sums"]),
                open_reports=g["open_reports"],
            )
        )
    return OverdueSummary(
        as_of=today,
        grace_days=grace,
        groups=tuple(reads),
        entries=sum(g.entries for g in reads),
        workers=workers,
        unpaid=_totals(total),
        open_reports=sum(g.open_reports for g in reads),
    )


async def digest_deliveries(
    session: AsyncSession,
    summary: OverdueSummary,
    default_locale: str,
    sections: dict[str, Any] | None = None,
) -> list[DeliveryIn]:
    """One morning digest (`wage_digest`) per active official with a reachable chat, once per
    local date; `sections` are other domains' parts of it (overdue citizen reports, feeds)."""
    if not summary.groups and not sections:
        return []
    rows = await session.execute(
        select(Chat.id, Chat.locale)
        .join(Official, Official.telegram_id == Chat.id)
        .where(Official.is_active.is_(True), Chat.is_active.is_(True))
    )
    params = summary.model_dump(mode="json")
    params["groups"] = params["groups"][:DIGEST_GROUPS]
    params["more_groups"] = max(len(summary.groups) - DIGEST_GROUPS, 0)
    params.update(sections or {})
    return [
        DeliveryIn(
            dedup_key=f"wage:digest:{summary.as_of.isoformat()}:{chat_id}",
            chat_id=chat_id,
            kind=KIND,
            locale=locale if locale in SUPPORTED_LOCALES else default_locale,
            params=params,
        )
        for chat_id, locale in rows
    ]
