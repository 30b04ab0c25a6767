"""Open data export: the whole OC4IDS package of 100,000 projects streamed by the API process
(time, peak RSS), and an incremental pull of 1,000 changes among them by a second instance.

Floors in the same run: for time, the records read straight from the database with the driver
(no HTTP, no JSON envelope); for memory, the same API process's peak RSS after start-up and a
first request, before the export.

    .venv/bin/python benchmarks/export.py [--quick] [--engine sqlite|postgresql|both]
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import httpx
from common import asyncpg_dsn, base_parser, engines, now, recreate_pg, run_context
from sqlalchemy.engine import make_url
from sync import make_project

from clearsite import migrate
from core.context import DomainContext
from core.db import make_engine, make_session_factory
from core.pulls import pull_source
from core.sources.fetch import FetchConfig
from core.sources.schemas import SourceCreate
from core.uow import unit_of_work

CHUNK = 5_000
CHANGES = 1_000
PAGE = 500
ENVELOPE = {
    "version": "0.9",
    "uri": "https://clearsite.example.org/bench/package.json",
    "publishedDate": "2026-11-29T00:00:00Z",
    "publisher": {"name": "Clearsite export benchmark"},
}


async def load(url: str, count: int, seed: int) -> list[dict[str, Any]]:
    """Import `count` generated projects in chunks, as pushes would; return the records."""
    rng = random.Random(seed)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    records: list[dict[str, Any]] = []
    try:
        for start in range(0, count, CHUNK):
            chunk = [make_project(i, rng) for i in range(start, min(start + CHUNK, count))]
            async with unit_of_work(factory) as svc:
                await svc.projects.import_package({**ENVELOPE, "projects": chunk})
            records += chunk
    finally:
        await engine.dispose()
    return records


async def change(url: str, records: list[dict[str, Any]], seed: int) -> int:
    """Change CHANGES projects in one push; return the change number before it."""
    rng = random.Random(seed + 1)
    picked = rng.sample(records, CHANGES)
    changed = [{**r, "title": r["title"] + " (revised)"} for r in picked]
    engine = make_engine(url)
    try:
        async with unit_of_work(make_session_factory(engine)) as svc:
            before, _ = await svc.projects.last_change()
            result = await svc.projects.import_package({**ENVELOPE, "projects": changed})
        if result.updated != CHANGES:
            raise SystemExit(f"expected {CHANGES} updates, got {result.updated}")
    finally:
        await engine.dispose()
    return before


def raw_read_s(url: str) -> float:
    """The floor: every record, oldest change first, read with the bare driver."""
    start = now()
    total = 0
    if url.startswith("sqlite"):
        conn = sqlite3.connect(make_url(url).database or "")
        for (record,) in conn.execute("SELECT record FROM project ORDER BY change_seq"):
            total += len(record)
        conn.close()
    else:

        async def read() -> int:
            conn = await asyncpg.connect(asyncpg_dsn(url))
            size = 0
            async with conn.transaction():
                async for row in conn.cursor("SELECT record FROM project ORDER BY change_seq"):
                    size += len(row[0])
            await conn.close()
            return size

        total = asyncio.run(read())
    if total == 0:
        raise SystemExit("the floor read no records")
    return now() - start


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def peak_rss_mib(pid: int) -> float:
    """VmHWM of a process (its peak resident set so far), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def start_api(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": url, "API_PORT": str(port), "LOG_LEVEL": "WARNING"}
    # Not from benchmarks/: its bot.py would shadow the bot package.
    command = [sys.executable, "-m", "clearsite", "api"]
    proc = subprocess.Popen(command, env=env, cwd=tempfile.gettempdir())  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the API did not start")


def full_package(base: str) -> tuple[float, int, int]:
    """Stream the whole package; (seconds, bytes, projects)."""
    start = now()
    chunks: list[bytes] = []
    with httpx.stream("GET", f"{base}/api/v1/oc4ids/package", timeout=600) as response:
        response.raise_for_status()
        chunks.extend(response.iter_bytes())
    spent = now() - start
    body = b"".join(chunks)
    return spent, len(body), len(json.loads(body)["projects"])


def walk(base: str, after: int) -> tuple[float, list[str]]:
    """Follow links.next from `after` until a page is empty; (seconds, ids)."""
    start = now()
    ids: list[str] = []
    url = f"{base}/api/v1/oc4ids/package?after={after}&limit={PAGE}"
    while True:
        page = httpx.get(url, timeout=120).json()
        ids += [p["id"] for p in page["projects"]]
        if not page["projects"]:
            return now() - start, ids
        url = page["links"]["next"]


async def follow(base: str, after: int, db: Path) -> tuple[float, Any]:
    """A second instance (a new SQLite file) pulls the changes after `after`."""
    url = f"sqlite+aiosqlite:///{db}"
    await asyncio.to_thread(migrate.upgrade, url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    ctx = DomainContext()
    try:
        async with unit_of_work(factory, ctx) as svc:
            feed = f"{base}/api/v1/oc4ids/package?after={after}&limit={PAGE}"
            source = (await svc.sources.add(SourceCreate(url=feed))).id
        start = now()
        report = await pull_source(factory, ctx, source, FetchConfig(timeout_s=600))
        return now() - start, report
    finally:
        await engine.dispose()


def run_engine(engine: str, count: int, seed: int, url_pg: str, tmp: Path) -> bool:
    """Load, export, change, walk, follow; print the figures; True when answers are exact."""
    if engine == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp / 'export.db'}"
    else:
        url = url_pg
        asyncio.run(recreate_pg(url))
    migrate.upgrade(url)
    start = now()
    records = asyncio.run(load(url, count, seed))
    print(f"\n== {engine}: loaded {count:,} projects in {now() - start:.1f} s")
    floor_s = raw_read_s(url)
    port = free_port()
    api = start_api(url, port)
    base = f"http://127.0.0.1:{port}"
    try:
        httpx.get(f"{base}/api/v1/projects", params={"limit": 1}, timeout=60)
        idle_rss = peak_rss_mib(api.pid)
        export_s, size, projects = full_package(base)
        export_rss = peak_rss_mib(api.pid)
        before = asyncio.run(change(url, records, seed))
        walk_s, ids = walk(base, before)
        pull_s, report = asyncio.run(follow(base, before, tmp / f"follower-{engine}.db"))
    finally:
        api.terminate()
        api.wait(timeout=30)
    mib = size / 2**20
    print(f"   whole package   {export_s:8.2f} s  ({mib:.0f} MiB, {projects:,} projects)")
    print(f"   floor (driver)  {floor_s:8.2f} s  -> export / floor {export_s / floor_s:.1f}x")
    print(
        f"   API peak RSS    {export_rss:8.0f} MiB after the export, {idle_rss:.0f} MiB before"
        f" (the floor): +{export_rss - idle_rss:.0f} MiB for a {mib:.0f} MiB package"
    )
    print(f"   {CHANGES:,} changes: walk {walk_s:.2f} s ({len(ids)} ids, pages of {PAGE}),")
    print(f"      pulled into a second instance {pull_s:.2f} s: {report}")
    exact = (
        projects == count
        and sorted(ids) == sorted(set(ids))
        and len(ids) == CHANGES
        and report.ok
        and report.created == CHANGES
    )
    print(f"   answers exact: {exact}")
    return exact


def main() -> None:
    """Parse arguments, run each engine."""
    parser = base_parser(__doc__.splitlines()[0] if __doc__ else "export benchmark")
    parser.add_argument("--projects", type=int, help="override the number of projects")
    args = parser.parse_args()
    run_context(args)
    count = args.projects or (10_000 if args.quick else 100_000)
    ok = True
    with tempfile.TemporaryDirectory(prefix="clearsite-export-") as tmp:
        for engine in engines(args.engine):
            ok = run_engine(engine, count, args.seed, args.database_url, Path(tmp)) and ok
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
