"""TimingService: holds and expiry of deliveries, and edits of those not yet rendered.

It knows no chat and no quiet hours: the chats domain decides (core/chats/screen.py) and this
writes the decision on the rows, inside the transaction that claimed them, so a held row is
never seen leased by anyone else.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.outbox.models import Delivery
from core.outbox.schemas import Screening, UnsentRow

_TABLE = cast(Table, Delivery.__table__)
EXPIRED = "expired"

# Only rows still under the claim that screened them (the same fence as recording outcomes);
# set-based, one statement per chunk of ids: a quiet window's claims hold hundreds at a time.
_CHUNK = 500


def _under_lease(ids: list[int], engine: str, token: str) -> tuple[Any, ...]:
    return (
        _TABLE.c.id.in_(ids),
        _TABLE.c.state == "sending",
        _TABLE.c.leased_by == engine,
        _TABLE.c.lease_token == token,
    )


def _hold(until: datetime) -> dict[str, Any]:
    return {
        "state": "pending",
        "next_attempt_at": until,
        "held_until": until,
        "leased_by": None,
        "lease_token": None,
        "lease_until": None,
    }


_EXPIRE: dict[str, Any] = {
    "state": EXPIRED,
    "last_error": EXPIRED,
    "leased_by": None,
    "lease_token": None,
    "lease_until": None,
}
_SILENT: dict[str, Any] = {"silent": True}


class TimingService:
    """Hold claimed rows to a later time, expire them, and edit unsent ones."""

    def __init__(self, session: AsyncSession, clock: Clock):
        self._session = session
        self._clock = clock

    async def apply(self, screening: Screening, engine: str) -> None:
        """Write a screening of rows `engine` has just claimed (in the same transaction)."""
        until_of: dict[datetime, list[int]] = {}
        for row_id, until in screening.held.items():
            until_of.setdefault(until, []).append(row_id)
        writes = [(_hold(until), ids) for until, ids in sorted(until_of.items())]
        writes += [(_EXPIRE, list(screening.expired)), (_SILENT, list(screening.silent))]
        for values, ids in writes:
            ids.sort()  # row locks in id order, as every other write to leased rows
            for at in range(0, len(ids), _CHUNK):
                chunk = ids[at : at + _CHUNK]
                await self._session.execute(
                    update(_TABLE)
                    .where(*_under_lease(chunk, engine, screening.lease_token))
                    .values(**values)
                )

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
