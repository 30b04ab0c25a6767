"""sendMediaGroup on the emulator: an album of uploads, then the same photos by file_id."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile, InputMediaPhoto
from PIL import Image

from botapi_emulator import BotApiEmulator
from tests.botapi_emulator.test_emulator import CHAT, close


def _png(shade: int) -> bytes:
    """A real, tiny PNG: the emulator refuses bytes that are not an image, as Telegram does."""
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (shade, shade, shade)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
async def fake() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(record=True) as server:
        yield server


@pytest.fixture
async def bot(fake: BotApiEmulator) -> AsyncIterator[Bot]:
    bot = Bot(fake.token, session=AiohttpSession(api=fake.api))
    yield bot
    await close(bot)


async def test_album_uploads_then_resends_by_file_id(fake: BotApiEmulator, bot: Bot) -> None:
    uploads: list[Any] = [
        InputMediaPhoto(media=BufferedInputFile(_png(i), f"{i}.png"), caption=f"P{i}")
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
