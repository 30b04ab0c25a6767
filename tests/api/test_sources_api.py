"""/api/v1/sources: role sync only, checked input, and pulls that report what they did."""

from __future__ import annotations

import httpx

from tests.api.conftest import make_key
from tests.conftest import UowFactory

SOURCES = "/api/v1/sources"


async def test_sources_need_the_sync_role(client: httpx.AsyncClient, uow: UowFactory) -> None:
    assert (await client.get(SOURCES)).status_code == 401
    official = await make_key(uow, "official")
    assert (await client.get(SOURCES, headers=official)).status_code == 403
    body = {"url": "https://example.org/p.json"}
    assert (await client.post(SOURCES, json=body, headers=official)).status_code == 403
    async with uow() as svc:
        assert await svc.sources.list() == []


async def test_add_list_get_remove(client: httpx.AsyncClient, uow: UowFactory) -> None:
    sync = await make_key(uow, "sync")
    body = {"url": "https://example.org/p.json", "name": "Roads", "every_s": 1800}
    added = await client.post(SOURCES, json=body, headers=sync)
    assert added.status_code == 201
    source = added.json()
    assert (source["name"], source["every_s"], source["silence_s"]) == ("Roads", 1800, 604800)
    assert source["next_pull_at"] == "2026-11-01T09:00:00Z"
    assert (source["is_failing"], source["is_silent"]) == (False, False)
    listed = (await client.get(SOURCES, headers=sync)).json()
    assert [s["id"] for s in listed] == [source["id"]]
    one = await client.get(f"{SOURCES}/{source['id']}", headers=sync)
    assert one.json()["url"] == "https://example.org/p.json"
    assert (await client.delete(f"{SOURCES}/{source['id']}", headers=sync)).status_code == 204
    gone = await client.delete(f"{SOURCES}/{source['id']}", headers=sync)
    assert (gone.status_code, gone.json()["code"]) == (404, "source_not_found")


async def test_bad_source_input_is_a_4xx_with_nothing_written(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    sync = await make_key(uow, "sync")
    bodies: list[object] = [
        {},
        {"url": "file:///etc/passwd"},
        {"url": "https://example.org/" + "x" * 2000},
        {"url": "https://example.org/\u0000"},
        {"url": "https://example.org/p.json", "every_s": 5},
        {"url": "https://example.org/p.json", "every_s": 2**70},
        {"url": "https://example.org/p.json", "name": "x" * 201},
        {"url": "https://example.org/p.json", "unknown": True},
        [],
    ]
    for body in bodies:
        response = await client.post(SOURCES, json=body, headers=sync)
        assert response.status_code == 422, body
    bad_json = await client.post(SOURCES, content=b"{", headers=sync)
    assert bad_json.status_code == 422
    for path in ("/0", "/-1", f"/{2**63}", "/x"):
        assert (await client.get(SOURCES + path, headers=sync)).status_code == 422, path
    assert (await client.post(f"{SOURCES}/5/pull", headers=sync)).status_code == 404
    async with uow() as svc:
        assert await svc.sources.list() == []


async def test_pull_now_reports_a_failure_without_writing(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    sync = await make_key(uow, "sync")
    # Nothing listens on port 9 of loopback (discard): the connection is refused at once.
    body = {"url": "http://127.0.0.1:9/p.json"}
    source = (await client.post(SOURCES, json=body, headers=sync)).json()
    response = await client.post(f"{SOURCES}/{source['id']}/pull", headers=sync)
    assert response.status_code == 200
    report = response.json()
    assert (report["ok"], report["created"]) == (False, 0)
    assert "ConnectError" in report["error"]
    health = (await client.get(f"{SOURCES}/{source['id']}", headers=sync)).json()
    assert health["consecutive_failures"] == 1
