"""Small helpers shared by the benchmarks: timing, percentiles, peak RSS, common arguments."""

from __future__ import annotations

import argparse
import asyncio
import atexit
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url

DEFAULT_PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/clearsite_bench"
ENGINES = ("sqlite", "postgresql")
# Databases a benchmark must never wipe (the test suites' and the lead's).
PROTECTED_DATABASES = frozenset({"test", "clearsite_lead", "clearsite_ci", "postgres"})


def now() -> float:
    """A monotonic clock in seconds."""
    return time.perf_counter()


def percentile(values: Sequence[float], fraction: float) -> float:
    """Linear-interpolated percentile (fraction in 0..1) of a non-empty sample."""
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary_ms(values: Sequence[float]) -> dict[str, float]:
    """Median, p90, p99 and mean of durations given in seconds, in milliseconds."""
    return {
        "median": statistics.median(values) * 1000,
        "p90": percentile(values, 0.90) * 1000,
        "p99": percentile(values, 0.99) * 1000,
        "mean": statistics.fmean(values) * 1000,
    }


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def base_parser(description: str) -> argparse.ArgumentParser:
    """Arguments every benchmark takes: --quick, --engine, --database-url, --seed."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="small version, runs in seconds")
    parser.add_argument(
        "--engine", choices=[*ENGINES, "both"], default="sqlite", help="database engine(s)"
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_PG_URL,
        help="PostgreSQL URL (its public schema is dropped and recreated)",
    )
    parser.add_argument("--seed", type=int, default=20261129, help="random seed")
    return parser


def run_context(args: argparse.Namespace) -> None:
    """Print when, on what code and under what load this run happens; the load again at exit.

    A figure is only worth quoting with these beside it (docs/benchmarks.md).
    """
    git = shutil.which("git")
    commit = "?"
    if git is not None:
        found = subprocess.run(  # noqa: S603 - a fixed git command
            [git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        )
        commit = found.stdout.strip() or "?"
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    shown = dict(vars(args))
    if "database_url" in shown:  # a password in the URL stays out of the output
        shown["database_url"] = make_url(args.database_url).render_as_string(hide_password=True)
    print(f"run: {started}, commit {commit}, {os.cpu_count()} cores, args {shown}")
    print(f"load average before: {_load()}")
    atexit.register(lambda: print(f"load average after: {_load()}"))


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def engines(choice: str) -> list[str]:
    """The engines an --engine value selects."""
    return list(ENGINES) if choice == "both" else [choice]


def asyncpg_dsn(url: str) -> str:
    """The SQLAlchemy URL as a plain libpq DSN for asyncpg."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def recreate_pg(url: str) -> None:
    """Create the benchmark database when missing, then empty its public schema."""
    parsed = make_url(url)
    name = parsed.database or ""
    if name in PROTECTED_DATABASES:
        raise SystemExit(f"refusing to wipe database {name!r}: use a database of your own")
    admin = await asyncpg.connect(
        asyncpg_dsn(parsed.set(database="postgres").render_as_string(False))
    )
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    finally:
        await conn.close()


@contextmanager
def migrated_database(engine: str, database_url: str) -> Iterator[str]:
    """The URL of a fresh, migrated database on `engine`: a temporary SQLite file, or the
    PostgreSQL database `database_url` emptied first."""
    from clearsite import migrate

    if engine == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite+aiosqlite:///{tmp}/bench.db"
            migrate.upgrade(url)
            yield url
        return
    asyncio.run(recreate_pg(database_url))
    migrate.upgrade(database_url)
    yield database_url
