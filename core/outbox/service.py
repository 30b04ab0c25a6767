"""OutboxService: every outgoing message is written here, in the causing transaction."""

from __future__ import annotations

import json
import secrets
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.db import UtcDateTime, insert_ignoring_duplicates, notify, skip_locked
from core.outbox.models import Delivery
from core.outbox.schemas import (
    ClaimedDelivery,
    DeliveryIn,
    DeliveryOutcome,
    LeaseRenewal,
    OutboxStats,
    QueueCounts,
)
from core.outbox.wakeup import Waker

CHANNEL = "clearsite_outbox"
_TABLE = cast(Table, Delivery.__table__)
_FINAL = {"sent", "failed", "blocked", "expired"}

Unreachable = Callable[[Mapping[int, str]], Awaitable[None]]
"""Told which chats blocked the bot (chat id -> reason); the chats domain owns that state."""


class OutboxService:
    """Write deliveries; a dedup key already present is skipped, so retried events never double."""

    def __init__(
        self,
        session: AsyncSession,
        clock: Clock,
        waker: Waker | None = None,
        *,
        on_unreachable: Unreachable,
    ):
        self._session = session
        self._clock = clock
        self._waker = waker
        self._on_unreachable = on_unreachable

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
                "urgency": d.urgency,
                "expires_at": d.expires_at,
            }
            for d in deliveries
        ]
        added = await insert_ignoring_duplicates(
            self._session, Delivery, rows, unique=["dedup_key"]
        )
        if added:
            await self.announce()
        return added

    async def announce(self) -> None:
        """Wake engines when this transaction commits (NOTIFY, and this process's waker)."""
        await notify(self._session, CHANNEL)
        waker = self._waker
        if waker is not None and not self._session.info.get("outbox_wake"):
            self._session.info["outbox_wake"] = True
            sync_session = self._session.sync_session

            def _after_commit(_session: Any) -> None:
                sync_session.info.pop("outbox_wake", None)
                waker.poke()

            from sqlalchemy import event

            event.listen(sync_session, "after_commit", _after_commit, once=True)

    async def claim_due(self, batch: int, lease_s: float, engine: str) -> list[ClaimedDelivery]:
        """Lease up to `batch` due pending deliveries to `engine` (oldest due first).

        Every claim gets a new lease token; its end is stamped once the claim holds the write
        lock, so a claim that waited on the lock does not start with a lease already spent.
        """
        now = self._clock()
        token = secrets.token_hex(8)
        due = (
            select(Delivery.id)
            .where(Delivery.state == "pending", Delivery.next_attempt_at <= now)
            .order_by(Delivery.next_attempt_at)
            .limit(batch)
        )
        stmt = (
            update(Delivery)
            .where(Delivery.id.in_(skip_locked(self._session, due).scalar_subquery()))
            .values(
                state="sending",
                leased_by=engine,
                lease_token=token,
                lease_until=now + timedelta(seconds=lease_s),
            )
            .returning(*_CLAIM_COLUMNS)
            .execution_options(synchronize_session=False)
        )
        rows = (await self._session.execute(stmt)).all()
        if not rows:
            return []
        renewal = await self._stamp(engine, {token}, lease_s)
        claimed = [_claimed(row, token, renewal.until) for row in rows]
        claimed.sort(key=lambda c: c.id)
        return claimed

    async def record(self, outcomes: Sequence[DeliveryOutcome], engine: str) -> None:
        """Write what happened to leased deliveries, each only under the lease it names.

        The fence: a row whose lease lapsed and was taken over (another token, or no longer
        `sending`) is left as it is, so a late outcome never overwrites the new holder's.
        """
        now = self._clock()
        ordered = sorted(outcomes, key=lambda o: o.id)  # row locks in id order, as renewals
        params = [_outcome_params(o, now, engine) for o in ordered]
        if params:
            await self._session.execute(_RECORD, params)
        blocked = sorted({o.chat_id for o in outcomes if o.state == "blocked"})
        if blocked:
            await self._deactivate(blocked, [o for o in outcomes if o.state == "blocked"])

    async def _deactivate(self, chat_ids: list[int], outcomes: list[DeliveryOutcome]) -> None:
        reasons = {o.chat_id: _reason(o.error) for o in outcomes}
        await self._on_unreachable({chat_id: reasons[chat_id] for chat_id in chat_ids})
        await self._session.execute(
            update(Delivery)
            .where(Delivery.chat_id.in_(chat_ids), Delivery.state == "pending")
            .values(state="cancelled", last_error="chat inactive")
            .execution_options(synchronize_session=False)
        )

    async def renew_leases(
        self, engine: str, tokens: Collection[str], lease_s: float
    ) -> LeaseRenewal:
        """Extend the leases `engine` still holds among `tokens`; which ones, and until when.

        The rows are locked first and the new end is computed afterwards, so a renewal that
        waited on the lock does not write an end that has already passed.
        """
        # In id order, as `record` writes, so two transactions never lock rows crosswise.
        held = select(Delivery.id).where(*_held_by(engine, tokens)).order_by(Delivery.id)
        await self._session.execute(
            update(Delivery)
            .where(Delivery.id.in_(held.with_for_update().scalar_subquery()))
            .values(lease_until=Delivery.lease_until)
            .execution_options(synchronize_session=False)
        )
        return await self._stamp(engine, tokens, lease_s)

    async def _stamp(self, engine: str, tokens: Collection[str], lease_s: float) -> LeaseRenewal:
        until = self._clock() + timedelta(seconds=lease_s)
        result = await self._session.execute(
            update(Delivery)
            .where(*_held_by(engine, tokens))
            .values(lease_until=until)
            .returning(Delivery.lease_token)
            .execution_options(synchronize_session=False)
        )
        return LeaseRenewal(until=until, tokens=frozenset(t for (t,) in result if t))

    async def release(self, engine: str) -> int:
        """Give back (as pending, unchanged) every delivery `engine` leased but did not send."""
        return await self._reset(Delivery.leased_by == engine)

    async def recover_expired(self, keep: Collection[str] = ()) -> int:
        """Return deliveries whose lease ran out (their engine died or stalled) to pending.

        `keep`: the caller's own lease tokens, which it still tracks and records itself.
        """
        condition = and_(Delivery.state == "sending", Delivery.lease_until < self._clock())
        if keep:
            condition = and_(condition, Delivery.lease_token.not_in(list(keep)))
        # Rows locked by another transaction are skipped, never waited for: that transaction
        # may belong to a frozen engine (a pause), and waiting would freeze this one too.
        lapsed = skip_locked(self._session, select(Delivery.id).where(condition))
        return await self._reset(Delivery.id.in_(lapsed.scalar_subquery()))

    async def _reset(self, condition: Any) -> int:
        result = await self._session.execute(
            update(Delivery)
            .where(Delivery.state == "sending", condition)
            .values(state="pending", leased_by=None, lease_token=None, lease_until=None)
            .returning(Delivery.id)
            .execution_options(synchronize_session=False)
        )
        return len(result.all())

    async def counts(self) -> QueueCounts:
        """Deliveries by state over the whole outbox."""
        rows = await self._session.execute(
            select(Delivery.state, func.count()).group_by(Delivery.state)
        )
        return QueueCounts(**{state: n for state, n in rows})  # noqa: C416

    async def stats(self) -> OutboxStats:
        """Counts by state, and the due pending rows: how many, and how long the oldest waits."""
        now = self._clock()
        due, oldest = (
            await self._session.execute(
                select(func.count(), func.min(Delivery.next_attempt_at)).where(
                    Delivery.state == "pending", Delivery.next_attempt_at <= now
                )
            )
        ).one()
        age = max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0
        return OutboxStats(counts=await self.counts(), due=due, oldest_due_age_s=age)

    async def purge(self, older_than: datetime) -> int:
        """Delete finished single deliveries older than `older_than` (broadcasts keep theirs)."""
        result = await self._session.execute(
            delete(Delivery)
            .where(
                Delivery.broadcast_id.is_(None),
                Delivery.state.in_([*_FINAL, "cancelled"]),
                Delivery.created_at < older_than,
            )
            .returning(Delivery.id)
            .execution_options(synchronize_session=False)
        )
        return len(result.all())


