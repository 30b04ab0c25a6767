"""Citizen reports at 100,000 (BENCHMARKS.md, "Citizen reports").

Workload: 100,000 reports over the nearby workload's locations (80 % uniform over Ukraine's
box, 20 % around the ten largest cities), a quarter of them public, each public one with 0-3
official answers; 2,000 query points around central Kyiv. Each query is
`GET /open311/v2/requests.json?lat=…&long=…&radius=1000&page_size=50` over real HTTP on
loopback (uvicorn serving the app, httpx calling it), one request at a time.

Floor, measured in the same run: the bare indexed query with the driver (sqlite3 / asyncpg):
public reports in the radius's bounding box, distances in Python; and `GET /health` over the
same HTTP path (the echo: HTTP, a unit of work, one trivial query). Target: p99 <= 20 ms.

Filing: reports filed through the service (`svc.reports.file` in its own unit of work, what the
bot and Open311 call) at 20 a second, open loop, half of them with one 1280x960 JPEG photo
(decoded, stripped and re-encoded), each writing the report, its photo and two officials'
notices in one transaction.

    .venv/bin/python benchmarks/reports.py [--quick] [--engine sqlite|postgresql|both]
"""

from __future__ import annotations

import asyncio
import io
import random
import socket
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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
from nearby import generate

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import uvicorn
from PIL import Image
from sqlalchemy import text as text_sql

from api.config import ApiProcessSettings
from api.main import create_app
from clearsite import migrate
from core.config import DbSettings
from core.db import make_engine, make_session_factory
from core.geo import bounding_box, haversine_m
from core.reports.schemas import PhotoIn, ReportCreate
from core.uow import unit_of_work

RADIUS_M = 1000.0
PAGE = 50
WARMUP = 20
TARGET_P99_MS = 20.0
CATEGORIES = ("question", "noise", "dust", "blocked_access", "safety", "damage", "other")
REPORT_COLUMNS = (
    "id",
    "reference",
    "source",
    "category_code",
    "text",
    "lat",
    "lon",
    "locale",
    "status",
    "is_public",
    "target_hours",
    "due_at",
    "created_at",
    "updated_at",
    "acknowledged_at",
    "first_answer_at",
    "reopened_count",
)
NOTE_COLUMNS = ("id", "report_id", "author", "kind", "text", "created_at")


@dataclass
class Result:
    """Figures of one engine."""

    engine: str
    load_s: float
    http: list[float]
    echo: list[float]
    floor: list[float]
    mean_results: float
    filing: list[float]
    filing_photo: list[float]


def _stamp(moment: datetime, sqlite: bool) -> Any:
    return moment.replace(tzinfo=None).isoformat(" ", "microseconds") if sqlite else moment


