"""Settings sections, read from the flat environment names in DESIGN.md (and `.env`)."""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./clearsite.db"
SUPPORTED_LOCALES = ("en", "uk", "ko")


class _Section(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)


class DbSettings(_Section):
    """Where the data lives."""

    database_url: str = DEFAULT_DATABASE_URL


class ApiSettings(_Section):
    """The HTTP server."""

    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    max_body_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)


class TelegramSettings(_Section):
    """How the bot and notifier reach Telegram."""

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    bot_mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None


class SendSettings(_Section):
    """The delivery engine's pace."""

    send_rate_per_sec: float = Field(default=25.0, gt=0, le=1000)
    paid_broadcast: bool = False


class LocaleSettings(_Section):
    """Time zone and language defaults for rendering."""

    local_timezone: str = "Europe/Kyiv"
    default_locale: Literal["en", "uk", "ko"] = "en"

    @field_validator("local_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        """The local time zone as an object."""
        return ZoneInfo(self.local_timezone)


class LogSettings(_Section):
    """Logging output."""

    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
