"""Two Clearsite instances: one follows the other's OC4IDS export over real HTTP on loopback."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx

from api.config import ApiProcessSettings
from api.main import create_app
from clearsite import migrate
from core.config import DbSettings
from core.context import DomainContext
from core.db import make_engine, make_session_factory
from core.pulls import pull_source
from core.sources.fetch import FetchConfig
from core.sources.schemas import SourceCreate
from core.uow import unit_of_work
from tests import dbutil
from tests.api.conftest import make_key
from tests.conftest import UowFactory
from tests.samples import KYIV, package, project
from tests.sandbox.serving import serving

FAST = FetchConfig(timeout_s=30, retries=2, retry_base_s=0.01)


async def _records(uow: UowFactory) -> dict[str, object]:
    async with uow() as svc:
        page = await svc.projects.find_nearby(*KYIV, radius_m=50_000, limit=100)
        return {i.id: json.loads(await svc.projects.get_record(i.id)) for i in page.items}


async def test_a_second_instance_following_the_first_ends_with_identical_records(
    db_url: str, ctx: DomainContext, uow: UowFactory, tmp_path: Path
) -> None:
    lat, lon = KYIV
    publisher = create_app(ApiProcessSettings(db=DbSettings(database_url=db_url)), ctx)
    follower_url = dbutil.sqlite_url(tmp_path / "follower.db")
    await asyncio.to_thread(migrate.upgrade, follower_url)
    follower_engine = make_engine(follower_url)
    follower = make_session_factory(follower_engine)

    headers = await make_key(uow, "sync")
    async with publisher.router.lifespan_context(publisher), serving(publisher) as base:
        http = httpx.AsyncClient(base_url=base)
        first = package(*(project(f"p{i}", lat + i * 0.001, lon) for i in range(5)))
        assert (await http.post("/api/v1/sync/oc4ids", json=first, headers=headers)).is_success
        async with unit_of_work(follower, ctx) as svc:
            source = (
                await svc.sources.add(SourceCreate(url=f"{base}/api/v1/oc4ids/package?limit=2"))
            ).id
        report = await pull_source(follower, ctx, source, FAST)
        assert (report.ok, report.created, report.pages) == (True, 5, 4)
        # More changes upstream: the follower takes only those, from where it stopped.
        later = package(
            project("p1", lat + 0.001, lon, status="completion"), project("p7", lat, lon)
        )
        assert (await http.post("/api/v1/sync/oc4ids", json=later, headers=headers)).is_success
        again = await pull_source(follower, ctx, source, FAST)
        assert (again.created, again.updated, again.unchanged) == (1, 1, 0)
        # Nothing new: the last page's ETag answers 304 and nothing is written.
        quiet = await pull_source(follower, ctx, source, FAST)
        assert quiet.not_modified
        await http.aclose()
    upstream = await _records(uow)
    downstream = await _records(lambda: unit_of_work(follower, ctx))
    await follower_engine.dispose()
    assert len(upstream) == 6
    assert downstream == upstream
