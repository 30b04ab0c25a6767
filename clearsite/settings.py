"""Settings for `clearsite run`: every section, split per role when the roles start."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from api.config import ApiProcessSettings
from bot.config import BotSettings
from core.config import (
    ApiSettings,
    DbSettings,
    LocaleSettings,
    LogSettings,
    OpenDataSettings,
    OpsSettings,
    RedisSettings,
    ReportSettings,
    RetentionSettings,
    SendSettings,
    SourceSettings,
    TelegramSettings,
    WageSettings,
)
from notifier.config import NotifierSettings


class AllSettings(BaseModel):
    """Every section, read once from the environment."""

    model_config = ConfigDict(frozen=True)

    db: DbSettings = Field(default_factory=DbSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    send: SendSettings = Field(default_factory=SendSettings)
    locale: LocaleSettings = Field(default_factory=LocaleSettings)
    log: LogSettings = Field(default_factory=LogSettings)
    wages: WageSettings = Field(default_factory=WageSettings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    ops: OpsSettings = Field(default_factory=OpsSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    reports: ReportSettings = Field(default_factory=ReportSettings)
    open_data: OpenDataSettings = Field(default_factory=OpenDataSettings)
    sources: SourceSettings = Field(default_factory=SourceSettings)

    def for_api(self) -> ApiProcessSettings:
        """The API's sections."""
        return ApiProcessSettings(
            db=self.db,
            api=self.api,
            locale=self.locale,
            log=self.log,
            wages=self.wages,
            reports=self.reports,
            open_data=self.open_data,
            sources=self.sources,
        )

    def for_bot(self) -> BotSettings:
        """The bot's sections; in one process the API's address stands in as its public one."""
        telegram = self.telegram
        if telegram.public_api_url is None:
            local = f"http://{self.api.api_host}:{self.api.api_port}"
            telegram = telegram.model_copy(update={"public_api_url": local})
        return BotSettings(
            db=self.db,
            telegram=telegram,
            locale=self.locale,
            log=self.log,
            wages=self.wages,
            redis=self.redis,
            ops=self.ops,
            reports=self.reports,
        )

    def for_notifier(self) -> NotifierSettings:
        """The notifier's sections."""
        return NotifierSettings(
            db=self.db,
            telegram=self.telegram,
            send=self.send,
            locale=self.locale,
            log=self.log,
            wages=self.wages,
            ops=self.ops,
            retention=self.retention,
            sources=self.sources,
        )
