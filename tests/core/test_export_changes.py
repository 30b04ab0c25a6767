"""Change numbers: a walk by `after` sees every change exactly once while syncs commit."""

from __future__ import annotations

import asyncio
import json

from core.context import DomainContext
from core.db import SessionFactory
from core.projects.export import ExportQuery
from core.uow import unit_of_work
from tests.conftest import UowFactory
from tests.samples import package, project

WRITERS = 4
SYNCS = 8


async def _walk_once(
    factory: SessionFactory, ctx: DomainContext, after: int
) -> list[tuple[int, str]]:
    async with unit_of_work(factory, ctx) as svc:
        return [
            (seq, record)
            async for seq, record in svc.projects.export_records(ExportQuery(after, None, 3))
        ]


async def test_a_walk_during_concurrent_syncs_misses_no_change(
    session_factory: SessionFactory, ctx: DomainContext, uow: UowFactory
) -> None:
    async def writer(w: int) -> None:
        for s in range(SYNCS):
            pkg = package(project(f"w{w}-s{s}-a"), project(f"w{w}-s{s}-b"))
            async with unit_of_work(session_factory, ctx) as svc:
                await svc.projects.import_package(pkg)
            await asyncio.sleep(0)

    writers = asyncio.gather(*(writer(w) for w in range(WRITERS)))
    seen: list[int] = []
    ids: list[str] = []
    after = 0
    while True:
        done = writers.done()
        page = await _walk_once(session_factory, ctx, after)
        seen += [seq for seq, _ in page]
        ids += [json.loads(record)["id"] for _, record in page]
        if page:
            after = page[-1][0]
        elif done:
            break
        await asyncio.sleep(0)
    await writers
    assert seen == sorted(seen)
    assert len(ids) == len(set(ids)) == WRITERS * SYNCS * 2
    async with uow() as svc:
        assert await svc.projects.last_change() == (seen[-1], ctx.clock())
