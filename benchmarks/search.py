"""Text search at 100,000 projects (BENCHMARKS.md, "Search").

Workload: 100,000 projects whose titles, descriptions, addresses and contractors are drawn from
a vocabulary of Ukrainian words in all seven cases and both numbers, Ukrainian and Korean
street names, Korean compounds and English words (benchmarks/search_vocabulary.py); fixed seed.
The term index rows are computed by the code the sync uses (core.projects.search).
2,000 queries drawn from the same vocabulary (inflected, misspelt by one letter, partial,
Korean words inside compounds, streets, contractors) plus the relevance set's queries, each
through the service layer (`svc.projects.find`, a page of 5 with the total).

In the same run: the floor — the bare term-index lookup of the query's first stem, issued
with the driver (sqlite3 / asyncpg) — and the alternative the issue suggested, a trigram index
(SQLite FTS5 `trigram` tokenizer; PostgreSQL `pg_trgm` GIN) answering only "which projects
contain this stem, how many" for the same first stem. Precision@1 and recall@5 of the
relevance set on the demo projects come from benchmarks/relevance.py in the same run.

    .venv/bin/python benchmarks/search.py [--quick] [--engine sqlite|postgresql|both]
"""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import relevance
import search_vocabulary as vocab
from common import asyncpg_dsn, base_parser, engines, now, recreate_pg, run_context, summary_ms

from clearsite import migrate
from core.db import make_engine, make_session_factory
from core.projects.queries import ProjectQuery
from core.projects.search import project_terms
from core.projects.words import MIN_STEM, query_words
from core.uow import unit_of_work

CREATED = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
WARMUP = 30
PAGE = 5
PROJECT_COLUMNS = (
    "id", "title", "titles", "description", "descriptions", "status", "sectors",
    "search_text", "record", "content_hash", "change_seq", "created_at", "synced_at",
)  # fmt: skip
TERM_COLUMNS = ("term", "project_id", "field")


def _uk_project(rng: random.Random, firms: list[str]) -> dict[str, Any]:
    forms, streets = vocab.uk_forms(), vocab.street_forms()
    street = rng.choice(streets)
    title = " ".join(
        [rng.choice(vocab.UK_VERBS), *(rng.choice(rng.choice(forms)) for _ in range(2))]
    )
    words = [rng.choice(rng.choice(forms)) for _ in range(8)]
    return {
        "title": f"{rng.choice(vocab.EN_WORDS)} on {rng.choice(vocab.EN_STREETS)}",
        "local": ("uk", f"{title} на вулиці {rng.choice(street)}", " ".join(words)),
        "address": f"вул. {street[0]}, {rng.randint(1, 150)}",
        "parties": rng.sample(firms, 2),
    }


def _ko_project(rng: random.Random, firms: list[str]) -> dict[str, Any]:
    street = rng.choice(vocab.KO_STREETS)
    title = " ".join([street, *rng.sample(vocab.KO_WORDS, 3), "공사"])
    return {
        "title": f"{rng.choice(vocab.EN_WORDS)} on {rng.choice(vocab.EN_STREETS)}",
        "local": ("ko", title, " ".join(rng.choice(vocab.KO_WORDS) for _ in range(8))),
        "address": f"{street} {rng.randint(1, 150)}",
        "parties": rng.sample(firms, 2),
    }


def generate(count: int, seed: int) -> Iterator[tuple[tuple[Any, ...], dict[str, int]]]:
    """(project row, term index rows) per project."""
    rng = random.Random(seed)
    firms = vocab.contractors(rng, 300)
    for i in range(count):
        made = _uk_project(rng, firms) if i % 2 == 0 else _ko_project(rng, firms)
        lang, local_title, local_text = made["local"]
        description = f"Works on {made['title']}"
        texts = [made["title"], local_title, description, local_text, made["address"]]
        row = (
            f"bench-{i:07d}", made["title"], json.dumps({lang: local_title}, ensure_ascii=False),
            description, json.dumps({lang: local_text}, ensure_ascii=False), "implementation",
            "|", " ".join([*texts, *made["parties"]]).casefold(), "{}", f"{i:064x}", i + 1,
        )  # fmt: skip
        terms = project_terms(
            [made["title"], local_title], [description, local_text], [made["address"]],
            made["parties"],
        )  # fmt: skip
        yield row, terms


def _typo(rng: random.Random, word: str) -> str:
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "change"))
    if kind == "swap":
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if kind == "drop":
        return word[:at] + word[at + 1 :]
    letters = "абвгдеєжзиіїклмнопрстуфхцчшщьюя" if not word.isascii() else "abcdefghiklmnoprstu"
    return word[:at] + rng.choice(letters) + word[at + 1 :]


