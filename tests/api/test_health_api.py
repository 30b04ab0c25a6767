"""Liveness and readiness."""

from __future__ import annotations

from pathlib import Path

import httpx

from api.config import ApiProcessSettings
from api.main import create_app
from core.config import DbSettings
from core.schema import head_revision
from tests.dbutil import sqlite_url


async def test_ready_when_schema_is_at_head(client: httpx.AsyncClient) -> None:
    response = await client.get("/ready")
    assert response.status_code == 200
    assert response.json()["schema"] == head_revision()


async def test_not_ready_before_migrations(tmp_path: Path) -> None:
    app = create_app(ApiProcessSettings(db=DbSettings(database_url=sqlite_url(tmp_path / "e.db"))))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            health = await http.get("/health")
            ready = await http.get("/ready")
    assert health.status_code == 200
    assert ready.status_code == 503
    assert ready.json()["schema"] == "none"
