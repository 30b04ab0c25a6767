"""A report's photos under its thread: an album (one photo alone), by Telegram's file_id when
one is known, else uploaded from the stored bytes (cleaned of metadata), whose new file_id is
kept so the next view needs no upload."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramNetworkError
from aiogram.types import BufferedInputFile, InputMediaPhoto, Message

from core.reports.schemas import PhotoRead
from core.services import Services

logger = logging.getLogger(__name__)


async def _media(photo: PhotoRead, svc: Services, *, upload: bool) -> Any:
    """The file_id (unless `upload`), else the stored bytes; None when there is neither."""
    if photo.file_id and not upload:
        return photo.file_id
    content = await svc.reports.photo_content(photo.id) if photo.has_content else None
    return BufferedInputFile(content, filename=f"report-{photo.id}.jpg") if content else None


async def _send(bot: Bot, chat_id: int, media: list[Any]) -> list[Message]:
    if len(media) == 1:
        return [await bot.send_photo(chat_id, media[0])]
    album: list[Any] = [InputMediaPhoto(media=m) for m in media]
    return list(await bot.send_media_group(chat_id, album))


async def send_photos(bot: Bot, chat_id: int, photos: Sequence[PhotoRead], svc: Services) -> None:
    """Send the photos; a file_id Telegram refuses falls back to uploading the stored bytes."""
    upload = False
    while True:
        pairs = [(p, await _media(p, svc, upload=upload)) for p in photos]
        pairs = [(p, m) for p, m in pairs if m is not None]
        if not pairs:
            return
        try:
            sent = await _send(bot, chat_id, [m for _, m in pairs])
            break
        except TelegramBadRequest:
            if upload or not any(p.file_id for p, _ in pairs):
                logger.warning("photos of a report not sent", exc_info=True)
                return
            upload = True  # another bot's or an expired file_id: upload the bytes
        except (TelegramAPIError, TelegramNetworkError):
            logger.warning("photos of a report not sent", exc_info=True)
            return
    for (photo, media), message in zip(pairs, sent, strict=False):
        if not isinstance(media, str) and message.photo:
            await svc.reports.remember_file_id(photo.id, message.photo[-1].file_id)
