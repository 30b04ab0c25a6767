"""The one source of "now"; tests swap in a fixed clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def fixed_clock(moment: datetime) -> Clock:
    """A clock that always answers `moment` (for tests and replays)."""
    if moment.tzinfo is None:
        raise ValueError("a clock needs an aware datetime")
    return lambda: moment


class ShiftedClock:
    """Real time moved by an offset that tests and the sandbox set ("jump to 08:00")."""

    def __init__(self, start: datetime | None = None):
        self._offset = timedelta(0) if start is None else start - utc_now()

    def __call__(self) -> datetime:
        return utc_now() + self._offset

    def jump_to(self, moment: datetime) -> None:
        """From now on, time runs on from `moment`."""
        if moment.tzinfo is None:
            raise ValueError("a clock needs an aware datetime")
        self._offset = moment - utc_now()

    @property
    def offset(self) -> timedelta:
        """How far this clock is from real time."""
        return self._offset
