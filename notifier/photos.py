"""Notices with photos (citizen reports): the photos go by Telegram file_id when known, else
uploaded from the bytes in the database, whose new file_id is kept for the next send."""

from __future__ import annotations

from typing import Any

from core.db import SessionFactory
from core.outbox.schemas import ClaimedDelivery
from core.uow import unit_of_work
from notifier.sender import Photo, SendResult, TelegramSender


async def deliver(
    sender: TelegramSender,
    factory: SessionFactory,
    item: ClaimedDelivery,
    text: str,
    *,
    silent: bool = False,
) -> SendResult:
    """A plain message, or the notice's photos with it (`silent`: without sound)."""
    refs = item.params.get("photos")
    photos = await load(factory, refs) if isinstance(refs, list) and refs else []
    if not photos:
        return await sender.send(item.chat_id, text, item.reply_markup, silent=silent)
    result = await sender.send_with_photos(
        item.chat_id, text, item.reply_markup, photos, silent=silent
    )
    if result.verdict == "bad_request" and any(p.file_id for p in photos):
        # A file_id this bot cannot use (another bot's, or expired): upload the stored bytes.
        uploads = await load(factory, [{"id": p.id} for p in photos])
        if len(uploads) == len(photos):
            result = await sender.send_with_photos(
                item.chat_id, text, item.reply_markup, uploads, silent=silent
            )
    if result.file_ids:
        async with unit_of_work(factory) as svc:
            for photo_id, file_id in result.file_ids.items():
                await svc.reports.remember_file_id(photo_id, file_id)
    return result


async def load(factory: SessionFactory, refs: list[dict[str, Any]]) -> list[Photo]:
    """The photos to send: by file_id when known, else with their stored bytes."""
    photos: list[Photo] = []
    async with unit_of_work(factory) as svc:
        for ref in refs:
            photo_id, file_id = int(ref["id"]), ref.get("file_id")
            content = None if file_id else await svc.reports.photo_content(photo_id)
            if file_id or content:
                photos.append(Photo(photo_id, file_id, content))
    return photos
