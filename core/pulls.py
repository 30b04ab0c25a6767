"""Pull a followed feed: fetch outside any transaction, then import all or nothing.

The import goes through the same service call as a push (`POST /api/v1/sync/oc4ids`), so
validation, the change numbers and the followers' notifications are the same. A pull that
fails writes nothing but the source's health.
"""

from __future__ import annotations

import logging

import httpx

from core.context import DomainContext
from core.db import SessionFactory
from core.errors import DomainError
from core.sources.fetch import FetchConfig, fetch_feed
from core.sources.schemas import PullReport
from core.uow import unit_of_work

logger = logging.getLogger(__name__)


async def pull_source(
    factory: SessionFactory,
    ctx: DomainContext,
    source_id: int,
    config: FetchConfig,
    client: httpx.AsyncClient | None = None,
) -> PullReport:
    """Fetch the source from where it stopped and import what changed; record its health."""
    async with unit_of_work(factory, ctx) as svc:
        target = await svc.sources.target(source_id)
    owned = client is None
    client = client or httpx.AsyncClient(timeout=httpx.Timeout(60.0, connect=10.0))
    try:
        fetched = await fetch_feed(target, config, client)
        async with unit_of_work(factory, ctx) as svc:
            if fetched.not_modified or fetched.package is None:
                await svc.sources.record_not_modified(source_id)
                logger.info("source %d: not modified", source_id)
                return PullReport(source_id=source_id, ok=True, not_modified=True)
            created = updated = unchanged = 0
            if fetched.package["projects"]:
                result = await svc.projects.import_package(fetched.package)
                created, updated, unchanged = result.created, result.updated, result.unchanged
            await svc.sources.record_success(
                source_id,
                (created, updated, unchanged),
                resume_url=fetched.resume_url,
                etag=fetched.etag,
                last_modified=fetched.last_modified,
            )
    except DomainError as exc:
        async with unit_of_work(factory, ctx) as svc:
            await svc.sources.record_failure(source_id, exc.detail)
        logger.warning("source %d: pull failed (%s)", source_id, exc.code)
        return PullReport(source_id=source_id, ok=False, error=exc.detail)
    finally:
        if owned:
            await client.aclose()
    logger.info(
        "source %d: created %d, updated %d, unchanged %d", source_id, created, updated, unchanged
    )
    return PullReport(
        source_id=source_id,
        ok=True,
        created=created,
        updated=updated,
        unchanged=unchanged,
        pages=fetched.pages,
    )


async def pull_due(
    factory: SessionFactory, ctx: DomainContext, config: FetchConfig
) -> list[PullReport]:
    """Pull every source whose time has come, one after another."""
    async with unit_of_work(factory, ctx) as svc:
        due = await svc.sources.due()
    return [await pull_source(factory, ctx, source_id, config) for source_id in due]
