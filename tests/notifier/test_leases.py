"""LeaseBook: the monotonic deadline of a lease, the safety margin, renewals that end a lease;
LeaseKeeper: recovery, and its grace after a gap."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import fixed_clock, utc_now
from core.outbox.schemas import ClaimedDelivery, DeliveryIn, LeaseRenewal
from notifier.leases import LeaseBook, LeaseKeeper
from tests.conftest import NOW, UowFactory
from tests.outboxutil import add_chats


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def row(n: int, token: str, lease_s: float = 10.0) -> ClaimedDelivery:
    return ClaimedDelivery(
        id=n,
        chat_id=n,
        kind="broadcast",
        locale="en",
        params={},
        text=None,
        reply_markup=None,
        attempts=0,
        broadcast_id=None,
        lease_token=token,
        lease_until=NOW + timedelta(seconds=lease_s),
    )


def test_no_send_within_the_margin_of_the_lease_end_however_long_the_pause() -> None:
    ticks = Ticks()
    book = LeaseBook(fixed_clock(NOW), margin_s=2.5, monotonic=ticks)
    assert book.take(row(1, "a"))
    assert book.may_send(1)
    ticks.now += 7.4
    assert book.may_send(1)
    ticks.now += 0.2  # 7.6 s of a 10 s lease gone: less than the margin is left
    assert not book.may_send(1)
    assert book.give_up(1) == "a"
    assert not book.may_send(1)


def test_a_renewal_extends_what_the_database_kept_and_ends_the_rest() -> None:
    ticks = Ticks()
    book = LeaseBook(fixed_clock(NOW), margin_s=1.0, monotonic=ticks)
    book.take(row(1, "a"))
    book.take(row(2, "b"))
    assert not book.take(row(2, "c"))  # claimed again: held once, under the new lease
    asked = book.tokens()
    assert asked == {"a", "c"}
    book.renewed(asked, LeaseRenewal(until=NOW + timedelta(seconds=30), tokens=frozenset({"c"})))
    ticks.now += 20
    assert not book.may_send(1)  # "a" was taken over while we were away
    assert book.may_send(2)


async def _lapsed_row_of_another_engine(uow: UowFactory) -> None:
    """One delivery leased by an engine "other" whose lease ended long ago."""
    async with uow() as svc:
        await add_chats(svc, [1])
        await svc.outbox.enqueue(
            [DeliveryIn(dedup_key="gap-1", chat_id=1, kind="broadcast", locale="en")]
        )
        assert len(await svc.outbox.claim_due(1, 30, "other")) == 1


async def _still_leased(uow: UowFactory) -> bool:
    async with uow() as svc:
        return (await svc.outbox.counts()).sending == 1


def _keeper(factory: async_sessionmaker[AsyncSession], ticks: Ticks) -> LeaseKeeper:
    book = LeaseBook(utc_now, margin_s=1.0, monotonic=ticks)
    return LeaseKeeper(factory, "me", 3.0, book, set, monotonic=ticks)


async def test_upkeep_on_time_recovers_a_lapsed_lease_at_once(
    uow: UowFactory, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await _lapsed_row_of_another_engine(uow)
    ticks = Ticks()
    keeper = _keeper(session_factory, ticks)
    ticks.now += 1.0  # one round later (a third of the 3 s lease)
    await keeper.upkeep()
    assert not await _still_leased(uow)


async def test_after_a_gap_recovery_waits_a_lease_so_a_live_engine_can_renew_first(
    uow: UowFactory, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """A pause of this process, or a database stall that held every engine up: the other
    engine may be alive with sent rows it could not record yet; its rows are left alone for
    one lease, then taken back if it really is gone."""
    await _lapsed_row_of_another_engine(uow)
    ticks = Ticks()
    keeper = _keeper(session_factory, ticks)
    ticks.now += 12.0  # four leases without a round
    await keeper.upkeep()
    assert await _still_leased(uow)
    for _ in range(2):
        ticks.now += 1.0  # rounds on time again, still within the lease of grace
        await keeper.upkeep()
        assert await _still_leased(uow)
    ticks.now += 1.5  # a whole lease after the gap, and the other engine never renewed
    await keeper.upkeep()
    assert not await _still_leased(uow)
