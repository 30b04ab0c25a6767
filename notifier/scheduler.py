"""build_scheduler(): APScheduler 3 with safe job defaults and stable job ids."""

from __future__ import annotations

from datetime import UTC

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from notifier.config import NotifierSettings

JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 60}


def build_scheduler(settings: NotifierSettings) -> AsyncIOScheduler:
    """The scheduler with every job of this process registered (none need Telegram yet)."""
    del settings
    return AsyncIOScheduler(timezone=UTC, job_defaults=JOB_DEFAULTS)
