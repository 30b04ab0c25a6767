"""Reading reports: one with its thread, a chat's own, the officials' lists, and the open
reports near a point ("Is it one of these?")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import geo
from core.errors import NotFound
from core.paging import MAX_OFFSET
from core.projects.models import Project
from core.projects.queries import localized
from core.reports.models import CitizenReport, ReportFollower, ReportNote, ReportPhoto
from core.reports.schemas import (
    OPEN_STATUSES,
    NearbyReport,
    NoteRead,
    PhotoRead,
    ReportPage,
    ReportRead,
    ReportThread,
)

SAME_PLACE_M = 50.0
MAX_LIST = 200


def overdue_sql(now: datetime) -> ColumnElement[bool]:
    """Not acknowledged within target, or past the expected date while being worked on."""
    r = CitizenReport
    return or_(
        and_(r.status == "new", r.due_at <= now),
        and_(
            r.status.in_(("acknowledged", "in_progress")),
            r.expected_at.is_not(None),
            r.expected_at <= now,
        ),
    )


def is_overdue(report: CitizenReport, now: datetime) -> bool:
    """`overdue_sql` for one loaded row."""
    if report.status == "new":
        return report.due_at <= now
    if report.status in ("acknowledged", "in_progress") and report.expected_at is not None:
        return report.expected_at <= now
    return False


async def load(session: AsyncSession, report_id: int) -> CitizenReport:
    """The row, or NotFound."""
    row = await session.get(CitizenReport, report_id)
    if row is None:
        raise NotFound("no such report", code="report_not_found")
    return row


async def by_reference(session: AsyncSession, reference: str) -> CitizenReport:
    """The row with this reference (case-insensitive), or NotFound."""
    row = await session.scalar(
        select(CitizenReport).where(CitizenReport.reference == reference.strip().upper())
    )
    if row is None:
        raise NotFound("no such report", code="report_not_found")
    return row


def photo_read(row: ReportPhoto) -> PhotoRead:
    """A photo row as a DTO."""
    return PhotoRead(
        id=row.id,
        position=row.position,
        media_key=row.media_key,
        content_type=row.content_type,
        width=row.width,
        height=row.height,
        size=row.size,
        file_id=row.telegram_file_id,
        has_content=row.size > 0,
    )


async def to_reads(
    session: AsyncSession,
    rows: list[CitizenReport],
    now: datetime,
    *,
    with_photos: bool = True,
    lang: str | None = None,
) -> list[ReportRead]:
    """DTOs for rows, with project titles (in `lang` when the record has it), duplicate
    references and (optionally) photos."""
    if not rows:
        return []
    project_ids = {r.project_id for r in rows if r.project_id}
    titles: dict[str, str] = {}
    if project_ids:
        found = await session.execute(
            select(Project.id, Project.title, Project.titles).where(Project.id.in_(project_ids))
        )
        titles = {pid: localized(title, variants, lang) for pid, title, variants in found}
    dup_ids = {r.duplicate_of_id for r in rows if r.duplicate_of_id}
    refs: dict[int, str] = {}
    if dup_ids:
        dups = await session.execute(
            select(CitizenReport.id, CitizenReport.reference).where(CitizenReport.id.in_(dup_ids))
        )
        refs = {rid: ref for rid, ref in dups}  # noqa: C416 - Row objects
    pics: dict[int, list[PhotoRead]] = {}
    if with_photos:
        photo_rows = await session.scalars(
            select(ReportPhoto)
            .where(ReportPhoto.report_id.in_([r.id for r in rows]))
            .order_by(ReportPhoto.report_id, ReportPhoto.position)
        )
        for p in photo_rows:
            if p.report_id is not None:  # always: drafts match no report
                pics.setdefault(p.report_id, []).append(photo_read(p))
    return [_read(r, now, titles, refs, pics) for r in rows]


def _read(
    r: CitizenReport,
    now: datetime,
    titles: dict[str, str],
    refs: dict[int, str],
    pics: dict[int, list[PhotoRead]],
) -> ReportRead:
    return ReportRead(
        id=r.id,
        reference=r.reference,
        category=r.category_code,
        text=r.text,
        project_id=r.project_id,
        project_title=titles.get(r.project_id) if r.project_id else None,
        lat=r.lat,
        lon=r.lon,
        address=r.address,
        status=r.status,
        close_reason=r.close_reason,
        duplicate_of=refs.get(r.duplicate_of_id) if r.duplicate_of_id else None,
        is_public=r.is_public,
        is_overdue=is_overdue(r, now),
        source=r.source,
        created_at=r.created_at,
        updated_at=r.updated_at,
        due_at=r.due_at,
        expected_at=r.expected_at,
        acknowledged_at=r.acknowledged_at,
        first_answer_at=r.first_answer_at,
        resolved_at=r.resolved_at,
        closed_at=r.closed_at,
        reopened_count=r.reopened_count,
        feedback=r.feedback,
        rating=r.rating,
        photos=tuple(pics.get(r.id, ())),
    )


def note_read(n: ReportNote) -> NoteRead:
    """A thread entry as a DTO (never the official's or the citizen's id)."""
    return NoteRead(
        id=n.id,
        author=n.author,
        kind=n.kind,
        status=n.status,
        text=n.text,
        created_at=n.created_at,
    )


async def thread(
    session: AsyncSession, report: CitizenReport, now: datetime, lang: str | None = None
) -> ReportThread:
    """The report with its notes, oldest first, and how many chats follow it."""
    notes = await session.scalars(
        select(ReportNote).where(ReportNote.report_id == report.id).order_by(ReportNote.id)
    )
    followers = await session.scalar(
        select(func.count())
        .select_from(ReportFollower)
        .where(ReportFollower.report_id == report.id)
    )
    (read,) = await to_reads(session, [report], now, lang=lang)
    return ReportThread(
        report=read, notes=tuple(note_read(n) for n in notes), followers=int(followers or 0)
    )


async def for_chat(
    session: AsyncSession, chat_id: int, now: datetime, limit: int, offset: int, lang: str | None
) -> ReportPage:
    """A page of the chat's own reports, newest first, and how many it has in all."""
    mine = CitizenReport.chat_id == chat_id
    total = await session.scalar(select(func.count()).select_from(CitizenReport).where(mine))
    offset = min(max(offset, 0), MAX_OFFSET)
    rows = await session.scalars(
        select(CitizenReport)
        .where(mine)
        .order_by(CitizenReport.id.desc())
        .limit(min(max(limit, 1), MAX_LIST))
        .offset(offset)
    )
    items = await to_reads(session, list(rows), now, with_photos=False, lang=lang)
    return ReportPage(items=tuple(items), offset=offset, total=int(total or 0))


