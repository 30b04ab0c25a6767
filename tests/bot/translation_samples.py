"""Representative data for rendering every text, keyboard and notice of `bot.ui`.

Record data is written in the reader's language (as a translated record would be), so an
English word run in a rendered text can only come from the bot's own words.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from core.chats.schemas import MutedProject, NotificationSettingsRead, SubscriptionRead
from core.projects.schemas import (
    LocationRead,
    Money,
    MoneyChain,
    PartyRead,
    ProjectCard,
    ProjectSummary,
)
from core.wages.schemas import MyWages, WagePeriodRead, WageReportRead

NOW = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
NAMES = {
    "en": {"title": "Podil bridge repair", "firm": "Budova", "person": "Petro", "words": "bridge"},
    "uk": {"title": "Ремонт мосту", "firm": "Будова", "person": "Петро", "words": "міст"},
    "ko": {"title": "다리 보수", "firm": "부도바", "person": "민준", "words": "다리"},
}
STATUSES = ("credited", "partial", "failed", "funds_released", "scheduled")


def summaries(locale: str) -> list[ProjectSummary]:
    """A near, a far, a late and an undated project."""
    title = NAMES[locale]["title"]
    return [
        ProjectSummary(
            id="p-1",
            title=title,
            status="implementation",
            progress_pct=55.0,
            planned_end_date=date(2026, 10, 1),
            delay_days=31,
            distance_m=350.0,
        ),
        ProjectSummary(
            id="p-2",
            title=title + " 2",
            status="completion",
            progress_pct=100.0,
            planned_end_date=date(2026, 12, 31),
            delay_days=0,
            distance_m=1450.0,
        ),
        ProjectSummary(
            id="p-3",
            title=title + " 3",
            status=None,
            progress_pct=None,
            planned_end_date=None,
            delay_days=None,
        ),
    ]


def card(locale: str) -> ProjectCard:
    """A card with every row filled."""
    names = NAMES[locale]
    authority = PartyRead(
        id="a", name=names["firm"], roles=("publicAuthority",), contact_name=names["person"]
    )
    return ProjectCard(
        id="p-1",
        title=names["title"],
        description=names["title"],
        status="implementation",
        type=None,
        sectors=(),
        budget=Money(amount=Decimal("1500000.50"), currency="UAH"),
        planned_start_date=date(2026, 1, 1),
        planned_end_date=date(2026, 10, 1),
        completed_date=None,
        progress_pct=55.0,
        progress_date=date(2026, 10, 1),
        delay_days=1,
        public_authority=authority,
        suppliers=(PartyRead(id="s", name=names["firm"], roles=("supplier",)),),
        locations=(
            LocationRead(
                id="1",
                description=None,
                address=names["title"],
                geometry_type="Point",
                lat=50.4501,
                lon=30.5234,
            ),
        ),
        updated_at=NOW,
        synced_at=NOW,
        money=MoneyChain(
            contract_value=Money(amount=Decimal(1400000), currency="UAH"),
            paid=Money(amount=Decimal(500000), currency="UAH"),
            last_paid_date=date(2026, 9, 1),
            payments=2,
            final_value=Money(amount=Decimal(1450000), currency="UAH"),
        ),
        source_url="https://kyivcity.example.org/p/1",
        record_path="/api/v1/projects/p-1/oc4ids",
    )


def subscriptions(locale: str) -> list[SubscriptionRead]:
    """A project and an area."""
    return [
        SubscriptionRead(
            id=1,
            chat_id=1,
            kind="project",
            project_id="p-1",
            project_title=NAMES[locale]["title"],
            created_at=NOW,
        ),
        SubscriptionRead(
            id=2, chat_id=1, kind="area", lat=50.45, lon=30.52, radius_m=1000.0, created_at=NOW
        ),
    ]


def wages(locale: str) -> MyWages:
    """One period in each status, the partial one late."""
    names = NAMES[locale]
    periods = tuple(
        WagePeriodRead(
            entry_id=f"e-{n}",
            project_id="p-1",
            project_title=names["title"],
            employer_name=names["firm"],
            period_start=date(2026, 10, 1),
            period_end=date(2026, 10, 31),
            due_date=date(2026, 11, 10),
            amount_due=Decimal("20000.00"),
            amount_paid=Decimal("12500.00") if status == "partial" else Decimal(0),
            currency="UAH",
            status=status,
            days_late=22 if status == "partial" else 0,
        )
        for n, status in enumerate(STATUSES)
    )
    return MyWages(worker_id="w", first_name=names["person"], locale=locale, periods=periods)


def report(is_new: bool) -> WageReportRead:
    """A filed report."""
    return WageReportRead(
        reference="WR-7QK3M9XP", entry_id="e-1", status="new", created_at=NOW, is_new=is_new
    )


def alert(locale: str, **extra: Any) -> dict[str, Any]:
    """Params of a wage alert."""
    names = NAMES[locale]
    return {
        "entry_id": "ent-1",
        "project_id": "p-1",
        "project_title": names["title"],
        "employer_name": names["firm"],
        "period_start": "2026-10-01",
        "period_end": "2026-10-31",
        "due_date": "2026-11-10",
        "amount_due": "18437.50",
        "amount_paid": "10000.00",
        "currency": "UAH",
        **extra,
    }


def digest(locale: str, more: int) -> dict[str, Any]:
    """Params of the officials' digest."""
    names = NAMES[locale]
    unpaid = [{"currency": "UAH", "amount": "1500.00"}]
    group = {
        "employer_id": "emp-1",
        "employer_name": names["firm"],
        "project_id": "p-1",
        "project_title": names["title"],
        "entries": 2,
        "workers": 2,
        "max_days_late": 10,
        "unpaid": unpaid,
        "open_reports": 1,
    }
    return {
        "as_of": "2026-11-20",
        "entries": 2,
        "workers": 2,
        "unpaid": unpaid,
        "open_reports": 1,
        "groups": [group, {**group, "max_days_late": 1}],
        "more_groups": more,
    }


