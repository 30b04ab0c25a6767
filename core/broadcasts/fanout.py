"""Fan-out: one pending delivery per recipient of a broadcast, written in SQL or in pages."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import String, case, cast, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.broadcasts.models import Broadcast
from core.broadcasts.schemas import (
    AreaAudience,
    Audience,
    BroadcastCreate,
    ProjectAudience,
    WorkersAudience,
)
from core.chats import models as chat_models
from core.chats import recipients
from core.config import SUPPORTED_LOCALES
from core.db import UtcDateTime, insert_ignoring_duplicates
from core.outbox.models import Delivery
from core.wages import reads as wage_reads

KIND = "broadcast"
_INSERT_COLUMNS = [
    "dedup_key", "chat_id", "kind", "locale", "params", "broadcast_id", "state", "attempts",
    "next_attempt_at", "created_at", "urgency", "expires_at",
]  # fmt: skip


async def chat_ids_of(session: AsyncSession, audience: Audience) -> Any:
    """A SELECT of recipient chat ids (before the active filter), or None for nobody."""
    chat = chat_models.Chat
    if audience.kind == "all":
        return select(chat.id)
    if isinstance(audience, WorkersAudience):
        return await wage_reads.worker_chats(session, audience.project_id)
    if isinstance(audience, ProjectAudience):
        return recipients.project_subscribers([audience.project_id])
    raise ValueError(f"audience {audience.kind} is resolved elsewhere")


class Fanout:
    """Writes one broadcast's deliveries: INSERT … SELECT in SQL, or area pages in chunks."""

    def __init__(
        self,
        session: AsyncSession,
        row: Broadcast,
        request: BroadcastCreate,
        default: str,
        now: datetime,
    ):
        self._session = session
        self._row = row
        self._request = request
        self._default = default
        self._now = now
        self._params = _params_by_locale(row, request, default)

    async def write(self) -> None:
        audience = self._request.audience
        if isinstance(audience, AreaAudience):
            await self._write_area(audience)
            return
        chat_ids = await chat_ids_of(self._session, audience)
        if chat_ids is not None:
            await self._insert_select(chat_ids)

    async def _insert_select(self, chat_ids: Any) -> None:
        chat = chat_models.Chat
        locale = recipients.locale_sql(self._default)
        params = case(
            *[(locale == loc, literal(p)) for loc, p in self._params.items()],
            else_=literal(self._params[self._default]),
        )
        due = self._request.send_at or self._now
        source = select(
            literal(f"b:{self._row.id}:") + cast(chat.id, String),
            chat.id,
            literal(KIND),
            locale,
            params,
            literal(self._row.id),
            literal("pending"),
            literal(0),
            literal(due, UtcDateTime()),
            literal(self._now, UtcDateTime()),
            literal(self._request.urgency),
            literal(self._request.expires_at, UtcDateTime()),
        ).where(chat.is_active.is_(True), chat.id.in_(chat_ids))
        await self._session.execute(insert(Delivery).from_select(_INSERT_COLUMNS, source))

    async def _write_area(self, audience: AreaAudience) -> None:
        args = (audience.lat, audience.lon, audience.radius_m)
        async for page in recipients.area_candidates(self._session, *args):
            rows = [self._values(r) for r in page if recipients.overlaps(r, *args)]
            await insert_ignoring_duplicates(self._session, Delivery, rows, unique=["dedup_key"])

    def _values(self, sub: Any) -> dict[str, Any]:
        locale = recipients.locale_of(sub.locale, sub.telegram_language, self._default)
        return {
            "dedup_key": f"b:{self._row.id}:{sub.chat_id}",
            "chat_id": sub.chat_id,
            "kind": KIND,
            "locale": locale,
            "params": self._params[locale],
            "broadcast_id": self._row.id,
            "state": "pending",
            "attempts": 0,
            "next_attempt_at": self._request.send_at or self._now,
            "created_at": self._now,
            "urgency": self._request.urgency,
            "expires_at": self._request.expires_at,
        }


def _params_by_locale(row: Broadcast, request: BroadcastCreate, default: str) -> dict[str, str]:
    """The delivery params (JSON) for each shipped locale: its text, else the default's."""
    texts = request.text
    fallback = texts.get(default) or next(iter(texts.values()))
    return {
        loc: json.dumps(
            {"broadcast_id": row.id, "sender": request.sender, "text": texts.get(loc, fallback)},
            ensure_ascii=False,
        )
        for loc in SUPPORTED_LOCALES
    }
