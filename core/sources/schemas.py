"""Source DTOs: what is added, what is shown, what a pull did."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from core.inputs import no_nul

MIN_EVERY_S = 60
MAX_EVERY_S = 30 * 24 * 3600
DEFAULT_EVERY_S = 3600
DEFAULT_SILENCE_S = 7 * 24 * 3600
MAX_SILENCE_S = 366 * 24 * 3600
FAILURES_REPORTED = 3  # failing this many times in a row gets a source reported
MAX_URL = 2000
_DURATION = re.compile(r"^(\d{1,7})([smhd])$")
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _http_url(value: str) -> str:
    no_nul(value)
    if not re.match(r"^https?://[^\s/?#]+[^\s]*$", value):
        raise ValueError("must be an http(s) URL")
    return value


def parse_duration(text: str) -> int:
    """Seconds in `30m`, `1h`, `7d` (or plain seconds `90s`); ValueError otherwise."""
    match = _DURATION.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a duration like 30m, 1h or 7d")
    return int(match.group(1)) * _UNIT_S[match.group(2)]


HttpUrl = Annotated[str, Field(min_length=8, max_length=MAX_URL), AfterValidator(_http_url)]


class SourceCreate(BaseModel):
    """A feed to follow: an OC4IDS package URL, or an endpoint that pages with links.next."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: HttpUrl
    name: Annotated[str, Field(min_length=1, max_length=200), AfterValidator(no_nul)] | None = None
    every_s: Annotated[int, Field(ge=MIN_EVERY_S, le=MAX_EVERY_S)] = DEFAULT_EVERY_S
    silence_s: Annotated[int, Field(ge=MIN_EVERY_S, le=MAX_SILENCE_S)] = DEFAULT_SILENCE_S


class SourceRead(BaseModel):
    """A source with its schedule and health."""

    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    url: str
    every_s: int
    silence_s: int
    next_pull_at: datetime
    last_attempt_at: datetime | None
    last_success_at: datetime | None
    last_change_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    consecutive_failures: int
    last_created: int
    last_updated: int
    last_unchanged: int
    silent_for_s: float | None
    is_failing: bool
    is_silent: bool


class PullTarget(BaseModel):
    """Where a pull starts and the validators it may send."""

    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    url: str
    start_url: str
    etag: str | None
    last_modified: str | None


class PullReport(BaseModel):
    """What one pull did."""

    model_config = ConfigDict(frozen=True)

    source_id: int
    ok: bool
    not_modified: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    pages: int = 0
    error: str | None = None
