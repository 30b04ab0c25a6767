"""The pacer: no second ever carries more than the configured rate, even after an idle spell."""

from __future__ import annotations

import bisect

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