def rows(
    count: int, seed: int, sqlite: bool
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Report rows (a quarter public) and official answers (0-3 per public report)."""
    data = generate(count, 0, seed)
    rng = random.Random(seed + 1)
    base = datetime.now(UTC) - timedelta(days=1)
    reports: list[tuple[Any, ...]] = []
    notes: list[tuple[Any, ...]] = []
    for i, (lat, lon) in enumerate(zip(data.lats, data.lons, strict=True)):
        created = base - timedelta(minutes=rng.randrange(60 * 24 * 80))
        public = i % 4 == 0
        status = rng.choice(("acknowledged", "in_progress", "resolved")) if public else "new"
        answered = created + timedelta(hours=3) if public else None
        reports.append(
            (
                i + 1,
                f"CR-B{i:07d}",
                "bot",
                CATEGORIES[i % len(CATEGORIES)],
                f"Report {i}: drilling and dust near the site",
                lat,
                lon,
                "uk",
                status,
                int(public) if sqlite else public,
                48,
                _stamp(created + timedelta(hours=48), sqlite),
                _stamp(created, sqlite),
                _stamp(created, sqlite),
                _stamp(answered, sqlite) if answered else None,
                _stamp(answered, sqlite) if answered else None,
                0,
            )
        )
        for _ in range(rng.randrange(4) if public else 0):
            notes.append(
                (
                    len(notes) + 1,
                    i + 1,
                    "official",
                    "answer",
                    "We are looking into it.",
                    _stamp(created + timedelta(hours=3), sqlite),
                )
            )
    return reports, notes


def load_sqlite(path: Path, count: int, seed: int) -> str:
    """Migrate a fresh file and bulk-load it with sqlite3."""
    url = f"sqlite+aiosqlite:///{path}"
    migrate.upgrade(url)
    reports, notes = rows(count, seed, sqlite=True)
    conn = sqlite3.connect(path)
    try:
        with conn:
            marks = ", ".join("?" * len(REPORT_COLUMNS))
            conn.executemany(
                f"INSERT INTO citizen_report ({', '.join(REPORT_COLUMNS)}) VALUES ({marks})",  # noqa: S608
                reports,
            )
            marks = ", ".join("?" * len(NOTE_COLUMNS))
            conn.executemany(
                f"INSERT INTO report_note ({', '.join(NOTE_COLUMNS)}) VALUES ({marks})",  # noqa: S608
                notes,
            )
        conn.execute("ANALYZE")
    finally:
        conn.close()
    return url


async def load_pg(url: str, count: int, seed: int) -> None:
    """COPY the rows in, then VACUUM ANALYZE."""
    reports, notes = rows(count, seed, sqlite=False)
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.copy_records_to_table("citizen_report", records=reports, columns=REPORT_COLUMNS)
        await conn.copy_records_to_table("report_note", records=notes, columns=NOTE_COLUMNS)
        for table in ("citizen_report", "report_note"):
            await conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 10000000)")
            await conn.execute(f"VACUUM ANALYZE {table}")
    finally:
        await conn.close()


FLOOR_SQL = (
    "SELECT id, lat, lon FROM citizen_report WHERE is_public = {true}"
    " AND lat BETWEEN {a} AND {b} AND lon BETWEEN {c} AND {d}"
)


def _ranked(lat: float, lon: float, found: list[Any]) -> list[int]:
    near = sorted(
        (d, rid)
        for rid, rlat, rlon in found
        if (d := haversine_m(lat, lon, rlat, rlon)) <= RADIUS_M
    )
    return [rid for _d, rid in near[:PAGE]]


def sqlite_floor(path: Path, queries: list[tuple[float, float]]) -> list[float]:
    """The bare indexed bounding-box query with sqlite3."""
    conn = sqlite3.connect(path)
    sql = FLOOR_SQL.format(true=1, a="?", b="?", c="?", d="?")
    times = []
    try:
        for n, (lat, lon) in enumerate(queries[:WARMUP] + queries):
            start = now()
            box = bounding_box(lat, lon, RADIUS_M)
            found = conn.execute(sql, (box.min_lat, box.max_lat, box.min_lon, box.max_lon))
            _ranked(lat, lon, found.fetchall())
            if n >= WARMUP:
                times.append(now() - start)
    finally:
        conn.close()
    return times


async def pg_floor(url: str, queries: list[tuple[float, float]]) -> list[float]:
    """The bare indexed bounding-box query with asyncpg (prepared)."""
    conn = await asyncpg.connect(asyncpg_dsn(url))
    times = []
    try:
        stmt = await conn.prepare(FLOOR_SQL.format(true="true", a="$1", b="$2", c="$3", d="$4"))
        for n, (lat, lon) in enumerate(queries[:WARMUP] + queries):
            start = now()
            box = bounding_box(lat, lon, RADIUS_M)
            found = await stmt.fetch(box.min_lat, box.max_lat, box.min_lon, box.max_lon)
            _ranked(lat, lon, [tuple(r) for r in found])
            if n >= WARMUP:
                times.append(now() - start)
    finally:
        await conn.close()
    return times


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def http_run(
    url: str, queries: list[tuple[float, float]]
) -> tuple[list[float], list[float], float]:
    """Each query over HTTP on loopback against uvicorn serving the app, one at a time, each
    after a `GET /health` (the echo floor: HTTP, a unit of work and one trivial query)."""
    settings = ApiProcessSettings(db=DbSettings(database_url=url))
    port = _port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
        await asyncio.sleep(0.05)
    times: list[float] = []
    echo: list[float] = []
    results: list[int] = []
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            for n, (lat, lon) in enumerate(queries[:WARMUP] + queries):
                start = now()
                (await http.get("/health")).raise_for_status()
                if n >= WARMUP:
                    echo.append(now() - start)
                query = f"lat={lat:.6f}&long={lon:.6f}&radius={RADIUS_M:.0f}&page_size={PAGE}"
                start = now()
                answer = await http.get(f"/open311/v2/requests.json?{query}")
                elapsed = now() - start
                answer.raise_for_status()
                if n >= WARMUP:
                    times.append(elapsed)
                    results.append(len(answer.json()))
    finally:
        server.should_exit = True
        await task
    return times, echo, sum(results) / max(1, len(results))


def run_engine(engine: str, args: Any, tmp: Path, queries: list[tuple[float, float]]) -> Result:
    """Load one engine, then measure HTTP and the floor."""
    count = 10_000 if args.quick else 100_000
    print(f"\n[{engine}] loading {count:,} reports ...", flush=True)
    start = now()
    path = tmp / "reports.db"
    if engine == "sqlite":
        url = load_sqlite(path, count, args.seed)
    else:
        url = args.database_url
        asyncio.run(recreate_pg(url))
        migrate.upgrade(url)
        asyncio.run(load_pg(url, count, args.seed))
    load_s = now() - start
    print(f"[{engine}] loaded in {load_s:.1f} s; querying ...", flush=True)
    http, echo, mean_results = asyncio.run(http_run(url, queries))
    floor = (
        sqlite_floor(path, queries) if engine == "sqlite" else asyncio.run(pg_floor(url, queries))
    )
    plain, photo = asyncio.run(filing_run(url, 40 if args.quick else 400))
    return Result(engine, load_s, http, echo, floor, mean_results, plain, photo)


FILE_RATE = 20.0


def photo_bytes() -> bytes:
    """A 1280x960 JPEG with EXIF, like a phone's (noise, so it does not compress to nothing)."""
    image = Image.effect_noise((1280, 960), 40).convert("RGB")
    exif = Image.Exif()
    exif[0x0110] = "Phone"
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, exif=exif)
    return out.getvalue()


