"""The API process's settings: only the sections it needs."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from core.config import (
    ApiSettings,
    DbSettings,
    LocaleSettings,
    LogSettings,
    OpenDataSettings,
    ReportSettings,
    SourceSettings,
    WageSettings,
)


class ApiProcessSettings(BaseModel):
    """Database, HTTP, locale and logging sections."""

    model_config = ConfigDict(frozen=True)

    db: DbSettings = Field(default_factory=DbSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    locale: LocaleSettings = Field(default_factory=LocaleSettings)
    log: LogSettings = Field(default_factory=LogSettings)
    wages: WageSettings = Field(default_factory=WageSettings)
    reports: ReportSettings = Field(default_factory=ReportSettings)
    open_data: OpenDataSettings = Field(default_factory=OpenDataSettings)
    sources: SourceSettings = Field(default_factory=SourceSettings)
