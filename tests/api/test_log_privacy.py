"""A database error while storing a worker keeps the worker's name out of logs and answers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.logging import configure_logging
from tests.api.conftest import make_key
from tests.conftest import UowFactory
from tests.factories import wage_package, worker

NAME = "Oksana Zaporozhets-Kvitka"
NOISY = ("aiosqlite", "httpx", "httpcore", "apscheduler.executors.default")

_SQLITE = [
    "CREATE TRIGGER refuse_worker BEFORE INSERT ON worker "
    "BEGIN SELECT RAISE(ABORT, 'worker refused'); END"
]
_POSTGRES = [
    "CREATE FUNCTION refuse_worker() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'worker refused'; END $$",
    "CREATE TRIGGER refuse_worker BEFORE INSERT ON worker "
    "FOR EACH ROW EXECUTE FUNCTION refuse_worker()",
]
_POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS refuse_worker ON worker",
    "DROP FUNCTION IF EXISTS refuse_worker()",
]


@pytest.fixture
async def refusing_db(session_factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[None]:
    """The database refuses every new worker (a stand-in for any database error)."""
    async with session_factory() as session:
        dialect = session.get_bind().dialect.name
    sqlite = dialect == "sqlite"
    async with session_factory.begin() as session:
        for statement in _SQLITE if sqlite else _POSTGRES:
            await session.execute(text(statement))
    try:
        yield
    finally:
        # The PostgreSQL test database outlives the test (only its rows are emptied).
        if not sqlite:
            async with session_factory.begin() as session:
                for statement in _POSTGRES_DROP:
                    await session.execute(text(statement))


@pytest.fixture
def debug_logging(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """The processes' own logging set-up at its most talkative level, captured by caplog."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    quiet = {name: logging.getLogger(name).level for name in NOISY}
    configure_logging("DEBUG")
    root.addHandler(caplog.handler)
    caplog.handler.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        root.handlers[:], root.level = handlers, level
        for name, old in quiet.items():
            logging.getLogger(name).setLevel(old)


@pytest.mark.usefixtures("refusing_db", "debug_logging")
async def test_database_error_logs_no_personal_data(
    app: FastAPI, uow: UowFactory, caplog: pytest.LogCaptureFixture
) -> None:
    headers = await make_key(uow, "sync")
    body = wage_package(workers=[worker(full_name=NAME, phone="+380671234567")])
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            response = await http.post("/api/v1/sync/wages", json=body, headers=headers)
    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    assert "worker refused" in caplog.text  # the error and its traceback were logged
    for secret in (NAME, "Zaporozhets", "380671234567"):
        assert secret not in caplog.text
        assert secret not in response.text
