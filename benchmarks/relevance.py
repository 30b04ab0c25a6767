"""The search relevance set (tests/data/search_relevance.json) against the demo projects.

Loads the demo package into a fresh database, runs every query through the service layer (what
the API and the bot call) and prints precision@1 and recall@5 per language, with the queries
that miss. Runs on any commit whose service takes `ProjectQuery(q=...)`, so the same file
measures the search before and after a change.

    .venv/bin/python benchmarks/relevance.py [--engine sqlite|postgresql|both] [--verbose]
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from common import base_parser, engines, recreate_pg, run_context

from clearsite import migrate
from core.clock import fixed_clock
from core.context import DomainContext
from core.db import make_engine, make_session_factory
from core.projects.importer import demo_package
from core.projects.queries import ProjectQuery
from core.services import Services
from core.uow import unit_of_work

SET = Path(__file__).resolve().parent.parent / "tests" / "data" / "search_relevance.json"
TOP = 5


def load_set() -> list[dict[str, Any]]:
    """The relevance set's queries."""
    queries: list[dict[str, Any]] = json.loads(SET.read_text(encoding="utf-8"))["queries"]
    return queries


def judge(found: list[str], relevant: list[str]) -> tuple[float, float]:
    """(precision@1, recall@5) of one answer."""
    wanted = set(relevant)
    first = 1.0 if found[:1] and found[0] in wanted else 0.0
    recall = len(set(found[:TOP]) & wanted) / min(TOP, len(wanted))
    return first, recall


async def evaluate(
    uow: Callable[[], AbstractAsyncContextManager[Services]], verbose: bool = False
) -> dict[str, tuple[float, float, int]]:
    """language -> (precision@1, recall@5, queries)."""
    scores: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for item in load_set():
        async with uow() as svc:
            page = await svc.projects.find(ProjectQuery(q=item["q"], limit=TOP))
        found = [p.id for p in page.items]
        first, recall = judge(found, item["relevant"])
        scores[item["lang"]].append((first, recall))
        if verbose and (first < 1 or recall < 1):
            print(f"  miss {item['lang']} {item['q']!r}: p@1 {first:.0f} r@5 {recall:.2f} {found}")
    return {
        lang: (
            sum(f for f, _ in pairs) / len(pairs),
            sum(r for _, r in pairs) / len(pairs),
            len(pairs),
        )
        for lang, pairs in sorted(scores.items())
    }


async def run(url: str, verbose: bool) -> None:
    """Load the demo projects into `url` and print the figures per language."""
    await asyncio.to_thread(migrate.upgrade, url)
    engine = make_engine(url)
    ctx = DomainContext(
        clock=fixed_clock(datetime(2026, 11, 1, 9, tzinfo=UTC)), zone=ZoneInfo("Europe/Kyiv")
    )
    factory = make_session_factory(engine)
    try:
        async with unit_of_work(factory, ctx) as svc:
            await svc.projects.import_package(demo_package())
        results = await evaluate(lambda: unit_of_work(factory, ctx), verbose)
    finally:
        await engine.dispose()
    for lang, (first, recall, count) in results.items():
        shown = f"precision@1 {first:.2f}  recall@5 {recall:.2f}  ({count} queries)"
        print(f"  relevance {lang}: {shown}")


def main() -> None:
    parser = base_parser("Search relevance on the demo projects.")
    parser.add_argument("--verbose", action="store_true", help="list the queries that miss")
    args = parser.parse_args()
    run_context(args)
    for engine in engines(args.engine):
        print(f"{engine}:")
        if engine == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                asyncio.run(run(f"sqlite+aiosqlite:///{folder}/relevance.db", args.verbose))
        else:
            asyncio.run(recreate_pg(args.database_url))
            asyncio.run(run(args.database_url, args.verbose))


if __name__ == "__main__":
    main()
