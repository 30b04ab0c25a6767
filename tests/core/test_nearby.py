"""Nearby search: exact great-circle distances, radius, order, paging, filters."""

from __future__ import annotations

import math

import pytest

from core.errors import InvalidInput
from core.geo import bounding_box, haversine_m
from core.projects.queries import ProjectQuery
from tests.conftest import UowFactory
from tests.samples import KYIV, SEOUL, package, project

# Hand-checked: one degree of latitude on a sphere of R = 6,371,008.8 m is
# 2πR/360 = 111,195.08 m, so 0.005° north is 555.98 m and 0.01° is 1,111.95 m.
# 0.01° east at 50.4501° N is 1,111.95 m * cos(50.4501°) = 708.04 m along the parallel
# (the great circle is a hair shorter: 708.03 m).
# Seoul City Hall (37.5663, 126.9779) to Gwanghwamun (37.5759, 126.9769): 0.0096° of latitude
# is 1,067.47 m and 0.001° of longitude at the mean latitude 37.5711° is 88.12 m, so
# sqrt(1067.47² + 88.12²) = 1,071.10 m.


async def _load(uow: UowFactory, *projects: dict[str, object]) -> None:
    async with uow() as svc:
        await svc.projects.import_package(package(*projects))


def test_haversine_matches_hand_checked_distances() -> None:
    lat, lon = KYIV
    assert haversine_m(lat, lon, lat + 0.005, lon) == pytest.approx(555.98, abs=0.01)
    assert haversine_m(lat, lon, lat + 0.01, lon) == pytest.approx(1111.95, abs=0.01)
    assert haversine_m(lat, lon, lat, lon + 0.01) == pytest.approx(708.03, abs=0.01)
    assert haversine_m(*SEOUL, 37.5759, 126.9769) == pytest.approx(1071.10, abs=0.05)


def test_bounding_box_holds_the_whole_circle() -> None:
    lat, lon = KYIV
    box = bounding_box(lat, lon, 2000)
    assert box.min_lon is not None
    assert box.max_lon is not None
    for bearing in range(0, 360, 5):
        b = math.radians(bearing)
        # walk 1,999 m along each bearing (spherical destination formula)
        d = 1999 / 6_371_008.8
        p1, l1 = math.radians(lat), math.radians(lon)
        p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
        l2 = l1 + math.atan2(
            math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2)
        )
        assert box.min_lat <= math.degrees(p2) <= box.max_lat
        assert box.min_lon <= math.degrees(l2) <= box.max_lon


async def test_nearby_returns_exact_distances_nearest_first(uow: UowFactory) -> None:
    lat, lon = KYIV
    await _load(
        uow,
        project("far-east", lat, lon + 0.01),
        project("north", lat + 0.005, lon),
        project("outside", lat + 0.02, lon),
        project("seoul", *SEOUL),
    )
    async with uow() as svc:
        page = await svc.projects.find_nearby(lat, lon, radius_m=1000)
    assert [(i.id, i.distance_m) for i in page.items] == [("north", 555.98), ("far-east", 708.03)]
    assert page.next_cursor is None


async def test_nearby_radius_includes_the_edge_and_excludes_beyond(uow: UowFactory) -> None:
    lat, lon = KYIV
    await _load(uow, project("north", lat + 0.005, lon))
    async with uow() as svc:
        assert [i.id for i in (await svc.projects.find_nearby(lat, lon, 556)).items] == ["north"]
        assert (await svc.projects.find_nearby(lat, lon, 555)).items == ()


async def test_line_is_found_by_its_nearest_vertex_polygon_by_centroid(uow: UowFactory) -> None:
    lat, lon = KYIV
    line = project(
        "road",
        locations=[
            {
                "id": "r",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[lon, lat + 0.05], [lon, lat + 0.005], [lon, lat - 0.05]],
                },
            }
        ],
    )
    square = [
        [lon + 0.009, lat - 0.001],
        [lon + 0.011, lat - 0.001],
        [lon + 0.011, lat + 0.001],
        [lon + 0.009, lat + 0.001],
        [lon + 0.009, lat - 0.001],
    ]
    park = project(
        "park", locations=[{"id": "p", "geometry": {"type": "Polygon", "coordinates": [square]}}]
    )
    await _load(uow, line, park)
    async with uow() as svc:
        items = (await svc.projects.find_nearby(lat, lon, 1000)).items
    assert [(i.id, i.distance_m) for i in items] == [("road", 555.98), ("park", 708.03)]


async def test_nearby_pages_with_a_cursor(uow: UowFactory) -> None:
    lat, lon = KYIV
    await _load(uow, *(project(f"p{i}", lat + 0.001 * i, lon) for i in range(1, 8)))
    seen: list[str] = []
    cursor = None
    async with uow() as svc:
        while True:
            page = await svc.projects.find(ProjectQuery(lat=lat, lon=lon, limit=3, cursor=cursor))
            seen += [i.id for i in page.items]
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
    assert seen == [f"p{i}" for i in range(1, 8)]


async def test_nearby_combines_with_status_sector_and_words(uow: UowFactory) -> None:
    lat, lon = KYIV
    await _load(
        uow,
        project("school", lat + 0.001, lon, sector=["education"], title="School 42 roof"),
        project("done", lat + 0.002, lon, status="completion"),
        project("road", lat + 0.003, lon),
    )
    async with uow() as svc:
        by_status = await svc.projects.find(ProjectQuery(lat=lat, lon=lon, status="completion"))
        by_sector = await svc.projects.find(ProjectQuery(lat=lat, lon=lon, sector="education"))
        by_words = await svc.projects.find(ProjectQuery(lat=lat, lon=lon, q="roof SCHOOL"))
    assert [i.id for i in by_status.items] == ["done"]
    assert [i.id for i in by_sector.items] == ["school"]
    assert [i.id for i in by_words.items] == ["school"]


async def test_text_search_finds_any_stored_language(uow: UowFactory) -> None:
    await _load(
        uow,
        project("bridge", title="Shuliavka overpass", title_uk="Шулявський шляхопровід"),
        project("road", title="Gangnam-daero widening", title_ko="강남대로 확장"),
    )
    async with uow() as svc:
        uk = await svc.projects.find(ProjectQuery(q="шляхопровід"))
        ko = await svc.projects.find(ProjectQuery(q="강남대로", lang="ko"))
        en = await svc.projects.find(ProjectQuery(q="OVERPASS", lang="uk"))
    assert [i.id for i in uk.items] == ["bridge"]
    assert [(i.id, i.title) for i in ko.items] == [("road", "강남대로 확장")]
    assert [(i.id, i.title) for i in en.items] == [("bridge", "Шулявський шляхопровід")]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (ProjectQuery(lat=50.0), "lat/lon"),
        (ProjectQuery(lat=91, lon=0), "lat"),
        (ProjectQuery(lat=0, lon=181), "lon"),
        (ProjectQuery(lat=0, lon=0, radius_m=0), "radius_m"),
        (ProjectQuery(limit=0), "limit"),
        (ProjectQuery(cursor="not-a-cursor"), "cursor"),
    ],
)
async def test_bad_queries_are_refused_with_the_field(
    uow: UowFactory, query: ProjectQuery, field: str
) -> None:
    async with uow() as svc:
        with pytest.raises(InvalidInput) as caught:
            await svc.projects.find(query)
    assert caught.value.location == field
