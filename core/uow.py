"""The unit of work: one transaction, and the Services bound to it, per inbound event."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.context import DomainContext
from core.services import Services


@asynccontextmanager
async def unit_of_work(
    factory: async_sessionmaker[AsyncSession], ctx: DomainContext | None = None
) -> AsyncIterator[Services]:
    """One transaction: commit when the block ends, roll back when it raises."""
    async with factory() as session, session.begin():
        yield Services(session, ctx)
