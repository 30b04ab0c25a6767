"""What a linked worker may read about themselves, the one public wage aggregate, and who
works on a project (a broadcast audience)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.chats.models import Chat
from core.projects import queries as project_queries
from core.projects.models import Project
from core.wages import alerts
from core.wages.models import Employment, WageEntry, WageSchedule, Worker
from core.wages.schemas import OPEN_STATUSES, MyWages, WagePeriodRead

# Below this many entries a share could reveal one worker's pay: the card shows nothing.
MIN_ENTRIES_FOR_SHARE = 5


def days_late(due_date: date, status: str, today: date, grace_days: int) -> int:
    """Days past the due date plus grace while unpaid; 0 when paid or not yet late."""
    if status not in OPEN_STATUSES:
        return 0
    return max((today - due_date).days - grace_days, 0)


async def my_wages(
    session: AsyncSession, chat_id: int, today: date, grace_days: int, default: str, limit: int
) -> MyWages | None:
    """The linked worker's newest pay periods, in the language of the chat's wage alerts;
    None when the chat links no worker."""
    found = (
        await session.execute(
            select(Worker, Chat.locale, Chat.telegram_language)
            .outerjoin(Chat, Chat.id == Worker.chat_id)
            .where(Worker.chat_id == chat_id)
        )
    ).first()
    if found is None:
        return None
    worker, chat_locale, telegram_language = found
    lang = alerts.pick_locale(chat_locale, telegram_language, worker.language, default)
    rows = await session.execute(
        select(WageEntry, WageSchedule.period_start, WageSchedule.employer_name, Project)
        .join(WageSchedule, WageSchedule.id == WageEntry.schedule_id)
        .outerjoin(Project, Project.id == WageEntry.project_id)
        .where(WageEntry.worker_id == worker.id)
        .order_by(WageEntry.period_end.desc(), WageEntry.id)
        .limit(limit)
    )
    periods = []
    for entry, period_start, employer_name, project in rows:
        title = entry.project_id
        if project is not None:
            title = project_queries.localized(project.title, project.titles, lang) or title
        periods.append(
            WagePeriodRead(
                entry_id=entry.id,
                project_id=entry.project_id,
                project_title=title,
                employer_name=employer_name or "",
                period_start=period_start,
                period_end=entry.period_end,
                due_date=entry.due_date,
                amount_due=entry.amount_due,
                amount_paid=entry.amount_paid,
                currency=entry.currency,
                status=entry.status,
                days_late=days_late(entry.due_date, entry.status, today, grace_days),
            )
        )
    first_name = worker.full_name.split()[0] if worker.full_name.split() else ""
    return MyWages(worker_id=worker.id, first_name=first_name, locale=lang, periods=tuple(periods))


async def period_bounds(session: AsyncSession, worker_id: str) -> tuple[date, date] | None:
    """The first start and the last end of a worker's pay periods; None before any."""
    row = (
        await session.execute(
            select(func.min(WageSchedule.period_start), func.max(WageEntry.period_end))
            .join(WageSchedule, WageSchedule.id == WageEntry.schedule_id)
            .where(WageEntry.worker_id == worker_id)
        )
    ).one()
    return None if row[0] is None else (row[0], row[1])


async def paid_on_time_share(session: AsyncSession, project_id: str, today: date) -> float | None:
    """Share of the project's settled or due wage entries paid by their due date."""
    judged = or_(WageEntry.status == "credited", WageEntry.due_date < today)
    row = (
        await session.execute(
            select(
                func.count(),
                func.coalesce(
                    func.sum(case((WageEntry.is_paid_on_time.is_(True), 1), else_=0)), 0
                ),
            ).where(WageEntry.project_id == project_id, judged)
        )
    ).one()
    total, on_time = int(row[0]), int(row[1])
    if total < MIN_ENTRIES_FOR_SHARE:
        return None
    return round(on_time / total, 3)


async def worker_chats(session: AsyncSession, project_id: str) -> Select[int | None] | None:
    """Chats of the workers linked to Telegram who are employed on a project."""
    del session
    worker, employment = Worker, Employment
    return (
        select(worker.chat_id)
        .join(employment, employment.worker_id == worker.id)
        .where(employment.project_id == project_id, worker.chat_id.is_not(None))
        .distinct()
    )
