"""What the public and the digest see of reports: Open311 requests and their filter, overdue
items, accountability figures. No chat id, name or photo metadata in any of them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from core.projects import schemas as project_schemas


class Accountability(project_schemas.CardReports):
    """How a project's (or an authority's) officials answer the public: public reports only.

    The card's figures (the projects domain cannot know reports, so it owns their shape) and
    how many public reports they were drawn from."""

    reports: int


class OverdueReport(BaseModel):
    """A report past its target (not acknowledged in time) or past its expected date."""

    model_config = ConfigDict(frozen=True)

    id: int
    reference: str
    category: str
    project_id: str | None
    project_title: str | None
    status: str
    since: datetime
    why: Literal["not_acknowledged", "past_expected"]


class PublicNote(BaseModel):
    """A public answer in Open311 (`notes[]`)."""

    model_config = ConfigDict(frozen=True)

    datetime: datetime
    status: str | None
    description: str


class PublicRequest(BaseModel):
    """An Open311 service request as the public sees it: no reporter, no photo metadata."""

    model_config = ConfigDict(frozen=True)

    service_request_id: str
    status: Literal["open", "closed"]
    detailed_status: str
    status_notes: str | None
    service_code: str
    service_name: str
    description: str
    agency_responsible: str | None
    requested_datetime: datetime
    updated_datetime: datetime
    expected_datetime: datetime | None
    address: str | None
    lat: float | None
    long: float | None
    project_id: str | None
    media_keys: tuple[str, ...]
    notes: tuple[PublicNote, ...]


class RequestFilter(BaseModel):
    """Open311 `GET requests` filters (standard ones and the usual extensions)."""

    model_config = ConfigDict(frozen=True)

    references: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    status: Literal["open", "closed"] | None = None
    lat: float | None = None
    lon: float | None = None
    radius_m: float | None = None
    project_id: str | None = None
    page: int = 1
    page_size: int = 50
