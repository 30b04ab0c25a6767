"""Run the notifier: scheduled jobs, and the delivery engine when a bot token is set."""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.ui import notices
from bot.ui.i18n import make_i18n
from core.clock import Clock, utc_now
from core.context import DomainContext
from core.db import listening, make_engine, make_session_factory
from core.metrics import Metrics
from core.outbox.service import CHANNEL
from core.outbox.wakeup import Waker
from core.runtime import freeze_startup_objects
from core.services import delivery_kinds
from notifier.config import NotifierSettings
from notifier.engine import DeliveryEngine, EngineConfig
from notifier.guard import Running, let_finish
from notifier.pacing import effective_rate, server_limit
from notifier.scheduler import build_scheduler
from notifier.sender import TelegramSender

logger = logging.getLogger(__name__)

JOB_FINISH_S = 20.0  # how long a stop waits for scheduled jobs under way


async def run_notifier(
    settings: NotifierSettings,
    stop: asyncio.Event,
    waker: Waker | None = None,
    metrics: Metrics | None = None,
    clock: Clock = utc_now,
) -> None:
    """Start the jobs and the engine, wait for `stop`, then shut both down cleanly.

    `waker` is shared with the API and bot of the same process so a commit wakes the engine
    at once; other processes are reached through PostgreSQL NOTIFY, or the poll.
    """
    notices.require(delivery_kinds())
    waker = waker or Waker()
    db = make_engine(settings.db.database_url)
    factory = make_session_factory(db)
    ctx = DomainContext(
        clock=clock,
        zone=settings.locale.zone,
        default_locale=settings.locale.default_locale,
        waker=waker,
        quiet_hours_default=settings.locale.quiet_hours_default,
    )
    running: Running = set()
    scheduler = build_scheduler(settings, factory, ctx, metrics, running)
    scheduler.start()
    freeze_startup_objects()
    logger.info("notifier started with %d jobs", len(scheduler.get_jobs()))
    try:
        if settings.telegram.telegram_bot_token is None:
            logger.warning("TELEGRAM_BOT_TOKEN is not set: the notifier is not sending")
            await stop.wait()
        else:
            token = settings.telegram.telegram_bot_token.get_secret_value()
            await _deliver(settings, token, ctx, stop, metrics)
    finally:
        # No new run starts; a run under way ends its transaction rather than being cancelled
        # inside it (and its connection with it) when the process stops.
        scheduler.pause()
        await let_finish(running, JOB_FINISH_S)
        scheduler.shutdown(wait=False)
        await db.dispose()
        logger.info("notifier stopped")


def delivery_idle_limit_s(lease_s: float) -> float:
    """How long a delivery transaction may wait for its next statement (PostgreSQL).

    Rows a transaction has locked are skipped by every other notifier's claim and recovery.
    Paused inside one (GC, swapping, a frozen VM), this process would hold them as long as it
    sleeps; the server ends such a session after a lease, or 10 s when the lease is shorter.
    """
    return max(lease_s, 10.0)


async def _deliver(
    settings: NotifierSettings,
    token: str,
    ctx: DomainContext,
    stop: asyncio.Event,
    metrics: Metrics | None,
) -> None:
    waker = ctx.waker or Waker()
    api = TelegramAPIServer.from_base(settings.telegram.telegram_api_url)
    bot = Bot(token, session=AiohttpSession(api=api))
    send = settings.send
    rate = effective_rate(send.send_rate_per_sec, send.paid_broadcast)
    if rate < send.send_rate_per_sec:
        why = (
            "Telegram's limit"
            if send.paid_broadcast
            else "Telegram's limit without PAID_BROADCAST"
        )
        logger.warning("SEND_RATE_PER_SEC capped at %.0f, %s", rate, why)
    config = EngineConfig(
        rate_per_sec=rate,
        limit_per_sec=server_limit(send.paid_broadcast),
        lease_s=send.delivery_lease_seconds,
    )
    # Its own pool, so the idle limit applies to the engine's short transactions only.
    db = make_engine(
        settings.db.database_url, idle_in_transaction_s=delivery_idle_limit_s(config.lease_s)
    )
    factory = make_session_factory(db)
    sender = TelegramSender(bot, paid_broadcast=send.paid_broadcast)
    i18n = make_i18n(settings.locale.default_locale)
    engine = DeliveryEngine(factory, sender, i18n, config, waker, metrics=metrics, ctx=ctx)
    try:
        async with listening(settings.db.database_url, CHANNEL, waker.poke):
            await engine.run(stop)
    finally:
        await bot.session.close()
        await db.dispose()
