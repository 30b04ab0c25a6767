"""Services: one attribute per domain service, all bound to one session (one unit of work)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from core.auth.service import ApiKeyService
from core.chats.officials import OfficialService
from core.context import DomainContext
from core.outbox.service import OutboxService
from core.projects.service import ProjectService


class Services:
    """The domain's entry points for one unit of work."""

    def __init__(self, session: AsyncSession, ctx: DomainContext | None = None):
        self.session = session
        self.ctx = ctx or DomainContext()
        self.projects = ProjectService(session, self.ctx)
        self.api_keys = ApiKeyService(session, self.ctx.clock)
        self.officials = OfficialService(session, self.ctx.clock)
        self.outbox = OutboxService(session, self.ctx.clock)

    async def ping(self) -> None:
        """Round-trip to the database (health checks)."""
        from sqlalchemy import text

        await self.session.execute(text("SELECT 1"))
