"""A source failing 3 times in a row, or silent past its limit, is reported to officials in the
morning digest and in /metrics; the pull job is registered with a stable id."""

from __future__ import annotations

import json
from datetime import datetime

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.config import ApiProcessSettings
from api.main import create_app
from bot.ui.i18n import make_i18n
from bot.ui.notices import render
from core.clock import fixed_clock
from core.config import DbSettings
from core.context import DomainContext
from core.metrics import Metrics
from core.outbox.models import Delivery
from core.sources.schemas import SourceCreate
from notifier import source_jobs, wage_jobs
from notifier.config import NotifierSettings
from notifier.scheduler import build_scheduler
from tests.conftest import NOW, UowFactory
from tests.factories import POLICY, make_chat

Factory = async_sessionmaker[AsyncSession]
LATE = DomainContext(clock=fixed_clock(datetime(2026, 11, 20, 7, 0, tzinfo=NOW.tzinfo)))


async def _sources(uow: UowFactory) -> tuple[int, int, int]:
    """A failing source, a silent one and a healthy one (as of LATE)."""
    async with uow() as svc:
        failing = await svc.sources.add(SourceCreate(url="https://a.example/p.json", name="Roads"))
        silent = await svc.sources.add(
            SourceCreate(url="https://b.example/p.json", name="<Parks>")
        )
        healthy = await svc.sources.add(
            SourceCreate(url="https://c.example/p.json", silence_s=30 * 86400)
        )
        for _ in range(3):
            await svc.sources.record_failure(
                failing.id, "https://a.example/p.json answered HTTP 503"
            )
        await svc.sources.record_success(
            silent.id, (2, 0, 0), resume_url=None, etag=None, last_modified=None
        )
        await make_chat(svc, 7, locale="uk")
        await svc.officials.add(7, "Olena")
    return failing.id, silent.id, healthy.id


async def test_unhealthy_feeds_go_into_the_morning_digest(
    uow: UowFactory, session_factory: Factory
) -> None:
    await _sources(uow)
    await wage_jobs.daily_digest(session_factory, LATE, POLICY)
    async with uow() as svc:
        (row,) = await svc.session.scalars(select(Delivery).where(Delivery.kind == "wage_digest"))
    params = json.loads(row.params)
    assert params["groups"] == []
    assert params["feeds"] == [
        {
            "name": "Roads",
            "failures": 3,
            "error": "https://a.example/p.json answered HTTP 503",
            "silent_days": 18,
        },
        {"name": "<Parks>", "failures": 0, "error": "", "silent_days": 18},
    ]
    texts = {
        loc: render("wage_digest", params, loc, make_i18n()).text for loc in ("en", "uk", "ko")
    }
    assert "failed 3 times in a row" in texts["en"]
    assert "no change for 18 days" in texts["en"]
    assert "&lt;Parks&gt;" in texts["en"]
    assert "3 рази поспіль" in texts["uk"]
    assert "18일째 변경 없음" in texts["ko"]


async def test_no_feed_section_while_feeds_are_healthy(
    uow: UowFactory, session_factory: Factory
) -> None:
    async with uow() as svc:
        await svc.sources.add(SourceCreate(url="https://c.example/p.json"))
        await make_chat(svc, 7)
        await svc.officials.add(7, "Olena")
    await wage_jobs.daily_digest(session_factory, DomainContext(clock=fixed_clock(NOW)), POLICY)
    async with uow() as svc:
        rows = list(await svc.session.scalars(select(Delivery)))
    assert rows == []


async def test_metrics_report_failing_and_silent_sources(uow: UowFactory, db_url: str) -> None:
    failing, silent, healthy = await _sources(uow)
    app = create_app(ApiProcessSettings(db=DbSettings(database_url=db_url)), LATE, Metrics())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            text = (await http.get("/metrics")).text
    assert (
        f'clearsite_source_unhealthy{{name="Roads",reason="failing",source="{failing}"}} 1.0'
        in text
    )
    assert (
        f'clearsite_source_unhealthy{{name="<Parks>",reason="silent",source="{silent}"}} 1.0'
        in text
    )
    assert f'reason="silent",source="{healthy}"}} 0.0' in text
    assert f'clearsite_source_consecutive_failures{{name="Roads",source="{failing}"}} 3.0' in text


@pytest.mark.usefixtures("db_url")
def test_pull_job_is_registered_with_a_stable_id(session_factory: Factory) -> None:
    scheduler = build_scheduler(NotifierSettings(), session_factory, DomainContext())
    job = scheduler.get_job(source_jobs.JOB_ID)
    assert job is not None
    assert job.trigger.interval.total_seconds() == source_jobs.CHECK_EVERY_S
