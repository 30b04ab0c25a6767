"""Run the notifier's scheduler until asked to stop."""

from __future__ import annotations

import asyncio
import logging

from notifier.config import NotifierSettings
from notifier.scheduler import build_scheduler

logger = logging.getLogger(__name__)


async def run_notifier(settings: NotifierSettings, stop: asyncio.Event) -> None:
    """Start the scheduled jobs, wait for `stop`, then shut the scheduler down."""
    scheduler = build_scheduler(settings)
    scheduler.start()
    logger.info("notifier started with %d jobs", len(scheduler.get_jobs()))
    try:
        await stop.wait()
    finally:
        scheduler.shutdown(wait=False)
        logger.info("notifier stopped")
