"""The daily area digest end to end: once a day per chat, every change, none twice."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from botapi_emulator import BotApiEmulator
from core.clock import ShiftedClock
from core.context import DomainContext
from core.outbox.wakeup import Waker
from tests import samples
from tests.conftest import UowFactory
from tests.notifier.conftest import Running, settled
from tests.outboxutil import add_area, add_chats, deliveries

KYIV = ZoneInfo("Europe/Kyiv")
LAT, LON = samples.KYIV
FIRST = samples.project("p-1", LAT, LON)
SECOND = samples.project("p-2", LAT + 0.001, LON)


def with_progress(project: dict[str, Any], value: str) -> dict[str, Any]:
    metric = {"id": "physicalProgress", "observations": [{"id": "9", "measure": value}]}
    return {**project, "metrics": [metric]}


async def load(uow: UowFactory, *projects: dict[str, Any]) -> None:
    async with uow() as svc:
        await svc.projects.import_package(samples.package(*projects))


async def test_digest_arrives_once_with_every_change_across_a_restart(
    uow: UowFactory, fake: BotApiEmulator, running: Running
) -> None:
    await load(uow, FIRST, SECOND)
    async with uow() as svc:
        await add_chats(svc, [1], locale="en")
        await add_area(svc, 1, LAT, LON, 1000)
        await svc.notification_settings.set_digest_hour(1, 19)
    await load(uow, with_progress(FIRST, "61"), SECOND)
    await load(uow, with_progress(FIRST, "75"), with_progress(SECOND, "20"))
    clock = ShiftedClock(datetime(2026, 11, 1, 18, 59, tzinfo=KYIV).astimezone(UTC))
    ctx = DomainContext(clock=clock, zone=KYIV)
    async with running(ctx=ctx):
        await asyncio.sleep(0.3)
    waker = Waker()
    async with running(ctx=ctx, waker=waker):  # a restart: the digest is still waiting
        await asyncio.sleep(0.3)
        assert fake.sent_messages() == []
        clock.jump_to(datetime(2026, 11, 1, 19, 0, 1, tzinfo=KYIV).astimezone(UTC))
        waker.poke()
        await settled(uow)
    (text,) = fake.sent_texts(1)
    assert "Daily digest" in text
    assert "55% → 75%" in text
    assert "Project p-2" in text
    # A change after the digest left waits for tomorrow's.
    await load(uow, with_progress(FIRST, "95"))
    async with uow() as svc:
        rows = await deliveries(svc, chat_id=1)
    assert [(r.dedup_key, r.state) for r in rows] == [
        ("pd:1:2026-11-01", "sent"),
        ("pd:1:2026-11-02", "pending"),
    ]
    assert rows[1].next_attempt_at == datetime(2026, 11, 2, 19, 0, tzinfo=KYIV)
    assert not fake.duplicates()
    assert len(fake.sent_messages()) == 1
