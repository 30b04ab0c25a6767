"""Claiming and recording: leases, outcomes, blocked chats, lease recovery."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import fixed_clock
from core.context import DomainContext
from core.db import is_sqlite
from core.outbox.models import Delivery
from core.outbox.schemas import DeliveryIn, DeliveryOutcome
from core.uow import unit_of_work
from tests.conftest import NOW, UowFactory
from tests.outboxutil import add_chats, chat, deliveries


def item(n: int, chat_id: int, **extra: object) -> DeliveryIn:
    return DeliveryIn.model_validate(
        {"dedup_key": f"t:{n}", "chat_id": chat_id, "kind": "broadcast", "locale": "en", **extra}
    )


def later(factory: async_sessionmaker[AsyncSession], seconds: float) -> DomainContext:
    del factory
    return DomainContext(clock=fixed_clock(NOW + timedelta(seconds=seconds)), zone=ZoneInfo("UTC"))


async def test_claim_leases_due_rows_once(uow: UowFactory) -> None:
    async with uow() as svc:
        await add_chats(svc, [1, 2, 3])
        await svc.outbox.enqueue(
            [item(1, 1), item(2, 2), item(3, 3, not_before=NOW + timedelta(minutes=5))]
        )
    async with uow() as svc:
        first = await svc.outbox.claim_due(10, 30, "w1")
        second = await svc.outbox.claim_due(10, 30, "w2")
        rows = await deliveries(svc)
    assert [c.chat_id for c in first] == [1, 2]
    assert second == []
    assert [(r.state, r.leased_by) for r in rows] == [
        ("sending", "w1"),
        ("sending", "w1"),
        ("pending", None),
    ]


async def test_outcomes_are_recorded_and_a_blocked_chat_is_silenced(uow: UowFactory) -> None:
    async with uow() as svc:
        await add_chats(svc, [1, 2])
        await svc.outbox.enqueue([item(1, 1), item(2, 2), item(3, 1), item(4, 2)])
    async with uow() as svc:
        claimed = await svc.outbox.claim_due(3, 30, "w1")
    retry_at = NOW + timedelta(seconds=7)
    blocked = "Forbidden: bot was blocked by the user"
    token = claimed[0].lease_token
    outcomes = [
        DeliveryOutcome(
            id=claimed[0].id,
            chat_id=1,
            lease_token=token,
            state="sent",
            text="hi",
            telegram_message_id=9,
        ),
        DeliveryOutcome(
            id=claimed[1].id,
            chat_id=2,
            lease_token=token,
            state="blocked",
            text="hi",
            error=blocked,
        ),
        DeliveryOutcome(
            id=claimed[2].id,
            chat_id=1,
            lease_token=token,
            state="retry",
            text="hi",
            error="x",
            next_attempt_at=retry_at,
        ),
    ]
    async with uow() as svc:
        await svc.outbox.record(outcomes, "w1")
        await svc.outbox.record(outcomes[:1], "someone-else")  # stale writer: ignored
        rows = await deliveries(svc)
        blocked_chat = await chat(svc, 2)
        counts = await svc.outbox.counts()
    assert [(r.state, r.attempts, r.text) for r in rows] == [
        ("sent", 1, "hi"),
        ("blocked", 1, "hi"),
        ("pending", 1, "hi"),
        ("cancelled", 0, None),
    ]
    assert rows[0].telegram_message_id == 9
    assert rows[0].sent_at == NOW
    assert rows[2].next_attempt_at == retry_at
    assert rows[2].leased_by is None
    assert blocked_chat is not None
    assert not blocked_chat.is_active
    assert blocked_chat.inactive_reason == "blocked"
    assert (counts.sent, counts.blocked, counts.pending, counts.cancelled) == (1, 1, 1, 1)


async def test_blocked_chat_cancels_its_other_pending_deliveries(uow: UowFactory) -> None:
    async with uow() as svc:
        await add_chats(svc, [5])
        await svc.outbox.enqueue([item(1, 5), item(2, 5, not_before=NOW + timedelta(hours=1))])
        (first,) = await svc.outbox.claim_due(10, 30, "w")
        outcome = DeliveryOutcome(
            id=first.id,
            chat_id=5,
            lease_token=first.lease_token,
            state="blocked",
            error="user is deactivated",
        )
        await svc.outbox.record([outcome], "w")
        rows = await deliveries(svc)
        gone = await chat(svc, 5)
    assert [r.state for r in rows] == ["blocked", "cancelled"]
    assert gone is not None
    assert gone.inactive_reason == "deactivated"


async def test_expired_lease_is_recovered_and_live_one_renewed(
    uow: UowFactory, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with uow() as svc:
        await add_chats(svc, [1, 2])
        await svc.outbox.enqueue([item(1, 1), item(2, 2)])
        await svc.outbox.claim_due(1, 30, "dead")
        (alive,) = await svc.outbox.claim_due(1, 30, "alive")
    async with unit_of_work(session_factory, later(session_factory, 20)) as svc:
        renewal = await svc.outbox.renew_leases("alive", {alive.lease_token, "gone"}, 30)
    assert renewal.tokens == {alive.lease_token}
    assert renewal.until == NOW + timedelta(seconds=50)
    async with unit_of_work(session_factory, later(session_factory, 40)) as svc:
        assert await svc.outbox.recover_expired() == 1
        again = await svc.outbox.claim_due(10, 30, "new")
        assert await svc.outbox.release("alive") == 1
    assert [c.chat_id for c in again] == [1]


async def test_purge_forgets_old_finished_single_deliveries(
    uow: UowFactory, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with uow() as svc:
        await add_chats(svc, [1])
        await svc.outbox.enqueue([item(1, 1), item(2, 1)])
        (claimed,) = await svc.outbox.claim_due(1, 30, "w")
        sent = DeliveryOutcome(
            id=claimed.id, chat_id=1, lease_token=claimed.lease_token, state="sent"
        )
        await svc.outbox.record([sent], "w")
    async with unit_of_work(session_factory, later(session_factory, 60)) as svc:
        assert await svc.outbox.purge(NOW + timedelta(seconds=1)) == 1
        assert len(await deliveries(svc)) == 1


async def test_an_outcome_under_a_lapsed_lease_changes_nothing(
    uow: UowFactory, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with uow() as svc:
        await add_chats(svc, [1])
        await svc.outbox.enqueue([item(1, 1)])
        (stale,) = await svc.outbox.claim_due(1, 30, "paused")
    async with unit_of_work(session_factory, later(session_factory, 40)) as svc:
        assert await svc.outbox.recover_expired() == 1
        (taken,) = await svc.outbox.claim_due(1, 30, "paused")  # the same engine, a new lease
    late = DeliveryOutcome(
        id=stale.id, chat_id=1, lease_token=stale.lease_token, state="retry", error="late"
    )
    async with unit_of_work(session_factory, later(session_factory, 41)) as svc:
        await svc.outbox.record([late], "paused")
        (row,) = await deliveries(svc)
        assert (row.state, row.attempts, row.last_error) == ("sending", 0, None)
        assert row.lease_token == taken.lease_token != stale.lease_token
    sent = late.model_copy(update={"lease_token": taken.lease_token, "state": "sent"})
    async with unit_of_work(session_factory, later(session_factory, 42)) as svc:
        await svc.outbox.record([sent], "paused")
    async with uow() as svc:
        (row,) = await deliveries(svc)
    assert (row.state, row.lease_token, row.leased_by) == ("sent", None, None)


async def test_release_gives_a_row_back_unsent_and_recovery_keeps_named_leases(
    uow: UowFactory, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with uow() as svc:
        await add_chats(svc, [1, 2])
        await svc.outbox.enqueue([item(1, 1), item(2, 2)])
        first, second = await svc.outbox.claim_due(2, 30, "e")
        release = DeliveryOutcome(
            id=first.id, chat_id=1, lease_token=first.lease_token, state="release"
        )
        await svc.outbox.record([release], "e")
    async with unit_of_work(session_factory, later(session_factory, 40)) as svc:
        # The lease lapsed, but its engine still tracks it: not recovered.
        assert await svc.outbox.recover_expired(keep={second.lease_token}) == 0
        rows = await deliveries(svc)
    assert [(r.state, r.attempts, r.next_attempt_at) for r in rows] == [
        ("pending", 0, NOW),
        ("sending", 0, NOW),
    ]


async def test_recovery_skips_rows_a_frozen_transaction_holds(
    uow: UowFactory, session_factory: async_sessionmaker[AsyncSession], db_url: str
) -> None:
    if is_sqlite(db_url):
        pytest.skip("SQLite has no row locks: one writer at a time")
    async with uow() as svc:
        await add_chats(svc, [1, 2])
        await svc.outbox.enqueue([item(1, 1), item(2, 2)])
        first, second = await svc.outbox.claim_due(2, 30, "frozen")
    # The frozen engine was writing an outcome for its first row when it was paused.
    async with session_factory() as frozen, frozen.begin():
        await frozen.execute(select(Delivery.id).where(Delivery.id == first.id).with_for_update())
        async with (
            asyncio.timeout(10),
            unit_of_work(session_factory, later(session_factory, 40)) as svc,
        ):
            assert await svc.outbox.recover_expired() == 1
    async with uow() as svc:
        rows = {r.id: r.state for r in await deliveries(svc)}
    assert rows == {first.id: "sending", second.id: "pending"}
