"""Data care: finished deliveries are deleted after DELIVERY_RETENTION_DAYS, once a day."""

from __future__ import annotations

import logging
from datetime import timedelta

from core.context import DomainContext
from core.db import SessionFactory
from core.uow import unit_of_work

logger = logging.getLogger(__name__)

JOB_ID = "outbox.retention"
# Quiet hours, in the deployment's local time; the job is cheap, the hour only spreads load.
RUN_AT = (3, 30)


async def purge_deliveries(factory: SessionFactory, ctx: DomainContext, days: int) -> int:
    """Delete finished single deliveries created more than `days` days ago; how many."""
    async with unit_of_work(factory, ctx) as svc:
        purged = await svc.outbox.purge(ctx.clock() - timedelta(days=days))
    if purged:
        logger.info("job %s purged %d deliveries older than %d days", JOB_ID, purged, days)
    return purged