def queries(count: int, seed: int, firms: list[str]) -> list[str]:
    """Queries from the workload's vocabulary, plus the relevance set's."""
    rng = random.Random(seed + 1)
    forms = [f for entry in vocab.uk_forms() for f in entry]
    long_words = [w for w in forms + vocab.EN_WORDS if len(w) >= 5]
    streets = [f for entry in vocab.street_forms() for f in entry]
    makers = (
        lambda: rng.choice(forms),
        lambda: f"{rng.choice(forms)} {rng.choice(forms)}",
        lambda: f"вулиця {rng.choice(streets)}",
        lambda: _typo(rng, rng.choice(long_words)),
        lambda: rng.choice(long_words)[: rng.randint(4, 6)],
        lambda: rng.choice(vocab.KO_PARTS) + rng.choice(vocab.KO_PARTICLES),
        lambda: f"{rng.choice(vocab.KO_STREETS)} {rng.choice(vocab.KO_WORDS)}",
        lambda: rng.choice(vocab.EN_WORDS),
        lambda: rng.choice(firms).rsplit(" ", 2)[0],
    )
    found = [rng.choice(makers)() for _ in range(count)]
    return found + [item["q"] for item in relevance.load_set()]


def first_stem(q: str) -> str:
    """The stem the floor and the trigram alternative look up."""
    words = query_words(q)
    return words[0].whole[0] if words else q


# --- loading -----------------------------------------------------------------------------


def load_sqlite(path: Path, count: int, seed: int) -> str:
    """Migrate a fresh file, load projects and terms with sqlite3; FTS5 trigram beside."""
    url = f"sqlite+aiosqlite:///{path}"
    migrate.upgrade(url)
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA synchronous=OFF")
        project_sql = f"INSERT INTO project ({', '.join(PROJECT_COLUMNS)}) VALUES ({', '.join('?' * len(PROJECT_COLUMNS))})"  # noqa: E501, S608
        created = CREATED.replace(tzinfo=None).isoformat(" ") + ".000000"
        vocabulary: set[str] = set()
        with conn:
            for row, terms in generate(count, seed):
                conn.execute(project_sql, (*row, created, created))
                conn.executemany(
                    "INSERT INTO search_term (term, project_id, field) VALUES (?, ?, ?)",
                    [(t, row[0], w) for t, w in terms.items()],
                )
                vocabulary.update(terms)
            conn.executemany(
                "INSERT INTO search_word (term) VALUES (?)", [(t,) for t in sorted(vocabulary)]
            )
        started = now()
        with conn:
            conn.execute("CREATE VIRTUAL TABLE trigram USING fts5(search_text, tokenize=trigram)")
            conn.execute(
                "INSERT INTO trigram (rowid, search_text) SELECT rowid, search_text FROM project"
            )
        print(f"  FTS5 trigram index built in {now() - started:.1f} s")
        conn.execute("ANALYZE")
    finally:
        conn.close()
    return url


async def load_pg(url: str, count: int, seed: int) -> None:
    """COPY projects and terms in; a pg_trgm GIN index on search_text beside."""
    await asyncio.to_thread(migrate.upgrade, url)
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        projects: list[tuple[Any, ...]] = []
        terms: list[tuple[str, str, int]] = []
        vocabulary: set[str] = set()
        for row, found in generate(count, seed):
            projects.append((*row, CREATED, CREATED))
            terms += [(t, row[0], w) for t, w in found.items()]
            vocabulary.update(found)
        await conn.execute("DROP INDEX ix_search_term_project_id")
        await conn.execute("DROP INDEX ix_search_term_rank")
        await conn.copy_records_to_table("project", records=projects, columns=PROJECT_COLUMNS)
        await conn.copy_records_to_table("search_term", records=terms, columns=TERM_COLUMNS)
        words = [(t,) for t in sorted(vocabulary)]
        await conn.copy_records_to_table("search_word", records=words, columns=("term",))
        await conn.execute("CREATE INDEX ix_search_term_project_id ON search_term (project_id)")
        await conn.execute(
            "CREATE INDEX ix_search_term_rank ON search_term (term, field, project_id)"
        )
        await conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        started = now()
        await conn.execute(
            "CREATE INDEX bench_trgm ON project USING gin (search_text gin_trgm_ops)"
        )
        print(f"  pg_trgm GIN index built in {now() - started:.1f} s")
        await conn.execute("VACUUM ANALYZE project")
        await conn.execute("VACUUM ANALYZE search_term")
    finally:
        await conn.close()


# --- measuring ---------------------------------------------------------------------------


async def service_times(url: str, qs: list[str]) -> tuple[list[float], float]:
    """Each query through the service layer in its own unit of work; mean total."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    times: list[float] = []
    totals = 0
    try:
        for n, q in enumerate(qs[:WARMUP] + qs):
            start = now()
            async with unit_of_work(factory) as svc:
                page = await svc.projects.find(ProjectQuery(q=q, limit=PAGE))
            if n >= WARMUP:
                times.append(now() - start)
                totals += page.total or 0
    finally:
        await engine.dispose()
    return times, totals / len(qs)


def sqlite_floor(path: Path, qs: list[str]) -> tuple[list[float], list[float]]:
    """The bare term lookup, and the trigram index's match with its count, with sqlite3."""
    conn = sqlite3.connect(path)
    floor: list[float] = []
    trigram: list[float] = []
    try:
        for n, q in enumerate(qs[:WARMUP] + qs):
            stem = first_stem(q)
            start = now()
            conn.execute(
                "SELECT project_id, field FROM search_term WHERE term = ? LIMIT ?", (stem, PAGE)
            ).fetchall()
            middle = now()
            if len(stem) >= MIN_STEM:
                phrase = '"' + stem.replace('"', '""') + '"'
                match = "SELECT rowid FROM trigram WHERE trigram MATCH ?"
            else:  # under three characters a trigram index cannot help: LIKE scans
                phrase = f"%{stem}%"
                match = "SELECT rowid FROM trigram WHERE search_text LIKE ?"
            conn.execute(f"{match} LIMIT {PAGE}", (phrase,)).fetchall()
            conn.execute(f"SELECT count(*) FROM ({match})", (phrase,)).fetchone()  # noqa: S608
            if n >= WARMUP:
                floor.append(middle - start)
                trigram.append(now() - middle)
    finally:
        conn.close()
    return floor, trigram


