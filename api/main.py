"""create_app(settings): the FastAPI application and its lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.config import ApiProcessSettings
from api.errors import install_error_handlers
from api.limits import BodySizeLimit
from api.openapi import install_openapi
from api.request_id import RequestIdMiddleware
from api.routes import (
    broadcasts,
    health,
    metrics,
    officials,
    open311,
    opendata,
    projects,
    reports,
    sources,
    wages,
)
from core.broadcasts.schemas import BroadcastCreate
from core.context import DomainContext
from core.db import make_engine, make_session_factory
from core.metrics import Metrics
from core.reports.schemas import StatusChange
from core.sources.schemas import SourceCreate

DESCRIPTION = (
    "Public construction projects (synced from OC4IDS records), nearby search, "
    "and the sync and broadcast calls that feed the Clearsite Telegram bot."
)


def create_app(
    settings: ApiProcessSettings | None = None,
    ctx: DomainContext | None = None,
    metrics_registry: Metrics | None = None,
) -> FastAPI:
    """Build the app; the engine lives for the app's lifespan. /metrics needs a registry."""
    settings = settings or ApiProcessSettings()
    ctx = ctx or DomainContext(
        zone=settings.locale.zone,
        default_locale=settings.locale.default_locale,
        report_target_hours=settings.reports.report_target_hours,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.db.database_url)
        app.state.session_factory = make_session_factory(engine)
        try:
            yield
        finally:
            await engine.dispose()

    app = FastAPI(title="Clearsite API", version="1", description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    app.state.ctx = ctx
    app.state.metrics = metrics_registry
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.api.max_body_bytes)
    app.add_middleware(RequestIdMiddleware)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(opendata.router)
    app.include_router(projects.router)
    app.include_router(broadcasts.router)
    app.include_router(officials.router)
    app.include_router(wages.router)
    app.include_router(sources.router)
    app.include_router(reports.router)
    app.include_router(reports.officials_router)
    app.include_router(reports.public_router)
    app.include_router(open311.router)
    install_openapi(
        app,
        body_models=(
            BroadcastCreate,
            officials.OfficialCreate,
            StatusChange,
            reports.NoteCreate,
            reports.BlockCreate,
            reports.AssignmentCreate,
            SourceCreate,
        ),
    )
    return app
