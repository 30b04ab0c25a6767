"""Reading lease columns straight from the outbox table (tests only)."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from core.outbox.models import Delivery
from tests.conftest import UowFactory


async def held_leases(uow: UowFactory) -> int:
    """Rows that still name a lease owner or a lease end."""
    async with uow() as svc:
        held = await svc.session.scalar(
            select(func.count()).where(
                or_(Delivery.leased_by.is_not(None), Delivery.lease_until.is_not(None))
            )
        )
    return int(held or 0)
