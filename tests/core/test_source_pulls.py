"""Pulling a followed feed from a real HTTP server on loopback: conditional requests, limits,
retries, all-or-nothing import, and the health that officials are told about."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import func, select

from core.context import DomainContext
from core.db import SessionFactory
from core.projects.models import Project
from core.pulls import pull_due, pull_source
from core.sources.fetch import FetchConfig
from core.sources.schemas import SourceCreate
from tests.conftest import UowFactory
from tests.outboxutil import add_chats, add_project_sub, deliveries
from tests.samples import package, project

FAST = FetchConfig(max_bytes=1024 * 1024, timeout_s=10, retries=3, retry_base_s=0.01)


@dataclass
class Feed:
    """A scripted publisher: answers queued first, then the package with an ETag."""

    body: dict[str, Any]
    etag: str = '"v1"'
    queued: list[Callable[[web.Request], web.StreamResponse]] = field(default_factory=list)
    requests: list[dict[str, str]] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(dict(request.headers))
        if self.queued:
            return self.queued.pop(0)(request)
        if request.headers.get("If-None-Match") == self.etag:
            return web.Response(status=304, headers={"ETag": self.etag})
        return web.json_response(self.body, headers={"ETag": self.etag})


async def _loop(_request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound("/loop")


@pytest.fixture
async def feed() -> AsyncIterator[tuple[Feed, str]]:
    served = Feed(package(project("p1"), project("p2")))
    app = web.Application()
    app.router.add_get("/feed.json", served.handle)
    app.router.add_get("/loop", _loop)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield served, f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def _add(uow: UowFactory, url: str, **extra: Any) -> int:
    async with uow() as svc:
        return (await svc.sources.add(SourceCreate(url=url, **extra))).id


async def _count(factory: SessionFactory) -> int:
    async with factory() as session:
        return int(await session.scalar(select(func.count()).select_from(Project)) or 0)


async def test_second_pull_with_etag_writes_nothing(
    feed: tuple[Feed, str], uow: UowFactory, session_factory: SessionFactory, ctx: DomainContext
) -> None:
    served, base = feed
    source = await _add(uow, f"{base}/feed.json", name="City feed")
    first = await pull_source(session_factory, ctx, source, FAST)
    assert (first.ok, first.created, first.pages) == (True, 2, 1)
    second = await pull_source(session_factory, ctx, source, FAST)
    assert (second.ok, second.not_modified, second.error) == (True, True, None)
    assert served.requests[-1]["If-None-Match"] == '"v1"'
    async with uow() as svc:
        health = await svc.sources.get(source)
        last_seq, _ = await svc.projects.last_change()
    assert last_seq == 2  # nothing was written the second time
    assert (health.last_created, health.consecutive_failures, health.last_error) == (0, 0, None)
    # A new version of the feed is imported as updates.
    served.body = package(project("p1", status="completion"), project("p2"))
    served.etag = '"v2"'
    third = await pull_source(session_factory, ctx, source, FAST)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 1)


def _html(_r: web.Request) -> web.StreamResponse:
    return web.Response(text="<html>maintenance</html>", content_type="text/html")


def _error(_r: web.Request) -> web.StreamResponse:
    return web.Response(status=503)


def _huge(_r: web.Request) -> web.StreamResponse:
    return web.Response(body=b"[" + b" " * (2 * 1024 * 1024) + b"]")


def _invalid(_r: web.Request) -> web.StreamResponse:
    bad = package(project("ok"), project("bad", status="unknown-status"))
    return web.json_response(bad)


@pytest.mark.parametrize(
    ("answer", "path", "error"),
    [
        (_html, "/feed.json", "text/html, not an OC4IDS package"),
        (_huge, "/feed.json", "larger than the size limit"),
        (_invalid, "/feed.json", "projects[1] (id 'bad'): field status"),
        (None, "/loop", "redirects more than 5 times"),
        (None, "/missing", "answered HTTP 404"),
    ],
)
async def test_a_bad_feed_is_refused_whole_and_recorded(
    feed: tuple[Feed, str],
    uow: UowFactory,
    session_factory: SessionFactory,
    ctx: DomainContext,
    answer: Callable[[web.Request], web.StreamResponse] | None,
    path: str,
    error: str,
) -> None:
    served, base = feed
    if answer is not None:
        served.queued.append(answer)
    source = await _add(uow, base + path)
    report = await pull_source(session_factory, ctx, source, FAST)
    assert not report.ok
    assert error in (report.error or "")
    assert await _count(session_factory) == 0
    async with uow() as svc:
        health = await svc.sources.get(source)
    assert health.consecutive_failures == 1
    assert error in (health.last_error or "")


async def test_server_errors_are_retried_with_backoff(
    feed: tuple[Feed, str], uow: UowFactory, session_factory: SessionFactory, ctx: DomainContext
) -> None:
    served, base = feed
    served.queued += [_error, _error]
    source = await _add(uow, f"{base}/feed.json")
    report = await pull_source(session_factory, ctx, source, FAST)
    assert (report.ok, report.created) == (True, 2)
    assert len(served.requests) == 3


async def test_three_failures_in_a_row_make_a_source_failing(
    feed: tuple[Feed, str], uow: UowFactory, session_factory: SessionFactory, ctx: DomainContext
) -> None:
    served, base = feed
    source = await _add(uow, f"{base}/feed.json")
    once = FetchConfig(retries=1, retry_base_s=0)
    for _ in range(3):
        served.queued.append(_error)
        report = await pull_source(session_factory, ctx, source, once)
        assert not report.ok
    async with uow() as svc:
        unhealthy = await svc.sources.unhealthy()
    assert [(s.id, s.is_failing, s.consecutive_failures) for s in unhealthy] == [(source, True, 3)]
    assert "HTTP 503" in (unhealthy[0].last_error or "")


async def test_only_due_sources_are_pulled(
    feed: tuple[Feed, str], uow: UowFactory, session_factory: SessionFactory, ctx: DomainContext
) -> None:
    _served, base = feed
    source = await _add(uow, f"{base}/feed.json")
    assert [r.source_id for r in await pull_due(session_factory, ctx, FAST)] == [source]
    # The fixed clock stands still: the next pull is an hour away.
    assert await pull_due(session_factory, ctx, FAST) == []


async def test_source_input_is_checked() -> None:
    for bad in (
        {"url": "ftp://example.org/x"},
        {"url": "http://example.org/\x00"},
        {"url": "https://example.org/x", "every_s": 1},
        {"url": "https://example.org/x", "name": ""},
        {"url": "https://example.org/x", "extra": 1},
    ):
        with pytest.raises(ValueError):  # noqa: PT011 - pydantic's ValidationError
            SourceCreate.model_validate(bad)
    assert (
        json.loads(SourceCreate(url="https://example.org/x").model_dump_json())["every_s"] == 3600
    )


async def test_a_pulled_change_notifies_followers_as_a_push_does(
    feed: tuple[Feed, str], uow: UowFactory, session_factory: SessionFactory, ctx: DomainContext
) -> None:
    served, base = feed
    source = await _add(uow, f"{base}/feed.json")
    await pull_source(session_factory, ctx, source, FAST)
    async with uow() as svc:
        await add_chats(svc, [1])
        await add_project_sub(svc, 1, "p1")
    served.body = package(project("p1", status="completion"), project("p2"))
    served.etag = '"v2"'
    await pull_source(session_factory, ctx, source, FAST)
    async with uow() as svc:
        rows = await deliveries(svc)
    assert [(r.chat_id, r.kind) for r in rows] == [(1, "project_update")]
    assert json.loads(rows[0].params)["projects"][0]["status"] == ["implementation", "completion"]