async def pg_floor(url: str, qs: list[str]) -> tuple[list[float], list[float]]:
    """The bare term lookup, and pg_trgm's LIKE with its count, with asyncpg (prepared)."""
    conn = await asyncpg.connect(asyncpg_dsn(url))
    floor: list[float] = []
    trigram: list[float] = []
    try:
        lookup = await conn.prepare(
            "SELECT project_id, field FROM search_term WHERE term = $1 LIMIT 5"
        )
        page = await conn.prepare("SELECT id FROM project WHERE search_text LIKE $1 LIMIT 5")
        count = await conn.prepare("SELECT count(*) FROM project WHERE search_text LIKE $1")
        for n, q in enumerate(qs[:WARMUP] + qs):
            stem = first_stem(q)
            start = now()
            await lookup.fetch(stem)
            middle = now()
            pattern = "%" + stem.replace("%", r"\%").replace("_", r"\_") + "%"
            await page.fetch(pattern)
            await count.fetchval(pattern)
            if n >= WARMUP:
                floor.append(middle - start)
                trigram.append(now() - middle)
    finally:
        await conn.close()
    return floor, trigram


def sqlite_sizes(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT name, sum(pgsize) FROM dbstat WHERE name IN"
            " ('search_term', 'ix_search_term_project_id', 'ix_search_term_rank', 'search_word',"
            " 'trigram_data', 'trigram_idx')"
            " GROUP BY name"
        ).fetchall()
    finally:
        conn.close()
    return ", ".join(f"{name} {size / 2**20:.0f} MiB" for name, size in rows)


async def pg_sizes(url: str) -> str:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        rows = await conn.fetch(
            "SELECT relname, pg_relation_size(oid) AS size FROM pg_class WHERE relname IN"
            " ('search_term', 'pk_search_term', 'ix_search_term_project_id',"
            " 'ix_search_term_rank', 'search_word', 'bench_trgm')"
        )
    finally:
        await conn.close()
    return ", ".join(f"{r['relname']} {r['size'] / 2**20:.0f} MiB" for r in rows)


def report(label: str, times: list[float], floor: list[float]) -> None:
    s, f = summary_ms(times), summary_ms(floor)
    print(
        f"  {label}: median {s['median']:.2f} ms, p99 {s['p99']:.2f} ms"
        f"  (x{s['median'] / f['median']:.1f} / x{s['p99'] / f['p99']:.1f} the floor)"
    )


def main() -> None:
    parser = base_parser("Text search at 100,000 projects.")
    args = parser.parse_args()
    run_context(args)
    count, nq = (5_000, 300) if args.quick else (100_000, 2_000)
    firms = vocab.contractors(random.Random(args.seed), 300)
    qs = queries(nq, args.seed, firms)
    print(f"{count} projects, {len(qs)} queries (+{WARMUP} warm-up)")
    for engine in engines(args.engine):
        print(f"{engine}:")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "search.db"
            started = now()
            if engine == "sqlite":
                url = load_sqlite(path, count, args.seed)
            else:
                url = args.database_url
                asyncio.run(recreate_pg(url))
                asyncio.run(load_pg(url, count, args.seed))
            print(f"  loaded in {now() - started:.0f} s")
            times, mean_total = asyncio.run(service_times(url, qs))
            if engine == "sqlite":
                floor, trigram = sqlite_floor(path, qs)
                sizes = sqlite_sizes(path)
            else:
                floor, trigram = asyncio.run(pg_floor(url, qs))
                sizes = asyncio.run(pg_sizes(url))
        f = summary_ms(floor)
        print(f"  floor (bare term lookup): median {f['median']:.3f} ms, p99 {f['p99']:.3f} ms")
        report("service (page of 5 + total)", times, floor)
        report("trigram alternative (match + count only)", trigram, floor)
        print(f"  mean matches per query: {mean_total:.0f}; sizes: {sizes}")
        asyncio.run(relevance_on_demo(engine, args.database_url))


async def relevance_on_demo(engine: str, pg_url: str) -> None:
    if engine == "postgresql":
        await recreate_pg(pg_url)
        await relevance.run(pg_url, verbose=False)
        return
    with tempfile.TemporaryDirectory() as folder:
        await relevance.run(f"sqlite+aiosqlite:///{folder}/relevance.db", verbose=False)


if __name__ == "__main__":
    main()
