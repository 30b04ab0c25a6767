"""Services: one attribute per domain service, all bound to one session (one unit of work)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from core import schema
from core.auth.service import ApiKeyService
from core.broadcasts import service as broadcasts
from core.broadcasts.service import BroadcastService
from core.chats import digests, project_updates
from core.chats.preferences import NotificationSettingsService
from core.chats.screen import DeliveryScreen
from core.chats.service import ChatService
from core.chats.subscriptions import SubscriptionService
from core.context import DomainContext
from core.officials.service import OfficialService
from core.outbox.service import OutboxService
from core.outbox.timing import TimingService
from core.projects.schemas import CardReports, ProjectChange
from core.projects.service import ProjectService
from core.reports import notices as report_notices
from core.reports.service import ReportService
from core.sources.service import SourceService
from core.wages import alerts, digest
from core.wages import reads as wage_reads
from core.wages.policy import WagePolicy
from core.wages.service import WageService


def delivery_kinds() -> frozenset[str]:
    """Every kind of delivery the domain enqueues: whatever sends them renders each one."""
    return frozenset(
        {
            broadcasts.KIND,
            broadcasts.DONE_KIND,
            project_updates.KIND,
            digests.DIGEST_KIND,
            digest.KIND,
            *alerts.KINDS.values(),
            *report_notices.KINDS,
        }
    )


class Services:
    """The domain's entry points for one unit of work.

    Also where a lower domain's hooks are wired to a higher one (see the layers contract in
    pyproject.toml): projects tell chats about changes and ask wages for the card's figure;
    the outbox tells chats which of them blocked the bot.
    """

    def __init__(self, session: AsyncSession, ctx: DomainContext | None = None):
        self.session = session
        self.ctx = ctx or DomainContext()
        self.chats = ChatService(session, self.ctx.clock)
        self.outbox = OutboxService(
            session, self.ctx.clock, self.ctx.waker, on_unreachable=self.chats.mark_unreachable
        )
        self.outbox_timing = TimingService(session, self.ctx.clock)
        self.screen = DeliveryScreen(session, self.ctx, self.outbox_timing)
        self.reports = ReportService(session, self.ctx, self.outbox)
        # The hooks are functions of the services they need, not methods of this object: a
        # service holding a method of Services would make each unit of work a reference
        # cycle, which only the garbage collector frees (with its session), in pauses.
        self.projects = ProjectService(
            session,
            self.ctx,
            on_changes=partial(
                _tell_followers, session, self.ctx, self.outbox, self.outbox_timing
            ),
            wage_share=partial(wage_reads.paid_on_time_share, session),
            report_figures=partial(_card_reports, self.reports),
        )
        self.api_keys = ApiKeyService(session, self.ctx.clock)
        self.officials = OfficialService(session, self.ctx.clock)
        self.broadcasts = BroadcastService(session, self.ctx, self.outbox)
        self.subscriptions = SubscriptionService(session, self.ctx.clock)
        self.wages = WageService(session, self.ctx, self.outbox)
        self.sources = SourceService(session, self.ctx.clock)
        self.notification_settings = NotificationSettingsService(
            session, self.ctx, self.outbox_timing
        )

    async def send_morning_digest(self, policy: WagePolicy) -> int:
        """The officials' one morning digest: overdue wages and overdue citizen reports."""
        return await self.wages.send_digest(policy, await self.reports.digest_params())

    async def ping(self) -> None:
        """Round-trip to the database (health checks)."""
        await self.session.execute(text("SELECT 1"))

    async def schema_status(self) -> tuple[str | None, str | None]:
        """(revision the database is at, newest revision this code knows)."""
        return await schema.current_revision(self.session), schema.head_revision()


async def _card_reports(reports: ReportService, project_id: str) -> CardReports:
    figures = await reports.accountability(project_id=project_id)
    return CardReports(**figures.model_dump(exclude={"reports"}))


async def _tell_followers(
    session: AsyncSession,
    ctx: DomainContext,
    outbox: OutboxService,
    timing: TimingService,
    changes: Sequence[ProjectChange],
) -> None:
    await project_updates.enqueue_project_updates(session, changes, ctx, outbox, timing)
