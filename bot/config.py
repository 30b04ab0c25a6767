"""The bot process's settings: only the sections it needs."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from core.config import (
    DbSettings,
    LocaleSettings,
    LogSettings,
    OpsSettings,
    RedisSettings,
    ReportSettings,
    TelegramSettings,
    WageSettings,
)


class BotSettings(BaseModel):
    """Database, Telegram, locale, logging, wage, Redis (FSM state) and ops sections."""

    model_config = ConfigDict(frozen=True)

    db: DbSettings = Field(default_factory=DbSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    locale: LocaleSettings = Field(default_factory=LocaleSettings)
    log: LogSettings = Field(default_factory=LogSettings)
    wages: WageSettings = Field(default_factory=WageSettings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    ops: OpsSettings = Field(default_factory=OpsSettings)
    reports: ReportSettings = Field(default_factory=ReportSettings)
