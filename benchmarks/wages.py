"""Wage alerts (issue 5): the overdue scan over 1,000,000 entries and a 100,000-entry sync.

Workload (BENCHMARKS.md): 1,000,000 wage entries for 200,000 workers across 5,000 projects
(five monthly pay periods each), 2 % of the entries past due and unpaid, one worker in ten
linked to a chat (the late entries all belong to linked workers: the worst case, one alert
each); bulk-generated with set-based INSERT … SELECT. Measured through the service
layer (`svc.wages.scan_overdue`, one unit of work, as the notifier job runs it): the first scan,
then the same scan again, which must enqueue nothing new. Then a 100,000-entry wage package
(20,000 workers, 5,000 schedules) synced through `svc.wages.sync_json`, and re-synced unchanged.

Baselines in the same run: counting the late entries through the (status, due_date) index (the
floor for finding them), and counting every entry (a full pass over the table).

    .venv/bin/python benchmarks/wages.py [--quick] [--engine sqlite|postgresql|both]
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from common import base_parser, engines, now, peak_rss_mb, recreate_pg, run_context

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from clearsite import migrate
from core.clock import fixed_clock
from core.context import DomainContext
from core.db import make_engine, make_session_factory
from core.uow import unit_of_work
from core.wages.policy import WagePolicy

TARGET_SCAN_S = 10.0
TARGET_SYNC_S = 30.0
TODAY = date(2026, 11, 20)
CLOCK = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
PERIODS = 5


def _due(period: int) -> date:
    return TODAY - timedelta(days=10 + 30 * (PERIODS - 1 - period))


def _gen_sql(pg: bool, rows: int, select: str) -> str:
    # Only our own literals are interpolated: the numbers series of each engine.
    if pg:
        return f"SELECT {select} FROM generate_series(0, {rows - 1}) AS g(n)"  # noqa: S608
    last = rows - 1
    series = f"WITH RECURSIVE g(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM g WHERE n < {last})"  # noqa: S608
    return f"{series} SELECT {select} FROM g"  # noqa: S608


def _lit(pg: bool, value: date | datetime | bool) -> str:
    if isinstance(value, bool):
        return ("true" if value else "false") if pg else str(int(value))
    if isinstance(value, datetime):
        return f"TIMESTAMPTZ '{value.isoformat()}'" if pg else f"'{value:%Y-%m-%d %H:%M:%S}'"
    return f"DATE '{value}'" if pg else f"'{value}'"


def _case(pg: bool, expr: str, values: list[Any]) -> str:
    whens = " ".join(f"WHEN {i} THEN {_lit(pg, v)}" for i, v in enumerate(values))
    return f"CASE {expr} {whens} END"


async def generate(url: str, entries: int, workers: int, projects: int) -> None:
    """Set-based bulk load: chats, workers, schedules, entries."""
    pg = url.startswith("postgresql")
    ts = _lit(pg, CLOCK)
    dues = [_due(p) for p in range(PERIODS)]
    starts = [d - timedelta(days=40) for d in dues]
    late = "n % 50 = 0"  # 2 % of the entries
    statements = [
        "INSERT INTO chat (id, type, is_active, first_seen_at, last_seen_at) "
        + _gen_sql(pg, workers // 10, f"n + 1, 'private', {_lit(pg, True)}, {ts}, {ts}"),
        "INSERT INTO worker (id, full_name, chat_id, created_at, updated_at) "
        + _gen_sql(
            pg,
            workers,
            f"'w' || n, 'Worker ' || n, CASE WHEN n % 10 = 0 THEN n / 10 + 1 END, {ts}, {ts}",
        ),
        "INSERT INTO wage_schedule (id, project_id, employer_id, period_start, period_end,"
        " due_date, currency, updated_at) "
        + _gen_sql(
            pg,
            projects * PERIODS,
            f"'s' || (n / {PERIODS}) || '-' || (n % {PERIODS}), 'p' || (n / {PERIODS}),"
            f" 'emp' || (n / {PERIODS} % 500), {_case(pg, f'n % {PERIODS}', starts)},"
            f" {_case(pg, f'n % {PERIODS}', starts)}, {_case(pg, f'n % {PERIODS}', dues)},"
            f" 'UAH', {ts}",
        ),
        "INSERT INTO wage_entry (id, schedule_id, worker_id, project_id, due_date, period_end,"
        " amount_due, amount_paid, currency, status, is_overpaid, is_paid_on_time, paid_at,"
        " updated_at) "
        + _gen_sql(
            pg,
            entries,
            f"'e' || n, 's' || (n % {workers} % {projects}) || '-' || (n / {workers}),"
            f" 'w' || (n % {workers}), 'p' || (n % {workers} % {projects}),"
            f" {_case(pg, f'n / {workers}', dues)}, {_case(pg, f'n / {workers}', starts)},"
            f" 15000.00, CASE WHEN {late} THEN 0 ELSE 15000.00 END, 'UAH',"
            f" CASE WHEN {late} THEN 'funds_released' ELSE 'credited' END,"
            f" {_lit(pg, False)}, NOT ({late}), CASE WHEN {late} THEN NULL ELSE {ts} END, {ts}",
        ),
    ]
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            for statement in statements:
                await conn.execute(text(statement))
        if pg:
            async with engine.connect() as conn:
                await conn.execute(text("COMMIT"))
                await conn.execute(text("ANALYZE"))
    finally:
        await engine.dispose()


async def measure_scan(url: str) -> tuple[float, int | None, float, int | None, float, float]:
    """(scan s, alerts, re-scan s, alerts, indexed count s, full count s)."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    ctx = DomainContext(clock=fixed_clock(CLOCK), zone=ZoneInfo("Europe/Kyiv"))
    policy = WagePolicy()
    try:
        start = now()
        async with unit_of_work(factory, ctx) as svc:
            first = await svc.wages.scan_overdue(policy)
        scan_s = now() - start
        start = now()
        async with unit_of_work(factory, ctx) as svc:
            again = await svc.wages.scan_overdue(policy)
        rescan_s = now() - start
        async with engine.connect() as conn:
            start = now()
            await conn.execute(
                text(
                    "SELECT count(*) FROM wage_entry WHERE status IN "
                    "('scheduled','funds_released','partial','failed') AND due_date <= :d"
                ),
                {"d": TODAY - timedelta(days=1)},
            )
            indexed_s = now() - start
            start = now()
            await conn.execute(text("SELECT count(*) FROM wage_entry WHERE amount_paid >= 0"))
            full_s = now() - start
    finally:
        await engine.dispose()
    return scan_s, first, rescan_s, again, indexed_s, full_s


