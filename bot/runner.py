"""Build the bot and run it until asked to stop: long polling, or webhook registration."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.types import (
    CallbackQuery,
    ErrorEvent,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    LinkPreviewOptions,
    Message,
    ReplyKeyboardMarkup,
    Update,
)
from aiogram.utils.i18n import I18n

from bot.api_session import JsonBodySession
from bot.commands import register_commands
from bot.config import BotSettings
from bot.dispatcher import build_dispatcher
from bot.ui.i18n import make_i18n
from bot.ui.lazy_types import prepare
from bot.ui.responses import pin_response_models
from core.context import DomainContext
from core.db import make_engine, make_session_factory
from core.metrics import Metrics
from core.runtime import freeze_startup_objects
from core.uow import unit_of_work
from core.wages.policy import WagePolicy

logger = logging.getLogger(__name__)

# A conversation step nobody finished in a week is forgotten (keeps Redis bounded).
FSM_TTL = timedelta(days=7)

# What the handlers validate or build on most updates (webhook updates are validated with
# Update itself): built before the bot serves, so no citizen's reply waits for a build.
HANDLER_TYPES = (
    Update,
    Message,
    CallbackQuery,
    InlineKeyboardMarkup,
    InlineKeyboardButton,
    ReplyKeyboardMarkup,
    KeyboardButton,
    LinkPreviewOptions,
    ErrorEvent,
)


@dataclass(frozen=True)
class BotApp:
    """The long-lived bot objects of one process."""

    bot: Bot
    dispatcher: Dispatcher
    i18n: I18n


def make_bot(settings: BotSettings) -> Bot:
    """A Bot on TELEGRAM_API_URL, HTML by default (calls sent as JSON: bot/api_session.py)."""
    token = settings.telegram.telegram_bot_token
    if token is None:
        raise RuntimeError("TELEGRAM_BOT_TOKEN is not set")
    session = JsonBodySession(api=TelegramAPIServer.from_base(settings.telegram.telegram_api_url))
    pin_response_models()
    prepare(HANDLER_TYPES)
    return Bot(
        token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


def make_storage(settings: BotSettings) -> BaseStorage:
    """Conversation state: in Redis when REDIS_URL is set (shared by replicas), else memory."""
    redis = settings.redis
    if redis.redis_url is None:
        return MemoryStorage()
    keys = DefaultKeyBuilder(prefix=f"{redis.redis_key_prefix}:fsm", with_bot_id=True)
    return RedisStorage.from_url(
        redis.redis_url, key_builder=keys, state_ttl=FSM_TTL, data_ttl=FSM_TTL
    )


@contextlib.asynccontextmanager
async def open_bot(
    settings: BotSettings,
    *,
    ctx: DomainContext | None = None,
    storage: BaseStorage | None = None,
    metrics: Metrics | None = None,
) -> AsyncIterator[BotApp]:
    """Engine, i18n, Bot and Dispatcher; closes the HTTP session, storage and engine on exit."""
    ctx = ctx or DomainContext(
        zone=settings.locale.zone,
        report_target_hours=settings.reports.report_target_hours,
        quiet_hours_default=settings.locale.quiet_hours_default,
    )
    storage = storage or make_storage(settings)
    bot = make_bot(settings)
    engine = make_engine(settings.db.database_url)
    factory = make_session_factory(engine)
    i18n = make_i18n(settings.locale.default_locale)
    dispatcher = build_dispatcher(
        lambda: unit_of_work(factory, ctx),
        i18n,
        zone=ctx.zone,
        storage=storage,
        wage_policy=WagePolicy.from_settings(settings.wages, settings.locale),
        metrics=metrics,
        api_url=settings.telegram.public_api_url or "",
    )
    try:
        yield BotApp(bot, dispatcher, i18n)
    finally:
        await bot.session.close()
        await storage.close()
        await engine.dispose()


async def run_bot(
    settings: BotSettings,
    stop: asyncio.Event,
    *,
    ctx: DomainContext | None = None,
    storage: BaseStorage | None = None,
    metrics: Metrics | None = None,
) -> None:
    """Until `stop` is set: long-poll, or (BOT_MODE=webhook) register the webhook and wait."""
    if settings.telegram.telegram_bot_token is None:
        logger.warning("TELEGRAM_BOT_TOKEN is not set: the bot is not started")
        return
    if settings.telegram.bot_mode == "webhook":
        # The API server's process feeds the updates; this role only tells Telegram where.
        bot = make_bot(settings)
        try:
            await register_commands(bot, make_i18n(settings.locale.default_locale))
            await register_webhook(bot, settings)
            logger.info("bot started (webhook): updates arrive through the API server")
            await stop.wait()
        finally:
            await bot.session.close()
    else:
        async with open_bot(settings, ctx=ctx, storage=storage, metrics=metrics) as app:
            await register_commands(app.bot, app.i18n)
            await app.bot.delete_webhook()
            freeze_startup_objects()
            logger.info("bot started (long polling)")
            await _poll_until(app, stop)
    logger.info("bot stopped")


async def register_webhook(bot: Bot, settings: BotSettings) -> None:
    """setWebhook with the secret token Telegram will send back on every update."""
    url, secret = settings.telegram.webhook_url, settings.telegram.webhook_secret
    if not url or secret is None:
        raise RuntimeError("BOT_MODE=webhook needs WEBHOOK_URL and WEBHOOK_SECRET")
    # Telegram's default update types (messages, callbacks, edits) are what the bot handles.
    await bot.set_webhook(url, secret_token=secret.get_secret_value())


async def _poll_until(app: BotApp, stop: asyncio.Event) -> None:
    polling = asyncio.create_task(
        app.dispatcher.start_polling(app.bot, handle_signals=False, close_bot_session=False)
    )
    stopping = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait({polling, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if polling not in done:
        try:
            await app.dispatcher.stop_polling()
        except RuntimeError:
            # Stopped before polling had begun.
            polling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await polling
    else:
        polling.result()
