"""The pacer: no second ever carries more than the configured rate, even after an idle spell,
neither as sent nor as the server sees it."""

from __future__ import annotations

import bisect
import heapq
import math
import random

import pytest

from notifier.pacing import Pacer


def busiest_second(times: list[float]) -> int:
    return max(bisect.bisect_right(times, t + 1.0 - 1e-9) - i for i, t in enumerate(times))


@pytest.mark.parametrize("rate", [25.0, 30.0, 1000.0])
def test_a_release_after_idle_never_exceeds_the_rate_in_any_second(rate: float) -> None:
    now = [0.0]
    pacer = Pacer(rate, clock=lambda: now[0])
    now[0] = 60.0  # idle (a quiet window): the bucket is full
    sent: list[float] = []
    while now[0] < 63.0:
        wait = pacer.wait_time()
        if wait == 0:
            sent.append(now[0])
        else:
            assert wait > 0
            now[0] += max(wait, 1e-6)  # a real sleep always moves the clock on
    assert busiest_second(sent) <= rate
    assert len(sent) >= 3 * rate - 1  # and the pace is kept: about `rate` a second


def simulate(pacer: Pacer, now: list[float], jitter: float, seconds: float) -> list[float]:
    """Requests leave when the pacer lets them and reach the server after a random delay (the
    network, a busy machine), answered a millisecond later: their arrival times, sorted."""
    rng = random.Random(7)  # noqa: S311 - simulated network
    arrivals: list[float] = []
    answers: list[float] = []  # heap of answer times of the requests in flight
    while now[0] < seconds:
        while answers and answers[0] <= now[0]:
            heapq.heappop(answers)
            pacer.answered()
        wait = pacer.wait_time()
        if wait > 0:
            next_answer = answers[0] if answers else math.inf
            now[0] = max(now[0] + 1e-6, min(now[0] + wait, next_answer))
            continue
        pacer.started()
        arrival = now[0] + rng.uniform(0.0, jitter)
        arrivals.append(arrival)
        heapq.heappush(answers, arrival + 0.001)
    return sorted(arrivals)


@pytest.mark.parametrize("jitter", [0.05, 0.3])
def test_no_second_at_the_server_exceeds_the_rate_however_requests_are_delayed(
    jitter: float,
) -> None:
    # A pace equal to the server's limit: the server sees at most `rate` in any second.
    rate, now = 100.0, [0.0]
    arrivals = simulate(Pacer(rate, clock=lambda: now[0]), now, jitter, 10.0)
    assert busiest_second(arrivals) <= rate
    # The price is the latency: about rate / (1 + mean latency).
    assert len(arrivals) >= 10 * rate / (1 + jitter) * 0.9


@pytest.mark.parametrize("jitter", [0.0, 0.1, 0.3])
def test_a_pace_below_the_limit_is_kept_and_the_limit_is_never_passed(jitter: float) -> None:
    # The default pace against Telegram's free limit: the latency's share comes out of the
    # room between them (up to 30 / 25 - 1 = 0.2 s of latency), not out of the pace.
    now = [0.0]
    arrivals = simulate(Pacer(25.0, clock=lambda: now[0], limit_per_sec=30.0), now, jitter, 20.0)
    assert busiest_second(arrivals) <= 30
    assert busiest_second([a for a in arrivals if a > 1.0]) >= 25  # the pace, not less
    if jitter <= 0.1:
        assert len(arrivals) >= 20 * 25 * 0.98
    else:  # mean latency 0.15 s: still inside the room
        assert len(arrivals) >= 20 * 25 * 0.95
