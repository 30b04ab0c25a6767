"""The wage jobs: hourly scan and daily digest, run directly; registered with stable ids."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import fixed_clock
from core.config import DbSettings, WageSettings
from core.context import DomainContext
from core.outbox.models import Delivery
from notifier import report_jobs, wage_jobs
from notifier.config import NotifierSettings
from notifier.scheduler import build_scheduler
from tests.conftest import NOW, UowFactory
from tests.factories import POLICY, entry, link_worker, make_chat, schedule, sync_wages
from tests.reportutil import new_report, setup_world

Factory = async_sessionmaker[AsyncSession]
KYIV = ZoneInfo("Europe/Kyiv")
LATE = DomainContext(clock=fixed_clock(datetime(2026, 11, 20, 7, 0, tzinfo=NOW.tzinfo)), zone=KYIV)


async def _kinds(uow: UowFactory) -> list[tuple[str, int, str]]:
    async with uow() as svc:
        rows = await svc.session.scalars(select(Delivery).order_by(Delivery.id))
        return [(d.kind, d.chat_id, d.dedup_key) for d in rows]


async def _late_wages(uow: UowFactory) -> None:
    async with uow() as svc:
        await sync_wages(svc, entries=[entry(), entry("ent-2", amount_paid="100.00")])
        await make_chat(svc, 100)
        await link_worker(svc, "wrk-1", 100)
        await make_chat(svc, 7, locale="uk")
        await svc.officials.add(7, "Olena")


async def test_scan_enqueues_reminders_once_even_run_twice_at_once(
    uow: UowFactory, session_factory: Factory
) -> None:
    await _late_wages(uow)
    await asyncio.gather(
        wage_jobs.overdue_scan(session_factory, LATE, POLICY),
        wage_jobs.overdue_scan(session_factory, LATE, POLICY),
    )
    await wage_jobs.overdue_scan(session_factory, LATE, POLICY)
    kinds = await _kinds(uow)
    assert sorted(k[2] for k in kinds) == [
        "wage:ent-1:overdue:7:100",
        "wage:ent-2:overdue:7:100",
    ]


async def test_digest_goes_to_each_official_once_a_day_without_worker_data(
    uow: UowFactory, session_factory: Factory
) -> None:
    await _late_wages(uow)
    await wage_jobs.daily_digest(session_factory, LATE, POLICY)
    await wage_jobs.daily_digest(session_factory, LATE, POLICY)
    async with uow() as svc:
        (row,) = await svc.session.scalars(select(Delivery).where(Delivery.kind == "wage_digest"))
    params = json.loads(row.params)
    assert (row.chat_id, row.locale, row.dedup_key) == (7, "uk", "wage:digest:2026-11-20:7")
    assert (params["entries"], params["workers"]) == (2, 1)
    assert params["unpaid"] == [{"currency": "UAH", "amount": "36775.00"}]
    assert "Petro" not in row.params
    assert "wrk-1" not in row.params


async def test_no_digest_when_nothing_is_overdue(
    uow: UowFactory, session_factory: Factory
) -> None:
    async with uow() as svc:
        await sync_wages(svc, schedules=[schedule(due_date="2026-12-10")])
        await make_chat(svc, 7)
        await svc.officials.add(7, "Olena")
    await wage_jobs.daily_digest(session_factory, LATE, POLICY)
    assert await _kinds(uow) == []


def test_jobs_are_registered_with_stable_ids_and_local_digest_time(
    session_factory: Factory,
) -> None:
    settings = NotifierSettings(
        db=DbSettings(database_url="sqlite+aiosqlite://"),
        wages=WageSettings(digest_local_time="08:30"),
    )
    scheduler = build_scheduler(settings, session_factory, LATE)
    scan = scheduler.get_job(wage_jobs.SCAN_JOB_ID)
    digest = scheduler.get_job(wage_jobs.DIGEST_JOB_ID)
    assert scan.trigger.interval == timedelta(hours=1)
    fields = {f.name: str(f) for f in digest.trigger.fields}
    assert (fields["hour"], fields["minute"]) == ("8", "30")
    assert str(digest.trigger.timezone) == "Europe/Kyiv"


async def test_the_scan_runs_when_the_notifier_starts(
    uow: UowFactory, session_factory: Factory
) -> None:
    # Reminders fell due while no notifier ran: they go out at start-up, not an hour later.
    await _late_wages(uow)
    settings = NotifierSettings(db=DbSettings(database_url="sqlite+aiosqlite://"))
    scheduler = build_scheduler(settings, session_factory, LATE)
    scheduler.start()
    try:
        async with asyncio.timeout(5):
            while len(await _kinds(uow)) < 2:  # noqa: ASYNC110 - another connection commits
                await asyncio.sleep(0.05)
    finally:
        scheduler.shutdown(wait=False)
    assert {k[0] for k in await _kinds(uow)} == {"wage_overdue"}


async def test_the_report_overdue_scan_is_registered_and_reminds_once(
    uow: UowFactory, session_factory: Factory
) -> None:
    async with uow() as svc:
        await setup_world(svc)
        await svc.reports.file(new_report())
    settings = NotifierSettings(db=DbSettings(database_url="sqlite+aiosqlite://"))
    job = build_scheduler(settings, session_factory, LATE).get_job(report_jobs.OVERDUE_JOB_ID)
    assert job.trigger.interval == timedelta(minutes=report_jobs.EVERY_MINUTES)
    await report_jobs.overdue_scan(session_factory, LATE)
    await report_jobs.overdue_scan(session_factory, LATE)
    kinds = [k for k, _chat, _key in await _kinds(uow) if k == "report_overdue"]
    assert len(kinds) == 2  # one reminder to each of the two officials, once
