"""An official's answer given before moderation is public only once the report is acknowledged,
and a rejected report with its answers never is."""

from __future__ import annotations

import httpx

from core.reports.schemas import StatusChange
from tests.conftest import UowFactory
from tests.reportutil import new_report, setup_world


async def test_an_early_answer_becomes_public_with_its_report(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    async with uow() as svc:
        await setup_world(svc)
        kept = await svc.reports.file(new_report())
        spam = await svc.reports.file(new_report(category="other", text="Buy watches"))
        await svc.reports.answer(kept.id, "Checking the permits")
        await svc.reports.answer(spam.id, "Not a report")
    for ref in (kept.reference, spam.reference):
        assert (await client.get(f"/open311/v2/requests/{ref}.json")).status_code == 404
    async with uow() as svc:
        await svc.reports.change_status(kept.id, StatusChange(status="acknowledged"))
        await svc.reports.change_status(spam.id, StatusChange(status="closed", reason="rejected"))
    (one,) = (await client.get(f"/open311/v2/requests/{kept.reference}.json")).json()
    assert [n["description"] for n in one["notes"]] == ["Checking the permits"]
    assert (await client.get(f"/open311/v2/requests/{spam.reference}.json")).status_code == 404
    listed = (await client.get("/open311/v2/requests.json")).json()
    assert [r["service_request_id"] for r in listed] == [kept.reference]
