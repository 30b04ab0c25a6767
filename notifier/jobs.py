"""Scheduled notifier jobs: each one a short unit of work, logged and never fatal."""

from __future__ import annotations

import logging
from datetime import timedelta

from core.context import DomainContext
from core.db import SessionFactory, unit_of_work

logger = logging.getLogger(__name__)

KEEP_DELIVERIES_DAYS = 30


async def complete_broadcasts(factory: SessionFactory, ctx: DomainContext) -> None:
    """Mark broadcasts with nothing left to send as done."""
    try:
        async with unit_of_work(factory, ctx) as svc:
            done = await svc.broadcasts.complete_finished()
    except Exception:
        logger.exception("job complete_broadcasts failed")
        return
    if done:
        logger.info("%d broadcasts finished", done)


async def purge_deliveries(factory: SessionFactory, ctx: DomainContext) -> None:
    """Forget finished single deliveries after KEEP_DELIVERIES_DAYS (broadcasts keep theirs)."""
    try:
        async with unit_of_work(factory, ctx) as svc:
            cutoff = ctx.clock() - timedelta(days=KEEP_DELIVERIES_DAYS)
            purged = await svc.outbox.purge(cutoff)
    except Exception:
        logger.exception("job purge_deliveries failed")
        return
    if purged:
        logger.info("purged %d old deliveries", purged)
