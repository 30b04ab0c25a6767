"""LeaseBook: the monotonic deadline of a lease, the safety margin, renewals that end a lease."""

from __future__ import annotations

from datetime import timedelta

from core.clock import fixed_clock
from core.outbox.schemas import ClaimedDelivery, LeaseRenewal
from notifier.leases import LeaseBook
from tests.conftest import NOW


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
