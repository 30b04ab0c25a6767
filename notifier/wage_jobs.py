"""Wage jobs: the overdue scan (at start-up, then hourly) and the officials' daily digest, each
one unit of work."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from core.clock import utc_now
from core.context import DomainContext
from core.db import SessionFactory
from core.uow import unit_of_work
from core.wages.policy import WagePolicy

logger = logging.getLogger(__name__)

SCAN_JOB_ID = "wages.overdue_scan"
DIGEST_JOB_ID = "wages.digest"


async def overdue_scan(factory: SessionFactory, ctx: DomainContext, policy: WagePolicy) -> None:
    """Enqueue the overdue reminders that became due; a second replica skips the run."""
    async with unit_of_work(factory, ctx) as svc:
        sent = await svc.wages.scan_overdue(policy)
    if sent is None:
        logger.info("job %s skipped: another notifier holds the scan", SCAN_JOB_ID)


async def daily_digest(factory: SessionFactory, ctx: DomainContext, policy: WagePolicy) -> None:
    """Enqueue today's morning digest (overdue wages and citizen reports) to every active
    official (once a day each)."""
    async with unit_of_work(factory, ctx) as svc:
        sent = await svc.send_morning_digest(policy)
    logger.info("job %s enqueued %d digests", DIGEST_JOB_ID, sent)


Wrap = Callable[[str, Callable[..., Any]], Callable[..., Any]]


def register(
    scheduler: Any,
    factory: SessionFactory,
    ctx: DomainContext,
    policy: WagePolicy,
    wrap: Wrap = lambda _id, job: job,
) -> None:
    """Add both jobs with stable ids: the scan at once and then hourly (reminders that fell due
    while no notifier ran go out at start-up), the digest at the local digest time."""
    args = (factory, ctx, policy)
    scan = wrap(SCAN_JOB_ID, overdue_scan)
    # Real time, not ctx.clock: the scheduler fires by the wall clock.
    scheduler.add_job(
        scan, "interval", hours=1, args=args, id=SCAN_JOB_ID, next_run_time=utc_now()
    )
    scheduler.add_job(
        wrap(DIGEST_JOB_ID, daily_digest),
        "cron",
        hour=policy.digest_time.hour,
        minute=policy.digest_time.minute,
        timezone=ctx.zone,
        args=args,
        id=DIGEST_JOB_ID,
    )
