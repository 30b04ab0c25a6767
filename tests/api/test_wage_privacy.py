"""No endpoint without the right role, and no public answer, carries worker data."""

from __future__ import annotations

import httpx
import pytest

from core.errors import PermissionDenied
from tests.api.conftest import make_key
from tests.conftest import UowFactory
from tests.factories import (
    POLICY,
    entry,
    link_worker,
    make_chat,
    schedule,
    sync_wages,
    wage_package,
    worker,
)
from tests.samples import KYIV, package, project

SECRETS = ("Petro", "Ivanenko", "380670000101", "18437", "18 437", "wrk-1", "ent-")


async def test_wage_calls_need_the_right_role(client: httpx.AsyncClient, uow: UowFactory) -> None:
    official = await make_key(uow, "official")
    sync = await make_key(uow, "sync")
    calls = [
        ("POST", "/api/v1/sync/wages", official),
        ("POST", "/api/v1/sync/wages", {}),
        ("POST", "/api/v1/workers/wrk-1/link-code", {}),
        ("GET", "/api/v1/wages/overdue", sync),
        ("GET", "/api/v1/wages/overdue", {}),
    ]
    for method, url, headers in calls:
        response = await client.request(method, url, json=wage_package(), headers=headers)
        assert response.status_code == (403 if headers else 401), url


async def test_public_project_answers_carry_only_the_aggregate(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    async with uow() as svc:
        await svc.projects.import_package(package(project("p-1", *KYIV)))
        paid = {"amount_paid": "18437.50", "paid_at": "2026-10-15T10:00:00Z"}
        entries = [entry(f"ent-{n}", **paid) for n in range(4)]
        entries.append(entry("ent-9"))
        await sync_wages(svc, schedules=[schedule(due_date="2026-10-20")], entries=entries)
    urls = ["/api/v1/projects/p-1", "/api/v1/projects?q=p-1", "/api/v1/projects/p-1/oc4ids"]
    for url in urls:
        response = await client.get(url)
        assert response.status_code == 200
        assert not [s for s in SECRETS if s in response.text], url
    card = (await client.get("/api/v1/projects/p-1")).json()
    assert card["wages_paid_on_time_share"] == 0.8


async def test_small_projects_show_no_share(client: httpx.AsyncClient, uow: UowFactory) -> None:
    async with uow() as svc:
        await svc.projects.import_package(package(project("p-1", *KYIV)))
        await sync_wages(svc, entries=[entry(amount_paid="18437.50")])
    card = (await client.get("/api/v1/projects/p-1")).json()
    assert card["wages_paid_on_time_share"] is None


async def test_only_the_linked_chat_reads_or_reports_its_wages(uow: UowFactory) -> None:
    async with uow() as svc:
        await sync_wages(svc, workers=[worker("wrk-1"), worker("wrk-2")])
        await make_chat(svc, 100)
        await link_worker(svc, "wrk-1", 100)
        await link_worker(svc, "wrk-2", 200)
        mine = await svc.wages.my_wages(100)
        theirs = await svc.wages.my_wages(300)
        report = await svc.wages.report_unpaid(100, "ent-1")
        again = await svc.wages.report_unpaid(100, "ent-1")
    assert mine is not None
    assert [p.entry_id for p in mine.periods] == ["ent-1"]
    assert theirs is None
    assert report.reference.startswith("WR-")
    assert (report.is_new, again.is_new, again.reference) == (True, False, report.reference)
    with pytest.raises(PermissionDenied):
        async with uow() as svc:
            await svc.wages.report_unpaid(200, "ent-1")
    async with uow() as svc:
        other = await svc.wages.my_wages(200)
    assert other is not None
    assert other.periods == ()
    assert POLICY.pii_key is not None
