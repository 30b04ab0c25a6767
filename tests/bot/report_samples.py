# ruff: noqa: RUF001 - the Ukrainian samples are Cyrillic on purpose
"""Report data for rendering every report text and keyboard (words in the reader's language)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from core.projects.schemas import CardReports
from core.reports.categories import CATEGORIES
from core.reports.schemas import (
    CategoryRead,
    NearbyReport,
    NoteRead,
    PhotoRead,
    PublicNote,
    PublicRequest,
    ReportPage,
    ReportRead,
    ReportThread,
)
from tests.bot.translation_samples import NAMES

NOW = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
WORDS = {
    "en": "Drilling at six in the morning",
    "uk": "Свердлять о шостій ранку",
    "ko": "아침 여섯 시에 드릴 작업",
}


def categories() -> dict[str, CategoryRead]:
    """Every category, by code."""
    return {
        c.code: CategoryRead(
            code=c.code,
            names=dict(c.names),
            descriptions=dict(c.descriptions),
            group=c.group,
            target_hours=48,
        )
        for c in CATEGORIES
    }


def report(locale: str, **changes: Any) -> ReportRead:
    """A report on the sample project with one photo."""
    photo = PhotoRead(
        id=1,
        position=0,
        media_key="k",
        content_type="image/jpeg",
        width=64,
        height=48,
        size=900,
        file_id=None,
        has_content=True,
    )
    values: dict[str, Any] = {
        "id": 7,
        "reference": "CR-ABCD2345",
        "category": "noise",
        "text": WORDS[locale],
        "project_id": "p-1",
        "project_title": NAMES[locale]["title"],
        "lat": 50.45,
        "lon": 30.52,
        "address": None,
        "status": "new",
        "close_reason": None,
        "duplicate_of": None,
        "is_public": False,
        "is_overdue": False,
        "source": "bot",
        "created_at": NOW,
        "updated_at": NOW,
        "due_at": NOW,
        "expected_at": NOW,
        "acknowledged_at": None,
        "first_answer_at": None,
        "resolved_at": None,
        "closed_at": None,
        "reopened_count": 0,
        "feedback": None,
        "rating": None,
        "photos": (photo,),
    }
    return ReportRead(**{**values, **changes})


def reports(locale: str) -> list[ReportRead]:
    """A report in each state."""
    states: list[tuple[str, str | None]] = [("new", None), ("in_progress", None)]
    states += [("resolved", None)]
    states += [("closed", r) for r in ("duplicate", "not_responsible", "rejected")]
    return [report(locale, status=s, close_reason=r) for s, r in states]


def page(items: list[ReportRead], number: int) -> ReportPage:
    """Page `number` of /reports: `items`, out of three pages of them."""
    return ReportPage(items=tuple(items), offset=number * len(items), total=3 * len(items))


def thread(locale: str) -> ReportThread:
    """A report in progress with an answer and a reply."""
    notes = (
        NoteRead(
            id=1, author="official", kind="answer", status=None, text=WORDS[locale], created_at=NOW
        ),
        NoteRead(
            id=2, author="citizen", kind="reply", status=None, text=WORDS[locale], created_at=NOW
        ),
        NoteRead(
            id=3, author="system", kind="status", status="in_progress", text="", created_at=NOW
        ),
    )
    return ReportThread(report=report(locale, status="in_progress"), notes=notes, followers=2)


def nearby(locale: str) -> list[NearbyReport]:
    """Two open reports like the one being filed."""
    return [
        NearbyReport(
            id=n,
            reference=f"CR-ABCD234{n}",
            category="dust",
            text=WORDS[locale],
            status="acknowledged",
            project_id="p-1",
            distance_m=distance,
            created_at=NOW,
        )
        for n, distance in ((1, 20.0), (2, None))
    ]


def public(locale: str) -> list[PublicRequest]:
    """A public report with an answer, and one without."""
    answer = PublicNote(datetime=NOW, status="in_progress", description=WORDS[locale])
    return [
        PublicRequest(
            service_request_id=f"CR-ABCD234{n}",
            status="open",
            detailed_status="in_progress",
            status_notes=None,
            service_code="noise",
            service_name=categories()["noise"].names[locale],
            description=WORDS[locale],
            agency_responsible=None,
            requested_datetime=NOW,
            updated_datetime=NOW,
            expected_datetime=None,
            address=None,
            lat=50.45,
            long=30.52,
            project_id="p-1",
            media_keys=(),
            notes=notes,
        )
        for n, notes in ((1, (answer,)), (2, ()))
    ]


def card_reports() -> CardReports:
    """A project's figures with every one known."""
    return CardReports(
        open=2,
        answered=7,
        median_hours_to_first_answer=5.25,
        resolved_within_target_share=0.8,
        reopened_share=0.1,
        average_rating=4.25,
        ratings=4,
    )
