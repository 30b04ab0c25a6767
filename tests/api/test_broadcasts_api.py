"""Broadcasts and officials through the HTTP API."""

from __future__ import annotations

import httpx

from tests import samples
from tests.api.conftest import make_key
from tests.conftest import UowFactory
from tests.outboxutil import add_chats, deliveries

BODY = {"audience": {"kind": "all"}, "text": {"en": "Water off 10-14", "uk": "Води не буде"}}


async def test_official_broadcasts_and_follows_it(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    headers = await make_key(uow, "official")
    async with uow() as svc:
        await add_chats(svc, [1, 2, 3])
    made = await client.post("/api/v1/broadcasts", json=BODY, headers=headers)
    assert made.status_code == 202
    accepted = made.json()
    assert (accepted["recipients"], accepted["status"]) == (3, "sending")
    read = (await client.get(f"/api/v1/broadcasts/{accepted['id']}", headers=headers)).json()
    assert read["counts"] == {
        "pending": 3, "sent": 0, "failed": 0, "blocked": 0, "cancelled": 0, "expired": 0
    }  # fmt: skip
    assert (read["urgency"], read["expires_at"]) == ("normal", None)
    assert read["author"].startswith("apikey:")
    assert read["sender"] == "test official"
    cancel = await client.post(f"/api/v1/broadcasts/{accepted['id']}/cancel", headers=headers)
    assert cancel.json()["status"] == "cancelled"
    assert cancel.json()["counts"]["cancelled"] == 3
    listed = (await client.get("/api/v1/broadcasts", headers=headers)).json()
    assert [b["id"] for b in listed["items"]] == [accepted["id"]]


async def test_urgent_expiring_broadcast_marks_every_copy(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    headers = await make_key(uow, "official")
    async with uow() as svc:
        await add_chats(svc, [1, 2])
    body = {**BODY, "urgency": "urgent", "expires_at": "2026-11-01T12:00:00+02:00"}
    made = await client.post("/api/v1/broadcasts", json=body, headers=headers)
    assert made.status_code == 202
    read = (await client.get(f"/api/v1/broadcasts/{made.json()['id']}", headers=headers)).json()
    assert (read["urgency"], read["expires_at"]) == ("urgent", "2026-11-01T10:00:00Z")
    async with uow() as svc:
        rows = await deliveries(svc)
    assert {(r.urgency, r.expires_at.isoformat() if r.expires_at else None) for r in rows} == {
        ("urgent", "2026-11-01T10:00:00+00:00")
    }


async def test_bad_urgency_or_expiry_is_refused_with_nothing_written(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    headers = await make_key(uow, "official")
    async with uow() as svc:
        await add_chats(svc, [1])
    for extra in (
        {"urgency": "very"},
        {"expires_at": "2026-11-01T08:00:00Z"},  # before now
        {"expires_at": "2026-11-01T12:00:00Z", "send_at": "2026-11-01T13:00:00Z"},
        {"expires_at": "2026-11-01T12:00:00"},  # no zone
    ):
        answer = await client.post("/api/v1/broadcasts", json={**BODY, **extra}, headers=headers)
        assert answer.status_code == 422, extra
    async with uow() as svc:
        assert await deliveries(svc) == []


async def test_broadcast_needs_the_official_role_and_valid_input(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    sync = await make_key(uow, "sync")
    official = await make_key(uow, "official")
    assert (await client.post("/api/v1/broadcasts", json=BODY)).status_code == 401
    assert (await client.post("/api/v1/broadcasts", json=BODY, headers=sync)).status_code == 403
    bad_lang = {**BODY, "text": {"de": "Hallo"}}
    answer = await client.post("/api/v1/broadcasts", json=bad_lang, headers=official)
    assert answer.status_code == 422
    unknown = {**BODY, "audience": {"kind": "project", "project_id": "nope"}}
    answer = await client.post("/api/v1/broadcasts", json=unknown, headers=official)
    assert (answer.status_code, answer.json()["code"]) == (404, "project_not_found")
    assert (await client.get("/api/v1/broadcasts/999", headers=official)).status_code == 404


async def test_workers_audience_without_linked_workers_reaches_nobody(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    headers = await make_key(uow, "official")
    sync = await make_key(uow, "sync")
    package = samples.package(samples.project("p-1", *samples.KYIV))
    assert (
        await client.post("/api/v1/sync/oc4ids", json=package, headers=sync)
    ).status_code == 200
    body = {**BODY, "audience": {"kind": "workers", "project_id": "p-1"}}
    answer = (await client.post("/api/v1/broadcasts", json=body, headers=headers)).json()
    assert answer["recipients"] == 0


async def test_officials_are_registered_through_the_api(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    headers = await make_key(uow, "official")
    made = await client.post(
        "/api/v1/officials", json={"telegram_id": 777, "name": "O. Petrenko"}, headers=headers
    )
    assert made.status_code == 201
    listed = (await client.get("/api/v1/officials", headers=headers)).json()
    assert [o["telegram_id"] for o in listed["items"]] == [777]
    async with uow() as svc:
        assert await svc.officials.is_official(777)
