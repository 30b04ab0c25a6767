"""The wage API: sync (JSON and CSV), link codes, overdue figures; roles enforced."""

from __future__ import annotations

import httpx

from tests.api.conftest import make_key
from tests.conftest import UowFactory
from tests.factories import entry, wage_package

CSV_WORKERS = "id,full_name,language,project_id,employer_id\nwrk-1,Petro Ivanenko,uk,p-1,emp-1\n"
CSV_SCHEDULES = (
    "id,project_id,employer_id,employer_name,period_start,period_end,due_date,currency\n"
    "sch-1,p-1,emp-1,Budova LLC,2026-09-01,2026-09-30,2026-10-10,UAH\n"
)
CSV_ENTRIES = "id,schedule_id,worker_id,amount_due,currency\nent-1,sch-1,wrk-1,1000.00,UAH\n"


async def test_json_sync_counts_and_is_idempotent(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    headers = await make_key(uow, "sync")
    first = await client.post("/api/v1/sync/wages", json=wage_package(), headers=headers)
    again = await client.post("/api/v1/sync/wages", json=wage_package(), headers=headers)
    assert first.status_code == 200
    assert first.json()["entries"] == {"created": 1, "updated": 0, "unchanged": 0}
    assert again.json()["entries"] == {"created": 0, "updated": 0, "unchanged": 1}


async def test_bad_sync_is_422_naming_record_and_field(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    headers = await make_key(uow, "sync")
    bad = wage_package(entries=[entry(), entry("ent-2", amount_due="-1")])
    response = await client.post("/api/v1/sync/wages", json=bad, headers=headers)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_wages"
    assert "entries[1] (id 'ent-2'): field amount_due" in response.json()["detail"]
    after = await client.post("/api/v1/sync/wages", json=wage_package(), headers=headers)
    assert after.json()["workers"]["created"] == 1


async def test_csv_uploads_one_kind_per_file(client: httpx.AsyncClient, uow: UowFactory) -> None:
    headers = await make_key(uow, "sync")
    for kind, text in (
        ("workers", CSV_WORKERS),
        ("schedules", CSV_SCHEDULES),
        ("entries", CSV_ENTRIES),
    ):
        response = await client.post(
            "/api/v1/sync/wages",
            data={"kind": kind},
            files={"file": (f"{kind}.csv", text.encode(), "text/csv")},
            headers=headers,
        )
        assert response.status_code == 200, response.text
        assert response.json()[kind]["created"] == 1


async def test_csv_upload_without_kind_is_422(client: httpx.AsyncClient, uow: UowFactory) -> None:
    headers = await make_key(uow, "sync")
    response = await client.post(
        "/api/v1/sync/wages",
        files={"file": ("x.csv", CSV_WORKERS.encode(), "text/csv")},
        headers=headers,
    )
    assert response.status_code == 422


async def test_link_code_for_sync_and_official_roles(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    sync_headers = await make_key(uow, "sync")
    await client.post("/api/v1/sync/wages", json=wage_package(), headers=sync_headers)
    official = await make_key(uow, "official")
    for headers in (sync_headers, official):
        response = await client.post("/api/v1/workers/wrk-1/link-code", headers=headers)
        assert response.status_code == 200
        body = response.json()
        assert set(body) >= {"code", "deep_link", "expires_at"}
        assert "full_name" not in response.text
    missing = await client.post("/api/v1/workers/ghost/link-code", headers=official)
    assert missing.status_code == 404


async def test_overdue_figures_for_officials_only(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    sync_headers = await make_key(uow, "sync")
    late = wage_package(
        schedules=[
            {
                **wage_package()["schedules"][0],
                "period_start": "2026-09-01",
                "period_end": "2026-09-30",
                "due_date": "2026-10-10",
            }
        ]
    )
    await client.post("/api/v1/sync/wages", json=late, headers=sync_headers)
    official = await make_key(uow, "official")
    response = await client.get("/api/v1/wages/overdue", headers=official)
    assert response.status_code == 200
    body = response.json()
    assert (body["entries"], body["workers"]) == (1, 1)
    assert body["unpaid"] == [{"currency": "UAH", "amount": "18437.50"}]
    (group,) = body["groups"]
    assert (group["employer_id"], group["project_id"], group["max_days_late"]) == (
        "emp-1",
        "p-1",
        22,
    )
    assert "Petro" not in response.text
    forbidden = await client.get("/api/v1/wages/overdue", headers=sync_headers)
    assert forbidden.status_code == 403
