"""Fault injection and rate limits: scripted errors, chat states and Telegram's flood limits.

All of it is off until asked for: a plain emulator answers every call at once.
"""

from __future__ import annotations

import asyncio
import math
import random
from collections import deque
from dataclasses import dataclass
from typing import Literal

from botapi_emulator.chats import ChatId
from botapi_emulator.params import ApiError, bad_request, too_many_requests

FaultKind = Literal[
    "retry_after",
    "blocked",
    "deactivated",
    "chat_not_found",
    "server_error",
    "timeout",
    "disconnect",
]


def fault_error(kind: FaultKind, retry_after: int = 5, status: int = 500) -> ApiError:
    """The error a scripted or permanent fault answers with (not for timeout/disconnect)."""
    if kind == "retry_after":
        return too_many_requests(retry_after)
    if kind == "blocked":
        return ApiError(403, "Forbidden: bot was blocked by the user")
    if kind == "deactivated":
        return ApiError(403, "Forbidden: user is deactivated")
    if kind == "chat_not_found":
        return bad_request("chat not found")
    if kind == "server_error":
        return ApiError(status, "Bad Gateway" if status == 502 else "Internal Server Error")
    raise ValueError(f"{kind} has no error answer")


@dataclass(frozen=True, slots=True)
class Fault:
    """A scripted answer for the next call to a chat."""

    kind: FaultKind
    retry_after: int = 5
    status: int = 500
    hold: float = 2.0
    delivered: bool = False


@dataclass(frozen=True, slots=True)
class Violation:
    """A message that arrived while a flood wait (429 retry_after) was still running."""

    time: float
    method: str
    chat_id: ChatId | None
    remaining: float


class RateLimiter:
    """Sliding-window limits: global messages/s and per chat (per second, per minute in groups)."""

    def __init__(
        self,
        global_per_sec: int,
        per_chat_per_sec: int,
        group_per_min: int,
        paid_per_sec: int,
        tolerance: float,
    ) -> None:
        self.global_per_sec = global_per_sec
        self.per_chat_per_sec = per_chat_per_sec
        self.group_per_min = group_per_min
        self.paid_per_sec = paid_per_sec
        self.tolerance = tolerance
        self._global: deque[float] = deque()
        self._chats: dict[ChatId, deque[float]] = {}

    def acquire(self, chat_id: ChatId, now: float, paid: bool) -> int | None:
        """Take a slot and return None, or return the retry_after a 429 should carry."""
        limit = self.paid_per_sec if paid else self.global_per_sec
        wait = self._wait(self._global, limit, 1.0, now)
        group = isinstance(chat_id, str) or chat_id < 0
        chat_window = 60.0 if group else 1.0
        chat_limit = self.group_per_min if group else self.per_chat_per_sec
        chat = self._chats.setdefault(chat_id, deque())
        wait = max(wait, self._wait(chat, chat_limit, chat_window, now))
        if wait > 0:
            return max(1, math.ceil(wait))
        self._global.append(now)
        chat.append(now)
        return None

    def _wait(self, window: deque[float], limit: int, span: float, now: float) -> float:
        # Stamps older than the window (less a little slack for clock jitter) no longer count.
        expire = now - span + self.tolerance
        while window and window[0] <= expire:
            window.popleft()
        if len(window) < limit:
            return 0.0
        return window[len(window) - limit] - expire


