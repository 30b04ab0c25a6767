"""Plain async builders for tests: each says what it needs and gets sensible defaults."""

from __future__ import annotations

from typing import Any

from core.chats.models import Chat
from core.services import Services
from core.wages.policy import WagePolicy
from core.wages.schemas import WageSyncResult
from tests.conftest import NOW

POLICY = WagePolicy(pii_key=b"test-pii-key")


def worker(wid: str = "wrk-1", **overrides: Any) -> dict[str, Any]:
    """A worker record in the sync format, employed on project p-1 by emp-1."""
    record: dict[str, Any] = {
        "id": wid,
        "full_name": f"Petro Ivanenko {wid}",
        "phone": "+380670000101",
        "language": "uk",
        "employments": [
            {"project_id": "p-1", "employer_id": "emp-1", "employer_name": "Budova LLC"}
        ],
    }
    record.update(overrides)
    return record


def schedule(sid: str = "sch-1", **overrides: Any) -> dict[str, Any]:
    """October 2026 on p-1, due 10 November, in UAH; funds not released yet."""
    record: dict[str, Any] = {
        "id": sid,
        "project_id": "p-1",
        "employer_id": "emp-1",
        "employer_name": "Budova LLC",
        "period_start": "2026-10-01",
        "period_end": "2026-10-31",
        "due_date": "2026-11-10",
        "currency": "UAH",
    }
    record.update(overrides)
    return record


def entry(eid: str = "ent-1", **overrides: Any) -> dict[str, Any]:
    """18,437.50 UAH due to wrk-1 on sch-1, nothing paid yet."""
    record: dict[str, Any] = {
        "id": eid,
        "schedule_id": "sch-1",
        "worker_id": "wrk-1",
        "amount_due": "18437.50",
        "amount_paid": "0",
        "currency": "UAH",
    }
    record.update(overrides)
    return record


def wage_package(**lists: list[dict[str, Any]]) -> dict[str, Any]:
    """One worker, one schedule, one entry unless lists are given."""
    return {
        "workers": lists.get("workers", [worker()]),
        "schedules": lists.get("schedules", [schedule()]),
        "entries": lists.get("entries", [entry()]),
    }


async def make_chat(svc: Services, chat_id: int, locale: str | None = None) -> None:
    """A chat that started the bot."""
    svc.session.add(Chat(id=chat_id, locale=locale, first_seen_at=NOW, last_seen_at=NOW))
    await svc.session.flush()


async def sync_wages(svc: Services, **lists: list[dict[str, Any]]) -> WageSyncResult:
    """Sync a package built by wage_package()."""
    return await svc.wages.sync_json(wage_package(**lists), POLICY)


async def link_worker(svc: Services, worker_id: str, chat_id: int) -> None:
    """Link a chat to a worker the way the bot does: a code, then redeem."""
    created = await svc.wages.create_link_code(worker_id, POLICY)
    result = await svc.wages.redeem_code(chat_id, created.code)
    assert result.status == "linked"
