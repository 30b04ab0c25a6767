"""The notifier process's settings: only the sections it needs."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from core.config import (
    DbSettings,
    LocaleSettings,
    LogSettings,
    OpsSettings,
    RetentionSettings,
    SendSettings,
    SourceSettings,
    TelegramSettings,
    WageSettings,
)


class NotifierSettings(BaseModel):
    """Database, Telegram, sending pace, locale and logging sections."""

    model_config = ConfigDict(frozen=True)

    db: DbSettings = Field(default_factory=DbSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    send: SendSettings = Field(default_factory=SendSettings)
    locale: LocaleSettings = Field(default_factory=LocaleSettings)
    log: LogSettings = Field(default_factory=LogSettings)
    wages: WageSettings = Field(default_factory=WageSettings)
    ops: OpsSettings = Field(default_factory=OpsSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    sources: SourceSettings = Field(default_factory=SourceSettings)
