"""The public project API and the OC4IDS sync call, over HTTP."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.api.conftest import make_key
from tests.conftest import UowFactory
from tests.samples import KYIV, SEOUL, package, project


async def _sync(client: httpx.AsyncClient, uow: UowFactory, body: object) -> httpx.Response:
    headers = await make_key(uow, "sync")
    return await client.post("/api/v1/sync/oc4ids", json=body, headers=headers)


async def test_health_answers_ok(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_sync_then_nearby_over_http(client: httpx.AsyncClient, uow: UowFactory) -> None:
    lat, lon = KYIV
    pkg = package(project("north", lat + 0.005, lon), project("seoul", *SEOUL))
    first = await _sync(client, uow, pkg)
    again = await _sync(client, uow, pkg)
    assert first.json() == {"created": 2, "updated": 0, "unchanged": 0}
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 2}
    response = await client.get(
        "/api/v1/projects", params={"lat": lat, "lon": lon, "radius_m": 2000}
    )
    assert response.status_code == 200
    body = response.json()
    assert [(i["id"], i["distance_m"]) for i in body["items"]] == [("north", 555.98)]
    assert body["items"][0]["status"] == "implementation"
    assert body["items"][0]["progress_pct"] == 55.0
    assert body["next_cursor"] is None


async def test_card_and_record_as_received(client: httpx.AsyncClient, uow: UowFactory) -> None:
    record = project("p1", *KYIV, title_uk="Міст")
    await _sync(client, uow, package(record))
    card = (await client.get("/api/v1/projects/p1", params={"lang": "uk"})).json()
    assert card["title"] == "Міст"
    assert card["budget"] == {"amount": "1500000.50", "currency": "UAH"}
    raw = await client.get("/api/v1/projects/p1/oc4ids")
    assert raw.headers["content-type"] == "application/json"
    assert json.loads(raw.content) == record


async def test_paging_through_search_results(client: httpx.AsyncClient, uow: UowFactory) -> None:
    await _sync(client, uow, package(*(project(f"p{i}", title=f"Road {i}") for i in range(5))))
    seen: list[str] = []
    params: dict[str, str | int] = {"q": "road", "limit": 2}
    while True:
        body = (await client.get("/api/v1/projects", params=params)).json()
        seen += [i["id"] for i in body["items"]]
        if not body["next_cursor"]:
            break
        params["cursor"] = body["next_cursor"]
    assert seen == [f"p{i}" for i in range(5)]


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/projects/missing", 404, "project_not_found"),
        ("/api/v1/projects/missing/oc4ids", 404, "project_not_found"),
        ("/api/v1/projects?lat=50", 422, "invalid_input"),
        ("/api/v1/projects?lat=95&lon=30", 422, "invalid_request"),
        ("/api/v1/projects?limit=1000", 422, "invalid_request"),
        ("/api/v1/projects?cursor=zzz", 422, "invalid_input"),
        ("/api/v1/nothing-here", 404, "not_found"),
    ],
)
async def test_errors_are_json_with_a_code(
    client: httpx.AsyncClient, path: str, status: int, code: str
) -> None:
    response = await client.get(path)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["detail"]


async def test_sync_needs_a_sync_key(client: httpx.AsyncClient, uow: UowFactory) -> None:
    body = package(project("x", *KYIV))
    official = await make_key(uow, "official")
    none = await client.post("/api/v1/sync/oc4ids", json=body)
    wrong = await client.post(
        "/api/v1/sync/oc4ids", json=body, headers={"Authorization": "Bearer nope"}
    )
    role = await client.post("/api/v1/sync/oc4ids", json=body, headers=official)
    assert (none.status_code, none.json()["code"]) == (401, "unauthorized")
    assert none.headers["www-authenticate"] == "Bearer"
    assert wrong.status_code == 401
    assert (role.status_code, role.json()["code"]) == (403, "forbidden")
    assert (await client.get("/api/v1/projects")).json()["items"] == []


async def test_revoked_key_is_refused(client: httpx.AsyncClient, uow: UowFactory) -> None:
    headers = await make_key(uow, "sync")
    async with uow() as svc:
        [key] = await svc.api_keys.list()
        await svc.api_keys.revoke(key.id)
    response = await client.post(
        "/api/v1/sync/oc4ids", json=package(project("x")), headers=headers
    )
    assert response.status_code == 401


async def test_invalid_package_is_422_naming_record_and_field(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    bad = package(project("ok", *KYIV), project("bad", 95.0, 30.0))
    response = await _sync(client, uow, bad)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert "projects[1] (id 'bad')" in response.json()["detail"]
    assert "locations/0/geometry/coordinates" in response.json()["detail"]
    assert (await client.get("/api/v1/projects")).json()["items"] == []


async def test_body_that_is_not_json_is_422(client: httpx.AsyncClient, uow: UowFactory) -> None:
    headers = await make_key(uow, "sync")
    response = await client.post("/api/v1/sync/oc4ids", content=b"{nope", headers=headers)
    assert (response.status_code, response.json()["code"]) == (422, "invalid_json")


async def test_oversized_body_is_413_and_writes_nothing(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    headers = await make_key(uow, "sync")
    big = package(*(project(f"p{i}", *KYIV, description="x" * 1000) for i in range(80)))
    response = await client.post("/api/v1/sync/oc4ids", json=big, headers=headers)
    assert (response.status_code, response.json()["code"]) == (413, "payload_too_large")

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(100):
            yield b" " * 1024

    streamed = await client.post("/api/v1/sync/oc4ids", content=chunks(), headers=headers)
    assert streamed.status_code == 413
    assert (await client.get("/api/v1/projects")).json()["items"] == []


async def test_openapi_page_lists_the_calls(client: httpx.AsyncClient) -> None:
    assert (await client.get("/docs")).status_code == 200
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert {
        "/health",
        "/api/v1/projects",
        "/api/v1/projects/{project_id}",
        "/api/v1/sync/oc4ids",
    } <= set(paths)
