"""Sandbox demo data: the official, and a demo worker employed on an active demo project in Kyiv;
the cities the page's map shows; the pay periods the control panel simulates."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from core.projects.queries import ProjectQuery
from core.services import Services
from core.wages.policy import WagePolicy
from sandbox.users import OFFICIAL_ID

logger = logging.getLogger(__name__)

KYIV = (50.4501, 30.5234)
SEOUL = (37.5665, 126.9780)
# The cities of the demo data, as the page's map offers them: key -> (name, centre).
CITIES = {"kyiv": ("Kyiv", KYIV), "seoul": ("Seoul", SEOUL)}
ACTIVE_STATUS = "implementation"  # the OC4IDS projectStatus of works under way
DEMO_WORKER_ID = "wrk-sandbox-petro"
CURRENCY = "UAH"
AMOUNT_DUE = "18437.50"
PAY_DELAY_DAYS = 5  # a period's pay is due this many days after it ends
_DEFAULT_EMPLOYER = ("sandbox-contractor", "Sandbox Construction LLC")


@dataclass(frozen=True)
class DemoJob:
    """Where the demo worker works: a project and its contractor."""

    project_id: str
    employer_id: str
    employer_name: str


async def demo_job(svc: Services) -> DemoJob | None:
    """The active (under way) Kyiv demo project nearest the centre, and its first supplier as
    the employer."""
    query = ProjectQuery(lat=KYIV[0], lon=KYIV[1], radius_m=50_000, status=ACTIVE_STATUS, limit=1)
    page = await svc.projects.find(query)
    if not page.items:
        return None
    card = await svc.projects.get_card(page.items[0].id)
    employer = (card.suppliers[0].id, card.suppliers[0].name) if card.suppliers else None
    employer_id, employer_name = employer or _DEFAULT_EMPLOYER
    return DemoJob(card.id, employer_id, employer_name)


OPEN311_APP = "sandbox Open311 app"


async def prepare(svc: Services, policy: WagePolicy) -> DemoJob | None:
    """Register the sandbox official and load the demo worker (idempotent)."""
    await svc.officials.add(OFFICIAL_ID, "Sandbox official")
    job = await demo_job(svc)
    if job is None:
        logger.warning("sandbox: no project in Kyiv, so no demo worker")
        return None
    worker = {
        "id": DEMO_WORKER_ID,
        "full_name": "Petro Ivanenko",
        "language": "uk",
        "employments": [
            {
                "project_id": job.project_id,
                "employer_id": job.employer_id,
                "employer_name": job.employer_name,
                "role": "concrete worker",
            }
        ],
    }
    await svc.wages.sync_json({"workers": [worker]}, policy)
    return job


@dataclass(frozen=True)
class Period:
    """A pay period and the day its pay is due."""

    start: date
    end: date
    due: date


def _month_after(day: date) -> tuple[date, date]:
    start = day + timedelta(days=1)
    following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start, following - timedelta(days=1)


def _month_before(day: date) -> tuple[date, date]:
    end = day - timedelta(days=1)
    return end.replace(day=1), end


def next_period(
    kind: str, today: date, bounds: tuple[date, date] | None, policy: WagePolicy
) -> Period:
    """A pay period none of the worker's periods has been (`bounds`: their first start and last
    end), due five days after it ends. An overdue one is a whole month before the first, ended
    long enough ago that its due date is past by the grace days and the first reminder step;
    any other is the month after the last (last month when there is none)."""
    if kind == "overdue":
        late = policy.grace_days + min(policy.reminder_steps, default=1)
        cap = (today - timedelta(days=late + PAY_DELAY_DAYS - 1)).replace(day=1)
        first = min(bounds[0], cap) if bounds else cap
        start, end = _month_before(first.replace(day=1))
        return Period(start, end, end + timedelta(days=PAY_DELAY_DAYS))
    start, end = _month_after(bounds[1]) if bounds else _month_before(today.replace(day=1))
    return Period(start, end, max(today, end) + timedelta(days=PAY_DELAY_DAYS))


def wage_package(job: DemoJob, kind: str, period: Period, now: datetime, serial: str) -> Any:
    """The demo worker's pay for `period` in the state `kind` asks for."""
    if kind not in WAGE_KINDS:
        raise ValueError(f"kind must be one of {', '.join(WAGE_KINDS)}")
    overdue = kind == "overdue"
    schedule = {
        "id": f"sch-sandbox-{serial}",
        "project_id": job.project_id,
        "employer_id": job.employer_id,
        "employer_name": job.employer_name,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "due_date": period.due.isoformat(),
        "currency": CURRENCY,
        "funds_released_at": None if overdue else now.isoformat(),
    }
    paid = {"credited": AMOUNT_DUE, "partial": "9000.00"}.get(kind, "0")
    entry: dict[str, Any] = {
        "id": f"ent-sandbox-{serial}",
        "schedule_id": schedule["id"],
        "worker_id": DEMO_WORKER_ID,
        "amount_due": AMOUNT_DUE,
        "amount_paid": paid,
        "currency": CURRENCY,
    }
    if kind in ("credited", "partial"):
        entry["paid_at"] = now.isoformat()
    if kind == "failed":
        entry["status"] = "failed"
    return {"schedules": [schedule], "entries": [entry]}


WAGE_KINDS = ("released", "credited", "partial", "failed", "overdue")
