"""Who answers a report: the officials assigned to its project, else to one of the project's
sectors, else every active official; and the chats of reporter and followers."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.chats import recipients
from core.chats.models import Chat
from core.db import insert_ignoring_duplicates
from core.errors import InvalidInput, NotFound
from core.officials.models import Official
from core.projects.models import Project
from core.reports.models import CitizenReport, OfficialAssignment, ReportFollower
from core.reports.schemas import AssignmentRead

Scope = Literal["project", "sector"]


async def assign(
    session: AsyncSession, official_id: int, scope: Scope, target: str, now: datetime
) -> AssignmentRead:
    """Assign an official to a project or a sector (idempotent)."""
    if await session.get(Official, official_id) is None:
        raise NotFound("no such official", code="official_not_found")
    if not target or len(target) > 255 or "\x00" in target:
        raise InvalidInput("a project id or sector code of 1..255 characters", location=scope)
    if scope == "project" and await session.get(Project, target) is None:
        raise NotFound("no such project", code="project_not_found")
    values = {"official_id": official_id, "scope": scope, "target": target, "created_at": now}
    await insert_ignoring_duplicates(
        session, OfficialAssignment, [values], unique=["official_id", "scope", "target"]
    )
    row = await session.scalar(
        select(OfficialAssignment).where(
            OfficialAssignment.official_id == official_id,
            OfficialAssignment.scope == scope,
            OfficialAssignment.target == target,
        )
    )
    assert row is not None  # noqa: S101 - inserted or already there
    return _read(row)


async def unassign(session: AsyncSession, official_id: int, scope: Scope, target: str) -> bool:
    """Remove one assignment; False when there was none."""
    row = await session.scalar(
        select(OfficialAssignment).where(
            OfficialAssignment.official_id == official_id,
            OfficialAssignment.scope == scope,
            OfficialAssignment.target == target,
        )
    )
    if row is None:
        return False
    await session.delete(row)
    await session.flush()
    return True


async def assignments(
    session: AsyncSession, official_id: int | None = None
) -> list[AssignmentRead]:
    """Assignments of one official, or of all."""
    stmt = select(OfficialAssignment).order_by(OfficialAssignment.id)
    if official_id is not None:
        stmt = stmt.where(OfficialAssignment.official_id == official_id)
    return [_read(r) for r in await session.scalars(stmt)]


def _read(row: OfficialAssignment) -> AssignmentRead:
    return AssignmentRead(
        official_id=row.official_id,
        scope="project" if row.scope == "project" else "sector",
        target=row.target,
        created_at=row.created_at,
    )


async def responsible(session: AsyncSession, project_id: str | None) -> list[int]:
    """Active officials in charge of a report on this project (ids ascending)."""
    active = select(Official.telegram_id).where(Official.is_active.is_(True))
    if project_id is not None:
        assigned = active.join(
            OfficialAssignment, OfficialAssignment.official_id == Official.telegram_id
        )
        found = await session.scalars(
            assigned.where(
                OfficialAssignment.scope == "project", OfficialAssignment.target == project_id
            )
        )
        ids = sorted(set(found))
        if ids:
            return ids
        sectors = await session.scalar(select(Project.sectors).where(Project.id == project_id))
        codes = [s for s in (sectors or "").split("|") if s]
        if codes:
            found = await session.scalars(
                assigned.where(
                    OfficialAssignment.scope == "sector", OfficialAssignment.target.in_(codes)
                )
            )
            ids = sorted(set(found))
            if ids:
                return ids
    return sorted(set(await session.scalars(active)))


async def chat_locales(
    session: AsyncSession, chat_ids: list[int], default: str
) -> list[tuple[int, str]]:
    """(chat id, locale) of the reachable chats among these, ascending."""
    if not chat_ids:
        return []
    rows = await session.execute(
        select(Chat.id, Chat.locale, Chat.telegram_language)
        .where(Chat.id.in_(sorted(set(chat_ids))), Chat.is_active.is_(True))
        .order_by(Chat.id)
    )
    return [(cid, recipients.locale_of(loc, lang, default)) for cid, loc, lang in rows]


async def audience(session: AsyncSession, report: CitizenReport) -> list[int]:
    """The reporter (when a chat filed it) and the followers."""
    followers = await session.scalars(
        select(ReportFollower.chat_id).where(ReportFollower.report_id == report.id)
    )
    chats = set(followers)
    if report.chat_id is not None:
        chats.add(report.chat_id)
    return sorted(chats)
