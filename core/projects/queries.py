"""Read side: nearby and text search with paging, and the project card."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.driver_query import DriverQuery
from core.errors import InvalidInput
from core.geo import EARTH_RADIUS_M, Box, bounding_box
from core.paging import decode_cursor, encode_cursor
from core.projects import search
from core.projects.models import Project, ProjectLocation
from core.projects.schemas import ProjectPage, ProjectSummary

_S = TypeVar("_S", bound="Select[*tuple[Any, ...]]")

MAX_RADIUS_M = 50_000
MAX_LIMIT = 100
# Nearby: first look within radius / PROBE_DIVISOR (when at least MIN_PROBE_M), and trust it
# for the projects within PROBE_TRUSTED of that probe radius.
PROBE_DIVISOR = 3
MIN_PROBE_M = 100.0
PROBE_TRUSTED = 0.999
FINISHED = frozenset({"completion", "maintenance", "decommissioning", "decommissioned"})


@dataclass(frozen=True)
class ProjectQuery:
    """What a list of projects is filtered by."""

    lat: float | None = None
    lon: float | None = None
    radius_m: float = 1000
    q: str | None = None
    status: str | None = None
    sector: str | None = None
    limit: int = 20
    cursor: str | None = None
    lang: str | None = None

    def check(self) -> None:
        """Refuse queries we cannot answer sensibly."""
        if (self.lat is None) != (self.lon is None):
            raise InvalidInput("give both lat and lon, or neither", location="lat/lon")
        if self.lat is not None and not -90 <= self.lat <= 90:
            raise InvalidInput("lat must be within -90..90", location="lat")
        if self.lon is not None and not -180 <= self.lon <= 180:
            raise InvalidInput("lon must be within -180..180", location="lon")
        if not 0 < self.radius_m <= MAX_RADIUS_M:
            raise InvalidInput(f"radius_m must be within 1..{MAX_RADIUS_M}", location="radius_m")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise InvalidInput(f"limit must be within 1..{MAX_LIMIT}", location="limit")


def delay_days(
    planned_end: date | None, completed: date | None, status: str | None, today: date
) -> int | None:
    """Days past the planned end: to completion when done, to today while still open."""
    if planned_end is None or status == "cancelled":
        return None
    if completed is not None:
        return max(0, (completed - planned_end).days)
    if status in FINISHED:
        return 0
    return max(0, (today - planned_end).days)


def localized(base: str, variants_json: str, lang: str | None) -> str:
    """The text in `lang` when the record has it, else the base text."""
    if lang:
        variants: dict[str, str] = json.loads(variants_json or "{}")
        if lang in variants:
            return variants[lang]
    return base


async def list_projects(session: AsyncSession, query: ProjectQuery, today: date) -> ProjectPage:
    """Best match first for words (then nearer), else nearest first near a point, else by title."""
    query.check()
    offset = decode_cursor(query.cursor)
    total: int | None = None
    is_lower_bound = False
    if query.q and query.lat is not None and query.lon is not None:
        window, total = await _matches_near(session, query, query.lat, query.lon, offset)
    elif query.q:
        found = await search.search(session, query.q, _filters(query), offset, query.limit + 1)
        window = [(hit.project_id, None, None, None) for hit in found.hits]
        total, is_lower_bound = found.total, found.is_lower_bound
    elif query.lat is not None and query.lon is not None:
        wanted = offset + query.limit + 1
        ranked = await _nearby(session, query, query.lat, query.lon, wanted)
        window = [(pid, m, lat, lon) for pid, m, lat, lon in ranked[offset:wanted]]
    else:
        stmt = _filtered(select(*_SUMMARY_COLUMNS), query).order_by(Project.title, Project.id)
        result = await session.execute(stmt.offset(offset).limit(query.limit + 1))
        fetched = result.all()
        items = [_summary(r, today, query.lang) for r in fetched[: query.limit]]
        cursor = encode_cursor(offset + query.limit) if len(fetched) > query.limit else None
        return ProjectPage(items=tuple(items), next_cursor=cursor)
    rows = await _summary_rows(session, [pid for pid, _, _, _ in window])
    items = [
        _summary(rows[pid], today, query.lang, distance, lat, lon)
        for pid, distance, lat, lon in window[: query.limit]
        if pid in rows
    ]
    has_more = len(window) > query.limit
    cursor = encode_cursor(offset + query.limit) if has_more else None
    return ProjectPage(
        items=tuple(items), next_cursor=cursor, total=total, total_is_lower_bound=is_lower_bound
    )


async def _matches_near(
    session: AsyncSession, query: ProjectQuery, lat: float, lon: float, offset: int
) -> tuple[list[tuple[str, float | None, float | None, float | None]], int]:
    """Matches within the radius: best match first, nearer first among equals."""
    hits = await search.all_hits(session, query.q or "", _filters(query))
    near = await _ranked_within(session, replace(query, q=None), lat, lon, query.radius_m)
    found = [
        (-hits[pid].words, -hits[pid].score, metres, pid, plat, plon)
        for pid, metres, plat, plon in near
        if pid in hits
    ]
    found.sort()
    window = found[offset : offset + query.limit + 1]
    return [(pid, metres, plat, plon) for _, _, metres, pid, plat, plon in window], len(found)


async def _nearby(
    session: AsyncSession, query: ProjectQuery, lat: float, lon: float, wanted: int
) -> list[tuple[str, float, float, float]]:
    """(project id, metres, lat, lon) of each project's nearest point within the radius.

    Nearest first; exact for at least the first `wanted` entries. A small circle is tried
    first: when `wanted` projects lie well inside it, every other project is farther than all
    of them, so the answer is the same as the whole radius gives, for a fraction of the rows
    (the (lat, lon) index can only narrow latitude, so the rows read grow with the radius).
    """
    probe_m = query.radius_m / PROBE_DIVISOR
    if probe_m >= MIN_PROBE_M:
        ranked = await _ranked_within(session, query, lat, lon, probe_m)
        # Not right at the probe's edge: a point there may sit a rounding error outside its box.
        if len(ranked) >= wanted and ranked[wanted - 1][1] <= probe_m * PROBE_TRUSTED:
            return ranked
    return await _ranked_within(session, query, lat, lon, query.radius_m)


async def _ranked_within(
    session: AsyncSession, query: ProjectQuery, lat: float, lon: float, radius_m: float
) -> list[tuple[str, float, float, float]]:
    box = bounding_box(lat, lon, radius_m)
    # core.geo.haversine_m inlined, with the same operations in the same order (so the same
    # metres to the last bit), hoisting what depends on the query point only.
    p1 = math.radians(lat)
    cos_p1 = math.cos(p1)
    radians, sin, cos, asin, sqrt = math.radians, math.sin, math.cos, math.asin, math.sqrt
    diameter = 2 * EARTH_RADIUS_M
    best: dict[str, tuple[float, float, float]] = {}
    for pid, plat, plon in await _box_rows(session, query, box):
        p2 = radians(plat)
        a = sin((p2 - p1) / 2) ** 2 + cos_p1 * cos(p2) * sin(radians(plon - lon) / 2) ** 2
        metres = diameter * asin(min(1.0, sqrt(a)))
        if metres <= radius_m and (pid not in best or metres < best[pid][0]):
            best[pid] = (metres, plat, plon)
    ranked = sorted(best.items(), key=lambda item: (item[1][0], item[0]))
    return [(pid, m, plat, plon) for pid, (m, plat, plon) in ranked]


def _box_statement(has_lon: bool) -> Select[str, float, float]:
    cols = (ProjectLocation.project_id, ProjectLocation.lat, ProjectLocation.lon)
    lat, lon = ProjectLocation.lat, ProjectLocation.lon
    stmt = select(*cols).where(lat.between(bindparam("min_lat"), bindparam("max_lat")))
    if has_lon:
        stmt = stmt.where(lon.between(bindparam("min_lon"), bindparam("max_lon")))
    return stmt


# Keyed by whether the box bounds longitude (it does not near a pole or the antimeridian).
_BOX = DriverQuery(_box_statement)


async def _box_rows(session: AsyncSession, query: ProjectQuery, box: Box) -> Sequence[Any]:
    """(project id, lat, lon) of every location in the box (of a filtered project)."""
    has_lon = box.min_lon is not None and box.max_lon is not None
    if not (query.status or query.sector):
        return await _BOX.rows(
            session,
            has_lon,
            min_lat=box.min_lat,
            max_lat=box.max_lat,
            min_lon=box.min_lon,
            max_lon=box.max_lon,
        )
    stmt = _box_statement(has_lon).join(Project, Project.id == ProjectLocation.project_id)
    bounds: dict[str, float | None] = {"min_lat": box.min_lat, "max_lat": box.max_lat}
    if has_lon:
        bounds |= {"min_lon": box.min_lon, "max_lon": box.max_lon}
    return list(await session.execute(_filtered(stmt, query), bounds))


def _filters(query: ProjectQuery) -> list[Any]:
    found: list[Any] = []
    if query.status:
        found.append(Project.status == query.status)
    if query.sector:
        found.append(Project.sectors.contains(f"|{query.sector}|", autoescape=True))
    return found


def _filtered(stmt: _S, query: ProjectQuery) -> _S:
    return stmt.where(*_filters(query)) if query.status or query.sector else stmt


_SUMMARY_COLUMNS = (
    Project.id,
    Project.title,
    Project.titles,
    Project.status,
    Project.progress_pct,
    Project.planned_end_date,
    Project.completed_date,
)


class _SummaryRow(NamedTuple):
    id: str
    title: str
    titles: str
    status: str | None
    progress_pct: float | None
    planned_end_date: date | None
    completed_date: date | None


# Keyed by the number of ids (at most MAX_LIMIT + 1): `id IN (:id0, :id1, ...)`.
_SUMMARIES = DriverQuery(
    lambda count: select(*_SUMMARY_COLUMNS).where(
        Project.id.in_([bindparam(f"id{n}") for n in range(count)])
    )
)


async def _summary_rows(session: AsyncSession, ids: Sequence[str]) -> dict[str, _SummaryRow]:
    if not ids:
        return {}
    found = await _SUMMARIES.rows(
        session, len(ids), **{f"id{n}": pid for n, pid in enumerate(ids)}
    )
    return {row[0]: _SummaryRow(*row) for row in found}


def _summary(
    row: Any,
    today: date,
    lang: str | None,
    distance: float | None = None,
    lat: float | None = None,
    lon: float | None = None,
) -> ProjectSummary:
    return ProjectSummary(
        id=row.id,
        title=localized(row.title, row.titles, lang),
        status=row.status,
        progress_pct=row.progress_pct,
        planned_end_date=row.planned_end_date,
        delay_days=delay_days(row.planned_end_date, row.completed_date, row.status, today),
        distance_m=round(distance, 2) if distance is not None else None,
        lat=lat,
        lon=lon,
    )
