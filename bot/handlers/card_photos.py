"""Site photos sent with a card: an album, uploaded once, then sent on by Telegram's file_id."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError
from aiogram.types import BufferedInputFile, InputMediaPhoto, Message

from bot.ui.texts import esc
from core.projects.photo_files import demo_photo
from core.projects.schemas import PhotoRead, ProjectCard
from core.services import Services

logger = logging.getLogger(__name__)


def _media(photo: PhotoRead, index: int) -> Any:
    """A known file_id, else the bytes of a shipped demo photo, else the URL for Telegram."""
    if photo.file_id:
        return photo.file_id
    data = demo_photo(photo.url)
    if data is not None:
        return BufferedInputFile(data, filename=f"photo-{index}.png")
    return photo.url


async def send_photos(bot: Bot, chat_id: int, card: ProjectCard, svc: Services) -> None:
    """The card's photos as an album (one photo alone); file_ids kept after the first upload."""
    photos = card.photos
    if not photos:
        return
    captions = [esc(p.title) if p.title else None for p in photos]
    try:
        if len(photos) == 1:
            sent = [await bot.send_photo(chat_id, _media(photos[0], 0), caption=captions[0])]
        else:
            album: list[Any] = [
                InputMediaPhoto(media=_media(p, i), caption=captions[i])
                for i, p in enumerate(photos)
            ]
            sent = await bot.send_media_group(chat_id, album)
    except (TelegramAPIError, TelegramNetworkError):
        # The card still carries the source links; a photo Telegram cannot fetch is no error.
        logger.warning("photos of project card not sent", exc_info=True)
        return
    await svc.projects.remember_photo_files(_new_file_ids(photos, sent))


def _new_file_ids(photos: tuple[PhotoRead, ...], sent: list[Message]) -> list[tuple[str, str]]:
    pairs = []
    for photo, message in zip(photos, sent, strict=False):
        if photo.file_id is None and message.photo:
            pairs.append((photo.url, message.photo[-1].file_id))
    return pairs
