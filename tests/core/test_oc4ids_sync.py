"""OC4IDS sync: all or nothing, clear errors, idempotent re-syncs, change detection."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from core.errors import InvalidInput
from core.projects.models import Party, Project, ProjectLocation
from tests.conftest import UowFactory
from tests.samples import KYIV, package, project

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "oc4ids" / "example.json"


async def _counts(uow: UowFactory) -> tuple[int, int, int]:
    async with uow() as svc:
        s = svc.session
        return (
            int(await s.scalar(select(func.count()).select_from(Project)) or 0),
            int(await s.scalar(select(func.count()).select_from(ProjectLocation)) or 0),
            int(await s.scalar(select(func.count()).select_from(Party)) or 0),
        )


async def test_sync_creates_then_leaves_unchanged_records_alone(uow: UowFactory) -> None:
    pkg = package(project("a", *KYIV), project("b", *KYIV))
    async with uow() as svc:
        first = await svc.projects.import_package(pkg)
    async with uow() as svc:
        synced_at = await svc.session.scalar(select(Project.synced_at).where(Project.id == "a"))
        second = await svc.projects.import_package(pkg)
    async with uow() as svc:
        again = await svc.session.scalar(select(Project.synced_at).where(Project.id == "a"))
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert second.changes == ()
    assert again == synced_at
    assert await _counts(uow) == (2, 2, 4)


async def test_sync_updates_changed_records_and_reports_what_moved(uow: UowFactory) -> None:
    lat, lon = KYIV
    async with uow() as svc:
        await svc.projects.import_package(package(project("a", lat, lon), project("b", lat, lon)))
    moved = project("a", lat + 0.01, lon, status="completion", title="Renamed")
    moved["metrics"][0]["observations"].append(
        {"id": "3", "measure": "100", "period": {"endDate": "2026-10-30T00:00:00Z"}}
    )
    moved["completion"] = {"endDate": "2026-10-30T00:00:00Z"}
    renamed_only = project("b", lat, lon, title="Only the title changed")
    async with uow() as svc:
        result = await svc.projects.import_package(package(moved, renamed_only))
        card = await svc.projects.get_card("a")
    assert (result.created, result.updated, result.unchanged) == (0, 2, 0)
    [change] = result.changes
    assert change.project_id == "a"
    assert (change.old_status, change.new_status) == ("implementation", "completion")
    assert (change.old_progress_pct, change.new_progress_pct) == (55.0, 100.0)
    assert change.completion_added
    assert card.title == "Renamed"
    assert card.locations[0].lat == pytest.approx(lat + 0.01)


async def test_progress_steps_and_end_date_moves_are_changes(uow: UowFactory) -> None:
    async with uow() as svc:
        await svc.projects.import_package(package(project("a"), project("b"), project("c")))
    small = project("a")
    small["metrics"][0]["observations"][1]["measure"] = "59"
    step = project("b")
    step["metrics"][0]["observations"][1]["measure"] = "61"
    later = project(
        "c", period={"startDate": "2026-01-01T00:00:00Z", "endDate": "2027-03-31T00:00:00Z"}
    )
    async with uow() as svc:
        result = await svc.projects.import_package(package(small, step, later))
    assert result.updated == 3
    assert sorted(c.project_id for c in result.changes) == ["b", "c"]


def _broken(mutate: Any) -> dict[str, Any]:
    pkg = package(project("good", *KYIV), project("bad", *KYIV))
    mutate(pkg["projects"][1])
    return pkg


def _set(path: list[Any], value: Any) -> Any:
    def mutate(record: dict[str, Any]) -> None:
        target: Any = record
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


BAD_RECORDS = [
    ("title must be a string", _set(["title"], 42), "projects[1] (id 'bad')", "title"),
    (
        "unknown geometry type",
        _set(["locations", 0, "geometry", "type"], "Circle"),
        "projects[1] (id 'bad')",
        "locations/0/geometry/type",
    ),
    (
        "latitude out of range",
        _set(["locations", 0, "geometry", "coordinates"], [30.5, 95.0]),
        "projects[1] (id 'bad')",
        "locations/0/geometry",
    ),
    (
        "longitude out of range",
        _set(["locations", 0, "geometry", "coordinates"], [200.0, 50.0]),
        "projects[1] (id 'bad')",
        "locations/0/geometry",
    ),
    (
        "position not numbers",
        _set(["locations", 0, "geometry", "coordinates"], ["a", "b"]),
        "projects[1] (id 'bad')",
        "locations/0/geometry",
    ),
    ("bad date", _set(["period"], {"startDate": "yesterday"}), "projects[1] (id 'bad')", ""),
    (
        "progress over 100",
        _set(["metrics", 0, "observations", 0, "measure"], "140"),
        "projects[1] (id 'bad')",
        "",
    ),
    ("duplicate id", _set(["id"], "good"), "projects[1] (id 'good')", ""),
    ("missing id", lambda r: r.pop("id"), "projects[1]", "(record)"),
]


@pytest.mark.parametrize(
    ("why", "mutate", "record", "field"), BAD_RECORDS, ids=[b[0] for b in BAD_RECORDS]
)
async def test_invalid_package_names_record_and_field_and_writes_nothing(
    uow: UowFactory, why: str, mutate: Any, record: str, field: str
) -> None:
    async with uow() as svc:
        await svc.projects.import_package(package(project("existing", *KYIV)))
    before = await _counts(uow)
    with pytest.raises(InvalidInput) as caught:
        async with uow() as svc:
            await svc.projects.import_package(_broken(mutate))
    assert caught.value.location is not None
    assert caught.value.location.startswith(record), why
    assert field in caught.value.detail
    assert await _counts(uow) == before


@pytest.mark.parametrize(
    "pkg",
    [[], "text", {"projects": []}, {**package(project("x")), "version": "zero"}],
    ids=["array", "string", "no envelope", "bad version"],
)
async def test_malformed_envelope_is_refused(uow: UowFactory, pkg: Any) -> None:
    with pytest.raises(InvalidInput):
        async with uow() as svc:
            await svc.projects.import_package(pkg)
    assert await _counts(uow) == (0, 0, 0)


async def test_titles_are_stored_verbatim(uow: UowFactory) -> None:
    title = '<b>Tunnel & "Bridge"</b>'
    async with uow() as svc:
        await svc.projects.import_package(package(project("x", *KYIV, title=title)))
        assert (await svc.projects.get_card("x")).title == title


async def test_record_is_kept_as_received(uow: UowFactory) -> None:
    record = project("x", *KYIV, extension_field={"kept": [1, 2, 3]})
    async with uow() as svc:
        await svc.projects.import_package(package(record))
        stored = json.loads(await svc.projects.get_record("x"))
    assert stored == record
    assert list(stored) == list(record)


async def test_official_example_imports(uow: UowFactory) -> None:
    example = json.loads(EXAMPLE.read_text())
    async with uow() as svc:
        result = await svc.projects.import_package(copy.deepcopy(example))
        card = await svc.projects.get_card(example["projects"][0]["id"])
    assert result.created == 1
    assert card.progress_pct == 100.0
    assert card.budget is not None
    assert card.budget.currency == "GBP"
    assert card.public_authority is not None
    assert card.public_authority.name == "Motorways UK"
    assert {s.name for s in card.suppliers} >= {"Concrete Motorways Construction"}
