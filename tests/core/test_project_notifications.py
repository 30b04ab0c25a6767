"""A sync that changes projects tells their followers once per chat; a re-sync tells nobody."""

from __future__ import annotations

import json

from core.geo import haversine_m
from tests import samples
from tests.conftest import UowFactory
from tests.outboxutil import add_area, add_chats, add_project_sub, deliveries

LAT, LON = samples.KYIV


async def load(uow: UowFactory, *projects: dict[str, object]) -> None:
    async with uow() as svc:
        await svc.projects.import_package(samples.package(*projects))


async def test_new_project_notifies_area_subscribers_whose_circle_contains_it(
    uow: UowFactory,
) -> None:
    async with uow() as svc:
        await add_chats(svc, [1, 2], locale="uk")
        await add_area(svc, 1, LAT + 0.005, LON, 1000)  # ~560 m away: inside
        await add_area(svc, 2, LAT + 0.05, LON, 1000)  # ~5.6 km away: outside
    await load(uow, samples.project("p-1", LAT, LON, title_uk="Міст"))
    async with uow() as svc:
        rows = await deliveries(svc)
    assert [(r.chat_id, r.kind, r.locale) for r in rows] == [(1, "project_update", "uk")]
    params = json.loads(rows[0].params)
    assert params["projects"] == [
        {"id": "p-1", "new": True, "title": "Міст", "status": [None, "implementation"]}
    ]


async def test_changes_are_grouped_per_chat_and_unchanged_resync_sends_nothing(
    uow: UowFactory,
) -> None:
    first = samples.project("p-1", LAT, LON)
    second = samples.project("p-2", LAT + 0.001, LON)
    far = samples.project("p-3", LAT + 1, LON)
    await load(uow, first, second, far)
    async with uow() as svc:
        await add_chats(svc, [1, 2])
        await add_project_sub(svc, 1, "p-1")
        await add_project_sub(svc, 1, "p-2")
        await add_area(svc, 2, LAT, LON, 500)
    changed = [
        {**first, "status": "completion", "completion": {"endDate": "2026-10-20T00:00:00Z"}},
        {**second, "period": {**second["period"], "endDate": "2027-03-31T00:00:00Z"}},
        {**far, "status": "cancelled"},
    ]
    await load(uow, *changed)
    await load(uow, *changed)
    async with uow() as svc:
        rows = await deliveries(svc)
    assert [r.chat_id for r in rows] == [1, 2]
    for row in rows:
        items = json.loads(row.params)["projects"]
        assert [i["id"] for i in items] == ["p-1", "p-2"]
        assert items[0]["status"] == ["implementation", "completion"]
        assert items[1]["end"] == ["2026-12-31", "2027-03-31"]


async def test_progress_must_cross_a_step_to_notify(uow: UowFactory) -> None:
    base = samples.project("p-1", LAT, LON)
    await load(uow, base)
    async with uow() as svc:
        await add_chats(svc, [1])
        await add_project_sub(svc, 1, "p-1")

    def with_progress(value: str) -> dict[str, object]:
        metric = {"id": "physicalProgress", "observations": [{"id": "9", "measure": value}]}
        return {**base, "metrics": [metric]}

    await load(uow, with_progress("58"))  # 55 -> 58: same step
    async with uow() as svc:
        assert await deliveries(svc) == []
    await load(uow, with_progress("61"))  # 58 -> 61: crosses 60
    async with uow() as svc:
        rows = await deliveries(svc)
    assert [json.loads(r.params)["projects"][0]["progress"] for r in rows] == [[58.0, 61.0]]


async def test_a_big_sync_matches_areas_exactly_like_small_ones(uow: UowFactory) -> None:
    # 40 new projects (above the per-project query threshold) on a line going north from the
    # centre, 250 m apart; three circles; who follows what is checked against haversine.
    projects = [samples.project(f"p-{i:02d}", LAT + 0.00225 * i, LON) for i in range(40)]
    circles = {
        1: (LAT, LON, 1000.0),
        2: (LAT + 0.05, LON + 0.01, 2000.0),
        3: (LAT - 1, LON, 500.0),
    }
    async with uow() as svc:
        await add_chats(svc, list(circles))
        for chat_id, (lat, lon, radius) in circles.items():
            await add_area(svc, chat_id, lat, lon, radius)
    await load(uow, *projects)
    async with uow() as svc:
        rows = await deliveries(svc)
    got = {r.chat_id: json.loads(r.params) for r in rows}
    for chat_id, (lat, lon, radius) in circles.items():
        expected = sorted(
            p["id"]
            for p in projects
            if haversine_m(lat, lon, *reversed(p["locations"][0]["geometry"]["coordinates"]))
            <= radius
        )
        if not expected:
            assert chat_id not in got
            continue
        params = got[chat_id]
        shown = [item["id"] for item in params["projects"]]
        assert len(shown) + params["more"] == len(expected)
        assert set(shown) <= set(expected)
