"""Nearby search at 1,000,000 locations (BENCHMARKS.md, "Nearby search").

Workload: 1,000,000 project locations in Ukraine (80 % uniform over the country's box, 20 %
Gaussian around the ten largest cities), one minimal project row per location; 2,000 query
points around central Kyiv; "10 nearest within 2 km" through the service layer
(`svc.projects.find_nearby` inside `core.uow.unit_of_work`, what the API and the bot call).

Baselines measured in the same run: a plain indexed bounding-box query issued directly with the
driver (sqlite3 / asyncpg) with distances computed in Python — the floor for a database-backed
answer — and a full-scan SQL query that computes the distance of every row (a handful only).
A sample of the service's answers is checked against a brute-force pass over every generated
point in memory.

    .venv/bin/python benchmarks/nearby.py [--quick] [--engine sqlite|postgresql|both]
"""

from __future__ import annotations

import asyncio
import math
import random
import sqlite3
import statistics
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from common import (
    asyncpg_dsn,
    base_parser,
    engines,
    now,
    peak_rss_mb,
    recreate_pg,
    run_context,
    summary_ms,
)

from clearsite import migrate
from core.db import make_engine, make_session_factory
from core.geo import EARTH_RADIUS_M, bounding_box, haversine_m
from core.uow import unit_of_work

CITIES = (
    ("Kyiv", 50.45, 30.52),
    ("Kharkiv", 49.99, 36.23),
    ("Odesa", 46.48, 30.72),
    ("Dnipro", 48.46, 35.04),
    ("Lviv", 49.84, 24.03),
    ("Zaporizhzhia", 47.84, 35.14),
    ("Vinnytsia", 49.23, 28.47),
    ("Donetsk", 48.02, 37.80),
    ("Mykolaiv", 46.97, 32.00),
    ("Poltava", 49.59, 34.55),
)
BOX = (44.4, 52.4, 22.1, 40.2)  # min lat, max lat, min lon, max lon
CITY_SIGMA = (0.10, 0.15)
KYIV = (50.45, 30.52)
QUERY_SIGMA = (0.05, 0.07)
RADIUS_M = 2000.0
LIMIT = 10
WARMUP = 20
# Issue #17: the service within these multiples of the raw driver floor, in the same run.
TARGET_P50_RATIO = 1.5
TARGET_P99_RATIO = 2.0
STATUSES = ("planning", "design", "implementation", "implementation", "completion")
CREATED = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)

Answer = list[tuple[str, float, float, float]]  # (project id, metres rounded, lat, lon)


@dataclass(frozen=True)
class Dataset:
    """The generated locations (one project each) and the query points."""

    lats: list[float]
    lons: list[float]
    queries: list[tuple[float, float]]


@dataclass
class Result:
    """Figures of one engine."""

    engine: str
    load_s: float
    service: list[float]
    floor: list[float]
    full_scan: list[float]
    mean_box_rows: float
    mean_results: float
    checked: int
    mismatches: int


def project_id(index: int) -> str:
    """The id of the project owning location `index`."""
    return f"ua-bench-{index:07d}"


def generate(locations: int, queries: int, seed: int) -> Dataset:
    """Locations and queries as BENCHMARKS.md defines them, from a fixed seed."""
    rng = random.Random(seed)
    min_lat, max_lat, min_lon, max_lon = BOX
    uniform = locations * 8 // 10
    lats: list[float] = []
    lons: list[float] = []
    for _ in range(uniform):
        lats.append(rng.uniform(min_lat, max_lat))
        lons.append(rng.uniform(min_lon, max_lon))
    for i in range(locations - uniform):
        _, lat, lon = CITIES[i % len(CITIES)]
        lats.append(rng.gauss(lat, CITY_SIGMA[0]))
        lons.append(rng.gauss(lon, CITY_SIGMA[1]))
    points = [
        (rng.gauss(KYIV[0], QUERY_SIGMA[0]), rng.gauss(KYIV[1], QUERY_SIGMA[1]))
        for _ in range(queries)
    ]
    return Dataset(lats, lons, points)


