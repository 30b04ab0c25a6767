"""What every service needs besides a session: the clock and the deployment's time zone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from core.clock import Clock, utc_now
from core.outbox.wakeup import Waker


@dataclass(frozen=True)
class DomainContext:
    """The clock, local zone and defaults shared by the services of one process."""

    clock: Clock = utc_now
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Kyiv"))
    default_locale: str = "en"
    waker: Waker | None = None
    # Hours an official has to acknowledge a citizen report (urgent categories: at most 24).
    report_target_hours: int = 48
    # QUIET_HOURS_DEFAULT: the quiet hours of chats that chose none (`HH:MM-HH:MM` or `off`).
    quiet_hours_default: str = "off"

    def local_today(self) -> date:
        """Today's date in the deployment's time zone."""
        return self.clock().astimezone(self.zone).date()
