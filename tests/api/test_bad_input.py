"""Bad input is a clear 4xx JSON error, never a 5xx, and writes nothing (on both engines)."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.config import ApiProcessSettings
from api.main import create_app
from core.config import ApiSettings, DbSettings
from core.context import DomainContext
from core.models import Base
from tests.api.conftest import make_key
from tests.conftest import UowFactory
from tests.factories import entry, schedule, wage_package, worker
from tests.samples import KYIV, package, project

BIG = 2**63
LATE = "9999-12-31T23:59:59-12:00"  # after year 9999 once in UTC
EARLY = "0001-01-01T00:00:00+05:00"  # before year 1 once in UTC
DEEP = "[" * 100_000  # a RecursionError for Python's json
NESTED = "[" * 65 + "]" * 65  # parses, but deeper than the limit


@pytest.fixture
def app(db_url: str, ctx: DomainContext) -> FastAPI:
    """Room for the 100,000 brackets and the 140 KB CSV cell, so they reach the parsers."""
    settings = ApiProcessSettings(
        db=DbSettings(database_url=db_url), api=ApiSettings(max_body_bytes=1024 * 1024)
    )
    return create_app(settings, ctx)


def oc4ids(**extra: Any) -> str:
    """An OC4IDS package of one valid project with `extra` fields, as JSON text."""
    return json.dumps(package(project("p-1", *KYIV, **extra)))


def located(coordinates: list[Any]) -> str:
    geometry = {"type": "Point", "coordinates": coordinates}
    return oc4ids(locations=[{"id": "1", "geometry": geometry}])


def measured(measure: Any) -> str:
    observation = {"id": "1", "measure": measure, "period": {"endDate": "2026-06-01T00:00:00Z"}}
    return oc4ids(metrics=[{"id": "physicalProgress", "observations": [observation]}])


def budget(amount: Any) -> str:
    return oc4ids(budget={"amount": {"amount": amount, "currency": "UAH"}})


def wages(**lists: list[dict[str, Any]]) -> str:
    return json.dumps(wage_package(**lists))


def broadcast(**fields: Any) -> str:
    body = {"audience": {"kind": "all"}, "text": {"en": "Road closed"}, **fields}
    return json.dumps(body)


Case = tuple[str, str, str | None, str | None]  # method, path, role, JSON text


def case(method: str, path: str, role: str | None, body: str | None, name: str) -> Any:
    """One bad request, named for the test id."""
    return pytest.param((method, path, role, body), id=name)


PUBLIC: list[Any] = [
    case(
        "GET",
        "/api/v1/projects?cursor=eyJvIjo5MjIzMzcyMDM2ODU0Nzc1ODA4fQ",
        None,
        None,
        name="cursor-offset-2^63",
    ),
    case("GET", "/api/v1/projects?q=a%00b", None, None, name="q-nul"),
    case("GET", "/api/v1/projects?sector=a%00b", None, None, name="sector-nul"),
    case("GET", "/api/v1/projects?status=a%00b", None, None, name="status-nul"),
    case("GET", "/api/v1/projects?status=bogus", None, None, name="status-bogus"),
    case("GET", "/api/v1/projects/a%00b", None, None, name="project-id-nul"),
    case("GET", "/api/v1/projects/a%00b/oc4ids", None, None, name="record-id-nul"),
    case("GET", "/api/v1/projects/" + "x" * 256, None, None, name="project-id-256"),
]
SYNC: list[Any] = [
    case("POST", "/api/v1/sync/oc4ids", "sync", DEEP, name="oc4ids-100k-brackets"),
    case("POST", "/api/v1/sync/oc4ids", "sync", NESTED, name="oc4ids-65-levels"),
    case("POST", "/api/v1/sync/oc4ids", "sync", located([10**400, 50]), name="oc4ids-lon-10^400"),
    case(
        "POST", "/api/v1/sync/oc4ids", "sync", located([30.5, 10**400]), name="oc4ids-lat-10^400"
    ),
    case("POST", "/api/v1/sync/oc4ids", "sync", measured(float("nan")), name="oc4ids-measure-nan"),
    case(
        "POST",
        "/api/v1/sync/oc4ids",
        "sync",
        measured(float("inf")),
        name="oc4ids-measure-infinity",
    ),
    case(
        "POST",
        "/api/v1/sync/oc4ids",
        "sync",
        oc4ids(updated=LATE),
        name="oc4ids-updated-past-9999",
    ),
    case(
        "POST",
        "/api/v1/sync/oc4ids",
        "sync",
        oc4ids(updated=EARLY),
        name="oc4ids-updated-before-1",
    ),
    case(
        "POST",
        "/api/v1/sync/oc4ids",
        "sync",
        oc4ids(title="Road\u0000works"),
        name="oc4ids-title-nul",
    ),
    case(
        "POST",
        "/api/v1/sync/oc4ids",
        "sync",
        oc4ids(title_uk="Міст\u0000"),
        name="oc4ids-title-uk-nul",
    ),
    case(
        "POST",
        "/api/v1/sync/oc4ids",
        "sync",
        json.dumps(package(project("p" * 256))),
        name="oc4ids-id-256",
    ),
    case("POST", "/api/v1/sync/oc4ids", "sync", budget(10**30), name="oc4ids-budget-10^30"),
    case("POST", "/api/v1/sync/oc4ids", "sync", budget(1.005), name="oc4ids-budget-3-places"),
    case(
        "POST",
        "/api/v1/sync/oc4ids",
        "sync",
        oc4ids(sector=["transport"] * 60),
        name="oc4ids-sectors-over-500",
    ),
    case("POST", "/api/v1/sync/wages", "sync", DEEP, name="wages-100k-brackets"),
    case("POST", "/api/v1/sync/wages", "sync", NESTED, name="wages-65-levels"),
    case(
        "POST",
        "/api/v1/sync/wages",
        "sync",
        wages(workers=[worker(full_name="Petro\u0000")]),
        name="wages-name-nul",
    ),
    case(
        "POST",
        "/api/v1/sync/wages",
        "sync",
        wages(schedules=[schedule(project_id="p" * 256)]),
        name="wages-project-id-256",
    ),
    case(
        "POST",
        "/api/v1/sync/wages",
        "sync",
        wages(schedules=[schedule(funds_released_at=LATE)]),
        name="wages-released-past-9999",
    ),
    case(
        "POST",
        "/api/v1/sync/wages",
        "sync",
        wages(entries=[entry(paid_at=EARLY)]),
        name="wages-paid-before-1",
    ),
    case(
        "POST",
        "/api/v1/sync/wages",
        "sync",
        wages(entries=[entry(amount_due=10**30)]),
        name="wages-amount-10^30",
    ),
    case(
        "POST",
        "/api/v1/sync/wages",
        "sync",
        wages(entries=[entry(amount_due="1e16")]),
        name="wages-amount-10^16",
    ),
    case(
        "POST",
        "/api/v1/sync/wages",
        "sync",
        wages(entries=[entry(reference="r\u0000")]),
        name="wages-reference-nul",
    ),
    case(
        "POST",
        "/api/v1/sync/wages",
        "sync",
        '{"entries": [{"amount_due": NaN}]}',
        name="wages-nan",
    ),
    case("POST", "/api/v1/workers/a%00b/link-code", "sync", None, name="link-code-worker-nul"),
]
OFFICIAL: list[Any] = [
    case("GET", f"/api/v1/broadcasts/{BIG}", "official", None, name="broadcast-id-2^63"),
    case("POST", f"/api/v1/broadcasts/{BIG}/cancel", "official", None, name="cancel-id-2^63"),
    case("GET", f"/api/v1/broadcasts?before={BIG}", "official", None, name="before-2^63"),
    case(
        "POST",
        "/api/v1/officials",
        "official",
        json.dumps({"telegram_id": BIG, "name": "Olena"}),
        name="official-telegram-id-2^63",
    ),
    case(
        "POST",
        "/api/v1/officials",
        "official",
        json.dumps({"telegram_id": 7, "name": "O\u0000"}),
        name="official-name-nul",
    ),
    case("POST", "/api/v1/officials", "official", DEEP, name="official-100k-brackets"),
    case("POST", "/api/v1/broadcasts", "official", DEEP, name="broadcast-100k-brackets"),
    case(
        "POST",
        "/api/v1/broadcasts",
        "official",
        broadcast(send_at=LATE),
        name="broadcast-send-at-past-9999",
    ),
    case(
        "POST",
        "/api/v1/broadcasts",
        "official",
        broadcast(text={"en": "Road\u0000"}),
        name="broadcast-text-nul",
    ),
    case(
        "POST",
        "/api/v1/broadcasts",
        "official",
        broadcast(audience={"kind": "project", "project_id": "p\u0000"}),
        name="broadcast-project-id-nul",
    ),
]
NO_KEY: list[Any] = [
    case("POST", "/api/v1/broadcasts", None, DEEP, name="broadcast-100k-brackets"),
    case("POST", "/api/v1/broadcasts", None, "{not json", name="broadcast-not-json"),
    case("POST", "/api/v1/officials", None, DEEP, name="official-100k-brackets"),
    case("POST", "/api/v1/sync/oc4ids", None, DEEP, name="oc4ids-100k-brackets"),
]


async def row_counts(factory: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """Rows in every table (the API key table too: keys are made before the counts)."""
    async with factory() as session:
        return {
            table.name: int(await session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }


async def send(
    client: httpx.AsyncClient, uow: UowFactory, case: Case, headers: dict[str, str] | None = None
) -> httpx.Response:
    method, path, role, body = case
    if headers is None:
        headers = await make_key(uow, role) if role else {}
    content = body.encode() if body is not None else None
    if content is not None:
        headers = {**headers, "Content-Type": "application/json"}
    return await client.request(method, path, content=content, headers=headers)


def assert_clear_error(response: httpx.Response, status: Callable[[int], bool]) -> None:
    assert status(response.status_code), (response.status_code, response.text[:300])
    body = response.json()
    assert set(body) == {"code", "detail"}, body
    assert isinstance(body["code"], str)
    assert body["detail"]


@pytest.mark.parametrize("case", PUBLIC + SYNC + OFFICIAL)
async def test_bad_input_is_a_4xx_and_writes_nothing(
    client: httpx.AsyncClient,
    uow: UowFactory,
    session_factory: async_sessionmaker[AsyncSession],
    case: Case,
) -> None:
    headers = await make_key(uow, case[2]) if case[2] else {}
    before = await row_counts(session_factory)
    response = await send(client, uow, case, headers)
    assert_clear_error(response, lambda s: 400 <= s < 500)
    assert await row_counts(session_factory) == before


@pytest.mark.parametrize("case", NO_KEY)
async def test_without_a_key_the_body_is_not_read(
    client: httpx.AsyncClient,
    uow: UowFactory,
    session_factory: async_sessionmaker[AsyncSession],
    case: Case,
) -> None:
    before = await row_counts(session_factory)
    response = await send(client, uow, case, {})
    assert_clear_error(response, lambda s: s == 401)
    assert await row_counts(session_factory) == before


async def test_csv_cell_over_the_field_limit_is_a_422(
    client: httpx.AsyncClient, uow: UowFactory, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    headers = await make_key(uow, "sync")
    before = await row_counts(session_factory)
    text = "id,full_name,project_id,employer_id\nwrk-1," + "N" * 140_000 + ",p-1,emp-1\n"
    for cell in (text, "id,full_name\nwrk-1,Petro\x00\n"):
        response = await client.post(
            "/api/v1/sync/wages",
            data={"kind": "workers"},
            files={"file": ("workers.csv", cell.encode(), "text/csv")},
            headers=headers,
        )
        assert_clear_error(response, lambda s: s == 422)
    assert await row_counts(session_factory) == before


async def test_unknown_status_names_the_allowed_values(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/projects", params={"status": "bogus"})
    assert response.status_code == 422
    assert "'implementation'" in json.dumps(response.json()["detail"])


async def test_nan_is_refused_so_oc4ids_serves_valid_json(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    headers = await make_key(uow, "sync")
    response = await client.post(
        "/api/v1/sync/oc4ids", content=measured(float("nan")), headers=headers
    )
    assert response.json()["code"] == "invalid_json"
    assert "NaN" in response.json()["detail"]
    assert (await client.get("/api/v1/projects/p-1/oc4ids")).status_code == 404


@pytest.mark.parametrize(
    "amount", ["123456789012345000000", "1.23456789012345E+21", "9999999999999.99", "0.01"]
)
async def test_budget_is_stored_exactly(
    client: httpx.AsyncClient, uow: UowFactory, amount: str
) -> None:
    headers = await make_key(uow, "sync")
    response = await client.post(
        "/api/v1/sync/oc4ids", content=budget(json.loads(amount)), headers=headers
    )
    assert response.status_code == 200, response.text
    card = (await client.get("/api/v1/projects/p-1")).json()
    assert Decimal(card["budget"]["amount"]) == Decimal(amount)
