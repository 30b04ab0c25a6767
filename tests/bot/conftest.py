"""A bot on the test database, long-polling the fake Bot API server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import BotSettings
from bot.runner import run_bot
from bot.ui.i18n import make_i18n
from botapi_emulator import BotApiEmulator, RecordedCall
from core.config import DbSettings, TelegramSettings
from core.context import DomainContext
from notifier.engine import DeliveryEngine, EngineConfig
from notifier.sender import TelegramSender
from tests.conftest import UowFactory
from tests.samples import KYIV, package, project

# Seven projects within 1 km of KYIV (more than one page), one at about 1.5 km.
NEAR_OFFSETS = [0.0010 * n for n in range(1, 8)]
FAR_OFFSET = 0.0135


def kyiv_projects() -> list[dict[str, Any]]:
    """Projects north of Maidan: p1..p7 within 800 m, p8 at about 1.5 km."""
    lat, lon = KYIV
    items = [
        project(f"kyiv-{n}", lat + offset, lon, title_uk=f"Об'єкт {n}", title_ko=f"공사 {n}")  # noqa: RUF001 - Ukrainian
        for n, offset in enumerate(NEAR_OFFSETS, start=1)
    ]
    late = {"period": {"startDate": "2026-01-01T00:00:00Z", "endDate": "2026-10-01T00:00:00Z"}}
    items[0].update(title="Podil bridge repair", description="Repairs of the bridge deck", **late)
    items.append(project("kyiv-8", lat + FAR_OFFSET, lon))
    return items


@pytest.fixture
async def projects(uow: UowFactory) -> None:
    async with uow() as svc:
        await svc.projects.import_package(package(*kyiv_projects()))


@pytest.fixture
async def fake() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(record=True) as server:
        yield server


def settings_for(db_url: str, fake: BotApiEmulator, **telegram: Any) -> BotSettings:
    """Explicit settings: the test database and the fake server."""
    return BotSettings(
        db=DbSettings(database_url=db_url),
        telegram=TelegramSettings(
            telegram_bot_token=SecretStr(fake.token), telegram_api_url=fake.url, **telegram
        ),
    )


@pytest.fixture
async def running(
    db_url: str, fake: BotApiEmulator, ctx: DomainContext
) -> AsyncIterator[BotApiEmulator]:
    """The real runner, long-polling the fake until the test ends."""
    stop = asyncio.Event()
    task = asyncio.create_task(run_bot(settings_for(db_url, fake), stop, ctx=ctx))
    # Generous bounds: they end as soon as the bot polls (or stops), and only a failure waits
    # them out on a busy 2-core machine.
    await fake.wait_polling(timeout=60)
    yield fake
    stop.set()
    await asyncio.wait_for(task, 30)


@pytest.fixture(scope="session")
def tr() -> Any:
    """`tr(locale, msgid)`: what the catalogs say, so tests check translations are used."""
    i18n = make_i18n()

    def translate(locale: str, msgid: str, plural: str | None = None, n: int = 1) -> str:
        return i18n.gettext(msgid, plural, n, locale=locale)

    return translate


@pytest.fixture(scope="session")
def render() -> Any:
    """`render(locale, texts.welcome)`: a text function's output in a locale."""
    i18n = make_i18n()

    def run(locale: str, text: Callable[..., str], *args: Any) -> str:
        with i18n.context(), i18n.use_locale(locale):
            return text(*args)

    return run


def buttons(call: RecordedCall) -> list[str]:
    """Inline button labels of a recorded call."""
    rows = (call.reply_markup or {}).get("inline_keyboard") or []
    return [b["text"] for row in rows for b in row]


def shown(call: RecordedCall) -> str:
    """The text as the user sees it (entities parsed away) after a send or edit."""
    result = call.result if isinstance(call.result, dict) else {}
    return str(result.get("text") or "")


async def settled(read: Callable[[], Awaitable[Any]], expected: Any) -> None:
    """Wait until `read()` returns `expected`.

    The bot replies inside its unit of work, so a reply can reach the fake a moment before
    the commit does; tests that then read the database wait for the commit like this.
    """
    async with asyncio.timeout(20):
        # Another connection's commit raises no event here: poll, briefly.
        while (value := await read()) != expected:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    assert value == expected


async def deliver(
    fake: BotApiEmulator, factory: async_sessionmaker[AsyncSession], uow: UowFactory
) -> None:
    """Run the notifier's delivery engine until the outbox is empty."""
    bot = Bot(fake.token, session=AiohttpSession(api=fake.api))
    config = EngineConfig(rate_per_sec=200.0, poll_s=0.05, backoff_base_s=0.05)
    engine = DeliveryEngine(factory, TelegramSender(bot), make_i18n(), config)
    stop = asyncio.Event()
    task = asyncio.create_task(engine.run(stop))
    try:

        async def pending() -> int:
            async with uow() as svc:
                counts = await svc.outbox.counts()
            return counts.pending + counts.sending

        await settled(pending, 0)
    finally:
        stop.set()
        await task
        await bot.session.close()
