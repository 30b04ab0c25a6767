"""Pacing: the global token bucket, the cap on what the server may see in any second, the 429
pause, per-chat spacing, and retry backoff."""

from __future__ import annotations

import math
import random
import time
from collections import deque
from collections.abc import Callable

# Telegram: about 30 messages/s overall without paid broadcasts, 1/s per private chat,
# 20/min per group (negative chat ids are groups and channels).
FREE_RATE_LIMIT = 30.0
PAID_RATE_LIMIT = 1000.0  # with allow_paid_broadcast
CHAT_INTERVAL_S = 1.0
GROUP_INTERVAL_S = 3.0


class Pacer:
    """Decides when the next message may leave: a token bucket plus a global pause after 429.

    `rate_per_sec` is the pace (what leaves in any second); `limit_per_sec` is what the server
    accepts in any second (Telegram's limit; the pace itself when not given).
    """

    def __init__(
        self,
        rate_per_sec: float,
        clock: Callable[[], float] = time.monotonic,
        limit_per_sec: float | None = None,
    ):
        self.rate = rate_per_sec
        # A tenth of a second of burst absorbs a claim; on its own it would let a busy second
        # after an idle one (a quiet window's end) reach 1.1x the rate, so every second is
        # also capped at the rate itself. Telegram counts arrivals, not departures: see
        # `started`/`answered` for the cap that holds at the server whatever the jitter.
        self.burst = max(1.0, rate_per_sec / 10)
        self._tokens = self.burst
        self._clock = clock
        self._last = clock()
        self.paused_until = 0.0
        self._chat_free: dict[int, float] = {}
        self._second: deque[float] = deque()
        self._per_second = max(1, math.floor(rate_per_sec))
        limit = rate_per_sec if limit_per_sec is None else limit_per_sec
        self._limit = max(1, math.floor(limit))
        self._in_flight = 0
        self._answers: deque[float] = deque()

    def pause(self, seconds: float) -> None:
        """Stop every send for `seconds` (a 429's retry_after)."""
        self.paused_until = max(self.paused_until, self._clock() + seconds)

    def wait_time(self) -> float:
        """0 and a token taken when a message may leave now, else how long to wait."""
        now = self._clock()
        if now < self.paused_until:
            return self.paused_until - now
        second = self._second
        while second and second[0] <= now - 1.0:
            second.popleft()
        if len(second) >= self._per_second:
            return max(1e-6, second[0] + 1.0 - now)
        if (wait := self._arrival_wait(now)) > 0:
            return wait
        self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
        self._last = now
        if self._tokens >= 1:
            self._tokens -= 1
            second.append(now)
            return 0.0
        return (1 - self._tokens) / self.rate

    def started(self) -> None:
        """A request is leaving (after `wait_time` gave 0): it counts until `answered` + 1 s."""
        self._in_flight += 1

    def answered(self) -> None:
        """One `started` request got its answer (or ended without one): its second begins now."""
        self._in_flight = max(0, self._in_flight - 1)
        self._answers.append(self._clock())

    def _arrival_wait(self, now: float) -> float:
        # The server counts a request when it arrives, somewhere between its start and its
        # answer. So a request counts from its start until one second after its answer: the
        # requests of any one second at the server were all counted when the last of them
        # started, and no second there can see more than the limit, however the network
        # bunched them. The price is the latency: about limit / (1 + latency in seconds), so
        # a pace below the limit (25/s against Telegram's 30) is kept while the latency stays
        # under limit / pace - 1 (0.2 s), and a pace equal to it loses the latency's share.
        answers = self._answers
        while answers and answers[0] <= now - 1.0:
            answers.popleft()
        if self._in_flight + len(answers) < self._limit:
            return 0.0
        if answers:
            return max(1e-6, answers[0] + 1.0 - now)
        return 1.0 / self.rate  # all in flight: look again when the next may have answered

    def chat_wait(self, chat_id: int) -> float:
        """Seconds until `chat_id` may get its next message (0: now)."""
        return max(0.0, self._chat_free.get(chat_id, 0.0) - self._clock())

    def chat_sent(self, chat_id: int) -> None:
        """Record a message leaving for `chat_id`."""
        now = self._clock()
        interval = GROUP_INTERVAL_S if chat_id < 0 else CHAT_INTERVAL_S
        self._chat_free[chat_id] = now + interval
        if len(self._chat_free) > 20_000:
            # Forget chats whose spacing has run out, so memory stays flat over a big audience.
            self._chat_free = {c: t for c, t in self._chat_free.items() if t > now}


def backoff(attempts: int, base_s: float, max_s: float) -> float:
    """Exponential backoff with full jitter in [0.5, 1.5) of the step."""
    step = min(max_s, base_s * 2.0 ** max(0, attempts - 1))
    return step * (0.5 + random.random())  # noqa: S311 - jitter, not security


def effective_rate(rate: float, paid_broadcast: bool) -> float:
    """The configured pace, capped at Telegram's limit (the free one unless paid broadcasts)."""
    return min(rate, server_limit(paid_broadcast))


def server_limit(paid_broadcast: bool) -> float:
    """What Telegram accepts from one bot in any second."""
    return PAID_RATE_LIMIT if paid_broadcast else FREE_RATE_LIMIT
