"""Open data out: the OC4IDS package (whole and paged by change number) and the CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import httpx

from core.projects.importer import demo_package
from tests.api.conftest import make_key
from tests.conftest import UowFactory
from tests.samples import KYIV, package, project

PACKAGE = "/api/v1/oc4ids/package"


async def _sync(client: httpx.AsyncClient, uow: UowFactory, body: object) -> dict[str, Any]:
    headers = await make_key(uow, "sync")
    response = await client.post("/api/v1/sync/oc4ids", json=body, headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def _walk(client: httpx.AsyncClient, url: str) -> tuple[list[str], str]:
    """Follow links.next until a page is empty: the ids seen, in order, and the last URL."""
    seen: list[str] = []
    while True:
        body = (await client.get(url)).json()
        seen += [p["id"] for p in body["projects"]]
        if not body["projects"]:
            return seen, url
        url = body["links"]["next"]


async def test_whole_package_is_records_as_received(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    records = [project("b", *KYIV, title_uk="Міст"), project("a")]
    await _sync(client, uow, package(*records))
    response = await client.get(PACKAGE)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["version"] == "0.9"
    assert body["publisher"] == {"name": "Clearsite"}
    assert body["uri"] == "http://test" + PACKAGE
    assert body["publishedDate"] == "2026-11-01T09:00:00Z"
    assert body["projects"] == records
    assert "links" not in body


async def test_paged_walk_sees_every_change_once_oldest_first(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    await _sync(client, uow, package(*(project(f"p{i}") for i in range(5))))
    seen, resume = await _walk(client, f"{PACKAGE}?limit=2")
    assert seen == ["p0", "p1", "p2", "p3", "p4"]
    # Changes after the walk appear once each, from where it stopped, in the order made.
    await _sync(client, uow, package(project("p1", status="completion")))
    await _sync(client, uow, package(project("p9"), project("p0", status="completion")))
    more, _ = await _walk(client, resume)
    assert more == ["p1", "p9", "p0"]


async def test_since_takes_a_time_and_unchanged_syncs_are_not_changes(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    await _sync(client, uow, package(project("p1")))
    await _sync(client, uow, package(project("p1")))
    body = (await client.get(PACKAGE, params={"since": "2026-01-01T00:00:00Z"})).json()
    assert [p["id"] for p in body["projects"]] == ["p1"]
    assert "after=1" in body["links"]["next"]
    later = (await client.get(PACKAGE, params={"since": "2026-11-02T00:00:00+02:00"})).json()
    assert later["projects"] == []
    assert "links" not in later


async def test_etag_answers_not_modified_until_something_changes(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    await _sync(client, uow, package(project("p1")))
    first = await client.get(PACKAGE)
    tag = first.headers["etag"]
    assert first.headers["last-modified"] == "Sun, 01 Nov 2026 09:00:00 GMT"
    again = await client.get(PACKAGE, headers={"If-None-Match": tag})
    assert (again.status_code, again.content) == (304, b"")
    await _sync(client, uow, package(project("p1", status="completion")))
    changed = await client.get(PACKAGE, headers={"If-None-Match": tag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != tag


async def test_bad_paging_input_is_refused(client: httpx.AsyncClient) -> None:
    for params in (
        {"since": "yesterday"},
        {"since": "2026-01-01T00:00:00"},
        {"limit": "0"},
        {"limit": "10001"},
        {"after": "-1"},
        {"after": str(2**63)},
    ):
        response = await client.get(PACKAGE, params=params)
        assert response.status_code == 422, params


async def test_csv_has_one_row_per_project_with_the_card_figures(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    paid: dict[str, Any] = {
        "transactions": [{"id": "t1", "value": {"amount": 250000, "currency": "UAH"}}]
    }
    await _sync(
        client,
        uow,
        package(project("p1", *KYIV, **paid), project("p2", title="=HYPERLINK(1)")),
    )
    response = await client.get("/api/v1/projects.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["id"] for r in rows] == ["p1", "p2"]
    first = rows[0]
    assert first["budget_amount"] == "1500000.50"
    assert first["paid_amount"] == "250000"
    assert first["planned_end_date"] == "2026-12-31"
    assert first["delay_days"] == "0"
    assert first["public_authority"] == "Kyiv City State Administration"
    assert first["contractors"] == "Budova LLC"
    assert (float(first["lat"]), float(first["lon"])) == KYIV
    assert rows[1]["title"] == "'=HYPERLINK(1)"
    assert rows[1]["lat"] == ""


async def test_demo_catalogue_round_trips(client: httpx.AsyncClient, uow: UowFactory) -> None:
    demo = demo_package()
    async with uow() as svc:
        await svc.projects.import_package(demo)
    body = json.loads((await client.get(PACKAGE)).content)
    assert sorted(body["projects"], key=lambda p: p["id"]) == sorted(
        demo["projects"], key=lambda p: p["id"]
    )
