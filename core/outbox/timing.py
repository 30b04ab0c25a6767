"""TimingService: holds and expiry of deliveries, and edits of those not yet rendered.

It knows no chat and no quiet hours: the chats domain decides (core/chats/screen.py) and this
writes the decision on the rows, inside the transaction that claimed them, so a held row is
never seen leased by anyone else.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db import UtcDateTime
from core.outbox.models import Delivery
from core.outbox.schemas import Screening, UnsentRow

_TABLE = cast(Table, Delivery.__table__)
EXPIRED = "expired"

# Only rows still under the claim that screened them (the same fence as recording outcomes).
_UNDER_LEASE = (
    _TABLE.c.id == bindparam("row_id"),
    _TABLE.c.state == "sending",
    _TABLE.c.leased_by == bindparam("engine"),
    _TABLE.c.lease_token == bindparam("token"),
)
_HOLD = (
    update(_TABLE)
    .where(*_UNDER_LEASE)
    .values(
        state="pending",
        next_attempt_at=bindparam("until", type_=UtcDateTime()),
        held_until=bindparam("until", type_=UtcDateTime()),
        leased_by=None,
        lease_token=None,
        lease_until=None,
    )
)
_EXPIRE = (
    update(_TABLE)
    .where(*_UNDER_LEASE)
    .values(state=EXPIRED, last_error=EXPIRED, leased_by=None, lease_token=None, lease_until=None)
)
_SILENT = update(_TABLE).where(*_UNDER_LEASE).values(silent=True)


class TimingService:
    """Hold claimed rows to a later time, expire them, and edit unsent ones."""

    def __init__(self, session: AsyncSession, clock: Clock):
        self._session = session
        self._clock = clock

    async def apply(self, screening: Screening, engine: str) -> None:
        """Write a screening of rows `engine` has just claimed (in the same transaction)."""
        base = {"engine": engine, "token": screening.lease_token}
        held = [{**base, "row_id": i, "until": t} for i, t in sorted(screening.held.items())]
        for statement, params in (
            (_HOLD, held),
            (_EXPIRE, [{**base, "row_id": i} for i in sorted(screening.expired)]),
            (_SILENT, [{**base, "row_id": i} for i in sorted(screening.silent)]),
        ):
            if params:
                await self._session.execute(statement, params)

    async def expire_due(self) -> int:
        """Pending rows (held ones too) past their expiry become `expired`; how many."""
        result = await self._session.execute(
            update(Delivery)
            .where(Delivery.expires_at <= self._clock(), Delivery.state == "pending")
            .values(state=EXPIRED, last_error=EXPIRED)
            .returning(Delivery.id)
            .execution_options(synchronize_session=False)
        )
        return len(result.all())

    async def unsent(self, chat_ids: Sequence[int], kind: str) -> list[UnsentRow]:
        """Pending rows of `kind` for these chats that were never rendered (nor leased)."""
        if not chat_ids:
            return []
        rows = await self._session.execute(
            select(
                Delivery.id,
                Delivery.chat_id,
                Delivery.dedup_key,
                Delivery.params,
                Delivery.held_until,
            )
            .where(
                Delivery.chat_id.in_(list(chat_ids)),
                Delivery.kind == kind,
                Delivery.state == "pending",
                Delivery.text.is_(None),
            )
            .order_by(Delivery.id)
        )
        return [
            UnsentRow(
                id=r.id,
                chat_id=r.chat_id,
                dedup_key=r.dedup_key,
                params=json.loads(r.params),
                held=r.held_until is not None,
            )
            for r in rows
        ]

    async def replace_params(self, delivery_id: int, params: dict[str, Any]) -> bool:
        """New params for a row still pending and unrendered; False when it was taken first."""
        result = await self._session.execute(
            update(Delivery)
            .where(
                Delivery.id == delivery_id,
                Delivery.state == "pending",
                Delivery.text.is_(None),
            )
            .values(params=json.dumps(params, ensure_ascii=False, default=str))
            .returning(Delivery.id)
            .execution_options(synchronize_session=False)
        )
        return bool(result.all())

    async def release_held(self, chat_id: int) -> int:
        """Make a chat's held rows due now (it changed its quiet hours); how many."""
        now = self._clock()
        result = await self._session.execute(
            update(Delivery)
            .where(
                Delivery.chat_id == chat_id,
                Delivery.state == "pending",
                Delivery.held_until.is_not(None),
                Delivery.next_attempt_at > now,
            )
            .values(next_attempt_at=now)
            .returning(Delivery.id)
            .execution_options(synchronize_session=False)
        )
        return len(result.all())

    async def release_kind(self, chat_id: int, kind: str) -> int:
        """Make a chat's waiting rows of `kind` due now (a digest whose hour changed)."""
        now = self._clock()
        result = await self._session.execute(
            update(Delivery)
            .where(
                Delivery.chat_id == chat_id,
                Delivery.kind == kind,
                Delivery.state == "pending",
                Delivery.next_attempt_at > now,
            )
            .values(next_attempt_at=now)
            .returning(Delivery.id)
            .execution_options(synchronize_session=False)
        )
        return len(result.all())

    async def existing_keys(self, keys: Sequence[str]) -> set[str]:
        """Which of these dedup keys are taken already."""
        if not keys:
            return set()
        rows = await self._session.scalars(
            select(Delivery.dedup_key).where(Delivery.dedup_key.in_(list(keys)))
        )
        return set(rows)
