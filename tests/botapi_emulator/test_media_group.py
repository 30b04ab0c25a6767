"""sendMediaGroup on the emulator: an album of uploads, then the same photos by file_id."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile, InputMediaPhoto

from botapi_emulator import BotApiEmulator
from botapi_emulator.images import make_png
from tests.botapi_emulator.test_emulator import CHAT


async def test_album_uploads_then_resends_by_file_id(fake: BotApiEmulator, bot: Bot) -> None:
    uploads: list[Any] = [
        InputMediaPhoto(
            media=BufferedInputFile(make_png(rgb=(i, i, i)), f"{i}.png"), caption=f"P{i}"
        )
        for i in range(2)
    ]
    sent = await bot.send_media_group(CHAT, uploads)
    ids = [m.photo[-1].file_id for m in sent if m.photo]
    assert len(ids) == 2
    assert [m.caption for m in sent] == ["P0", "P1"]

    by_id: list[Any] = [InputMediaPhoto(media=i) for i in ids]
    again = await bot.send_media_group(CHAT, by_id)
    assert [m.photo[-1].file_id for m in again if m.photo] == ids
    assert len(fake.calls_to("sendMediaGroup")) == 2


async def test_album_of_one_is_refused_like_telegram(bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest):
        await bot.send_media_group(CHAT, [InputMediaPhoto(media="photo-1")])
