"""A unit of work is freed when it ends: it leaves no reference cycle behind, which only the
garbage collector would free (with its session), in pauses of the event loop."""

from __future__ import annotations

import gc

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from core.projects.queries import ProjectQuery
from core.services import Services
from tests.conftest import UowFactory


async def test_a_unit_of_work_leaves_no_reference_cycle(uow: UowFactory) -> None:
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what a collection finds is kept in gc.garbage, to look at
    try:
        async with uow() as svc:
            await svc.chats.touch(1, "private", "uk")
            await svc.projects.find(ProjectQuery(lat=50.45, lon=30.52, radius_m=1000, limit=5))
        del svc
        gc.collect()
        left = [
            type(o).__name__
            for o in gc.garbage
            if isinstance(o, Services | AsyncSession | Session)
        ]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert left == []
