"""OutboxService: every outgoing message is written here, in the causing transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db import insert_ignoring_duplicates
from core.outbox.models import Delivery
from core.outbox.schemas import DeliveryIn


class OutboxService:
    """Write deliveries; a dedup key already present is skipped, so retried events never double."""

    def __init__(self, session: AsyncSession, clock: Clock):
        self._session = session
        self._clock = clock

    async def enqueue(self, deliveries: Sequence[DeliveryIn]) -> int:
        """Add pending deliveries in this unit of work; returns how many were new."""
        now = self._clock()
        rows = [
            {
                "dedup_key": d.dedup_key,
                "chat_id": d.chat_id,
                "kind": d.kind,
                "locale": d.locale,
                "params": json.dumps(d.params, ensure_ascii=False, default=str),
                "broadcast_id": d.broadcast_id,
                "state": "pending",
                "attempts": 0,
                "next_attempt_at": d.not_before or now,
                "created_at": now,
            }
            for d in deliveries
        ]
        return await insert_ignoring_duplicates(
            self._session, Delivery, rows, unique=["dedup_key"]
        )
