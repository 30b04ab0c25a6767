"""Citizen report jobs: the overdue scan (at start-up, then every few minutes) sends the
officials in charge one reminder per report when it becomes overdue; every hour, photos sent
in the bot for a report never filed are deleted once a day old."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from core.clock import utc_now
from core.context import DomainContext
from core.db import SessionFactory
from core.uow import unit_of_work

logger = logging.getLogger(__name__)

OVERDUE_JOB_ID = "reports.overdue_scan"
EVERY_MINUTES = 5
DRAFTS_JOB_ID = "reports.draft_photos_purge"
DRAFTS_KEPT = timedelta(days=1)


async def overdue_scan(factory: SessionFactory, ctx: DomainContext) -> None:
    """Remind the officials of every report that became overdue since the last run."""
    async with unit_of_work(factory, ctx) as svc:
        told = await svc.reports.scan_overdue()
    if told:
        logger.info("job %s enqueued %d reminders", OVERDUE_JOB_ID, told)


async def purge_draft_photos(factory: SessionFactory, ctx: DomainContext) -> int:
    """Delete the draft photos of reports never filed, stored more than a day ago; how many."""
    async with unit_of_work(factory, ctx) as svc:
        purged = await svc.reports.purge_draft_photos(ctx.clock() - DRAFTS_KEPT)
    if purged:
        logger.info("job %s deleted %d draft photos", DRAFTS_JOB_ID, purged)
    return purged


Wrap = Callable[[str, Callable[..., Any]], Callable[..., Any]]


def register(
    scheduler: Any, factory: SessionFactory, ctx: DomainContext, wrap: Wrap = lambda _i, j: j
) -> None:
    """The scan now and then every few minutes; the drafts' purge every hour (real time,
    not ctx.clock)."""
    scheduler.add_job(
        wrap(OVERDUE_JOB_ID, overdue_scan),
        "interval",
        minutes=EVERY_MINUTES,
        args=(factory, ctx),
        id=OVERDUE_JOB_ID,
        next_run_time=utc_now(),
    )
    scheduler.add_job(
        wrap(DRAFTS_JOB_ID, purge_draft_photos),
        "interval",
        hours=1,
        args=(factory, ctx),
        id=DRAFTS_JOB_ID,
    )
