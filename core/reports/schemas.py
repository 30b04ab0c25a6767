"""Report DTOs: what the edges send in and get back (never a chat id in anything public).
The public (Open311) views and the figures are in `core.reports.views`, re-exported here."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from core.inputs import AwareTime, BigId, Id, no_nul
from core.reports.views import (
    Accountability,
    OverdueReport,
    PublicNote,
    PublicRequest,
    RequestFilter,
)

__all__ = [
    "Accountability",
    "OverdueReport",
    "PublicNote",
    "PublicRequest",
    "RequestFilter",
]

Status = Literal["new", "acknowledged", "in_progress", "resolved", "closed"]
CloseReason = Literal["duplicate", "not_responsible", "rejected"]
FeedbackValue = Literal["yes", "partly", "no"]
OPEN_STATUSES: tuple[str, ...] = ("new", "acknowledged", "in_progress")
PUBLIC_STATUSES: tuple[str, ...] = ("acknowledged", "in_progress", "resolved", "closed")
MAX_TEXT = 4000
MAX_NOTE = 4000
MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 10 * 1024 * 1024


def _finite(value: float | None) -> float | None:
    if value is not None and not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


ReportText = Annotated[str, Field(min_length=1, max_length=MAX_TEXT), AfterValidator(no_nul)]
NoteText = Annotated[str, Field(min_length=1, max_length=MAX_NOTE), AfterValidator(no_nul)]
Lat = Annotated[float, Field(ge=-90, le=90), AfterValidator(_finite)]
Lon = Annotated[float, Field(ge=-180, le=180), AfterValidator(_finite)]
FileId = Annotated[str, Field(min_length=1, max_length=255), AfterValidator(no_nul)]


class CategoryRead(BaseModel):
    """A report category (Open311 service) with its names in every shipped language."""

    model_config = ConfigDict(frozen=True)

    code: str
    names: dict[str, str]
    descriptions: dict[str, str]
    group: str
    target_hours: int


class PhotoIn(BaseModel):
    """A photo to attach: its bytes (JPEG/PNG/WebP…), Telegram's file_id, or both."""

    model_config = ConfigDict(frozen=True)

    content: bytes | None = Field(default=None, max_length=MAX_PHOTO_BYTES)
    file_id: FileId | None = None

    @model_validator(mode="after")
    def _something(self) -> PhotoIn:
        if self.content is None and self.file_id is None:
            raise ValueError("a photo needs its bytes or a Telegram file_id")
        return self


class ReportCreate(BaseModel):
    """A new report: from a chat (the bot) or from a third-party app (Open311, no chat)."""

    model_config = ConfigDict(frozen=True)

    chat_id: BigId | None = None
    category: Annotated[str, Field(min_length=1, max_length=32)]
    text: ReportText
    project_id: Id | None = None
    lat: Lat | None = None
    lon: Lon | None = None
    address: Annotated[str, Field(max_length=500), AfterValidator(no_nul)] | None = None
    photos: list[PhotoIn] = Field(default_factory=list, max_length=MAX_PHOTOS)
    # The bot's photos, cleaned and stored as the chat's drafts when they arrived: their keys.
    draft_photos: list[Annotated[str, Field(min_length=1, max_length=32)]] = Field(
        default_factory=list, max_length=MAX_PHOTOS
    )
    locale: Literal["en", "uk", "ko"] = "en"
    source: Literal["bot", "open311", "api"] = "bot"
    app_key_id: int | None = None

    @model_validator(mode="after")
    def _point(self) -> ReportCreate:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon come together")
        return self

    @model_validator(mode="after")
    def _drafts(self) -> ReportCreate:
        if self.draft_photos and self.chat_id is None:
            raise ValueError("draft photos belong to a chat")
        if len(self.photos) + len(self.draft_photos) > MAX_PHOTOS:
            raise ValueError(f"at most {MAX_PHOTOS} photos")
        return self


class PhotoRead(BaseModel):
    """A stored photo: where the public finds it (when the report is public) and its file_id."""

    model_config = ConfigDict(frozen=True)

    id: int
    position: int
    media_key: str
    content_type: str
    width: int | None
    height: int | None
    size: int
    file_id: str | None
    has_content: bool


class NoteRead(BaseModel):
    """One entry of the thread. `author`: official, citizen or system; `kind`: answer, reply,
    status or feedback."""

    model_config = ConfigDict(frozen=True)

    id: int
    author: str
    kind: str
    status: str | None
    text: str
    created_at: datetime


class ReportRead(BaseModel):
    """A report as officials and its reporter see it (no chat id, no name)."""

    model_config = ConfigDict(frozen=True)

    id: int
    reference: str
    category: str
    text: str
    project_id: str | None
    project_title: str | None
    lat: float | None
    lon: float | None
    address: str | None
    status: str
    close_reason: str | None
    duplicate_of: str | None
    is_public: bool
    is_overdue: bool
    source: str
    created_at: datetime
    updated_at: datetime
    due_at: datetime
    expected_at: datetime | None
    acknowledged_at: datetime | None
    first_answer_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    reopened_count: int
    feedback: str | None
    rating: int | None
    photos: tuple[PhotoRead, ...] = ()


class ReportPage(BaseModel):
    """A page of reports, newest first, where it starts and how many there are in all."""

    model_config = ConfigDict(frozen=True)

    items: tuple[ReportRead, ...]
    offset: int
    total: int

    @property
    def has_more(self) -> bool:
        """Older reports follow this page."""
        return self.offset + len(self.items) < self.total


class ReportThread(BaseModel):
    """A report and its thread, oldest first."""

    model_config = ConfigDict(frozen=True)

    report: ReportRead
    notes: tuple[NoteRead, ...]
    followers: int


class FiledReport(BaseModel):
    """What filing answers at once: the reference, and how many officials were told."""

    model_config = ConfigDict(frozen=True)

    id: int
    reference: str
    status: str
    created_at: datetime
    officials_notified: int


class NearbyReport(BaseModel):
    """An open report like the one about to be filed ("Is it one of these?")."""

    model_config = ConfigDict(frozen=True)

    id: int
    reference: str
    category: str
    text: str
    status: str
    project_id: str | None
    distance_m: float | None
    created_at: datetime


class StatusChange(BaseModel):
    """An official moves a report on; `note` is shown to the reporter and followers."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: Literal["acknowledged", "in_progress", "resolved", "closed"]
    reason: CloseReason | None = None
    note: NoteText | None = None
    expected_at: AwareTime | None = None
    duplicate_of: Annotated[str, Field(min_length=1, max_length=16)] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> StatusChange:
        if self.status == "closed" and self.reason is None:
            raise ValueError("closing needs a reason: duplicate, not_responsible or rejected")
        if self.status != "closed" and self.reason is not None:
            raise ValueError("a reason is only given when closing")
        if self.reason == "duplicate" and not self.duplicate_of:
            raise ValueError("a duplicate names the report it duplicates (duplicate_of)")
        if self.expected_at is not None and self.status != "in_progress":
            raise ValueError("expected_at goes with in_progress")
        return self


class FeedbackIn(BaseModel):
    """The reporter's answer to "Is it solved?" and a rating of the answer."""

    model_config = ConfigDict(frozen=True)

    value: FeedbackValue
    rating: Annotated[int, Field(ge=1, le=5)] | None = None


class AssignmentRead(BaseModel):
    """An official answers for a project (`scope` project) or a sector (`scope` sector)."""

    model_config = ConfigDict(frozen=True)

    official_id: int
    scope: Literal["project", "sector"]
    target: str
    created_at: datetime