async def filing_run(url: str, count: int) -> tuple[list[float], list[float]]:
    """`count` reports at FILE_RATE a second, open loop; seconds per filing, without and with
    a photo."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    jpeg = photo_bytes()
    async with unit_of_work(factory) as svc:
        await svc.session.execute(
            text_sql(
                "INSERT INTO chat (id, type, is_active, first_seen_at, last_seen_at)"
                " VALUES (9001, 'private', true, :t, :t), (9002, 'private', true, :t, :t)"
            ),
            {"t": datetime.now(UTC)},
        )
        for official in (9001, 9002):
            await svc.officials.add(official, f"Official {official}")
    plain: list[float] = []
    with_photo: list[float] = []

    async def one(n: int) -> None:
        photos = [PhotoIn(content=jpeg)] if n % 2 else []
        data = ReportCreate(
            category="dust", text=f"Dust {n}", lat=50.45, lon=30.52, photos=photos, source="api"
        )
        start = now()
        async with unit_of_work(factory) as svc:
            await svc.reports.file(data)
        (with_photo if photos else plain).append(now() - start)

    tasks = []
    began = now()
    for n in range(count):
        await asyncio.sleep(max(0.0, began + n / FILE_RATE - now()))
        tasks.append(asyncio.create_task(one(n)))
    await asyncio.gather(*tasks)
    await engine.dispose()
    return plain, with_photo


def report(result: Result) -> bool:
    """Print one engine's figures; True when the target is met."""
    http, floor, echo = summary_ms(result.http), summary_ms(result.floor), summary_ms(result.echo)
    print(
        f"\n== {result.engine}: {len(result.http)} queries, radius {RADIUS_M:.0f} m, page {PAGE}"
    )
    print(f"   mean results per answer: {result.mean_results:.1f}")
    for name, figures in (
        ("floor (bare indexed query)", floor),
        ("echo: GET /health (HTTP)", echo),
        ("GET requests.json (HTTP)", http),
    ):
        print(
            f"   {name:28s} median {figures['median']:7.3f}  p90 {figures['p90']:7.3f}"
            f"  p99 {figures['p99']:7.3f} ms"
        )
    print(
        f"   HTTP / floor: median {http['median'] / floor['median']:.1f}x,"
        f" p99 {http['p99'] / floor['p99']:.1f}x; HTTP / echo: median"
        f" {http['median'] / echo['median']:.1f}x, p99 {http['p99'] / echo['p99']:.1f}x"
    )
    ok = http["p99"] <= TARGET_P99_MS
    print(f"   target p99 <= {TARGET_P99_MS:.0f} ms: {'met' if ok else 'MISSED'}")
    for name, times in (
        ("filing, no photo", result.filing),
        ("filing, 1 photo", result.filing_photo),
    ):
        f = summary_ms(times)
        print(
            f"   {name:28s} median {f['median']:7.3f}  p90 {f['p90']:7.3f}  p99 {f['p99']:7.3f} ms"
            f"  ({len(times)} at {FILE_RATE:.0f}/s overall)"
        )
    return ok


def main() -> int:
    """Run the workload on the chosen engines; exit 1 when a target is missed."""
    parser = base_parser(__doc__ or "")
    args = parser.parse_args()
    run_context(args)
    queries = generate(0, 200 if args.quick else 2000, args.seed).queries
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for engine in engines(args.engine):
            ok = report(run_engine(engine, args, Path(tmp), queries)) and ok
    print(f"\npeak RSS {peak_rss_mb():.0f} MiB")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
