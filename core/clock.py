"""The one source of "now"; tests swap in a fixed clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def fixed_clock(moment: datetime) -> Clock:
    """A clock that always answers `moment` (for tests and replays)."""
    if moment.tzinfo is None:
        raise ValueError("a clock needs an aware datetime")
    return lambda: moment
