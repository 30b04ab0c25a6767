"""ResultWriter: records send outcomes in short transactions, grouped by the few milliseconds.

One transaction per delivery caps a SQLite outbox at a few hundred sends per second, so the
writer commits whatever finished in the last `interval_s` together. A crash loses at most
those uncommitted marks: their rows are still leased and are sent again after the lease
expires, which is the "messages in flight at the crash" the design allows to repeat.
"""

from __future__ import annotations

import asyncio
import logging

from core.db import SessionFactory
from core.outbox.schemas import DeliveryOutcome
from core.uow import unit_of_work

logger = logging.getLogger(__name__)


class ResultWriter:
    """Buffers outcomes and writes them every `interval_s` (retrying when the database fails)."""

    def __init__(self, factory: SessionFactory, worker: str, interval_s: float = 0.05):
        self._factory = factory
        self._worker = worker
        self._interval = interval_s
        self._pending: list[DeliveryOutcome] = []
        self._pending_ids: set[int] = set()
        self._written = asyncio.Event()

    def add(self, outcome: DeliveryOutcome) -> None:
        """Queue one outcome for the next write."""
        self._pending.append(outcome)
        self._pending_ids.add(outcome.id)

    def holds(self, delivery_id: int) -> bool:
        """Whether an outcome for this delivery is waiting to be written."""
        return delivery_id in self._pending_ids

    async def run(self) -> None:
        """Write every interval until cancelled."""
        while True:
            await asyncio.sleep(self._interval)
            await self.flush()

    async def flush(self) -> bool:
        """Write what is buffered; False (and kept for next time) when the database failed."""
        if not self._pending:
            return True
        batch, self._pending = self._pending, []
        try:
            async with unit_of_work(self._factory) as svc:
                await svc.outbox.record(batch, self._worker)
            self._pending_ids.difference_update(o.id for o in batch)
        except asyncio.CancelledError:
            # Stopping mid-write: keep the batch for close(); writing it twice changes nothing
            # (a recorded row is no longer `sending`, so the second write skips it).
            self._pending[:0] = batch
            raise
        except Exception:
            logger.exception("recording %d outcomes failed; will retry", len(batch))
            self._pending[:0] = batch
            await asyncio.sleep(0.5)
            return False
        return True

    async def close(self, attempts: int = 20) -> None:
        """Write what is left, retrying a little while the database comes back."""
        for _ in range(attempts):
            if await self.flush():
                return
        logger.error("%d outcomes could not be recorded", len(self._pending))