def brute_force(data: Dataset, lat: float, lon: float) -> Answer:
    """The exact answer from every generated point (no database, no bounding box).

    Every point is visited; the latitude test only skips the haversine where it cannot pass
    (a great-circle distance is at least R * |difference of latitudes|).
    """
    reach = math.degrees(RADIUS_M / EARTH_RADIUS_M) * 1.01
    found: list[tuple[float, str, float, float]] = []
    for index, (plat, plon) in enumerate(zip(data.lats, data.lons, strict=True)):
        if abs(plat - lat) <= reach:
            metres = haversine_m(lat, lon, plat, plon)
            if metres <= RADIUS_M:
                found.append((metres, project_id(index), plat, plon))
    found.sort(key=lambda item: (item[0], item[1]))
    return [(pid, round(m, 2), plat, plon) for m, pid, plat, plon in found[:LIMIT]]


def ranked(lat: float, lon: float, rows: Any) -> Answer:
    """Nearest point per project within the radius, nearest first (the floor's Python side)."""
    best: dict[str, tuple[float, float, float]] = {}
    for pid, plat, plon in rows:
        metres = haversine_m(lat, lon, plat, plon)
        if metres <= RADIUS_M and (pid not in best or metres < best[pid][0]):
            best[pid] = (metres, plat, plon)
    order = sorted(best.items(), key=lambda item: (item[1][0], item[0]))[:LIMIT]
    return [(pid, round(m, 2), plat, plon) for pid, (m, plat, plon) in order]


def project_rows(count: int, sqlite: bool) -> Iterator[tuple[Any, ...]]:
    """Minimal valid `project` rows, matching the models (one per location)."""
    created: Any = CREATED.replace(tzinfo=None).isoformat(" ") + ".000000" if sqlite else CREATED
    for i in range(count):
        end = date(2026, 1, 1) + timedelta(days=i % 900)
        yield (
            project_id(i),
            f"Benchmark project {i}",
            "{}",
            "",
            "{}",
            STATUSES[i % len(STATUSES)],
            "|",
            float(i % 101),
            end.isoformat() if sqlite else end,
            "",
            "{}",
            f"{i:064x}",
            created,
            created,
            i + 1,
        )


PROJECT_COLUMNS = (
    "id",
    "title",
    "titles",
    "description",
    "descriptions",
    "status",
    "sectors",
    "progress_pct",
    "planned_end_date",
    "search_text",
    "record",
    "content_hash",
    "created_at",
    "synced_at",
    "change_seq",
)
LOCATION_COLUMNS = ("id", "project_id", "location_id", "geometry_type", "lat", "lon")


def location_rows(data: Dataset) -> Iterator[tuple[Any, ...]]:
    """One Point location per project."""
    for i, (lat, lon) in enumerate(zip(data.lats, data.lons, strict=True)):
        yield (i + 1, project_id(i), "1", "Point", lat, lon)


# --- SQLite ------------------------------------------------------------------------------


def load_sqlite(data: Dataset, path: Path) -> str:
    """Migrate a fresh file and bulk-load it with the sqlite3 driver; return its URL."""
    url = f"sqlite+aiosqlite:///{path}"
    migrate.upgrade(url)
    conn = sqlite3.connect(path)
    try:
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            " AND tbl_name IN ('project', 'project_location')"
        ).fetchall()
        conn.execute("PRAGMA synchronous=OFF")
        with conn:
            for name, _ in indexes:
                conn.execute(f'DROP INDEX "{name}"')
            marks = ", ".join("?" * len(PROJECT_COLUMNS))
            conn.executemany(
                f"INSERT INTO project ({', '.join(PROJECT_COLUMNS)}) VALUES ({marks})",  # noqa: S608
                project_rows(len(data.lats), sqlite=True),
            )
            marks = ", ".join("?" * len(LOCATION_COLUMNS))
            conn.executemany(
                f"INSERT INTO project_location ({', '.join(LOCATION_COLUMNS)})"  # noqa: S608
                f" VALUES ({marks})",
                location_rows(data),
            )
            for _, sql in indexes:
                conn.execute(sql)
        conn.execute("ANALYZE")
    finally:
        conn.close()
    return url


