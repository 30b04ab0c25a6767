"""The update queue behind getUpdates (real long polling) and the change feed for watchers."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Callable
from typing import Any

from botapi_emulator.params import ApiError


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

    async def wait(self, seconds: float | None) -> None:
        """Until the next fire() or close(), at most `seconds` (None: no limit)."""
        if self.closed or (seconds is not None and seconds <= 0):
            return
        event = self._event
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await event.wait()


def webhook_conflict() -> ApiError:
    """getUpdates while a webhook is set."""
    return ApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; "
        "use deleteWebhook to delete the webhook first",
    )


class UpdateQueue:
    """Updates waiting for the bot, confirmed by getUpdates' offset as on Telegram."""

    def __init__(self, webhook_active: Callable[[], bool], on_poll: Callable[[], None]) -> None:
        self.updates: list[dict[str, Any]] = []
        self._ids = itertools.count(1000)
        self.signal = Signal()
        self.polling = 0  # long polls parked right now
        self._generation = 0
        self._webhook_active = webhook_active
        self._on_poll = on_poll

    def put(self, update: dict[str, Any]) -> int:
        """Queue an update (its update_id is given here) and wake a parked long poll."""
        update_id = next(self._ids)
        self.updates.append({"update_id": update_id, **update})
        self.signal.fire()
        return update_id

    def drop(self) -> None:
        """Forget pending updates (drop_pending_updates)."""
        self.updates.clear()

    async def get(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """getUpdates: confirm below `offset`, then answer at once or when one arrives."""
        if self._webhook_active():
            raise webhook_conflict()
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = min(float(params.get("timeout") or 0), 50.0)
        if offset > 0:
            # Asking from `offset` confirms (forgets) every earlier update.
            keep = next((i for i, u in enumerate(self.updates) if u["update_id"] >= offset), None)
            del self.updates[: len(self.updates) if keep is None else keep]
        elif offset < 0:
            del self.updates[:offset]
        # A newer getUpdates ends an older one with 409, as Telegram does.
        self._generation += 1
        generation = self._generation
        self.signal.fire()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if self.updates:
                return self.updates[:limit]
            remaining = deadline - loop.time()
            if remaining <= 0 or self.signal.closed:
                return []
            self.polling += 1
            self._on_poll()
            try:
                await self.signal.wait(remaining)
            finally:
                self.polling -= 1
            if generation != self._generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            if self._webhook_active():
                raise webhook_conflict()
