"""build_scheduler(): APScheduler 3 with safe job defaults and stable job ids."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from core.context import DomainContext
from core.db import SessionFactory
from core.metrics import Metrics
from core.sources.fetch import config_from
from core.wages.policy import WagePolicy
from notifier import jobs, report_jobs, retention, source_jobs, wage_jobs
from notifier.config import NotifierSettings
from notifier.guard import Running, guarded

JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 60}
BROADCASTS_JOB_ID = "complete_broadcasts"


def build_scheduler(
    settings: NotifierSettings,
    factory: SessionFactory | None = None,
    ctx: DomainContext | None = None,
    metrics: Metrics | None = None,
    running: Running | None = None,
) -> AsyncIOScheduler:
    """The scheduler with every job of this process registered (outbox upkeep needs a database).

    Every job runs `guarded`: under an advisory lock on PostgreSQL, so of several notifier
    replicas one runs each job at a time; failures are logged and counted. Jobs under way are
    in `running` (see `guard.let_finish`).
    """
    scheduler = AsyncIOScheduler(timezone=UTC, job_defaults=JOB_DEFAULTS)
    if factory is None or ctx is None:
        return scheduler

    def wrap(job_id: str, job: Callable[..., Any]) -> Callable[..., Any]:
        return guarded(job_id, job, factory, metrics, running)

    args = (factory, ctx)
    scheduler.add_job(
        wrap(BROADCASTS_JOB_ID, jobs.complete_broadcasts),
        "interval",
        seconds=10,
        args=args,
        id=BROADCASTS_JOB_ID,
    )
    hour, minute = retention.RUN_AT
    scheduler.add_job(
        wrap(retention.JOB_ID, retention.purge_deliveries),
        "cron",
        hour=hour,
        minute=minute,
        timezone=ctx.zone,
        args=(*args, settings.retention.delivery_retention_days),
        id=retention.JOB_ID,
    )
    policy = WagePolicy.from_settings(settings.wages, settings.locale)
    wage_jobs.register(scheduler, factory, ctx, policy, wrap)
    report_jobs.register(scheduler, factory, ctx, wrap)
    source_jobs.register(scheduler, factory, ctx, config_from(settings.sources), wrap)
    return scheduler