def sqlite_floor(path: Path, data: Dataset) -> tuple[list[float], list[int]]:
    """The plain indexed bounding-box query with sqlite3, distances in Python."""
    conn = sqlite3.connect(path)
    sql = (
        "SELECT project_id, lat, lon FROM project_location"
        " WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?"
    )
    times: list[float] = []
    box_rows: list[int] = []
    try:
        for n, (lat, lon) in enumerate(data.queries[:WARMUP] + data.queries):
            start = now()
            box = bounding_box(lat, lon, RADIUS_M)
            rows = conn.execute(sql, (box.min_lat, box.max_lat, box.min_lon, box.max_lon))
            fetched = rows.fetchall()
            ranked(lat, lon, fetched)
            if n >= WARMUP:
                times.append(now() - start)
                box_rows.append(len(fetched))
    finally:
        conn.close()
    return times, box_rows


def haversine_sql(least: str) -> str:
    """Great-circle metres of every row from (:lat, :lon), in SQL (both engines)."""
    return (
        f"2 * {EARTH_RADIUS_M} * asin({least}(1.0, sqrt("
        "power(sin(radians(lat - :lat) / 2), 2)"
        " + cos(radians(:lat)) * cos(radians(lat)) * power(sin(radians(lon - :lon) / 2), 2))))"
    )


def full_scan_sql(least: str) -> str:
    """Distance of every row, then the 10 nearest within the radius."""
    return (  # constants only: no injection
        "SELECT project_id, lat, lon FROM (SELECT project_id, lat, lon, "  # noqa: S608
        f"{haversine_sql(least)} AS d FROM project_location) AS t"
        " WHERE d <= :radius ORDER BY d, project_id LIMIT :limit"
    )


def sqlite_full_scan(path: Path, data: Dataset, count: int) -> list[float]:
    """A handful of full scans with sqlite3 (its built-in math functions)."""
    conn = sqlite3.connect(path)
    times: list[float] = []
    try:
        for lat, lon in data.queries[:count]:
            start = now()
            params = {"lat": lat, "lon": lon, "radius": RADIUS_M, "limit": LIMIT}
            rows = conn.execute(full_scan_sql("min"), params).fetchall()
            ranked(lat, lon, rows)
            times.append(now() - start)
    finally:
        conn.close()
    return times


# --- PostgreSQL --------------------------------------------------------------------------


async def load_pg(data: Dataset, url: str) -> None:
    """COPY the rows in with plain indexes dropped (constraints' stay), rebuild them, VACUUM
    ANALYZE."""
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        indexes = await conn.fetch(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
            " AND tablename IN ('project', 'project_location')"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint)"  # keys stay
        )
        async with conn.transaction():
            for row in indexes:
                await conn.execute(f'DROP INDEX "{row["indexname"]}"')
            await conn.copy_records_to_table(
                "project",
                records=project_rows(len(data.lats), sqlite=False),
                columns=PROJECT_COLUMNS,
            )
            await conn.copy_records_to_table(
                "project_location", records=location_rows(data), columns=LOCATION_COLUMNS
            )
            for row in indexes:
                await conn.execute(row["indexdef"])
            await conn.execute(
                "SELECT setval(pg_get_serial_sequence('project_location', 'id'), $1)",
                len(data.lats),
            )
        await conn.execute("VACUUM ANALYZE project")
        await conn.execute("VACUUM ANALYZE project_location")
    finally:
        await conn.close()


