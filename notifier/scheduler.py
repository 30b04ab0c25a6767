"""build_scheduler(): APScheduler 3 with safe job defaults and stable job ids."""

from __future__ import annotations

from datetime import UTC

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from core.context import DomainContext
from core.db import SessionFactory
from core.workers.policy import WagePolicy
from notifier import jobs, wage_jobs
from notifier.config import NotifierSettings

JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 60}


def build_scheduler(
    settings: NotifierSettings,
    factory: SessionFactory | None = None,
    ctx: DomainContext | None = None,
) -> AsyncIOScheduler:
    """The scheduler with every job of this process registered (outbox upkeep needs a database)."""
    scheduler = AsyncIOScheduler(timezone=UTC, job_defaults=JOB_DEFAULTS)
    if factory is not None and ctx is not None:
        args = (factory, ctx)
        scheduler.add_job(
            jobs.complete_broadcasts, "interval", seconds=10, args=args, id="complete_broadcasts"
        )
        scheduler.add_job(
            jobs.purge_deliveries, "interval", hours=6, args=args, id="purge_deliveries"
        )
        policy = WagePolicy.from_settings(settings.wages, settings.locale)
        wage_jobs.register(scheduler, factory, ctx, policy)
    return scheduler