def project_update(locale: str, count: int, more: int) -> dict[str, Any]:
    """Params of a project update: every kind of change, or a new project."""
    title = NAMES[locale]["title"]
    changed = {
        "id": "p-1",
        "title": title,
        "status": ["implementation", "completion"],
        "progress": [55.0, 100.0],
        "end": ["2026-10-01", "2026-12-31"],
        "completed": True,
    }
    new = {"id": "p-2", "title": title, "new": True, "status": [None, "implementation"]}
    return {"projects": [changed, new][:count], "more": more}


def citizen_report(locale: str, status: str = "new") -> dict[str, Any]:
    """The `report` part of every citizen report notice."""
    title = NAMES[locale]["title"]
    return {
        "id": 7,
        "reference": "CR-ABCD2345",
        "category": "noise",
        "project_id": "p-1",
        "project_title": title,
        "status": status,
    }


def report_notices(locale: str) -> dict[str, list[dict[str, Any]]]:
    """Params of the citizen report notices, in each variant they render."""
    words = NAMES[locale]["firm"]
    report = citizen_report(locale)
    overdue = {
        "reference": "CR-ABCD2345",
        "category": "safety",
        "project_id": "p-1",
        "project_title": NAMES[locale]["title"],
        "since_date": "2026-11-18",
    }
    return {
        "report_filed": [
            {
                "report": report,
                "text": words,
                "lat": 50.45,
                "lon": 30.52,
                "address": words,
                "photos": [{"id": 1, "file_id": None}],
            },
            {"report": {**report, "project_id": None, "project_title": None}, "text": words},
        ],
        "report_status": [
            {"report": report, "status": s, "reason": r, "note": words}
            for s, r in (
                ("acknowledged", None),
                ("resolved", None),
                ("closed", "duplicate"),
                ("closed", "not_responsible"),
                ("closed", "rejected"),
            )
        ]
        + [
            {
                "report": report,
                "status": "in_progress",
                "expected_date": "2026-12-01",
                "reopened": True,
            },
            {"report": report, "status": "resolved", "ask_feedback": True},
            {
                "report": report,
                "status": "closed",
                "reason": "duplicate",
                "duplicate_of": "CR-ZZZZ2222",
            },
            {"report": report, "status": "new"},
        ],
        "report_answer": [{"report": report, "text": words}],
        "report_reply": [{"report": report, "text": words}],
        "report_feedback": [
            {"report": report, "value": v, "rating": 4, "reopened": v == "no"}
            for v in ("yes", "partly", "no")
        ],
        "report_overdue": [
            {"report": report, "why": "not_acknowledged", "since_date": "2026-11-18"},
            {"report": report, "why": "past_expected", "since_date": "2026-11-18"},
        ],
        "report_blocked": [{"reason": words}],
        "wage_digest": [
            {
                **digest(locale, 0),
                "reports_overdue": [
                    {**overdue, "why": "not_acknowledged"},
                    {**overdue, "why": "past_expected"},
                ],
                "reports_overdue_total": 5,
            },
            {
                "as_of": "2026-11-20",
                "groups": [],
                "reports_overdue": [{**overdue, "why": "not_acknowledged"}],
                "reports_overdue_total": 1,
            },
        ],
    }


