"""The report notices put into the outbox: plain data per kind, rendered by the notifier.

Officials: `report_filed` (with `photos`), `report_reply`, `report_feedback`, `report_overdue`.
Reporter and followers: `report_status`, `report_answer`. A blocked chat: `report_blocked`.
Every params dict carries `report` (id, reference, category, project_id, project_title, status),
so a renderer needs nothing else; the project's title is the one in the recipient's language
when the record has it. Photos travel as `[{"id", "file_id"}]` and the sender loads the bytes
of a photo that has no file_id yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.outbox.schemas import DeliveryIn
from core.outbox.service import OutboxService
from core.projects.models import Project
from core.projects.queries import localized
from core.reports import routing
from core.reports.models import CitizenReport, ReportPhoto

FILED = "report_filed"
STATUS = "report_status"
ANSWER = "report_answer"
REPLY = "report_reply"
FEEDBACK = "report_feedback"
OVERDUE = "report_overdue"
BLOCKED = "report_blocked"
KINDS = frozenset({FILED, STATUS, ANSWER, REPLY, FEEDBACK, OVERDUE, BLOCKED})


# Only while notices are built: each delivery keeps the title in its own language.
_TITLES = "project_titles"


@dataclass(frozen=True)
class ProjectTitle:
    """A project's title and its translations (the record's JSON of language → title)."""

    base: str
    variants: str = "{}"


async def project_title(session: AsyncSession, project_id: str | None) -> ProjectTitle | None:
    """The project's title, with its translations, as notices show it."""
    if project_id is None:
        return None
    row = (
        await session.execute(
            select(Project.title, Project.titles).where(Project.id == project_id)
        )
    ).first()
    return None if row is None else ProjectTitle(row.title, row.titles or "{}")


async def summary(session: AsyncSession, report: CitizenReport) -> dict[str, Any]:
    """What every notice says about the report."""
    return summary_of(report, await project_title(session, report.project_id))


def summary_of(report: CitizenReport, title: ProjectTitle | None) -> dict[str, Any]:
    """`summary` with the project's title already known."""
    return {
        "id": report.id,
        "reference": report.reference,
        "category": report.category_code,
        "project_id": report.project_id,
        "project_title": title.base if title else None,
        _TITLES: title.variants if title else "{}",
        "status": report.status,
    }


def for_locale(params: dict[str, Any], locale: str) -> dict[str, Any]:
    """`params` as stored for one recipient: the project's title in `locale` when known."""
    report = params.get("report")
    if not isinstance(report, dict) or _TITLES not in report:
        return params
    local = {k: v for k, v in report.items() if k != _TITLES}
    if local.get("project_title"):
        local["project_title"] = localized(local["project_title"], report[_TITLES], locale)
    return {**params, "report": local}


async def photo_refs(session: AsyncSession, report_id: int) -> list[dict[str, Any]]:
    """The report's photos as the sender needs them, in order."""
    rows = await session.execute(
        select(ReportPhoto.id, ReportPhoto.telegram_file_id)
        .where(ReportPhoto.report_id == report_id)
        .order_by(ReportPhoto.position)
    )
    return [{"id": pid, "file_id": fid} for pid, fid in rows]


def build(
    recipients: list[tuple[int, str]], kind: str, params: dict[str, Any], key: str
) -> list[DeliveryIn]:
    """One delivery of `kind` per (chat, locale), deduplicated by `key` and chat."""
    return [
        DeliveryIn(
            dedup_key=f"{key}:{chat_id}",
            chat_id=chat_id,
            kind=kind,
            locale=locale,
            params=for_locale(params, locale),
        )
        for chat_id, locale in recipients
    ]


async def to_chats(
    session: AsyncSession,
    outbox: OutboxService,
    chat_ids: list[int],
    kind: str,
    params: dict[str, Any],
    key: str,
    default_locale: str,
    per_chat: dict[int, dict[str, Any]] | None = None,
) -> int:
    """One delivery of `kind` per reachable chat, deduplicated by `key` and chat."""
    deliveries = [
        DeliveryIn(
            dedup_key=f"{key}:{chat_id}",
            chat_id=chat_id,
            kind=kind,
            locale=locale,
            params=for_locale({**params, **(per_chat or {}).get(chat_id, {})}, locale),
        )
        for chat_id, locale in await routing.chat_locales(session, chat_ids, default_locale)
    ]
    return await outbox.enqueue(deliveries) if deliveries else 0


async def to_officials(
    session: AsyncSession,
    outbox: OutboxService,
    report: CitizenReport,
    kind: str,
    params: dict[str, Any],
    key: str,
    default_locale: str,
) -> int:
    """Tell the officials responsible for the report."""
    officials = await routing.responsible(session, report.project_id)
    return await to_chats(session, outbox, officials, kind, params, key, default_locale)


async def to_audience(
    session: AsyncSession,
    outbox: OutboxService,
    report: CitizenReport,
    kind: str,
    params: dict[str, Any],
    key: str,
    default_locale: str,
    reporter_extra: dict[str, Any] | None = None,
) -> int:
    """Tell the reporter (with `reporter_extra`) and the followers."""
    chats = await routing.audience(session, report)
    extra = {report.chat_id: reporter_extra} if report.chat_id and reporter_extra else None
    return await to_chats(session, outbox, chats, kind, params, key, default_locale, extra)


def stamp(moment: datetime) -> str:
    """A compact time for dedup keys."""
    return moment.strftime("%Y%m%dT%H%M%S")
