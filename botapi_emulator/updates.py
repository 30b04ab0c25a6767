"""The update queue behind getUpdates (real long polling) and the change feed for watchers."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from typing import Any


class Signal:
    """Wakes everyone waiting for "something changed"; cheap when nobody waits."""

    def __init__(self) -> None:
        self._event = asyncio.Event()
        self.closed = False

    def fire(self) -> None:
        """Wake the current waiters."""
        self._event.set()
        self._event = asyncio.Event()

    def close(self) -> None:
        """Release every waiter now and later (the server is stopping)."""
        self.closed = True
        self._event.set()

    async def wait(self, seconds: float) -> None:
        """Until the next fire() or close(), at most `seconds`."""
        if self.closed or seconds <= 0:
            return
        event = self._event
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await event.wait()


class UpdateQueue:
    """Updates waiting for the bot, confirmed by getUpdates' offset as on Telegram."""

    def __init__(self) -> None:
        self._updates: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self.signal = Signal()

    def put(self, update: dict[str, Any]) -> int:
        """Queue an update (its update_id is given here) and wake a parked long poll."""
        update_id = next(self._ids)
        self._updates.append({"update_id": update_id, **update})
        self.signal.fire()
        return update_id

    @property
    def pending(self) -> int:
        """Updates not yet confirmed."""
        return len(self._updates)

    def drop(self) -> None:
        """Forget pending updates (drop_pending_updates)."""
        self._updates.clear()

    async def get(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """getUpdates: confirm below `offset`, then answer at once or when one arrives."""
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = min(float(params.get("timeout") or 0), 50.0)
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            del self._updates[:offset]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self._updates and not self.signal.closed:
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            await self.signal.wait(remaining)
        return self._updates[:limit]
