"""Nearby search tries a small circle first: its answers must equal the whole radius's."""

from __future__ import annotations

import random
from typing import Any

import pytest

from core.geo import haversine_m
from core.projects.queries import ProjectQuery
from tests.conftest import UowFactory
from tests.samples import KYIV, package, project

RADIUS_M = 2000.0


def _crowd() -> tuple[list[dict[str, Any]], dict[str, list[tuple[float, float]]]]:
    """A dense cluster near the centre, a sparse ring farther out, some lines; fixed seed."""
    rng = random.Random(7)  # noqa: S311 (test data, not secrets)
    lat, lon = KYIV
    records: list[dict[str, Any]] = []
    points: dict[str, list[tuple[float, float]]] = {}
    for i in range(60):
        spread = 0.002 if i < 40 else 0.015  # ~200 m around the centre, then ~1.5 km
        plat, plon = lat + rng.gauss(0, spread), lon + rng.gauss(0, spread * 1.5)
        pid = f"p{i:02d}"
        if i % 5 == 0:  # a line: found by its nearest vertex
            line = [[plon, plat], [plon + 0.004, plat + 0.003], [plon - 0.006, plat - 0.001]]
            records.append(
                project(
                    pid,
                    locations=[
                        {"id": "l", "geometry": {"type": "LineString", "coordinates": line}}
                    ],
                    status="completion" if i % 2 else "implementation",
                )
            )
            points[pid] = [(c[1], c[0]) for c in line]
        else:
            status = "completion" if i % 2 else "implementation"
            records.append(project(pid, plat, plon, status=status))
            points[pid] = [(plat, plon)]
    return records, points


def _expected(
    points: dict[str, list[tuple[float, float]]], lat: float, lon: float, ids: set[str]
) -> list[tuple[str, float]]:
    best = {
        pid: min(haversine_m(lat, lon, a, b) for a, b in where)
        for pid, where in points.items()
        if pid in ids
    }
    ranked = sorted(((m, pid) for pid, m in best.items() if m <= RADIUS_M))
    return [(pid, round(m, 2)) for m, pid in ranked]


@pytest.mark.parametrize("limit", [1, 3, 10, 25])
@pytest.mark.parametrize("status", [None, "completion"])
async def test_every_page_equals_the_exact_ranking(
    uow: UowFactory, limit: int, status: str | None
) -> None:
    records, points = _crowd()
    async with uow() as svc:
        await svc.projects.import_package(package(*records))
    ids = {r["id"] for r in records if status is None or r["status"] == status}
    lat, lon = KYIV
    for qlat, qlon in [(lat, lon), (lat + 0.003, lon - 0.004), (lat + 0.02, lon + 0.02)]:
        seen: list[tuple[str, float]] = []
        cursor = None
        async with uow() as svc:
            while True:
                query = ProjectQuery(
                    lat=qlat,
                    lon=qlon,
                    radius_m=RADIUS_M,
                    limit=limit,
                    cursor=cursor,
                    status=status,
                )
                page = await svc.projects.find(query)
                seen += [(i.id, i.distance_m or 0.0) for i in page.items]
                if page.next_cursor is None:
                    break
                cursor = page.next_cursor
        assert seen == _expected(points, qlat, qlon, ids)