def make_package(entries: int) -> dict[str, Any]:
    """A sync package: entries / 5 workers, one schedule per project and period."""
    workers = entries // PERIODS
    projects = max(workers // 4, 1)
    schedules = [
        {
            "id": f"bs{p}-{k}",
            "project_id": f"bp{p}",
            "employer_id": f"bemp{p % 300}",
            "period_start": str(_due(k) - timedelta(days=40)),
            "period_end": str(_due(k) - timedelta(days=10)),
            "due_date": str(_due(k)),
            "currency": "UAH",
        }
        for p in range(projects)
        for k in range(PERIODS)
    ]
    people = [
        {
            "id": f"bw{w}",
            "full_name": f"Worker {w}",
            "phone": f"+38067{w:07d}",
            "employments": [{"project_id": f"bp{w % projects}", "employer_id": "bemp"}],
        }
        for w in range(workers)
    ]
    rows = [
        {
            "id": f"be{n}",
            "schedule_id": f"bs{(n % workers) % projects}-{n // workers}",
            "worker_id": f"bw{n % workers}",
            "amount_due": "15000.00",
            "amount_paid": "0" if n % 50 == 0 else "15000.00",
            "currency": "UAH",
        }
        for n in range(entries)
    ]
    return {"workers": people, "schedules": schedules, "entries": rows}


async def measure_sync(url: str, package: dict[str, Any]) -> tuple[float, float, Any]:
    """(first sync s, unchanged re-sync s, re-sync result)."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    ctx = DomainContext(clock=fixed_clock(CLOCK), zone=ZoneInfo("Europe/Kyiv"))
    policy = WagePolicy(pii_key=b"benchmark-key")
    try:
        start = now()
        async with unit_of_work(factory, ctx) as svc:
            await svc.wages.sync_json(package, policy)
        first_s = now() - start
        start = now()
        async with unit_of_work(factory, ctx) as svc:
            again = await svc.wages.sync_json(package, policy)
        return first_s, now() - start, again
    finally:
        await engine.dispose()


def run_engine(engine: str, sizes: tuple[int, int, int, int], url_pg: str, tmp: Path) -> bool:
    """Generate, scan twice, sync twice; print figures; True when the targets are met."""
    entries, workers, projects, sync_entries = sizes
    url = f"sqlite+aiosqlite:///{tmp / 'wages.db'}" if engine == "sqlite" else url_pg
    if engine != "sqlite":
        asyncio.run(recreate_pg(url))
    migrate.upgrade(url)
    start = now()
    asyncio.run(generate(url, entries, workers, projects))
    print(f"\n== {engine}: {entries:,} entries, {workers:,} workers, {projects:,} projects")
    print(f"   generated in {now() - start:.1f} s (set-based INSERT … SELECT)")
    scan_s, first, rescan_s, again, indexed_s, full_s = asyncio.run(measure_scan(url))
    print(f"   overdue scan          {scan_s:8.2f} s   ({first} alerts enqueued)")
    print(f"   same scan again       {rescan_s:8.2f} s   ({again} alerts enqueued; must be 0)")
    print(f"   baseline: indexed count of late entries {indexed_s * 1000:.0f} ms,")
    print(f"             full pass over all entries     {full_s * 1000:.0f} ms")
    package = make_package(sync_entries)
    sync_s, resync_s, result = asyncio.run(measure_sync(url, package))
    print(
        f"   sync of {sync_entries:,} entries  {sync_s:8.2f} s   ({sync_entries / sync_s:,.0f}/s)"
    )
    print(
        f"   unchanged re-sync      {resync_s:8.2f} s   ({result.entries.unchanged:,} unchanged)"
    )
    met = scan_s <= TARGET_SCAN_S and sync_s <= TARGET_SYNC_S and again == 0
    print(
        f"   targets (scan <= {TARGET_SCAN_S:.0f} s, sync <= {TARGET_SYNC_S:.0f} s,"
        f" re-scan sends nothing): {'met' if met else 'MISSED'}"
    )
    return met


def main() -> None:
    """Parse arguments and run each engine."""
    parser = base_parser(__doc__.splitlines()[0] if __doc__ else "wages benchmark")
    args = parser.parse_args()
    run_context(args)
    sizes = (50_000, 10_000, 250, 5_000) if args.quick else (1_000_000, 200_000, 5_000, 100_000)
    ok = True
    with tempfile.TemporaryDirectory(prefix="clearsite-wages-") as tmp:
        for engine in engines(args.engine):
            ok = run_engine(engine, sizes, args.database_url, Path(tmp)) and ok
    print(f"\npeak RSS {peak_rss_mb():.0f} MiB")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