async def pg_floor(url: str, data: Dataset) -> tuple[list[float], list[int]]:
    """The plain indexed bounding-box query with asyncpg (prepared), distances in Python."""
    conn = await asyncpg.connect(asyncpg_dsn(url))
    times: list[float] = []
    box_rows: list[int] = []
    try:
        stmt = await conn.prepare(
            "SELECT project_id, lat, lon FROM project_location"
            " WHERE lat BETWEEN $1 AND $2 AND lon BETWEEN $3 AND $4"
        )
        for n, (lat, lon) in enumerate(data.queries[:WARMUP] + data.queries):
            start = now()
            box = bounding_box(lat, lon, RADIUS_M)
            fetched = await stmt.fetch(box.min_lat, box.max_lat, box.min_lon, box.max_lon)
            ranked(lat, lon, fetched)
            if n >= WARMUP:
                times.append(now() - start)
                box_rows.append(len(fetched))
    finally:
        await conn.close()
    return times, box_rows


async def pg_full_scan(url: str, data: Dataset, count: int) -> list[float]:
    """A handful of full scans with asyncpg."""
    sql = full_scan_sql("least")
    for n, name in enumerate(("lat", "lon", "radius", "limit"), start=1):
        sql = sql.replace(f":{name}", f"${n}")
    conn = await asyncpg.connect(asyncpg_dsn(url))
    times: list[float] = []
    try:
        for lat, lon in data.queries[:count]:
            start = now()
            rows = await conn.fetch(sql, lat, lon, RADIUS_M, LIMIT)
            ranked(lat, lon, rows)
            times.append(now() - start)
    finally:
        await conn.close()
    return times


async def pg_explain(url: str, data: Dataset) -> str:
    """The plan of the service's bounding-box query shape, for the report."""
    lat, lon = data.queries[0]
    box = bounding_box(lat, lon, RADIUS_M)
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        rows = await conn.fetch(
            "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT project_id, lat, lon"
            " FROM project_location WHERE lat BETWEEN $1 AND $2 AND lon BETWEEN $3 AND $4",
            box.min_lat,
            box.max_lat,
            box.min_lon,
            box.max_lon,
        )
    finally:
        await conn.close()
    return "\n".join("    " + r[0] for r in rows)


# --- the service ---------------------------------------------------------------------------


