"""Services: one attribute per domain service, all bound to one session (one unit of work)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from core import schema
from core.auth.service import ApiKeyService
from core.chats.officials import OfficialService
from core.chats.service import ChatService
from core.chats.subscriptions import SubscriptionService
from core.context import DomainContext
from core.outbox import broadcasts, notifications
from core.outbox.broadcasts import BroadcastService
from core.outbox.service import OutboxService
from core.projects.service import ProjectService
from core.workers import alerts, digest
from core.workers.service import WageService


def delivery_kinds() -> frozenset[str]:
    """Every kind of delivery the domain enqueues: whatever sends them renders each one."""
    return frozenset(
        {
            broadcasts.KIND,
            broadcasts.DONE_KIND,
            notifications.KIND,
            digest.KIND,
            *alerts.KINDS.values(),
        }
    )


class Services:
    """The domain's entry points for one unit of work."""

    def __init__(self, session: AsyncSession, ctx: DomainContext | None = None):
        self.session = session
        self.ctx = ctx or DomainContext()
        self.projects = ProjectService(session, self.ctx)
        self.api_keys = ApiKeyService(session, self.ctx.clock)
        self.officials = OfficialService(session, self.ctx.clock)
        self.outbox = OutboxService(session, self.ctx.clock, self.ctx.waker)
        self.broadcasts = BroadcastService(session, self.ctx, self.outbox)
        self.chats = ChatService(session, self.ctx.clock)
        self.subscriptions = SubscriptionService(session, self.ctx.clock)
        self.wages = WageService(session, self.ctx, self.outbox)

    async def ping(self) -> None:
        """Round-trip to the database (health checks)."""
        await self.session.execute(text("SELECT 1"))

    async def schema_status(self) -> tuple[str | None, str | None]:
        """(revision the database is at, newest revision this code knows)."""
        return await schema.current_revision(self.session), schema.head_revision()
