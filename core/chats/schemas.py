"""Chat and subscription DTOs handed to the edges."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class _Dto(BaseModel):
    model_config = ConfigDict(frozen=True)


class ChatRead(_Dto):
    """A chat as the bot needs it: its language choice and whether it is reachable."""

    id: int
    type: str
    locale: str | None
    telegram_language: str | None
    is_active: bool
    first_seen_at: datetime
    last_seen_at: datetime


class SubscriptionRead(_Dto):
    """What a chat follows: a project (`kind` "project") or a circle (`kind` "area")."""

    id: int
    chat_id: int
    kind: str
    project_id: str | None = None
    project_title: str | None = None
    lat: float | None = None
    lon: float | None = None
    radius_m: float | None = None
    created_at: datetime


class MutedProject(_Dto):
    """A followed project and until when its updates are muted (None: not muted)."""

    project_id: str
    title: str | None
    muted_until: datetime | None


class NotificationSettingsRead(_Dto):
    """A chat's notification settings as it sees them.

    `quiet_hours` is the window in force (`HH:MM-HH:MM`) or `off`; `quiet_is_default` says it
    comes from the deployment's QUIET_HOURS_DEFAULT. `digest_hour` is the local hour of the
    daily area digest, None for area updates at once.
    """

    chat_id: int
    quiet_hours: str
    quiet_is_default: bool
    quiet_hold: bool
    digest_hour: int | None
    has_areas: bool
    projects: list[MutedProject]
