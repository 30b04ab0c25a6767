"""Scheduled notifier jobs: each one a short unit of work (notifier.guard logs failures)."""

from __future__ import annotations

import logging

from core.context import DomainContext
from core.db import SessionFactory
from core.uow import unit_of_work

logger = logging.getLogger(__name__)


async def complete_broadcasts(factory: SessionFactory, ctx: DomainContext) -> None:
    """Expire unsent copies past their expiry, then mark broadcasts with nothing left to send
    as done."""
    async with unit_of_work(factory, ctx) as svc:
        expired = await svc.outbox_timing.expire_due()
        done = await svc.broadcasts.complete_finished()
    if expired:
        logger.info("%d deliveries expired unsent", expired)
    if done:
        logger.info("%d broadcasts finished", done)
