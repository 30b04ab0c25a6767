"""Broadcast DTOs: audiences, the create request and what a read answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.config import SUPPORTED_LOCALES
from core.inputs import AwareTime, LongId, Text

MAX_TEXT = 3500  # Telegram allows 4096 characters; the localized frame needs the rest


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ProjectAudience(_Frozen):
    """A project's subscribers."""

    kind: Literal["project"]
    project_id: LongId


class AreaAudience(_Frozen):
    """Area subscribers whose circle overlaps this one."""

    kind: Literal["area"]
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    radius_m: float = Field(gt=0, le=100_000)


class WorkersAudience(_Frozen):
    """Linked workers employed on a project (resolves to nobody until wage alerts exist)."""

    kind: Literal["workers"]
    project_id: LongId


class AllAudience(_Frozen):
    """Every active chat."""

    kind: Literal["all"]


Audience = Annotated[
    ProjectAudience | AreaAudience | WorkersAudience | AllAudience, Field(discriminator="kind")
]


class BroadcastCreate(_Frozen):
    """An official's broadcast: audience, text per language, optional time to send."""

    audience: Audience
    text: dict[str, Text]
    send_at: AwareTime | None = None
    sender: Text | None = Field(default=None, max_length=120)
    # `urgent` goes out at once with sound, through quiet hours; `normal` respects them.
    urgency: Literal["urgent", "normal"] = "normal"
    # Copies not sent by then are not sent at all (counted as `expired`).
    expires_at: AwareTime | None = None

    @field_validator("text")
    @classmethod
    def _texts(cls, value: dict[str, Text]) -> dict[str, str]:
        unknown = sorted(set(value) - set(SUPPORTED_LOCALES))
        if unknown:
            raise ValueError(f"unsupported languages {unknown}; use {list(SUPPORTED_LOCALES)}")
        cleaned = {k: v.strip() for k, v in value.items() if v.strip()}
        if not cleaned:
            raise ValueError("at least one non-empty text is needed")
        if any(len(v) > MAX_TEXT for v in cleaned.values()):
            raise ValueError(f"a text may have at most {MAX_TEXT} characters")
        return cleaned


class BroadcastCounts(_Frozen):
    """Deliveries of one broadcast by outcome; `pending` includes those being sent."""

    pending: int
    sent: int
    failed: int
    blocked: int
    cancelled: int
    expired: int = 0


class BroadcastRead(_Frozen):
    """A broadcast as kept for audit, with its delivery figures."""

    id: int
    author: str
    sender: str | None
    audience: dict[str, Any]
    status: Literal["scheduled", "sending", "done", "cancelled"]
    recipients: int
    counts: BroadcastCounts
    send_at: datetime | None
    created_at: datetime
    finished_at: datetime | None
    urgency: Literal["urgent", "normal"] = "normal"
    expires_at: datetime | None = None
