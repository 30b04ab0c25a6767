"""Retention: the daily job deletes finished single deliveries older than the setting."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import fixed_clock
from core.context import DomainContext
from core.outbox.schemas import DeliveryOutcome
from core.uow import unit_of_work
from notifier import retention
from notifier.config import NotifierSettings
from notifier.scheduler import build_scheduler
from tests.conftest import NOW
from tests.notifier.conftest import note
from tests.outboxutil import add_chats

Factory = async_sessionmaker[AsyncSession]


async def _delivery(factory: Factory, n: int, days_ago: int, *, send: bool) -> None:
    ctx = DomainContext(clock=fixed_clock(NOW - timedelta(days=days_ago)))
    async with unit_of_work(factory, ctx) as svc:
        await add_chats(svc, [1000 + n])
        await svc.outbox.enqueue([note(n, 1000 + n)])
        if send:
            (row,) = await svc.outbox.claim_due(1, 30, "w")
            outcome = DeliveryOutcome(
                id=row.id, chat_id=row.chat_id, lease_token=row.lease_token, state="sent", text="x"
            )
            await svc.outbox.record([outcome], "w")


async def test_retention_purges_finished_deliveries_older_than_the_setting_only(
    session_factory: Factory,
) -> None:
    await _delivery(session_factory, 1, days_ago=120, send=True)
    await _delivery(session_factory, 2, days_ago=91, send=True)
    await _delivery(session_factory, 3, days_ago=89, send=True)
    await _delivery(session_factory, 4, days_ago=120, send=False)
    ctx = DomainContext(clock=fixed_clock(NOW))

    assert await retention.purge_deliveries(session_factory, ctx, 90) == 2
    assert await retention.purge_deliveries(session_factory, ctx, 90) == 0
    async with unit_of_work(session_factory, ctx) as svc:
        counts = await svc.outbox.counts()
    assert (counts.sent, counts.pending) == (1, 1)
    later = DomainContext(clock=fixed_clock(NOW + timedelta(days=2)))
    assert await retention.purge_deliveries(session_factory, later, 90) == 1


def test_retention_job_runs_daily_with_the_configured_days(session_factory: Factory) -> None:
    settings = NotifierSettings.model_validate({"retention": {"delivery_retention_days": 30}})
    ctx = DomainContext(clock=fixed_clock(NOW))
    scheduler = build_scheduler(settings, session_factory, ctx)
    job = scheduler.get_job(retention.JOB_ID)
    assert job.args[-1] == 30
    assert str(job.trigger).startswith("cron[hour='3', minute='30'")
    assert {j.func.__name__ for j in scheduler.get_jobs()} == {
        "guarded_complete_broadcasts",
        "guarded_purge_deliveries",
        "guarded_overdue_scan",
        "guarded_purge_draft_photos",
        "guarded_daily_digest",
        "guarded_pull_due_sources",
    }
