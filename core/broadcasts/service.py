"""BroadcastService: an official's message fanned out into one delivery per recipient."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.broadcasts import fanout
from core.broadcasts.fanout import Fanout, chat_ids_of
from core.broadcasts.models import Broadcast
from core.broadcasts.schemas import (
    AreaAudience,
    Audience,
    BroadcastCounts,
    BroadcastCreate,
    BroadcastRead,
)
from core.chats import models as chat_models
from core.chats import recipients
from core.context import DomainContext
from core.errors import Conflict, InvalidInput, NotFound
from core.outbox.models import Delivery
from core.outbox.schemas import DeliveryIn
from core.outbox.service import OutboxService
from core.projects import models as project_models

KIND = fanout.KIND
DONE_KIND = "broadcast_done"
TELEGRAM_AUTHOR = "telegram:"


class BroadcastService:
    """Create, read, list and cancel broadcasts; counts recipients for a preview."""

    def __init__(self, session: AsyncSession, ctx: DomainContext, outbox: OutboxService):
        self._session = session
        self._ctx = ctx
        self._outbox = outbox

    async def create(self, author: str, request: BroadcastCreate) -> BroadcastRead:
        """Write the broadcast and one pending delivery per recipient, in this unit of work."""
        await self._check_project(request.audience)
        now = self._ctx.clock()
        _check_expiry(request, now)
        row = Broadcast(
            author=author,
            sender=request.sender,
            audience=request.audience.model_dump_json(),
            texts=json.dumps(request.text, ensure_ascii=False),
            status="queued",
            recipients=0,
            send_at=request.send_at,
            created_at=now,
            urgency=request.urgency,
            expires_at=request.expires_at,
        )
        self._session.add(row)
        await self._session.flush()
        fanout = Fanout(self._session, row, request, self._ctx.default_locale, now)
        await fanout.write()
        row.recipients = await self._count(row.id)
        await self._session.flush()
        if row.recipients:
            await self._outbox.announce()
        return await self._read(row)

    async def get(self, broadcast_id: int) -> BroadcastRead:
        """One broadcast with its figures; NotFound when there is none."""
        return await self._read(await self._row(broadcast_id))

    async def list(self, limit: int = 20, before_id: int | None = None) -> list[BroadcastRead]:
        """Newest first, `limit` at a time (pass the last id as `before_id` for the next page)."""
        stmt = select(Broadcast).order_by(Broadcast.id.desc()).limit(limit)
        if before_id is not None:
            stmt = stmt.where(Broadcast.id < before_id)
        return [await self._read(row) for row in await self._session.scalars(stmt)]

    async def cancel(self, broadcast_id: int) -> BroadcastRead:
        """Cancel every delivery not yet sent; Conflict when the broadcast already finished."""
        row = await self._row(broadcast_id)
        if row.status == "done":
            raise Conflict("the broadcast has already been sent", code="broadcast_finished")
        await self._session.execute(
            update(Delivery)
            .where(Delivery.broadcast_id == row.id, Delivery.state == "pending")
            .values(state="cancelled", last_error="broadcast cancelled")
            .execution_options(synchronize_session=False)
        )
        if row.status != "cancelled":
            row.status, row.finished_at = "cancelled", self._ctx.clock()
        await self._session.flush()
        return await self._read(row)

    async def count_recipients(self, audience: Audience) -> int:
        """How many chats a broadcast to `audience` would reach now (for a preview)."""
        await self._check_project(audience)
        if isinstance(audience, AreaAudience):
            chats: set[int] = set()
            args = (audience.lat, audience.lon, audience.radius_m)
            async for page in recipients.area_candidates(self._session, *args):
                chats.update(r.chat_id for r in page if recipients.overlaps(r, *args))
            return len(chats)
        chat_ids = await chat_ids_of(self._session, audience)
        if chat_ids is None:
            return 0
        chat = chat_models.Chat
        stmt = select(func.count()).where(chat.is_active.is_(True), chat.id.in_(chat_ids))
        return int(await self._session.scalar(stmt) or 0)

    async def complete_finished(self) -> int:
        """Mark broadcasts with nothing left to send as done, queue each Telegram author the
        final figures (kind `broadcast_done`); returns how many finished."""
        open_rows = (
            select(Delivery.id)
            .where(
                Delivery.broadcast_id == Broadcast.id, Delivery.state.in_(["pending", "sending"])
            )
            .exists()
        )
        result = await self._session.execute(
            update(Broadcast)
            .where(Broadcast.status.in_(["queued", "scheduled"]), ~open_rows)
            .values(status="done", finished_at=self._ctx.clock())
            .returning(Broadcast.id, Broadcast.author)
            .execution_options(synchronize_session=False)
        )
        finished = result.all()
        notices = [await self._done_notice(row.id, row.author) for row in finished]
        if any(notices):
            await self._outbox.enqueue([n for n in notices if n is not None])
        return len(finished)

    async def _done_notice(self, broadcast_id: int, author: str) -> DeliveryIn | None:
        """The final figures for an author who wrote from Telegram (once: the dedup key)."""
        chat_id = telegram_author_chat(author)
        chat = None if chat_id is None else await self._session.get(chat_models.Chat, chat_id)
        if chat is None or not chat.is_active:
            return None
        read = await self.get(broadcast_id)
        locale = recipients.locale_of(
            chat.locale, chat.telegram_language, self._ctx.default_locale
        )
        params = {"broadcast_id": broadcast_id, "recipients": read.recipients}
        params.update(read.counts.model_dump(exclude={"pending"}))
        return DeliveryIn(
            dedup_key=f"bdone:{broadcast_id}",
            chat_id=chat.id,
            kind=DONE_KIND,
            locale=locale,
            params=params,
        )

    async def _check_project(self, audience: Audience) -> None:
        project_id = getattr(audience, "project_id", None)
        if project_id is None:
            return
        if await self._session.get(project_models.Project, project_id) is None:
            raise NotFound(f"project {project_id!r} not found", code="project_not_found")

    async def _row(self, broadcast_id: int) -> Broadcast:
        row = await self._session.get(Broadcast, broadcast_id)
        if row is None:
            raise NotFound(f"broadcast {broadcast_id} not found", code="broadcast_not_found")
        return row

    async def _count(self, broadcast_id: int) -> int:
        stmt = select(func.count()).where(Delivery.broadcast_id == broadcast_id)
        return int(await self._session.scalar(stmt) or 0)

    async def _read(self, row: Broadcast) -> BroadcastRead:
        by_state: dict[str, int] = dict(
            (
                await self._session.execute(
                    select(Delivery.state, func.count())
                    .where(Delivery.broadcast_id == row.id)
                    .group_by(Delivery.state)
                )
            ).all()
        )
        counts = BroadcastCounts(
            pending=by_state.get("pending", 0) + by_state.get("sending", 0),
            sent=by_state.get("sent", 0),
            failed=by_state.get("failed", 0),
            blocked=by_state.get("blocked", 0),
            cancelled=by_state.get("cancelled", 0),
            expired=by_state.get("expired", 0),
        )
        audience = json.loads(row.audience)
        return BroadcastRead(
            id=row.id,
            author=row.author,
            sender=row.sender,
            audience=audience,
            status=_status(row, counts, self._ctx.clock()),
            recipients=row.recipients,
            counts=counts,
            send_at=row.send_at,
            created_at=row.created_at,
            finished_at=row.finished_at,
            urgency=row.urgency,
            expires_at=row.expires_at,
        )


def _check_expiry(request: BroadcastCreate, now: datetime) -> None:
    """An expiry must leave time to send: after now, and after `send_at` when given."""
    if request.expires_at is None:
        return
    start = max(now, request.send_at or now)
    if request.expires_at <= start:
        raise InvalidInput("expires_at must be later than now and send_at", location="expires_at")


def telegram_author_chat(author: str) -> int | None:
    """The private chat of an author written as `telegram:<user id>`, else None."""
    if not author.startswith(TELEGRAM_AUTHOR):
        return None
    user_id = author.removeprefix(TELEGRAM_AUTHOR)
    return int(user_id) if user_id.isdigit() else None


def _status(row: Broadcast, counts: BroadcastCounts, now: datetime) -> Any:
    if row.status == "cancelled":
        return "cancelled"
    if counts.pending == 0:
        return "done"
    if row.send_at is not None and row.send_at > now and counts.sent == 0:
        return "scheduled"
    return "sending"
