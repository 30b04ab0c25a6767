"""Wage jobs: the hourly overdue scan and the officials' daily digest, each one unit of work."""

from __future__ import annotations

import logging
from typing import Any

from core.context import DomainContext
from core.db import SessionFactory, unit_of_work
from core.workers.policy import WagePolicy

logger = logging.getLogger(__name__)

SCAN_JOB_ID = "wages.overdue_scan"
DIGEST_JOB_ID = "wages.digest"


async def overdue_scan(factory: SessionFactory, ctx: DomainContext, policy: WagePolicy) -> None:
    """Enqueue the overdue reminders that became due; a second replica skips the run."""
    try:
        async with unit_of_work(factory, ctx) as svc:
            sent = await svc.wages.scan_overdue(policy)
    except Exception:
        logger.exception("job %s failed", SCAN_JOB_ID)
        return
    if sent is None:
        logger.info("job %s skipped: another notifier holds the scan", SCAN_JOB_ID)


async def daily_digest(factory: SessionFactory, ctx: DomainContext, policy: WagePolicy) -> None:
    """Enqueue today's overdue-wage digest to every active official (once a day each)."""
    try:
        async with unit_of_work(factory, ctx) as svc:
            sent = await svc.wages.send_digest(policy)
    except Exception:
        logger.exception("job %s failed", DIGEST_JOB_ID)
        return
    logger.info("job %s enqueued %d digests", DIGEST_JOB_ID, sent)


def register(
    scheduler: Any, factory: SessionFactory, ctx: DomainContext, policy: WagePolicy
) -> None:
    """Add both jobs with stable ids: the scan hourly, the digest at the local digest time."""
    args = (factory, ctx, policy)
    scheduler.add_job(overdue_scan, "interval", hours=1, args=args, id=SCAN_JOB_ID)
    scheduler.add_job(
        daily_digest,
        "cron",
        hour=policy.digest_time.hour,
        minute=policy.digest_time.minute,
        timezone=ctx.zone,
        args=args,
        id=DIGEST_JOB_ID,
    )