def notices(locale: str) -> dict[str, list[dict[str, Any]]]:
    """Params for every notice kind, in each variant it renders."""
    sender = NAMES[locale]["firm"]
    found: dict[str, list[dict[str, Any]]] = {
        "broadcast": [{"text": sender, "sender": sender}, {"text": sender}],
        "broadcast_done": [
            {"broadcast_id": 7, "sent": 1200, "failed": 1, "blocked": 2},
            {"broadcast_id": 7, "sent": 1, "failed": 0, "blocked": 0, "cancelled": 3},
            {"broadcast_id": 7, "sent": 1, "failed": 0, "blocked": 0, "expired": 4},
        ],
        "project_digest": [
            {**project_update(locale, 2, 0), "date": "2026-11-20"},
            {**project_update(locale, 1, 4), "date": "2026-11-21"},
        ],
        "project_update": [
            project_update(locale, 1, 0),
            project_update(locale, 2, 3),
            project_update(locale, 1, 1),
        ],
        "wage_funds_released": [alert(locale)],
        "wage_credited": [alert(locale)],
        "wage_partial": [alert(locale)],
        "wage_failed": [alert(locale)],
        "wage_overdue": [
            alert(locale, days_late=1, step=1),
            alert(locale, days_late=3, step=3, contact=sender),
            alert(locale, days_late=22, step=14, contact=""),
        ],
        "wage_digest": [digest(locale, 0), digest(locale, 1), digest(locale, 5)],
    }
    for kind, variants in report_notices(locale).items():
        found[kind] = found.get(kind, []) + variants
    return found


def notification_settings(locale: str) -> list[NotificationSettingsRead]:
    """Off by default; a window held, with a digest and a muted and an unmuted project."""
    title = NAMES[locale]["title"]
    projects = [
        MutedProject(
            project_id="p-1", title=title, muted_until=datetime(2026, 11, 27, tzinfo=UTC)
        ),
        MutedProject(project_id="p-2", title=title + " 2", muted_until=None),
    ]
    base = {"chat_id": 1, "has_areas": True, "projects": []}
    return [
        NotificationSettingsRead(
            **base, quiet_hours="off", quiet_is_default=True, quiet_hold=False, digest_hour=None
        ),
        NotificationSettingsRead(
            **{**base, "projects": projects},
            quiet_hours="22:00-08:00",
            quiet_is_default=False,
            quiet_hold=True,
            digest_hour=19,
        ),
        NotificationSettingsRead(
            **base,
            quiet_hours="23:00-08:00",
            quiet_is_default=True,
            quiet_hold=False,
            digest_hour=8,
        ),
    ]
