"""Each wage event becomes exactly one delivery to the linked chat, in the worker's language."""

from __future__ import annotations

import json

from sqlalchemy import select

from core.outbox.models import Delivery
from tests.conftest import UowFactory
from tests.factories import entry, link_worker, make_chat, schedule, sync_wages


async def _deliveries(uow: UowFactory) -> list[Delivery]:
    async with uow() as svc:
        return list(await svc.session.scalars(select(Delivery).order_by(Delivery.id)))


async def _linked(uow: UowFactory, chat_locale: str | None = None) -> None:
    async with uow() as svc:
        await sync_wages(svc)
        await make_chat(svc, 100, chat_locale)
        await link_worker(svc, "wrk-1", 100)


async def test_funds_released_then_credited_each_alert_once(uow: UowFactory) -> None:
    await _linked(uow)
    released = schedule(funds_released_at="2026-11-05T09:00:00Z")
    paid = entry(amount_paid="18437.50", paid_at="2026-11-09T10:00:00Z", reference="PAY-1")
    async with uow() as svc:
        first = await sync_wages(svc, schedules=[released], entries=[])
    async with uow() as svc:
        second = await sync_wages(svc, schedules=[released], entries=[paid])
    async with uow() as svc:
        again = await sync_wages(svc, schedules=[released], entries=[paid])
    rows = await _deliveries(uow)
    assert (first.alerts, second.alerts, again.alerts, again.events) == (1, 1, 0, 0)
    assert [(d.kind, d.locale, d.dedup_key) for d in rows] == [
        ("wage_funds_released", "uk", "wage:ent-1:funds_released:100"),
        ("wage_credited", "uk", "wage:ent-1:credited:100"),
    ]
    params = json.loads(rows[1].params)
    assert [r.urgency for r in rows] == ["normal", "normal"]
    assert params["amount_paid"] == "18437.50"
    assert params["currency"] == "UAH"
    assert (params["period_start"], params["period_end"]) == ("2026-10-01", "2026-10-31")
    assert (params["project_id"], params["employer_name"]) == ("p-1", "Budova LLC")


async def test_chat_language_wins_over_payroll_language(uow: UowFactory) -> None:
    await _linked(uow, chat_locale="ko")
    async with uow() as svc:
        await sync_wages(svc, entries=[entry(status="failed")])
    (row,) = await _deliveries(uow)
    assert (row.kind, row.locale) == ("wage_failed", "ko")
    assert row.urgency == "urgent"  # a failed payment passes quiet hours


async def test_each_new_partial_amount_alerts_once(uow: UowFactory) -> None:
    await _linked(uow)
    for paid in ("100.00", "100.00", "250.00"):
        async with uow() as svc:
            await sync_wages(svc, entries=[entry(amount_paid=paid)])
    rows = await _deliveries(uow)
    assert [json.loads(d.params)["amount_paid"] for d in rows] == ["100.00", "250.00"]
    assert {d.kind for d in rows} == {"wage_partial"}


async def test_unlinked_worker_gets_no_delivery_but_the_event_is_kept(uow: UowFactory) -> None:
    async with uow() as svc:
        result = await sync_wages(svc, entries=[entry(status="failed")])
    assert (result.events, result.alerts) == (1, 0)
    assert await _deliveries(uow) == []
