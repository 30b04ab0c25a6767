"""Officials' report API (role `official`): list with filters, thread, status, notes, block,
assignments; the public accountability figures; bad input is a 4xx that changes nothing."""

from __future__ import annotations

from datetime import timedelta

import httpx

from tests.api.conftest import make_key
from tests.conftest import NOW, UowFactory
from tests.reportutil import OFFICIAL, REPORTER, deliveries, new_report, setup_world


async def _world(uow: UowFactory) -> int:
    async with uow() as svc:
        await setup_world(svc)
        return (await svc.reports.file(new_report())).id


async def test_officials_list_read_move_and_answer(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    rid = await _world(uow)
    key = await make_key(uow, "official")
    listed = await client.get("/api/v1/reports?status=new&project_id=P1", headers=key)
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()["items"]] == [rid]
    assert "chat_id" not in listed.text
    expected = (NOW + timedelta(days=3)).isoformat()
    moved = await client.post(
        f"/api/v1/reports/{rid}/status",
        json={"status": "in_progress", "expected_at": expected, "note": "Crew booked"},
        headers=key,
    )
    assert moved.status_code == 200, moved.text
    assert (moved.json()["status"], moved.json()["is_public"]) == ("in_progress", True)
    note = await client.post(
        f"/api/v1/reports/{rid}/notes", json={"text": "Done soon"}, headers=key
    )
    assert note.status_code == 201
    thread = await client.get(f"/api/v1/reports/{rid}", headers=key)
    assert [n["kind"] for n in thread.json()["notes"]] == ["status", "answer"]
    async with uow() as svc:
        assert len(await deliveries(svc, "report_answer")) == 1


async def test_overdue_filter(client: httpx.AsyncClient, uow: UowFactory) -> None:
    await _world(uow)
    key = await make_key(uow, "official")
    assert (await client.get("/api/v1/reports?overdue=true", headers=key)).json()["items"] == []
    assert (
        len((await client.get("/api/v1/reports?overdue=false", headers=key)).json()["items"]) == 1
    )


async def test_auth_comes_first_and_roles_are_checked(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    rid = await _world(uow)
    assert (await client.get("/api/v1/reports")).status_code == 401
    sync = await make_key(uow, "sync")
    assert (await client.get("/api/v1/reports", headers=sync)).status_code == 403
    app = await make_key(uow, "app")
    refused = await client.post(f"/api/v1/reports/{rid}/status", content=b"{bad", headers=app)
    assert refused.status_code == 403


async def test_bad_input_is_a_4xx_and_changes_nothing(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    rid = await _world(uow)
    key = await make_key(uow, "official")
    cases = [
        ("/api/v1/reports/0/status", {"status": "acknowledged"}, 422),
        (f"/api/v1/reports/{2**31}/status", {"status": "acknowledged"}, 422),
        ("/api/v1/reports/999/status", {"status": "acknowledged"}, 404),
        (f"/api/v1/reports/{rid}/status", {"status": "closed"}, 422),
        (f"/api/v1/reports/{rid}/status", {"status": "bogus"}, 422),
        (f"/api/v1/reports/{rid}/status", {"status": "acknowledged", "x": 1}, 422),
        (f"/api/v1/reports/{rid}/notes", {"text": ""}, 422),
        (f"/api/v1/reports/{rid}/notes", {"text": "a\u0000b"}, 422),
        (f"/api/v1/reports/{rid}/notes", {"text": "x" * 4001}, 422),
        (f"/api/v1/officials/{OFFICIAL}/assignments", {"project_id": "P1", "sector": "x"}, 422),
        (f"/api/v1/officials/{OFFICIAL}/assignments", {"project_id": "nope"}, 404),
        ("/api/v1/officials/42/assignments", {"sector": "transport"}, 404),
    ]
    for url, body, status in cases:
        answer = await client.post(url, json=body, headers=key)
        assert answer.status_code == status, (url, body, answer.text)
        assert "code" in answer.json()
    bad_query = await client.get("/api/v1/reports?limit=0&overdue=maybe", headers=key)
    assert bad_query.status_code == 422
    nul = await client.get("/api/v1/reports?project_id=a%00b", headers=key)
    assert nul.status_code == 422
    async with uow() as svc:
        assert (await svc.reports.get(rid)).status == "new"
        assert (await svc.reports.thread(rid)).notes == ()


async def test_assignments_route_reports(client: httpx.AsyncClient, uow: UowFactory) -> None:
    await _world(uow)
    key = await make_key(uow, "official")
    made = await client.post(
        f"/api/v1/officials/{OFFICIAL}/assignments", json={"project_id": "P1"}, headers=key
    )
    assert made.status_code == 201
    assert made.json()["scope"] == "project"
    listed = await client.get(f"/api/v1/officials/{OFFICIAL}/assignments", headers=key)
    assert [a["target"] for a in listed.json()["items"]] == ["P1"]
    async with uow() as svc:
        await svc.reports.file(new_report())
        filed = await deliveries(svc, "report_filed")
    assert [d.chat_id for d in filed][-1:] == [OFFICIAL]


async def test_block_reporter_and_accountability(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    rid = await _world(uow)
    key = await make_key(uow, "official")
    blocked = await client.post(
        f"/api/v1/reports/{rid}/block", json={"reason": "spam"}, headers=key
    )
    assert blocked.json() == {"blocked": True}
    async with uow() as svc:
        assert await svc.reports.block_reason(REPORTER) == "spam"
    await client.post(f"/api/v1/reports/{rid}/status", json={"status": "resolved"}, headers=key)
    figures = await client.get("/api/v1/authorities/UA-KMDA/accountability")
    assert figures.status_code == 200
    assert figures.json()["reports"] == 1
    assert figures.json()["answered"] == 1
    card = await client.get("/api/v1/projects/P1")
    assert card.json()["reports"]["open"] == 0
    assert card.json()["reports"]["answered"] == 1
