"""Overdue reminders at the configured steps, across simulated days, never twice, not once paid."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import fixed_clock
from core.context import DomainContext
from core.outbox.models import Delivery
from core.uow import unit_of_work
from core.wages.policy import WagePolicy
from tests.conftest import NOW, UowFactory
from tests.factories import POLICY, entry, link_worker, make_chat, schedule, sync_wages

Factory = async_sessionmaker[AsyncSession]
DUE = datetime(2026, 11, 10, 12, 0, tzinfo=NOW.tzinfo)  # the due date, midday in Kyiv


async def _scan_on(factory: Factory, day: int, policy: WagePolicy = POLICY) -> int | None:
    ctx = DomainContext(clock=fixed_clock(DUE + timedelta(days=day)))
    async with unit_of_work(factory, ctx) as svc:
        return await svc.wages.scan_overdue(policy)


async def _overdue(uow: UowFactory) -> list[tuple[int, int]]:
    async with uow() as svc:
        rows = await svc.session.scalars(
            select(Delivery).where(Delivery.kind == "wage_overdue").order_by(Delivery.id)
        )
        return [(json.loads(d.params)["step"], json.loads(d.params)["days_late"]) for d in rows]


async def _setup(uow: UowFactory) -> None:
    async with uow() as svc:
        await sync_wages(svc)
        await make_chat(svc, 100)
        await link_worker(svc, "wrk-1", 100)


async def test_reminders_follow_the_steps_once_each(
    uow: UowFactory, session_factory: Factory
) -> None:
    await _setup(uow)
    sent = [await _scan_on(session_factory, day) for day in range(16)]
    sent.append(await _scan_on(session_factory, 15))
    assert await _overdue(uow) == [(1, 1), (3, 3), (7, 7), (14, 14)]
    assert sum(s or 0 for s in sent) == 4


async def test_grace_days_delay_the_reminders(uow: UowFactory, session_factory: Factory) -> None:
    await _setup(uow)
    policy = WagePolicy(grace_days=2, reminder_steps=(1, 5))
    for day in range(8):
        await _scan_on(session_factory, day, policy)
    assert await _overdue(uow) == [(1, 1), (5, 5)]


async def test_a_missed_scan_sends_only_the_current_step(
    uow: UowFactory, session_factory: Factory
) -> None:
    await _setup(uow)
    await _scan_on(session_factory, 8)
    await _scan_on(session_factory, 9)
    assert await _overdue(uow) == [(7, 8)]


async def test_reminders_stop_when_paid(uow: UowFactory, session_factory: Factory) -> None:
    await _setup(uow)
    await _scan_on(session_factory, 1)
    async with uow() as svc:
        await sync_wages(svc, entries=[entry(amount_paid="18437.50")])
    for day in range(2, 16):
        await _scan_on(session_factory, day)
    assert await _overdue(uow) == [(1, 1)]


async def test_partial_and_failed_wages_stay_overdue(
    uow: UowFactory, session_factory: Factory
) -> None:
    await _setup(uow)
    async with uow() as svc:
        await sync_wages(svc, entries=[entry(amount_paid="10.00")])
    await _scan_on(session_factory, 3)
    assert await _overdue(uow) == [(3, 3)]


async def _sync_on(factory: Factory, day: int, **lists: Any) -> tuple[int, int]:
    ctx = DomainContext(clock=fixed_clock(DUE + timedelta(days=day)))
    async with unit_of_work(factory, ctx) as svc:
        result = await sync_wages(svc, **lists)
    return result.events, result.alerts


async def test_an_entry_that_arrives_late_alerts_with_its_sync(
    uow: UowFactory, session_factory: Factory
) -> None:
    async with uow() as svc:
        await sync_wages(svc, entries=[])
        await make_chat(svc, 100)
        await link_worker(svc, "wrk-1", 100)
    # Four days late when the payroll first sends it: the sync's own unit of work enqueues
    # the reminder of the step reached (3), without waiting for the hourly scan.
    assert await _sync_on(session_factory, 4, workers=[], schedules=[], entries=[entry()]) == (
        1,
        1,
    )
    assert await _overdue(uow) == [(3, 4)]
    assert await _scan_on(session_factory, 4) == 0
    assert await _sync_on(session_factory, 4, workers=[], schedules=[], entries=[entry()]) == (
        0,
        0,
    )
    await _scan_on(session_factory, 7)
    assert await _overdue(uow) == [(3, 4), (7, 7)]


async def test_a_due_date_moved_into_the_past_alerts_with_its_sync(
    uow: UowFactory, session_factory: Factory
) -> None:
    await _setup(uow)
    moved = schedule(due_date="2026-11-02")
    assert await _sync_on(session_factory, 0, workers=[], schedules=[moved], entries=[]) == (1, 1)
    assert await _overdue(uow) == [(7, 8)]


async def test_a_sync_before_the_due_date_or_of_a_paid_entry_alerts_nothing(
    uow: UowFactory, session_factory: Factory
) -> None:
    await _setup(uow)
    assert await _sync_on(session_factory, 0, entries=[entry()]) == (0, 0)
    paid = entry(amount_paid="18437.50", paid_at="2026-11-19T10:00:00Z")
    assert await _sync_on(session_factory, 10, workers=[], schedules=[], entries=[paid]) == (1, 1)
    assert await _overdue(uow) == []