_CLAIM_COLUMNS = (
    Delivery.id,
    Delivery.chat_id,
    Delivery.kind,
    Delivery.locale,
    Delivery.params,
    Delivery.text,
    Delivery.reply_markup,
    Delivery.attempts,
    Delivery.broadcast_id,
    Delivery.urgency,
    Delivery.expires_at,
)


def _held_by(engine: str, tokens: Collection[str]) -> tuple[Any, ...]:
    return (
        Delivery.state == "sending",
        Delivery.leased_by == engine,
        Delivery.lease_token.in_(list(tokens)),
    )


# One statement for every outcome, run as executemany; the lease fence keeps a late writer
# (whose lease lapsed and was taken over) from overwriting the new holder's row.
_RECORD = (
    update(_TABLE)
    .where(
        _TABLE.c.id == bindparam("row_id"),
        _TABLE.c.state == "sending",
        _TABLE.c.leased_by == bindparam("engine"),
        _TABLE.c.lease_token == bindparam("token"),
    )
    .values(
        state=bindparam("new_state"),
        attempts=_TABLE.c.attempts + bindparam("tried"),
        next_attempt_at=func.coalesce(
            bindparam("retry_at", type_=UtcDateTime()), _TABLE.c.next_attempt_at
        ),
        text=func.coalesce(bindparam("new_text"), _TABLE.c.text),
        reply_markup=func.coalesce(bindparam("new_markup"), _TABLE.c.reply_markup),
        telegram_message_id=bindparam("message_id"),
        last_error=bindparam("error"),
        sent_at=bindparam("done_at", type_=UtcDateTime()),
        leased_by=None,
        lease_token=None,
        lease_until=None,
    )
)


def _outcome_params(o: DeliveryOutcome, now: datetime, engine: str) -> dict[str, Any]:
    state = "pending" if o.state in ("retry", "defer", "release") else o.state
    return {
        "row_id": o.id,
        "engine": engine,
        "token": o.lease_token,
        "new_state": state,
        "tried": 0 if o.state in ("defer", "release") else 1,
        "retry_at": o.next_attempt_at,
        "new_text": o.text,
        "new_markup": o.reply_markup,
        "message_id": o.telegram_message_id,
        "error": (o.error or "")[:300] or None,
        "done_at": now if o.state == "sent" else None,
    }


def _reason(error: str | None) -> str:
    return "deactivated" if error and "deactivated" in error else "blocked"


def _claimed(row: Any, token: str, until: datetime) -> ClaimedDelivery:
    return ClaimedDelivery(
        id=row.id,
        chat_id=row.chat_id,
        kind=row.kind,
        locale=row.locale,
        params=json.loads(row.params or "{}"),
        text=row.text,
        reply_markup=row.reply_markup,
        attempts=row.attempts,
        broadcast_id=row.broadcast_id,
        lease_token=token,
        lease_until=until,
        urgency=row.urgency,
        expires_at=row.expires_at,
    )
