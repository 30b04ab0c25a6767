"""Shared fixtures: one migrated database per session, a fresh copy (or empty one) per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import fixed_clock
from core.context import DomainContext
from core.db import make_engine, make_session_factory
from core.services import Services
from core.uow import unit_of_work
from tests import dbutil

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)

UowFactory = Callable[[], AbstractAsyncContextManager[Services]]


@pytest.fixture(scope="session")
def template_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return dbutil.prepare_template(tmp_path_factory.mktemp("db"))


@pytest.fixture
def db_url(template_url: str, tmp_path: Path) -> str:
    return dbutil.fresh_database(template_url, tmp_path)


@pytest.fixture
def ctx() -> DomainContext:
    return DomainContext(clock=fixed_clock(NOW), zone=ZoneInfo("Europe/Kyiv"))


@pytest.fixture
async def session_factory(db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(db_url)
    yield make_session_factory(engine)
    await engine.dispose()


@pytest.fixture
def uow(session_factory: async_sessionmaker[AsyncSession], ctx: DomainContext) -> UowFactory:
    """`async with uow() as svc:` runs one committed unit of work."""
    return lambda: unit_of_work(session_factory, ctx)
