"""An app on the test database, driven in-process through httpx."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from api.config import ApiProcessSettings
from api.main import create_app
from core.config import ApiSettings, DbSettings
from core.context import DomainContext
from tests.conftest import UowFactory


@pytest.fixture
def app(db_url: str, ctx: DomainContext) -> FastAPI:
    settings = ApiProcessSettings(
        db=DbSettings(database_url=db_url), api=ApiSettings(max_body_bytes=64 * 1024)
    )
    return create_app(settings, ctx)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield http


async def make_key(uow: UowFactory, role: str) -> dict[str, str]:
    """Authorization headers for a new key with `role`."""
    async with uow() as svc:
        created = await svc.api_keys.create(f"test {role}", role)
    return {"Authorization": f"Bearer {created.key}"}
