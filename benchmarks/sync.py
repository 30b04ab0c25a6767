"""OC4IDS sync of a 10,000-project package: first import, then an unchanged re-sync.

Both go through the service layer in one unit of work each (`svc.projects.import_package`),
on a fresh migrated database, as `POST /api/v1/sync/oc4ids` and `clearsite sync oc4ids` do.
The records are realistic: titles and descriptions in English and Ukrainian, 1-3 point or line
locations with addresses, 2-4 parties with contact points, a physical-progress metric, a budget.
Targets on SQLite: first import <= 20 s, unchanged re-sync <= 5 s.

    .venv/bin/python benchmarks/sync.py [--quick] [--engine sqlite|postgresql|both]
"""

from __future__ import annotations

import asyncio
import importlib
import json
import random
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from common import base_parser, engines, now, peak_rss_mb, recreate_pg, run_context
from sqlalchemy import func, select

from clearsite import migrate
from core.db import make_engine, make_session_factory
from core.projects import mapping, oc4ids
from core.projects.models import Party, Project, ProjectLocation
from core.uow import unit_of_work

TARGET_IMPORT_S = 20.0
TARGET_RESYNC_S = 5.0
CITIES = (
    ("Kyiv", "Київ", 50.45, 30.52),
    ("Kharkiv", "Харків", 49.99, 36.23),
    ("Odesa", "Одеса", 46.48, 30.72),
    ("Dnipro", "Дніпро", 48.46, 35.04),
    ("Lviv", "Львів", 49.84, 24.03),
)
STREETS = (
    ("Khreshchatyk St", "вул. Хрещатик"),
    ("Shevchenka Blvd", "бульв. Шевченка"),
    ("Peremohy Ave", "просп. Перемоги"),
    ("Sadova St", "вул. Садова"),
    ("Naberezhna St", "вул. Набережна"),
    ("Ivana Franka St", "вул. Івана Франка"),
)
KINDS = (
    (
        "Capital repair of {st}",
        "Капітальний ремонт {st_uk}",
        "rehabilitation",
        ["transport", "transport.road"],
    ),
    (
        "Replacement of the water main on {st}",
        "Заміна водопровідної мережі на {st_uk}",
        "replacement",
        ["waterAndWaste"],
    ),
    (
        "Construction of a school on {st}",
        "Будівництво школи на {st_uk}",
        "construction",
        ["education"],
    ),
    (
        "Reconstruction of the tram line on {st}",
        "Реконструкція трамвайної лінії на {st_uk}",
        "rehabilitation",
        ["transport", "transport.urban"],
    ),
    (
        "Improvement of the public garden on {st}",
        "Благоустрій скверу на {st_uk}",
        "rehabilitation",
        ["cultureSportsAndRecreation"],
    ),
)
STATUSES = ("identification", "preparation", "implementation", "implementation", "completion")
SUPPLIERS = ("Budova LLC", "Dorbud JSC", "Kyivmisto Construction", "Vodokanal Service LLC")


