"""ResultWriter: records send outcomes in short transactions, grouped by the few milliseconds.

One transaction per delivery caps a SQLite outbox at a few hundred sends per second, so the
writer commits whatever finished in the last `interval_s` together. A crash loses at most
those uncommitted marks: their rows are still leased and are sent again after the lease
expires. The engine keeps that number small with back-pressure: it starts no new send while
`unrecorded` (plus its sends in flight) has reached one flush's worth.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from core.context import DomainContext
from core.db import SessionFactory
from core.outbox.schemas import DeliveryOutcome
from core.uow import unit_of_work

logger = logging.getLogger(__name__)


class ResultWriter:
    """Buffers outcomes and writes them every `interval_s`, or at once when `flush_at` wait."""

    def __init__(
        self,
        factory: SessionFactory,
        engine: str,
        interval_s: float = 0.05,
        flush_at: int = 25,
        ctx: DomainContext | None = None,
    ):
        self._factory = factory
        self._ctx = ctx
        self._engine = engine
        self._interval = interval_s
        self._flush_at = max(1, flush_at)
        self._pending: dict[int, DeliveryOutcome] = {}
        self._writing: dict[int, DeliveryOutcome] = {}
        self._full = asyncio.Event()
        self._progress = asyncio.Event()

    @property
    def unrecorded(self) -> int:
        """Outcomes not yet committed: waiting, or in the write under way."""
        return len(self._pending) + len(self._writing)

    def add(self, outcome: DeliveryOutcome) -> None:
        """Queue one outcome for the next write."""
        self._pending[outcome.id] = outcome
        if len(self._pending) >= self._flush_at:
            self._full.set()

    def holds(self, delivery_id: int) -> bool:
        """Whether an outcome for this delivery is waiting to be written."""
        return delivery_id in self._pending or delivery_id in self._writing

    def tokens(self) -> set[str]:
        """Lease tokens of the outcomes not yet written (their leases must be kept)."""
        return {o.lease_token for o in (*self._pending.values(), *self._writing.values())}

    def retag(self, delivery_id: int, token: str) -> bool:
        """This engine leased the row again: write its outcome under the new lease instead.

        False when no outcome for it is waiting. One in the write under way is queued again
        with the new token (the write under the old token changes nothing).
        """
        outcome = self._pending.get(delivery_id) or self._writing.get(delivery_id)
        if outcome is None:
            return False
        self._pending[delivery_id] = outcome.model_copy(update={"lease_token": token})
        return True

    async def progress(self, timeout_s: float) -> None:
        """Wait (at most `timeout_s`) until the next write has finished."""
        event = self._progress
        self._full.set()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout_s):
                await event.wait()

    async def run(self) -> None:
        """Write every interval (sooner when enough is waiting) until cancelled."""
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._interval):
                    await self._full.wait()
            self._full.clear()
            await self.flush()

    async def flush(self) -> bool:
        """Write what is buffered; False (and kept for next time) when the database failed."""
        if not self._pending:
            self._signal()
            return True
        self._writing, self._pending = self._pending, {}
        batch = list(self._writing.values())
        try:
            async with unit_of_work(self._factory, self._ctx) as svc:
                await svc.outbox.record(batch, self._engine)
        except asyncio.CancelledError:
            # Stopping mid-write: keep the batch for close(); writing it twice changes nothing
            # (a recorded row is no longer `sending`, so the second write skips it).
            self._put_back()
            raise
        except Exception:
            logger.exception("recording %d outcomes failed; will retry", len(batch))
            self._put_back()
            self._signal()
            await asyncio.sleep(0.5)
            return False
        self._writing = {}
        self._signal()
        return True

    def _put_back(self) -> None:
        # An outcome re-tagged during the write is newer than the one that was being written.
        self._pending = {**self._writing, **self._pending}
        self._writing = {}

    def _signal(self) -> None:
        self._progress.set()
        self._progress = asyncio.Event()

    async def close(self, attempts: int = 20) -> None:
        """Write what is left, retrying a little while the database comes back."""
        for _ in range(attempts):
            if await self.flush():
                return
        logger.error("%d outcomes could not be recorded", len(self._pending))
