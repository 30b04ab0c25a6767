"""Pull followed feeds on their schedules: one job looks every minute for sources that are due
(under the notifier's job lock, so of several replicas one pulls at a time)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from core.context import DomainContext
from core.db import SessionFactory
from core.pulls import pull_due
from core.sources.fetch import FetchConfig

logger = logging.getLogger(__name__)

JOB_ID = "sources.pull"
CHECK_EVERY_S = 60


async def pull_due_sources(
    factory: SessionFactory, ctx: DomainContext, config: FetchConfig
) -> None:
    """Pull each source whose next pull is due; each pull is its own unit of work."""
    reports = await pull_due(factory, ctx, config)
    failed = sum(1 for r in reports if not r.ok)
    if reports:
        logger.info("job %s pulled %d sources, %d failed", JOB_ID, len(reports), failed)


Wrap = Callable[[str, Callable[..., Any]], Callable[..., Any]]


def register(
    scheduler: Any, factory: SessionFactory, ctx: DomainContext, config: FetchConfig, wrap: Wrap
) -> None:
    """Check for due sources every minute."""
    scheduler.add_job(
        wrap(JOB_ID, pull_due_sources),
        "interval",
        seconds=CHECK_EVERY_S,
        args=(factory, ctx, config),
        id=JOB_ID,
    )
