"""LeaseBook: which outbox rows this engine holds, under which lease, and until when.

A lease is valid in the database until `lease_until` (wall clock). The book turns that into a
monotonic deadline the moment it learns it (after the claim or renewal committed), so a process
that was paused - by GC, swapping, a VM migration, a container freeze - sees its lease as spent
when it wakes, however long it slept.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from core.clock import Clock
from core.context import DomainContext
from core.db import SessionFactory
from core.outbox.schemas import ClaimedDelivery, LeaseRenewal
from core.uow import unit_of_work

logger = logging.getLogger(__name__)


@dataclass
class Lease:
    """One claim's lease: its token, and the monotonic time it must no longer be sent under."""

    token: str
    deadline: float


class LeaseBook:
    """Rows held (queued or being sent) by lease, and whether a lease still allows a send."""

    def __init__(
        self, clock: Clock, margin_s: float, monotonic: Callable[[], float] = time.monotonic
    ):
        self._clock = clock
        self._margin = margin_s
        self._monotonic = monotonic
        self._by_id: dict[int, Lease] = {}
        self._by_token: dict[str, Lease] = {}

    def __len__(self) -> int:
        return len(self._by_id)

    def holds(self, delivery_id: int) -> bool:
        """Whether this engine holds the row (queued or being sent, outcome not yet given)."""
        return delivery_id in self._by_id

    def take(self, row: ClaimedDelivery) -> bool:
        """Hold a claimed row under its lease; False when it was held already (now re-leased)."""
        lease = self._by_token.get(row.lease_token)
        if lease is None:
            lease = Lease(row.lease_token, self._deadline_of(row.lease_until))
            self._by_token[row.lease_token] = lease
        known = row.id in self._by_id
        self._by_id[row.id] = lease
        return not known

    def may_send(self, delivery_id: int) -> bool:
        """Whether the row's lease lasts at least the safety margin from now."""
        lease = self._by_id.get(delivery_id)
        return lease is not None and self._monotonic() + self._margin < lease.deadline

    def give_up(self, delivery_id: int) -> str | None:
        """Stop holding the row (its outcome is on its way); the token it is held under."""
        lease = self._by_id.pop(delivery_id, None)
        return None if lease is None else lease.token

    def tokens(self) -> set[str]:
        """Tokens of the leases that still cover a held row (forgetting the others)."""
        live = {lease.token for lease in self._by_id.values()}
        self._by_token = {t: lease for t, lease in self._by_token.items() if t in live}
        return live

    def renewed(self, asked: set[str], renewal: LeaseRenewal) -> None:
        """Apply a renewal: extend what the database renewed, end what it no longer had."""
        deadline = self._deadline_of(renewal.until)
        for token in asked:
            lease = self._by_token.get(token)
            if lease is None:
                continue
            if token in renewal.tokens:
                lease.deadline = deadline
            else:
                lease.deadline = 0.0
                logger.warning("lease %s lapsed and was taken over; its rows stay unsent", token)

    def _deadline_of(self, until: datetime) -> float:
        return self._monotonic() + (until - self._clock()).total_seconds()


class LeaseKeeper:
    """Renews this engine's leases and recovers lapsed ones (a dead engine's), a few times a lease.

    `unrecorded` gives the tokens of outcomes not yet written: those leases are kept too.

    After a gap - this process was paused, or the database stalled every engine at once - the
    keeper waits one whole lease before it recovers anything: a live engine that could not
    renew during the gap renews (and records what it sent) within a third of a lease, so only
    the rows of engines that are really gone are taken back, never a live one's sent rows.
    """

    def __init__(
        self,
        factory: SessionFactory,
        engine_id: str,
        lease_s: float,
        book: LeaseBook,
        unrecorded: Callable[[], set[str]],
        ctx: DomainContext | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self._factory = factory
        self._ctx = ctx
        self._engine_id = engine_id
        self._lease_s = lease_s
        self._book = book
        self._unrecorded = unrecorded
        self._monotonic = monotonic
        self._last_round = monotonic()
        self._recover_from = 0.0

    def mine(self) -> set[str]:
        """Every lease token this engine still needs."""
        return self._book.tokens() | self._unrecorded()

    async def run(self) -> None:
        """Renew, then recover, every third of a lease until cancelled."""
        while True:
            await asyncio.sleep(self._lease_s / 3)
            try:
                await self.upkeep()
            except Exception:
                logger.exception("lease upkeep failed; retrying at the next round")

    async def upkeep(self) -> None:
        """One round: renew our leases, then recover lapsed ones unless a gap calls for grace."""
        period = self._lease_s / 3
        try:
            self._grace_after_gap(self._last_round, period * 2)
            started = self._monotonic()
            await self.renew()
            self._grace_after_gap(started, period)
            await self.recover()
        finally:
            self._last_round = self._monotonic()

    def _grace_after_gap(self, since: float, normal_s: float) -> None:
        """Start a lease of grace when more than `normal_s` passed since `since`."""
        gap = self._monotonic() - since
        if gap > normal_s:
            self._recover_from = self._monotonic() + self._lease_s
            logger.warning("lease upkeep was held up %.1fs: recovery waits one lease", gap)

    async def renew(self) -> None:
        """Extend our leases; a lease the database no longer has for us ends here too."""
        mine = self.mine()
        if not mine:
            return
        async with unit_of_work(self._factory, self._ctx) as svc:
            renewal = await svc.outbox.renew_leases(self._engine_id, mine, self._lease_s)
        self._book.renewed(mine, renewal)

    async def recover(self) -> None:
        """Give lapsed leases of other engines back to pending (ours we keep, lapsed or not)."""
        if self._monotonic() < self._recover_from:
            return
        mine = self.mine()
        try:
            async with unit_of_work(self._factory, self._ctx) as svc:
                recovered = await svc.outbox.recover_expired(keep=mine)
        except Exception:
            logger.exception("recovering expired leases failed")
            return
        if recovered:
            logger.warning("recovered %d deliveries whose lease had expired", recovered)