async def service_run(
    url: str, data: Dataset, sample: Sequence[int]
) -> tuple[list[float], float, int]:
    """Every query through the service in its own unit of work; check a sample of answers."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    times: list[float] = []
    results: list[int] = []
    answers: dict[int, Answer] = {}
    wanted = set(sample)
    try:
        for n, (lat, lon) in enumerate(data.queries[:WARMUP] + data.queries):
            start = now()
            async with unit_of_work(factory) as svc:
                page = await svc.projects.find_nearby(lat, lon, radius_m=RADIUS_M, limit=LIMIT)
            elapsed = now() - start
            if n < WARMUP:
                continue
            times.append(elapsed)
            results.append(len(page.items))
            if n - WARMUP in wanted:
                answers[n - WARMUP] = [
                    (i.id, i.distance_m or 0.0, i.lat or 0.0, i.lon or 0.0) for i in page.items
                ]
    finally:
        await engine.dispose()
    mismatches = 0
    for index, answer in answers.items():
        lat, lon = data.queries[index]
        if answer != brute_force(data, lat, lon):
            mismatches += 1
            print(f"  MISMATCH at query {index} ({lat:.5f}, {lon:.5f})")
    return times, statistics.fmean(results), mismatches


def run_engine(engine: str, data: Dataset, args: Any, tmp: Path, scans: int) -> Result:
    """Load one engine, then measure the service, the floor and the full scan."""
    print(f"\n[{engine}] loading {len(data.lats):,} locations ...", flush=True)
    start = now()
    path = tmp / "nearby.db"
    if engine == "sqlite":
        url = load_sqlite(data, path)
    else:
        url = args.database_url
        asyncio.run(recreate_pg(url))
        migrate.upgrade(url)
        asyncio.run(load_pg(data, url))
    load_s = now() - start
    print(f"[{engine}] loaded in {load_s:.1f} s; querying ...", flush=True)
    step = max(1, len(data.queries) // args.check)
    sample = list(range(0, len(data.queries), step))[: args.check]
    service, mean_results, mismatches = asyncio.run(service_run(url, data, sample))
    if engine == "sqlite":
        floor, box_rows = sqlite_floor(path, data)
        full = sqlite_full_scan(path, data, scans)
    else:
        floor, box_rows = asyncio.run(pg_floor(url, data))
        full = asyncio.run(pg_full_scan(url, data, scans))
        print(f"[{engine}] plan of the bounding-box query:\n{asyncio.run(pg_explain(url, data))}")
    return Result(
        engine,
        load_s,
        service,
        floor,
        full,
        statistics.fmean(box_rows),
        mean_results,
        len(sample),
        mismatches,
    )


def report(result: Result) -> bool:
    """Print one engine's figures; True when the targets are met and answers are exact."""
    service = summary_ms(result.service)
    floor = summary_ms(result.floor)
    full = summary_ms(result.full_scan)
    print(
        f"\n== {result.engine}: {len(result.service)} queries,"
        f" radius {RADIUS_M:.0f} m, limit {LIMIT}"
    )
    print(
        f"   mean rows in the full-radius bounding box {result.mean_box_rows:.0f},"
        f" mean results {result.mean_results:.2f}"
    )
    print(f"   {'method':<34}{'median':>10}{'p90':>10}{'p99':>10}  (ms)")
    for name, figures, n in (
        ("service (find_nearby + UoW)", service, len(result.service)),
        ("raw bounding box (driver) floor", floor, len(result.floor)),
        ("full-scan SQL", full, len(result.full_scan)),
    ):
        print(
            f"   {name:<34}{figures['median']:>10.3f}{figures['p90']:>10.3f}"
            f"{figures['p99']:>10.3f}  n={n}"
        )
    print(f"   full scan / service (median)  {full['median'] / service['median']:.0f}x")
    print(
        f"   exactness: {result.checked - result.mismatches}/{result.checked}"
        " sampled service answers equal the brute-force answer"
    )
    p50_ratio, p99_ratio = service["median"] / floor["median"], service["p99"] / floor["p99"]
    met = p50_ratio <= TARGET_P50_RATIO and p99_ratio <= TARGET_P99_RATIO
    print(
        f"   targets (service / floor: median {p50_ratio:.2f}x <= {TARGET_P50_RATIO}x,"
        f" p99 {p99_ratio:.2f}x <= {TARGET_P99_RATIO}x): {'met' if met else 'MISSED'}"
    )
    return met and result.mismatches == 0


def main() -> None:
    """Parse arguments, run each engine, print the figures."""
    parser = base_parser(__doc__.splitlines()[0] if __doc__ else "nearby benchmark")
    parser.add_argument("--locations", type=int, help="override the number of locations")
    parser.add_argument("--queries", type=int, help="override the number of queries")
    parser.add_argument("--check", type=int, default=50, help="answers checked by brute force")
    parser.add_argument("--full-scans", type=int, default=5, help="full-scan queries timed")
    args = parser.parse_args()
    run_context(args)
    locations = args.locations or (50_000 if args.quick else 1_000_000)
    queries = args.queries or (200 if args.quick else 2_000)
    start = now()
    data = generate(locations, queries, args.seed)
    print(
        f"generated {locations:,} locations and {queries:,} queries"
        f" in {now() - start:.1f} s (seed {args.seed})"
    )
    ok = True
    with tempfile.TemporaryDirectory(prefix="clearsite-nearby-") as tmp:
        for engine in engines(args.engine):
            ok = report(run_engine(engine, data, args, Path(tmp), args.full_scans)) and ok
    print(f"\npeak RSS {peak_rss_mb():.0f} MiB")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