def _iso(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def make_project(i: int, rng: random.Random) -> dict[str, Any]:
    """One valid OC4IDS project record."""
    city, city_uk, clat, clon = CITIES[i % len(CITIES)]
    street, street_uk = rng.choice(STREETS)
    title, title_uk, kind, sectors = KINDS[i % len(KINDS)]
    start = date(2024, 1, 1) + timedelta(days=rng.randrange(700))
    end = start + timedelta(days=rng.randrange(180, 900))
    status = STATUSES[i % len(STATUSES)]
    authority = {
        "id": f"UA-AUTH-{i % 40:03d}",
        "name": f"{city} City Administration, dept {i % 40}",
    }
    parties: list[dict[str, Any]] = [
        {
            **authority,
            "name_uk": f"Адміністрація міста {city_uk}, відділ {i % 40}",
            "roles": ["publicAuthority", "buyer"],
            "contactPoint": {
                "name": f"Official {i % 97}",
                "email": f"official{i % 97}@{city.lower()}.example.org",
                "telephone": f"+380 44 000 {i % 10000:04d}",
            },
        }
    ]
    for n in range(rng.randint(1, 3)):
        parties.append(
            {
                "id": f"UA-EDR-{rng.randrange(10**8):08d}-{n}",
                "name": rng.choice(SUPPLIERS),
                "roles": ["supplier"] if n == 0 else ["tenderer"],
            }
        )
    locations: list[dict[str, Any]] = []
    for n in range(rng.randint(1, 3)):
        lat = rng.gauss(clat, 0.05)
        lon = rng.gauss(clon, 0.07)
        if rng.random() < 0.5:
            geometry: dict[str, Any] = {
                "type": "Point",
                "coordinates": [round(lon, 6), round(lat, 6)],
            }
        else:
            vertices = [
                [round(lon + k * 0.001, 6), round(lat + k * 0.0007, 6)]
                for k in range(rng.randint(2, 6))
            ]
            geometry = {"type": "LineString", "coordinates": vertices}
        locations.append(
            {
                "id": str(n + 1),
                "description": f"Site {n + 1} on {street}",
                "geometry": geometry,
                "address": {
                    "streetAddress": f"{street_uk}, {rng.randint(1, 200)}",
                    "locality": city,
                    "countryName": "Ukraine",
                },
            }
        )
    observations = [
        {
            "id": str(k + 1),
            "measure": str(min(100, 15 * (k + 1) + rng.randrange(10))),
            "unit": {"name": "percent"},
            "period": {
                "startDate": _iso(start + timedelta(days=60 * (k + 1))),
                "endDate": _iso(start + timedelta(days=60 * (k + 1))),
            },
        }
        for k in range(rng.randint(1, 3))
    ]
    record: dict[str, Any] = {
        "id": f"oc4ids-ua-bench-{i:05d}",
        "updated": "2026-11-01T10:00:00Z",
        "language": "en",
        "title": title.format(st=street) + f" ({city}, lot {i})",
        "title_uk": title_uk.format(st_uk=street_uk) + f" ({city_uk}, лот {i})",
        "description": f"{title.format(st=street)} in {city}:"
        f" works over {rng.randint(200, 3000)} m.",
        "description_uk": f"{title_uk.format(st_uk=street_uk)}, {city_uk}.",
        "status": status,
        "type": kind,
        "sector": sectors,
        "period": {"startDate": _iso(start), "endDate": _iso(end)},
        "budget": {"amount": {"amount": rng.randrange(10**6, 10**9), "currency": "UAH"}},
        "locations": locations,
        "parties": parties,
        "publicAuthority": authority,
        "metrics": [
            {"id": "physicalProgress", "title": "Physical progress", "observations": observations}
        ],
    }
    if status == "completion":
        record["completion"] = {"endDate": _iso(end + timedelta(days=rng.randrange(0, 90)))}
    return record


def make_package(count: int, seed: int) -> str:
    """The package as JSON text (what the API would receive)."""
    rng = random.Random(seed)
    package = {
        "version": "0.9",
        "uri": "https://clearsite.example.org/bench/package.json",
        "publishedDate": "2026-11-29T00:00:00Z",
        "publisher": {"name": "Clearsite sync benchmark"},
        "license": "http://opendatacommons.org/licenses/pddl/1.0/",
        "projects": [make_project(i, rng) for i in range(count)],
    }
    return json.dumps(package, ensure_ascii=False)


@dataclass
class Split:
    """Where the time goes outside the database (measured once, engine-independent)."""

    validate_s: float
    map_s: float
    points: int
    parties: int


def split_phases(text: str) -> Split:
    """Schema validation and mapping timed apart, as parse_package runs them (cheap, once)."""
    package = json.loads(text)
    envelope, validator = oc4ids._validators()
    start = now()
    oc4ids._raise_first(envelope.iter_errors(package), "package")
    for index, project in enumerate(package["projects"]):
        # As parse_package does: the compiled fast check, the full validator when unsure.
        if not oc4ids._surely_valid_project(project):
            oc4ids._raise_first(validator.iter_errors(project), f"projects[{index}]")
        oc4ids._check_geometries(project, f"projects[{index}]")
    validate_s = now() - start
    start = now()
    records = [mapping.map_record(project) for project in package["projects"]]
    map_s = now() - start
    points = sum(len(r.points) for r in records)
    parties = sum(len({p.party_id for p in r.parties}) for r in records)
    return Split(validate_s, map_s, points, parties)


async def _counts(url: str) -> tuple[int, int, int]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            values = [
                int(await conn.scalar(select(func.count()).select_from(table)) or 0)
                for table in (Project, ProjectLocation, Party)
            ]
    finally:
        await engine.dispose()
    return values[0], values[1], values[2]


# Functions the service calls through their modules, timed during the real run (cheap).
TIMED = (
    ("core.projects.sync", "upsert_records"),
    ("core.chats.project_updates", "enqueue_project_updates"),
)


@contextmanager
def timing_calls(spent: dict[str, float]) -> Iterator[None]:
    """Wrap the TIMED coroutine functions (when they exist) to add up the time spent in them."""
    originals: list[tuple[Any, str, Any]] = []
    for module_name, name in TIMED:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        original = getattr(module, name, None)
        if original is None:
            continue

        async def wrapper(*args: Any, _f: Any = original, _n: str = name, **kwargs: Any) -> Any:
            start = now()
            try:
                return await _f(*args, **kwargs)
            finally:
                spent[_n] = spent.get(_n, 0.0) + now() - start

        originals.append((module, name, original))
        setattr(module, name, wrapper)
    try:
        yield
    finally:
        for module, name, original in originals:
            setattr(module, name, original)


async def _import(url: str, text: str) -> tuple[float, Any, dict[str, float]]:
    package = json.loads(text)  # a fresh parse per run, as a request body would be
    engine = make_engine(url)
    factory = make_session_factory(engine)
    spent: dict[str, float] = {}
    try:
        with timing_calls(spent):
            start = now()
            async with unit_of_work(factory) as svc:
                result = await svc.projects.import_package(package)
            elapsed = now() - start
    finally:
        await engine.dispose()
    return elapsed, result, spent


def run_engine(engine: str, text: str, count: int, split: Split, url_pg: str, tmp: Path) -> bool:
    """Fresh database, import, unchanged re-sync; print the figures; True when targets met."""
    if engine == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp / 'sync.db'}"
    else:
        url = url_pg
        asyncio.run(recreate_pg(url))
    migrate.upgrade(url)
    first_s, first, spent = asyncio.run(_import(url, text))
    again_s, again, _ = asyncio.run(_import(url, text))
    projects, points, parties = asyncio.run(_counts(url))
    exact = (
        (first.created, first.updated, first.unchanged) == (count, 0, 0)
        and (again.created, again.updated, again.unchanged) == (0, 0, count)
        and not again.changes
        and (projects, points, parties) == (count, split.points, split.parties)
    )
    upsert = spent.get("upsert_records", 0.0)
    notify = spent.get("enqueue_project_updates", 0.0)
    other = max(0.0, first_s - split.validate_s - split.map_s - upsert - notify)
    print(f"\n== {engine}: {count:,} projects, {points:,} search points, {parties:,} parties")
    print(f"   first import          {first_s:8.2f} s   ({count / first_s:,.0f} projects/s)")
    print(
        f"     of which: schema validation ~{split.validate_s:.2f} s,"
        f" mapping ~{split.map_s:.2f} s,"
        f" upsert (database) {upsert:.2f} s, notification enqueue {notify:.2f} s,"
        f" the rest (connect, commit, JSON) ~{other:.2f} s"
    )
    print(f"   unchanged re-sync     {again_s:8.2f} s   ({count / again_s:,.0f} projects/s)")
    print(
        f"   counts {first.created}/{first.updated}/{first.unchanged} created/updated/unchanged,"
        f" then {again.created}/{again.updated}/{again.unchanged}; rows as expected: {exact}"
    )
    if engine != "sqlite":
        return exact
    met = first_s <= TARGET_IMPORT_S and again_s <= TARGET_RESYNC_S
    if count < 10_000:
        print("   (targets apply to 10,000 projects)")
        return exact
    print(
        f"   targets (import <= {TARGET_IMPORT_S:.0f} s, re-sync <= {TARGET_RESYNC_S:.0f} s):"
        f" {'met' if met else 'MISSED'}"
    )
    return exact and met


def main() -> None:
    """Parse arguments, generate the package, run each engine."""
    parser = base_parser(__doc__.splitlines()[0] if __doc__ else "sync benchmark")
    parser.add_argument("--projects", type=int, help="override the number of projects")
    args = parser.parse_args()
    run_context(args)
    count = args.projects or (1_000 if args.quick else 10_000)
    start = now()
    text = make_package(count, args.seed)
    print(
        f"generated {count:,} projects ({len(text.encode()) / 2**20:.1f} MiB of JSON)"
        f" in {now() - start:.1f} s (seed {args.seed})"
    )
    split = split_phases(text)
    ok = True
    with tempfile.TemporaryDirectory(prefix="clearsite-sync-") as tmp:
        for engine in engines(args.engine):
            ok = run_engine(engine, text, count, split, args.database_url, Path(tmp)) and ok
    print(f"\npeak RSS {peak_rss_mb():.0f} MiB")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