async def for_officials(
    session: AsyncSession,
    now: datetime,
    *,
    status: str | None = None,
    project_id: str | None = None,
    overdue: bool | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[ReportRead]:
    """Reports for officials, newest first, filtered."""
    conditions: list[Any] = []
    if status is not None:
        conditions.append(CitizenReport.status == status)
    if project_id is not None:
        conditions.append(CitizenReport.project_id == project_id)
    if overdue is True:
        conditions.append(overdue_sql(now))
    elif overdue is False:
        conditions.append(~overdue_sql(now))
    rows = await session.scalars(
        select(CitizenReport)
        .where(*conditions)
        .order_by(CitizenReport.id.desc())
        .limit(min(max(limit, 1), MAX_LIST))
        .offset(max(offset, 0))
    )
    return await to_reads(session, list(rows), now)


async def nearby_open(
    session: AsyncSession,
    category: str,
    *,
    lat: float | None,
    lon: float | None,
    project_id: str | None,
    chat_id: int | None = None,
    radius_m: float = SAME_PLACE_M,
    limit: int = 5,
) -> list[NearbyReport]:
    """Open reports of the category within `radius_m` or on the same project: the public
    ones (moderated), and the asking chat's own."""
    r = CitizenReport
    place: list[Any] = []
    if project_id is not None:
        place.append(r.project_id == project_id)
    if lat is not None and lon is not None:
        box = geo.bounding_box(lat, lon, radius_m)
        near = [r.lat >= box.min_lat, r.lat <= box.max_lat]
        if box.min_lon is not None and box.max_lon is not None:
            near += [r.lon >= box.min_lon, r.lon <= box.max_lon]
        place.append(and_(*near))
    if not place:
        return []
    rows = await session.scalars(
        select(r)
        .where(
            r.category_code == category,
            r.status.in_(OPEN_STATUSES),
            or_(r.is_public.is_(True), r.chat_id == chat_id) if chat_id else r.is_public,
            or_(*place),
        )
        .order_by(r.id.desc())
        .limit(200)
    )
    found = []
    for row in rows:
        distance = None
        if lat is not None and lon is not None and row.lat is not None and row.lon is not None:
            distance = geo.haversine_m(lat, lon, row.lat, row.lon)
        on_project = project_id is not None and row.project_id == project_id
        if on_project or (distance is not None and distance <= radius_m):
            found.append(
                NearbyReport(
                    id=row.id,
                    reference=row.reference,
                    category=row.category_code,
                    text=row.text[:300],
                    status=row.status,
                    project_id=row.project_id,
                    distance_m=distance,
                    created_at=row.created_at,
                )
            )
    found.sort(key=lambda n: (n.distance_m is None, n.distance_m or 0.0))
    return found[:limit]
