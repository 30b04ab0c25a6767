"""NotificationSettingsService: quiet hours, area digests and project mutes of one chat."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.chats import digests, quiet
from core.chats.models import Chat, Subscription
from core.chats.schemas import MutedProject, NotificationSettingsRead
from core.context import DomainContext
from core.errors import InvalidInput, NotFound
from core.outbox.timing import TimingService
from core.projects import models as project_models
from core.projects import queries as project_queries

MUTE_DAYS = 7
MAX_LISTED = 20


class NotificationSettingsService:
    """Read and change what a chat chose; held messages follow a change at once."""

    def __init__(self, session: AsyncSession, ctx: DomainContext, timing: TimingService):
        self._session = session
        self._ctx = ctx
        self._timing = timing

    async def get(self, chat_id: int, lang: str | None = None) -> NotificationSettingsRead:
        """The chat's settings, with its followed projects (titles in `lang`)."""
        chat = await self._chat(chat_id)
        default = self._ctx.quiet_hours_default
        window = quiet.effective(chat.quiet_hours, default)
        has_areas = await self._session.scalar(
            select(exists().where(Subscription.chat_id == chat_id, Subscription.kind == "area"))
        )
        return NotificationSettingsRead(
            chat_id=chat_id,
            quiet_hours=str(window) if window is not None else quiet.OFF,
            quiet_is_default=chat.quiet_hours is None,
            quiet_hold=chat.quiet_hold,
            digest_hour=chat.digest_hour,
            has_areas=bool(has_areas),
            projects=await self._projects(chat_id, lang),
        )

    async def set_quiet_hours(self, chat_id: int, value: str) -> None:
        """`HH:MM-HH:MM` (local) or `off`; held messages are screened again at once."""
        window = quiet.parse_window(value)
        chat = await self._chat(chat_id)
        chat.quiet_hours = str(window) if window is not None else quiet.OFF
        await self._session.flush()
        await self._timing.release_held(chat_id)

    async def set_quiet_hold(self, chat_id: int, hold: bool) -> None:
        """Hold normal messages through quiet hours (True) or send them silently (False)."""
        chat = await self._chat(chat_id)
        chat.quiet_hold = hold
        await self._session.flush()
        if not hold:
            await self._timing.release_held(chat_id)

    async def set_digest_hour(self, chat_id: int, hour: int | None) -> None:
        """Area updates once a day at `hour` local time, or at once (None)."""
        if hour is not None and not 0 <= hour <= 23:
            raise InvalidInput("digest hour must be 0-23", location="digest_hour")
        chat = await self._chat(chat_id)
        changed = chat.digest_hour != hour
        chat.digest_hour = hour
        await self._session.flush()
        if changed:
            # What was collected for the old hour goes out now; the new hour counts from here.
            await self._timing.release_kind(chat_id, digests.DIGEST_KIND)

    async def mute_project(self, chat_id: int, project_id: str, muted: bool) -> None:
        """Mute a followed project's updates for a week, or unmute; NotFound when not followed."""
        until = self._ctx.clock() + timedelta(days=MUTE_DAYS) if muted else None
        result = await self._session.execute(
            update(Subscription)
            .where(
                Subscription.chat_id == chat_id,
                Subscription.kind == "project",
                Subscription.project_id == project_id,
            )
            .values(muted_until=until)
            .returning(Subscription.id)
        )
        if not result.all():
            raise NotFound("no such subscription", code="subscription_not_found")

    async def _chat(self, chat_id: int) -> Chat:
        row = await self._session.get(Chat, chat_id)
        if row is None:
            raise NotFound(f"chat {chat_id} not found", code="chat_not_found")
        return row

    async def _projects(self, chat_id: int, lang: str | None) -> list[MutedProject]:
        project = project_models.Project
        now = self._ctx.clock()
        rows = await self._session.execute(
            select(
                Subscription.project_id, Subscription.muted_until, project.title, project.titles
            )
            .outerjoin(project, project.id == Subscription.project_id)
            .where(Subscription.chat_id == chat_id, Subscription.kind == "project")
            .order_by(Subscription.id)
            .limit(MAX_LISTED)
        )
        return [
            MutedProject(
                project_id=pid,
                title=project_queries.localized(title, titles, lang) if title else None,
                muted_until=until if until is not None and until > now else None,
            )
            for pid, until, title, titles in rows
            if pid is not None
        ]
