"""Reports of unpaid wages, filed by linked workers from an alert's button."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import insert_ignoring_duplicates
from core.errors import NotFound, PermissionDenied
from core.wages.linking import ALPHABET
from core.wages.models import WageEntry, WageReport, WageSchedule, Worker
from core.wages.schemas import WageReportRead

logger = logging.getLogger(__name__)


def new_reference() -> str:
    """WR- and 8 unambiguous random characters (read out on the phone to an official)."""
    return "WR-" + "".join(secrets.choice(ALPHABET) for _ in range(8))


async def file_report(
    session: AsyncSession, chat_id: int, entry_id: str, now: datetime
) -> WageReportRead:
    """File (once per entry) a report about an entry of the chat's own worker."""
    row = (
        await session.execute(
            select(WageEntry.worker_id, WageEntry.project_id, WageSchedule.employer_id)
            .join(WageSchedule, WageSchedule.id == WageEntry.schedule_id)
            .where(WageEntry.id == entry_id)
        )
    ).one_or_none()
    owner = await session.scalar(select(Worker.id).where(Worker.chat_id == chat_id))
    if row is None:
        raise NotFound("no such wage entry", code="wage_entry_not_found")
    if owner is None or owner != row.worker_id:
        raise PermissionDenied("only the linked worker may report this", code="not_your_wage")
    values = {
        "reference": new_reference(),
        "worker_id": row.worker_id,
        "entry_id": entry_id,
        "project_id": row.project_id,
        "employer_id": row.employer_id,
        "status": "open",
        "created_at": now,
    }
    is_new = await insert_ignoring_duplicates(session, WageReport, [values], unique=["entry_id"])
    report = await session.scalar(select(WageReport).where(WageReport.entry_id == entry_id))
    if report is None:  # pragma: no cover - the insert or an earlier report guarantees one
        raise NotFound("no such wage report", code="wage_report_not_found")
    if is_new:
        logger.info("wage report %s filed for entry %s", report.id, entry_id)
    return WageReportRead(
        reference=report.reference,
        entry_id=entry_id,
        status=report.status,
        created_at=report.created_at,
        is_new=bool(is_new),
    )
