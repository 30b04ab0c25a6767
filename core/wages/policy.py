"""The wage rules of one deployment, built once from settings by each composition root."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from core.config import LocaleSettings, WageSettings


@dataclass(frozen=True)
class WagePolicy:
    """Grace, reminder steps, link codes, the phone-hash key, and the fallback language."""

    grace_days: int = 0
    reminder_steps: tuple[int, ...] = (1, 3, 7, 14)
    link_ttl_hours: int = 72
    bot_username: str | None = None
    pii_key: bytes | None = None
    default_locale: str = "en"
    digest_time: time = time(9, 0)

    @classmethod
    def from_settings(cls, wages: WageSettings, locale: LocaleSettings) -> WagePolicy:
        """The policy the environment asks for."""
        key = wages.pii_hash_key.get_secret_value().encode() if wages.pii_hash_key else None
        hours, minutes = (int(p) for p in wages.digest_local_time.split(":"))
        return cls(
            grace_days=wages.wage_grace_days,
            reminder_steps=wages.reminder_steps,
            link_ttl_hours=wages.link_code_ttl_hours,
            bot_username=(wages.telegram_bot_username or "").lstrip("@") or None,
            pii_key=key or None,
            default_locale=locale.default_locale,
            digest_time=time(hours, minutes),
        )
