"""Filing a report: limits, the reference, cleaned photos and the officials' notices, all in
the caller's one transaction (a crash leaves neither a report without notice nor the reverse).
The bot's photos arrive already cleaned, as drafts (see `drafts`): filing only attaches them."""

from __future__ import annotations

import asyncio
import logging
import secrets
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.context import DomainContext
from core.errors import Conflict, NotFound, PermissionDenied
from core.outbox.service import OutboxService
from core.projects.models import Project, ProjectLocation
from core.reports import categories, drafts, notices, photos, routing
from core.reports.models import CitizenReport, ReportBlock, ReportPhoto, ReportPhotoContent
from core.reports.schemas import FiledReport, ReportCreate

logger = logging.getLogger(__name__)

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out on the phone
PER_HOUR = 5
APP_PER_HOUR = 300  # a third-party app files for many people, but not without bound


class ReportLimitReached(Conflict):
    """The chat filed its five reports of the last hour."""

    code = "report_limit_reached"


def new_reference() -> str:
    """CR- and 8 unambiguous random characters."""
    return "CR-" + "".join(secrets.choice(ALPHABET) for _ in range(8))


async def check_may_file(session: AsyncSession, chat_id: int, ctx: DomainContext) -> None:
    """Refuse a blocked chat (PermissionDenied with the reason) or one over the hourly limit."""
    block = await session.get(ReportBlock, chat_id)
    if block is not None:
        raise PermissionDenied(block.reason, code="reporting_blocked")
    since = ctx.clock() - timedelta(hours=1)
    recent = await session.scalar(
        select(func.count())
        .select_from(CitizenReport)
        .where(CitizenReport.chat_id == chat_id, CitizenReport.created_at > since)
    )
    if int(recent or 0) >= PER_HOUR:
        raise ReportLimitReached(f"at most {PER_HOUR} new reports per hour")


async def _check_app(session: AsyncSession, key_id: int, ctx: DomainContext) -> None:
    since = ctx.clock() - timedelta(hours=1)
    recent = await session.scalar(
        select(func.count())
        .select_from(CitizenReport)
        .where(CitizenReport.app_key_id == key_id, CitizenReport.created_at > since)
    )
    if int(recent or 0) >= APP_PER_HOUR:
        raise ReportLimitReached(f"at most {APP_PER_HOUR} new reports per hour from one app")


async def _place(session: AsyncSession, data: ReportCreate) -> tuple[float | None, float | None]:
    """The report's point: as given, else the project's first location."""
    if data.lat is not None and data.lon is not None:
        return data.lat, data.lon
    if data.project_id is None:
        return None, None
    row = (
        await session.execute(
            select(ProjectLocation.lat, ProjectLocation.lon)
            .where(ProjectLocation.project_id == data.project_id)
            .order_by(ProjectLocation.id)
            .limit(1)
        )
    ).first()
    return (row[0], row[1]) if row else (None, None)


async def file_report(
    session: AsyncSession,
    data: ReportCreate,
    ctx: DomainContext,
    outbox: OutboxService,
    default_target_hours: int,
) -> FiledReport:
    """Write the report, its photos and the notices to the officials responsible."""
    category = categories.get(data.category)
    if data.chat_id is not None:
        await check_may_file(session, data.chat_id, ctx)
    if data.app_key_id is not None:
        await _check_app(session, data.app_key_id, ctx)
    if data.project_id is not None and await session.get(Project, data.project_id) is None:
        raise NotFound("no such project", code="project_not_found")
    # Decoding and re-encoding is CPU work: off the event loop, so the process keeps answering.
    cleaned = [
        await asyncio.to_thread(photos.clean, p.content, i) if p.content is not None else None
        for i, p in enumerate(data.photos)
    ]
    now = ctx.clock()
    lat, lon = await _place(session, data)
    # Every read before the first write: on SQLite the write lock is then held only while
    # the rows go in (the write transaction begins with the first INSERT).
    title = await notices.project_title(session, data.project_id)
    officials = await routing.responsible(session, data.project_id)
    recipients = await routing.chat_locales(session, officials, ctx.default_locale)
    drafted = (
        await drafts.find(session, data.chat_id, data.draft_photos)
        if data.chat_id is not None
        else []
    )
    target = category.target_hours(default_target_hours)
    report = CitizenReport(
        reference=new_reference(),
        chat_id=data.chat_id,
        source=data.source,
        app_key_id=data.app_key_id,
        category_code=category.code,
        text=data.text.strip() or data.text,
        project_id=data.project_id,
        lat=lat,
        lon=lon,
        address=data.address,
        locale=data.locale,
        status="new",
        is_public=False,
        target_hours=target,
        due_at=now + timedelta(hours=target),
        created_at=now,
        updated_at=now,
        reopened_count=0,
    )
    session.add(report)
    await session.flush()
    stored = [
        ReportPhoto(
            report_id=report.id,
            position=position,
            media_key=photos.new_media_key(),
            content_type="image/jpeg",
            width=clean.width if clean else None,
            height=clean.height if clean else None,
            size=len(clean.content) if clean else 0,
            telegram_file_id=given.file_id,
            created_at=now,
        )
        for position, (given, clean) in enumerate(zip(data.photos, cleaned, strict=True))
    ]
    session.add_all(stored)
    # Each photo's bytes in their own row (none for a photo known only by its file_id).
    session.add_all(
        ReportPhotoContent(photo=photo, content=clean.content)
        for photo, clean in zip(stored, cleaned, strict=True)
        if clean is not None
    )
    await session.flush()
    await drafts.attach(session, report.id, drafted, first=len(stored))
    attached = [drafts.Attached(p.id, p.telegram_file_id) for p in stored] + drafted
    params = {
        "report": notices.summary_of(report, title),
        "text": report.text,
        "lat": lat,
        "lon": lon,
        "address": report.address,
        "created_at": now.isoformat(),
        "due_at": report.due_at.isoformat(),
        "photos": [{"id": p.id, "file_id": p.file_id} for p in attached],
    }
    key = f"cr:{report.id}:filed"
    told = await outbox.enqueue(notices.build(recipients, notices.FILED, params, key))
    logger.info("report %d filed (%d photos, %d officials told)", report.id, len(attached), told)
    return FiledReport(
        id=report.id,
        reference=report.reference,
        status=report.status,
        created_at=report.created_at,
        officials_notified=told,
    )
