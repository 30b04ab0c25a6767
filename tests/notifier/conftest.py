"""The delivery engine against the fake Bot API server, on the test database."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ui.i18n import make_i18n
from botapi_emulator import BotApiEmulator
from core.context import DomainContext
from core.outbox.schemas import DeliveryIn, QueueCounts
from core.outbox.wakeup import Waker
from notifier.engine import DeliveryEngine, EngineConfig
from notifier.sender import TelegramSender
from tests.conftest import UowFactory

Running = Callable[..., AbstractAsyncContextManager[DeliveryEngine]]


@pytest.fixture
async def fake() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(record=True) as server:
        yield server


@pytest.fixture(scope="session")
def i18n() -> I18n:
    return make_i18n("en")


async def close_bot(bot: Bot) -> None:
    # AiohttpSession.close() sleeps for TLS shutdown, which loopback HTTP does not need.
    if bot.session._session is not None:  # type: ignore[attr-defined]
        await bot.session._session.close()  # type: ignore[attr-defined]


@pytest.fixture
def running(
    session_factory: async_sessionmaker[AsyncSession], fake: BotApiEmulator, i18n: I18n
) -> Running:
    """`async with running(rate_per_sec=…, api_url=…, ctx=…) as engine:` runs an engine in the
    test (`ctx`: its clock, zone and default quiet hours)."""

    @asynccontextmanager
    async def run(
        *,
        api_url: str | None = None,
        waker: Waker | None = None,
        ctx: DomainContext | None = None,
        **config: Any,
    ) -> AsyncIterator[DeliveryEngine]:
        api = TelegramAPIServer.from_base(api_url or fake.url)
        bot = Bot(fake.token, session=AiohttpSession(api=api))
        settings = {"rate_per_sec": 200.0, "backoff_base_s": 0.05, "poll_s": 0.05, **config}
        timeout = settings.pop("send_timeout", 10.0)
        sender = TelegramSender(bot, timeout=timeout)
        engine = DeliveryEngine(
            session_factory, sender, i18n, EngineConfig(**settings), waker, ctx=ctx
        )
        stop = asyncio.Event()
        task = asyncio.create_task(engine.run(stop))
        try:
            yield engine
        finally:
            stop.set()
            if waker is not None:
                waker.poke()  # an idle engine notices `stop` at its next poll: now
            await task
            await close_bot(bot)

    return run


def note(n: int, chat_id: int, text: str = "", **extra: Any) -> DeliveryIn:
    """A broadcast-kind delivery."""
    params = {"text": text or f"message {n}", "sender": "Test office"}
    return DeliveryIn.model_validate(
        {
            "dedup_key": f"t:{n}:{chat_id}",
            "chat_id": chat_id,
            "kind": "broadcast",
            "locale": "en",
            "params": params,
            **extra,
        }
    )


async def settled(uow: UowFactory, timeout: float = 10.0) -> QueueCounts:  # noqa: ASYNC109
    """Wait until nothing is pending or being sent; the final counts."""
    deadline = time.monotonic() + timeout
    while True:
        async with uow() as svc:
            counts = await svc.outbox.counts()
        if counts.pending == counts.sending == 0:
            return counts
        if time.monotonic() > deadline:
            raise TimeoutError(f"outbox not settled: {counts}")
        await asyncio.sleep(0.05)
