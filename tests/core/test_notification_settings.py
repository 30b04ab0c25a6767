"""Notification settings in the core: mutes, daily area digests, held updates edited in place."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from core.chats import quiet
from core.chats.digests import merge_item, next_digest_at
from core.errors import InvalidInput, NotFound
from core.outbox.models import Delivery
from tests import samples
from tests.conftest import NOW, UowFactory
from tests.outboxutil import add_area, add_chats, add_project_sub, deliveries

LAT, LON = samples.KYIV
KYIV = ZoneInfo("Europe/Kyiv")
BASE = samples.project("p-1", LAT, LON)


def with_progress(value: str, project: dict[str, Any] = BASE) -> dict[str, Any]:
    metric = {"id": "physicalProgress", "observations": [{"id": "9", "measure": value}]}
    return {**project, "metrics": [metric]}


async def load(uow: UowFactory, *projects: dict[str, Any]) -> None:
    async with uow() as svc:
        await svc.projects.import_package(samples.package(*projects))


def test_windows_across_midnight_and_dst() -> None:
    window = quiet.parse_window("22:00-08:00")
    assert window is not None
    night = datetime(2026, 10, 24, 23, 30, tzinfo=KYIV)  # the night clocks go back
    end = window.end_after(night.astimezone(UTC), KYIV)
    assert end == datetime(2026, 10, 25, 8, 0, tzinfo=KYIV).astimezone(UTC)
    assert end == datetime(2026, 10, 25, 6, 0, tzinfo=UTC)  # UTC+2 after the change
    assert window.end_after(datetime(2026, 10, 25, 12, 0, tzinfo=KYIV), KYIV) is None
    day = quiet.parse_window("13:00-14:00")
    assert day is not None
    assert day.end_after(datetime(2026, 11, 1, 13, 59, tzinfo=KYIV), KYIV) is not None
    assert day.end_after(datetime(2026, 11, 1, 14, 0, tzinfo=KYIV), KYIV) is None


@pytest.mark.parametrize("value", ["", "22:00", "24:00-08:00", "22:00-22:00", "22:00-08:00\x00"])
def test_bad_quiet_hours_are_refused(value: str) -> None:
    with pytest.raises(InvalidInput):
        quiet.parse_window(value)


def test_merged_update_keeps_the_first_before_and_the_latest_after() -> None:
    old = {"id": "p", "new": False, "title": "A", "progress": [30.0, 40.0]}
    new = {"id": "p", "new": False, "title": "A", "progress": [40.0, 60.0], "status": ["a", "b"]}
    assert merge_item(old, new) == {
        "id": "p", "new": False, "title": "A", "progress": [30.0, 60.0], "status": ["a", "b"]
    }  # fmt: skip
    back = {"id": "p", "new": False, "title": "A", "progress": [40.0, 30.0]}
    assert merge_item(old, back) is None  # 30 -> 40 -> 30: nothing left to say


def test_next_digest_is_strictly_after_now() -> None:
    at_11 = datetime(2026, 11, 1, 11, 0, tzinfo=KYIV)
    assert next_digest_at(at_11, 19, KYIV) == datetime(2026, 11, 1, 19, 0, tzinfo=KYIV)
    assert next_digest_at(at_11, 11, KYIV) == datetime(2026, 11, 2, 11, 0, tzinfo=KYIV)


async def test_settings_are_validated_and_nothing_changes_on_refusal(uow: UowFactory) -> None:
    async with uow() as svc:
        await add_chats(svc, [1])
    async with uow() as svc:
        with pytest.raises(InvalidInput):
            await svc.notification_settings.set_quiet_hours(1, "23:00-23:00")
        with pytest.raises(InvalidInput):
            await svc.notification_settings.set_digest_hour(1, 24)
        with pytest.raises(NotFound):
            await svc.notification_settings.mute_project(1, "nope", True)
        with pytest.raises(NotFound):
            await svc.notification_settings.set_quiet_hold(2, True)
        settings = await svc.notification_settings.get(1)
    assert (settings.quiet_hours, settings.quiet_hold, settings.digest_hour) == (
        "off",
        False,
        None,
    )


async def test_muted_project_sends_nothing_for_a_week(uow: UowFactory) -> None:
    await load(uow, BASE)
    async with uow() as svc:
        await add_chats(svc, [1, 2])
        await add_project_sub(svc, 1, "p-1")
        await add_project_sub(svc, 2, "p-1")
        await svc.notification_settings.mute_project(1, "p-1", True)
        shown = await svc.notification_settings.get(1)
    assert shown.projects[0].muted_until == NOW + timedelta(days=7)
    await load(uow, with_progress("61"))
    async with uow() as svc:
        assert [r.chat_id for r in await deliveries(svc)] == [2]
        await svc.notification_settings.mute_project(1, "p-1", False)
    await load(uow, with_progress("71"))
    async with uow() as svc:
        assert sorted(r.chat_id for r in await deliveries(svc)) == [1, 2, 2]


async def test_area_digest_collects_every_change_in_one_row_per_day(uow: UowFactory) -> None:
    other = samples.project("p-2", LAT + 0.001, LON)
    await load(uow, BASE, other)
    async with uow() as svc:
        await add_chats(svc, [1, 2])
        await add_area(svc, 1, LAT, LON, 1000)
        await add_area(svc, 2, LAT, LON, 1000)
        await svc.notification_settings.set_digest_hour(1, 19)
    await load(uow, with_progress("61"), other)
    await load(uow, with_progress("75"), with_progress("20", other))
    async with uow() as svc:
        digest = await deliveries(svc, chat_id=1)
        instant = await deliveries(svc, chat_id=2)
    assert [r.kind for r in instant] == ["project_update", "project_update"]
    (row,) = digest
    assert (row.kind, row.dedup_key) == ("project_digest", "pd:1:2026-11-01")
    assert row.next_attempt_at == datetime(2026, 11, 1, 19, 0, tzinfo=KYIV)
    params = json.loads(row.params)
    assert params["date"] == "2026-11-01"
    progress = {item["id"]: item["progress"] for item in params["projects"]}
    assert progress == {"p-1": [55.0, 75.0], "p-2": [55.0, 20.0]}


async def test_a_held_update_is_edited_instead_of_repeated(uow: UowFactory) -> None:
    await load(uow, BASE)
    async with uow() as svc:
        await add_chats(svc, [1])
        await add_project_sub(svc, 1, "p-1")
    await load(uow, with_progress("61"))
    tomorrow = NOW + timedelta(hours=20)
    async with uow() as svc:
        # What the engine does at night for a chat that holds: pending, due at the window end.
        await svc.session.execute(
            update(Delivery).values(held_until=tomorrow, next_attempt_at=tomorrow)
        )
    await load(uow, with_progress("83"))
    async with uow() as svc:
        (row,) = await deliveries(svc)
    assert (row.state, row.held_until) == ("pending", tomorrow)
    assert json.loads(row.params)["projects"][0]["progress"] == [55.0, 83.0]
