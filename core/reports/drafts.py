"""Draft photos: a photo sent in the bot is cleaned and stored when it arrives, tied to its
chat and to no report yet; filing attaches it in the filing transaction. So the decoding, the
re-encoding and the blob's write are paid at the photo step, not when the citizen presses Done,
and the stored bytes are always the cleaned ones. Drafts never filed are deleted after a day."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.context import DomainContext
from core.reports import photos
from core.reports.models import ReportPhoto, ReportPhotoContent


@dataclass(frozen=True)
class Attached:
    """A draft photo now part of a report: its row and Telegram's file_id."""

    id: int
    file_id: str | None


async def add(
    session: AsyncSession,
    chat_id: int,
    content: bytes,
    file_id: str | None,
    ctx: DomainContext,
) -> str:
    """Clean the photo (InvalidInput `bad_photo` when it cannot be read) and store it as a
    draft of the chat; the draft's key (its random media key).

    The row is written with the caller's commit, not now: on SQLite the database-wide write
    lock is then held only while the blob goes in, not across the bot's answer to Telegram."""
    # Decoding and re-encoding is CPU work: off the event loop, so the process keeps answering.
    clean = await asyncio.to_thread(photos.clean, content)
    key = photos.new_media_key()
    draft = ReportPhoto(
        report_id=None,
        draft_chat_id=chat_id,
        position=0,
        media_key=key,
        content_type="image/jpeg",
        width=clean.width,
        height=clean.height,
        size=len(clean.content),
        telegram_file_id=file_id,
        created_at=ctx.clock(),
    )
    session.add(draft)
    # The bytes in their own row, written once: attaching the draft updates only `draft`.
    session.add(ReportPhotoContent(photo=draft, content=clean.content))
    return key


async def find(session: AsyncSession, chat_id: int, keys: list[str]) -> list[Attached]:
    """The chat's drafts among these keys, in the order given. A draft that is gone (deleted
    as abandoned), already filed or another chat's is left out."""
    if not keys:
        return []
    rows = (
        await session.execute(
            select(ReportPhoto.id, ReportPhoto.media_key, ReportPhoto.telegram_file_id).where(
                ReportPhoto.media_key.in_(keys),
                ReportPhoto.draft_chat_id == chat_id,
                ReportPhoto.report_id.is_(None),
            )
        )
    ).all()
    found = {row.media_key: Attached(row.id, row.telegram_file_id) for row in rows}
    return [found[k] for k in dict.fromkeys(keys) if k in found]


async def attach(
    session: AsyncSession, report_id: int, found: list[Attached], first: int = 0
) -> None:
    """Tie these drafts (from `find`) to the report, in order, from position `first`: an
    update of their small `report_photo` rows, never of their bytes."""
    for position, photo in enumerate(found, start=first):
        await session.execute(
            update(ReportPhoto)
            .where(ReportPhoto.id == photo.id, ReportPhoto.report_id.is_(None))
            .values(report_id=report_id, draft_chat_id=None, position=position)
        )


async def discard(session: AsyncSession, chat_id: int, keys: list[str]) -> None:
    """Delete these drafts of the chat (never to be filed); their bytes go with them (the
    foreign key cascades, on SQLite too: `core/db.py` turns foreign keys on)."""
    if keys:
        await session.execute(
            delete(ReportPhoto).where(
                ReportPhoto.media_key.in_(keys),
                ReportPhoto.draft_chat_id == chat_id,
                ReportPhoto.report_id.is_(None),
            )
        )


async def purge(session: AsyncSession, before: datetime) -> int:
    """Delete drafts stored before `before` and never filed, with their bytes (cascade); how
    many."""
    result = await session.execute(
        delete(ReportPhoto).where(ReportPhoto.report_id.is_(None), ReportPhoto.created_at < before)
    )
    return int(getattr(result, "rowcount", 0) or 0)
