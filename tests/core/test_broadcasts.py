"""Broadcasts: who gets a copy, in which language, and what cancel and the counts say."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.broadcasts.schemas import (
    AllAudience,
    AreaAudience,
    BroadcastCreate,
    ProjectAudience,
    WorkersAudience,
)
from core.chats.models import Chat
from core.errors import Conflict, NotFound
from core.outbox.models import Delivery
from tests import factories, samples
from tests.conftest import NOW, UowFactory
from tests.outboxutil import add_area, add_chats, add_project_sub, deliveries

TEXTS = {"en": "Road closed", "uk": "Дорогу закрито"}


def create(audience: object, **extra: object) -> BroadcastCreate:
    return BroadcastCreate.model_validate({"audience": audience, "text": TEXTS, **extra})


async def test_all_audience_gets_one_copy_per_active_chat_in_its_language(uow: UowFactory) -> None:
    async with uow() as svc:
        await add_chats(svc, [1, 2], locale="uk")
        await add_chats(svc, [3], language="ko-KR")
        await add_chats(svc, [4], language="uk-UA")
        await add_chats(svc, [5])
        await add_chats(svc, [6])
        (await svc.session.get_one(Chat, 6)).is_active = False
    async with uow() as svc:
        made = await svc.broadcasts.create("apikey:1", create({"kind": "all"}, sender="KMDA"))
    async with uow() as svc:
        rows = await deliveries(svc, broadcast_id=made.id)
    assert made.recipients == 5
    assert made.status == "sending"
    by_chat = {r.chat_id: (r.locale, json.loads(r.params)["text"]) for r in rows}
    assert by_chat == {
        1: ("uk", "Дорогу закрито"),
        2: ("uk", "Дорогу закрито"),
        3: ("ko", "Road closed"),
        4: ("uk", "Дорогу закрито"),
        5: ("en", "Road closed"),
    }
    assert {r.dedup_key for r in rows} == {f"b:{made.id}:{c}" for c in by_chat}
    assert json.loads(rows[0].params)["sender"] == "KMDA"


async def test_area_audience_reaches_overlapping_circles_only(uow: UowFactory) -> None:
    lat, lon = samples.KYIV
    async with uow() as svc:
        await add_chats(svc, [1, 2, 3, 4])
        await add_area(svc, 1, lat, lon, 500)  # same centre
        await add_area(svc, 2, lat + 0.018, lon, 1500)  # ~2.0 km away, 1.5 + 1 km: overlaps
        await add_area(svc, 3, lat + 0.036, lon, 1500)  # ~4.0 km away: does not
        await add_area(svc, 4, lat, lon, 300)
        await add_area(svc, 4, lat + 0.0001, lon, 400)  # two circles, still one copy
    audience = {"kind": "area", "lat": lat, "lon": lon, "radius_m": 1000}
    async with uow() as svc:
        preview = await svc.broadcasts.count_recipients(AreaAudience.model_validate(audience))
        made = await svc.broadcasts.create("apikey:1", create(audience))
    async with uow() as svc:
        rows = await deliveries(svc, broadcast_id=made.id)
    assert sorted(r.chat_id for r in rows) == [1, 2, 4]
    assert preview == made.recipients == 3


async def test_project_audience_is_its_subscribers(uow: UowFactory) -> None:
    async with uow() as svc:
        await svc.projects.import_package(samples.package(samples.project("p-1", *samples.KYIV)))
        await add_chats(svc, [1, 2, 3])
        await add_project_sub(svc, 1, "p-1")
        await add_project_sub(svc, 3, "p-1")
    async with uow() as svc:
        made = await svc.broadcasts.create(
            "apikey:1", create({"kind": "project", "project_id": "p-1"})
        )
        count = await svc.broadcasts.count_recipients(
            ProjectAudience(kind="project", project_id="p-1")
        )
    assert (made.recipients, count) == (2, 2)
    async with uow() as svc:
        with pytest.raises(NotFound):
            await svc.broadcasts.create(
                "apikey:1", create({"kind": "project", "project_id": "nope"})
            )


async def test_workers_audience_reaches_linked_workers_of_the_project_only(
    uow: UowFactory,
) -> None:
    other_job = [{"project_id": "p-2", "employer_id": "emp-1"}]
    async with uow() as svc:
        await svc.projects.import_package(samples.package(samples.project("p-1", *samples.KYIV)))
        await add_chats(svc, [1, 2, 3])
        workers = [factories.worker("w1"), factories.worker("w2"), factories.worker("w3")]
        workers.append(factories.worker("w4", employments=other_job))
        await factories.sync_wages(svc, workers=workers, schedules=[], entries=[])
        await factories.link_worker(svc, "w1", 1)
        await factories.link_worker(svc, "w4", 3)
        made = await svc.broadcasts.create(
            "apikey:1", create({"kind": "workers", "project_id": "p-1"})
        )
        count = await svc.broadcasts.count_recipients(
            WorkersAudience(kind="workers", project_id="p-1")
        )
        chats = await svc.session.scalars(
            select(Delivery.chat_id).where(Delivery.broadcast_id == made.id)
        )
        assert list(chats) == [1]
    assert (made.recipients, count) == (1, 1)


async def test_cancel_stops_pending_and_counts_follow(uow: UowFactory) -> None:
    async with uow() as svc:
        await add_chats(svc, range(1, 11))
        made = await svc.broadcasts.create(
            "apikey:1", create({"kind": "all"}, send_at=(NOW + timedelta(hours=1)).isoformat())
        )
        assert made.status == "scheduled"
        assert await svc.broadcasts.count_recipients(AllAudience(kind="all")) == 10
    async with uow() as svc:
        cancelled = await svc.broadcasts.cancel(made.id)
        again = await svc.broadcasts.cancel(made.id)
        listed = await svc.broadcasts.list()
    assert cancelled.status == again.status == "cancelled"
    assert cancelled.counts.cancelled == 10
    assert cancelled.counts.pending == 0
    assert [b.id for b in listed] == [made.id]


async def test_finished_broadcast_is_completed_and_cannot_be_cancelled(uow: UowFactory) -> None:
    async with uow() as svc:
        made = await svc.broadcasts.create("apikey:1", create({"kind": "all"}))
        assert await svc.broadcasts.complete_finished() == 1
        with pytest.raises(Conflict):
            await svc.broadcasts.cancel(made.id)
        assert (await svc.broadcasts.get(made.id)).finished_at == NOW
