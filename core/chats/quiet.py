"""Quiet hours: a daily window in the local time zone, and what it means for one message."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from core.errors import InvalidInput

OFF = "off"
_WINDOW = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")

Verdict = Literal["send", "silent", "hold", "expire"]


@dataclass(frozen=True)
class QuietWindow:
    """From `start` to `end` local time every day; may wrap midnight (22:00-08:00)."""

    start: time
    end: time

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    def end_after(self, now: datetime, zone: ZoneInfo) -> datetime | None:
        """The end of the window `now` falls in (UTC), or None when `now` is outside it."""
        local = now.astimezone(zone)
        clock = local.time().replace(tzinfo=None)
        if self.start < self.end:
            inside = self.start <= clock < self.end
            end_day = local.date()
        else:
            inside = clock >= self.start or clock < self.end
            end_day = local.date() + timedelta(days=1 if clock >= self.start else 0)
        if not inside:
            return None
        # Built in the zone: a DST change inside the window moves the UTC end with it.
        return datetime.combine(end_day, self.end, tzinfo=zone).astimezone(now.tzinfo)


def next_local(now: datetime, at: time, zone: ZoneInfo) -> datetime:
    """The next moment strictly after `now` when the local clock shows `at`."""
    local = now.astimezone(zone)
    moment = datetime.combine(local.date(), at, tzinfo=zone)
    if moment <= local:
        moment = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=zone)
    return moment.astimezone(now.tzinfo)


def parse_window(text: str | None) -> QuietWindow | None:
    """`HH:MM-HH:MM` as a window; `off` as None; InvalidInput for anything else."""
    value = (text or "").strip()
    if value == OFF:
        return None
    match = _WINDOW.match(value)
    if match is None:
        raise InvalidInput("quiet hours are HH:MM-HH:MM or off", location="quiet_hours")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if (h1, m1) == (h2, m2):
        raise InvalidInput(
            "quiet hours need a start and an end that differ", location="quiet_hours"
        )
    return QuietWindow(time(h1, m1), time(h2, m2))


def effective(chosen: str | None, default: str) -> QuietWindow | None:
    """The chat's window: its own choice, else the deployment's default."""
    return parse_window(chosen if chosen is not None else default)


def decide(
    *,
    window: QuietWindow | None,
    hold: bool,
    urgency: str,
    expires_at: datetime | None,
    now: datetime,
    zone: ZoneInfo,
) -> tuple[Verdict, datetime | None]:
    """What to do with one due message now, and until when when it is held.

    Urgent messages always go out with sound. In the window a normal one goes out silently,
    or is held to the window's end when the chat chose so - unless it would expire by then,
    in which case it goes out silently now.
    """
    if expires_at is not None and expires_at <= now:
        return "expire", None
    if urgency == "urgent" or window is None:
        return "send", None
    end = window.end_after(now, zone)
    if end is None:
        return "send", None
    if hold and (expires_at is None or expires_at > end):
        return "hold", end
    return "silent", None