class FaultInjection:
    """Scripted faults, chat states and rate limits, and the flood-wait violations they see."""

    def __init__(self) -> None:
        self.violations: list[Violation] = []
        self.rate_limited_count = 0
        # Requests already in flight when a 429 went out are not the client's fault.
        self.flood_grace = 0.05
        self._faults: dict[ChatId | None, deque[Fault]] = {}
        self._chat_states: dict[ChatId, FaultKind] = {}
        self._limiter: RateLimiter | None = None
        self._flood_started = 0.0
        self._flood_until = 0.0
        self._jitter_s = 0.0
        self._jitter_rng = random.Random(0)  # noqa: S311 - simulated network, not security

    def fail_next(
        self,
        chat_id: ChatId | None,
        kind: FaultKind,
        times: int = 1,
        *,
        retry_after: int = 5,
        status: int = 500,
        hold: float = 2.0,
        delivered: bool = False,
    ) -> None:
        """Script the next ``times`` messages sent to ``chat_id`` (None: to any chat) to fail.

        ``status`` is for server_error (500 or 502). ``hold`` is how long "timeout" keeps the
        request before answering 504. ``delivered`` makes "timeout"/"disconnect" deliver the
        message although the client gets no answer, as a lost reply would.
        """
        fault = Fault(kind, retry_after, status, hold, delivered)
        self._faults.setdefault(chat_id, deque()).extend([fault] * times)

    def block(self, chat_id: ChatId) -> None:
        """The user blocked the bot: every call to the chat answers 403."""
        self._chat_states[chat_id] = "blocked"

    def deactivate(self, chat_id: ChatId) -> None:
        """The user deleted their account: every call to the chat answers 403."""
        self._chat_states[chat_id] = "deactivated"

    def chat_not_found(self, chat_id: ChatId) -> None:
        """Every call to the chat answers 400 chat not found."""
        self._chat_states[chat_id] = "chat_not_found"

    def restore(self, chat_id: ChatId) -> None:
        """Undo block/deactivate/chat_not_found and drop scripted faults for the chat."""
        self._chat_states.pop(chat_id, None)
        self._faults.pop(chat_id, None)

    def enforce_limits(
        self,
        global_per_sec: int = 30,
        per_chat_per_sec: int = 1,
        *,
        group_per_min: int = 20,
        paid_per_sec: int = 1000,
        tolerance: float = 0.0,
    ) -> None:
        """Answer 429 with a computed retry_after when a sliding-window limit is exceeded."""
        self._limiter = RateLimiter(
            global_per_sec, per_chat_per_sec, group_per_min, paid_per_sec, tolerance
        )

    def network_jitter(self, max_s: float, seed: int = 0) -> None:
        """Each send reaches the server after a random delay in [0, max_s) (0: none), as over a
        real network: requests sent evenly may arrive bunched, and limits count arrivals."""
        self._jitter_s = max_s
        self._jitter_rng = random.Random(seed)  # noqa: S311 - simulated network, not security

    async def network_delay(self, sending: bool) -> None:
        """The trip of one request to the server (sends only, when jitter is set)."""
        if sending and self._jitter_s > 0:
            await asyncio.sleep(self._jitter_rng.uniform(0.0, self._jitter_s))

    def unlimited(self) -> None:
        """No rate limits (the default): answer as fast as possible."""
        self._limiter = None

    def check_faults(
        self, method: str, chat_id: ChatId, now: float, sending: bool
    ) -> Fault | None:
        """Raise the error a chat state or scripted fault dictates; return timeout/disconnect."""
        if sending and self._flood_started + self.flood_grace <= now < self._flood_until:
            self.violations.append(Violation(now, method, chat_id, self._flood_until - now))
        state = self._chat_states.get(chat_id)
        if state is not None:
            raise fault_error(state)
        queue = (self._faults.get(chat_id) or self._faults.get(None)) if sending else None
        if not queue:
            return None
        fault = queue.popleft()
        if fault.kind in ("timeout", "disconnect"):
            return fault
        if fault.kind == "retry_after":
            self._start_flood(now, fault.retry_after)
        raise fault_error(fault.kind, fault.retry_after, fault.status)

    def check_limits(self, chat_id: ChatId, now: float, paid: bool) -> None:
        """Raise 429 when a rate limit (if any is enforced) is exceeded."""
        if self._limiter is None:
            return
        retry_after = self._limiter.acquire(chat_id, now, paid)
        if retry_after is not None:
            self.rate_limited_count += 1
            self._start_flood(now, retry_after)
            raise too_many_requests(retry_after)

    def _start_flood(self, now: float, retry_after: int) -> None:
        self._flood_started = now
        self._flood_until = max(self._flood_until, now + retry_after)
