"""A recording emulator and an aiogram Bot talking to it, for the emulator's own tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession

from botapi_emulator import BotApiEmulator


@pytest.fixture
async def fake() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(record=True) as server:
        yield server


@pytest.fixture
async def bot(fake: BotApiEmulator) -> AsyncIterator[Bot]:
    bot = Bot(fake.token, session=AiohttpSession(api=fake.api))
    yield bot
    await close(bot)


async def close(bot: Bot) -> None:
    # AiohttpSession.close() also sleeps 250 ms for TLS shutdown, which plain loopback HTTP
    # does not need; closing the aiohttp session directly keeps the suite fast.
    assert isinstance(bot.session, AiohttpSession)
    if bot.session._session is not None:
        await bot.session._session.close()
