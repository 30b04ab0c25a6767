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
    # The API's public base URL, for links the bot writes (a card's record as received).
    public_api_url: str | None = Field(default=None, pattern=r"^https?://[^\s]+$")

    @field_validator("public_api_url", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value


class SendSettings(_Section):
    """The delivery engine's pace."""

    send_rate_per_sec: float = Field(default=25.0, gt=0, le=1000)
    paid_broadcast: bool = False
    # How long a claimed delivery stays reserved to one engine without renewal (crash recovery).
    delivery_lease_seconds: float = Field(default=30.0, ge=1, le=600)


QUIET_HOURS_PATTERN = r"^(off|([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d)$"


class LocaleSettings(_Section):
    """Time zone and language defaults for rendering, and the quiet hours new chats start with."""

    local_timezone: str = "Europe/Kyiv"
    default_locale: Literal["en", "uk", "ko"] = "en"
    # `HH:MM-HH:MM` in LOCAL_TIMEZONE (normal messages are silent or held then), or `off`.
    quiet_hours_default: str = Field(default="off", pattern=QUIET_HOURS_PATTERN)

    @field_validator("quiet_hours_default")
    @classmethod
    def _window(cls, value: str) -> str:
        if value != "off" and value[:5] == value[6:]:
            raise ValueError("QUIET_HOURS_DEFAULT needs a start and an end that differ")
        return value

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


class ReportSettings(_Section):
    """Citizen reports: hours an official has to acknowledge one (urgent categories: <= 24)."""

    report_target_hours: int = Field(default=48, ge=1, le=24 * 30)


class LogSettings(_Section):
    """Logging output."""

    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"


class RedisSettings(_Section):
    """Shared conversation state for several bot or API (webhook) replicas."""

    redis_url: str | None = None
    # Keys start with this, so several deployments (or tests) may share one Redis database.
    redis_key_prefix: str = Field(default="clearsite", pattern=r"^[A-Za-z0-9_.:-]{1,64}$")


class OpsSettings(_Section):
    """What operators watch: a metrics port for processes without the API, a heartbeat file."""

    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    metrics_host: str = "0.0.0.0"  # noqa: S104 - scraped from outside the container
    heartbeat_file: str | None = None
    heartbeat_interval_seconds: float = Field(default=10.0, gt=0, le=3600)


class RetentionSettings(_Section):
    """How long finished deliveries are kept."""

    delivery_retention_days: int = Field(default=90, ge=1, le=3650)


class WageSettings(_Section):
    """Wage alerts: reminder schedule, digest time, link codes, and the key that hashes phones."""

    pii_hash_key: SecretStr | None = None
    wage_grace_days: int = Field(default=0, ge=0, le=60)
    wage_reminder_days: str = "1,3,7,14"
    digest_local_time: str = Field(default="09:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    link_code_ttl_hours: int = Field(default=72, ge=1, le=24 * 30)
    telegram_bot_username: str | None = Field(default=None, pattern=r"^@?[A-Za-z0-9_]{3,64}$")

    @field_validator("wage_reminder_days")
    @classmethod
    def _steps(cls, value: str) -> str:
        try:
            steps = sorted({int(part) for part in value.split(",") if part.strip()})
        except ValueError as exc:
            raise ValueError("WAGE_REMINDER_DAYS is a comma-separated list of days") from exc
        if not steps or steps[0] < 1:
            raise ValueError("WAGE_REMINDER_DAYS needs at least one day, each >= 1")
        return ",".join(str(s) for s in steps)

    @property
    def reminder_steps(self) -> tuple[int, ...]:
        """Days after the due date (plus grace) on which overdue reminders go out, ascending."""
        return tuple(int(part) for part in self.wage_reminder_days.split(","))


class OpenDataSettings(_Section):
    """Who publishes the OC4IDS export, under which license (package metadata)."""

    publisher_name: str = Field(default="Clearsite", min_length=1, max_length=500)
    publisher_uri: str | None = None
    publisher_scheme: str | None = None
    publisher_uid: str | None = None
    data_license: str | None = None
    publication_policy: str | None = None


class SourceSettings(_Section):
    """How pulled feeds are fetched: size limit, timeout, retries."""

    source_max_bytes: int = Field(default=200 * 1024 * 1024, ge=1024)
    source_timeout_seconds: float = Field(default=300.0, gt=0, le=3600)
    source_retries: int = Field(default=3, ge=1, le=10)
    source_retry_base_seconds: float = Field(default=2.0, ge=0, le=300)
