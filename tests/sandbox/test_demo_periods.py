"""The pay periods the control panel simulates: always new, and overdue ones really past due."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.wages.policy import WagePolicy
from sandbox.demo import WAGE_KINDS, next_period

TODAY = date(2026, 11, 17)
HELD = (date(2026, 8, 1), date(2026, 12, 31))


@pytest.mark.parametrize("bounds", [None, HELD])
@pytest.mark.parametrize("grace", [0, 3, 60])
@pytest.mark.parametrize("steps", [(1, 3, 7, 14), (14,)])
def test_an_overdue_period_is_new_whole_and_past_due(
    bounds: tuple[date, date] | None, grace: int, steps: tuple[int, ...]
) -> None:
    period = next_period(
        "overdue", TODAY, bounds, WagePolicy(grace_days=grace, reminder_steps=steps)
    )
    assert period.start.day == 1
    assert (period.end + timedelta(days=1)).day == 1
    assert period.start <= period.end < period.due
    assert (TODAY - period.due).days - grace >= min(steps)  # the first reminder is due
    if bounds is not None:
        assert period.end < bounds[0]


@pytest.mark.parametrize("kind", [k for k in WAGE_KINDS if k != "overdue"])
def test_other_periods_follow_the_last_and_are_not_yet_due(kind: str) -> None:
    first = next_period(kind, TODAY, None, WagePolicy())
    assert (first.start, first.end) == (date(2026, 10, 1), date(2026, 10, 31))
    period = next_period(kind, TODAY, HELD, WagePolicy())
    assert (period.start, period.end) == (date(2027, 1, 1), date(2027, 1, 31))
    assert period.due > TODAY
