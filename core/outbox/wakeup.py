"""Waker: lets code that commits deliveries wake the delivery engine of the same process."""

from __future__ import annotations

import asyncio
import contextlib


class Waker:
    """An event the engine waits on; `poke()` after a commit that added deliveries.

    Built in the composition root and handed to both sides; there is no module-level instance.
    """

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def poke(self) -> None:
        """Wake the engine (safe to call when nothing waits)."""
        self._event.set()

    async def wait(self, timeout: float) -> bool:  # noqa: ASYNC109 - the poll interval
        """Wait until poked or `timeout` seconds passed; whether it was poked."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._event.wait()
        poked = self._event.is_set()
        self._event.clear()
        return poked
