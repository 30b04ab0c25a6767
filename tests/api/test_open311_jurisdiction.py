"""Open311's `jurisdiction_id`: one jurisdiction here, so every call takes it and answers as
without it (the specification makes it optional where a server has one jurisdiction)."""

from __future__ import annotations

import httpx

from core.reports.schemas import StatusChange
from tests.api.conftest import make_key
from tests.conftest import UowFactory
from tests.reportutil import new_report, setup_world

JURISDICTION = "kyiv.example.org"


async def test_every_call_takes_a_jurisdiction_id_and_answers_as_without(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    async with uow() as svc:
        await setup_world(svc)
        filed = await svc.reports.file(new_report())
        await svc.reports.change_status(filed.id, StatusChange(status="acknowledged"))
    for path in (
        "/open311/v2/services.json",
        "/open311/v2/services/noise.json",
        "/open311/v2/requests.json",
        f"/open311/v2/requests/{filed.reference}.json",
    ):
        plain = await client.get(path)
        scoped = await client.get(path, params={"jurisdiction_id": JURISDICTION})
        assert (scoped.status_code, scoped.json()) == (200, plain.json()), path
        assert scoped.json(), path
    listed = await client.get("/open311/v2/requests.json", params={"jurisdiction_id": "x"})
    assert [r["service_request_id"] for r in listed.json()] == [filed.reference]
    key = (await make_key(uow, "app"))["Authorization"].removeprefix("Bearer ")
    form = {
        "api_key": key,
        "jurisdiction_id": JURISDICTION,
        "service_code": "dust",
        "lat": "50.4501",
        "long": "30.5234",
        "description": "Mud on the road",
    }
    made = await client.post("/open311/v2/requests.json", data=form)
    assert made.status_code == 200, made.text
    assert made.json()[0]["service_request_id"].startswith("CR-")
