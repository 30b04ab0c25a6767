"""Sandbox demo data: the official, and a demo worker employed on a demo project in Kyiv."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from core.services import Services
from core.wages.policy import WagePolicy
from sandbox.users import OFFICIAL_ID

logger = logging.getLogger(__name__)

KYIV = (50.4501, 30.5234)
DEMO_WORKER_ID = "wrk-sandbox-petro"
CURRENCY = "UAH"
AMOUNT_DUE = "18437.50"
_DEFAULT_EMPLOYER = ("sandbox-contractor", "Sandbox Construction LLC")


@dataclass(frozen=True)
class DemoJob:
    """Where the demo worker works: a project and its contractor."""

    project_id: str
    employer_id: str
    employer_name: str


async def demo_job(svc: Services) -> DemoJob | None:
    """The Kyiv demo project nearest the centre, and its first supplier as the employer."""
    page = await svc.projects.find_nearby(*KYIV, radius_m=50_000, limit=1)
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


def wage_package(job: DemoJob, kind: str, now: datetime, today: date, serial: str) -> Any:
    """One new pay period for the demo worker in the state `kind` asks for."""
    if kind not in WAGE_KINDS:
        raise ValueError(f"kind must be one of {', '.join(WAGE_KINDS)}")
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    last = today.replace(day=1) - timedelta(days=1)
    overdue = kind == "overdue"
    schedule = {
        "id": f"sch-sandbox-{serial}",
        "project_id": job.project_id,
        "employer_id": job.employer_id,
        "employer_name": job.employer_name,
        "period_start": first.isoformat(),
        "period_end": last.isoformat(),
        "due_date": (
            today - timedelta(days=1) if overdue else today + timedelta(days=5)
        ).isoformat(),
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
