"""/metrics, X-Request-ID on responses and log records, job locks, the heartbeat check."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from api.config import ApiProcessSettings
from api.main import create_app
from clearsite.ops import cmd_health, heartbeat, heartbeat_age
from clearsite.settings import AllSettings
from core.clock import fixed_clock
from core.config import DbSettings
from core.context import DomainContext
from core.db import is_sqlite, job_lock, make_engine, make_session_factory
from core.logging import EventIdFilter, JsonFormatter
from core.metrics import Metrics
from tests.conftest import NOW, UowFactory
from tests.notifier.conftest import note
from tests.outboxutil import add_chats


@pytest.fixture
async def client(db_url: str) -> AsyncIterator[tuple[httpx.AsyncClient, Metrics]]:
    metrics = Metrics()
    ctx = DomainContext(clock=fixed_clock(NOW))
    app: FastAPI = create_app(ApiProcessSettings(db=DbSettings(database_url=db_url)), ctx, metrics)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield http, metrics


def _value(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    raise AssertionError(f"{name} not in the scrape")


async def test_metrics_read_the_outbox_at_scrape_time(
    client: tuple[httpx.AsyncClient, Metrics], uow: UowFactory
) -> None:
    http, metrics = client
    async with uow() as svc:
        await add_chats(svc, [1, 2])
        await svc.outbox.enqueue([note(1, 1, not_before=NOW - timedelta(seconds=90)), note(2, 2)])
    metrics.sends.labels("sent").inc(3)
    metrics.flood_waits.inc()
    answer = await http.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=")
    text = answer.text
    assert _value(text, "clearsite_outbox_up") == 1
    assert _value(text, 'clearsite_outbox_deliveries{state="pending"}') == 2
    assert _value(text, "clearsite_outbox_due") == 2
    assert _value(text, "clearsite_outbox_oldest_due_age_seconds") == 90
    assert _value(text, 'clearsite_sends_total{outcome="sent"}') == 3
    assert _value(text, "clearsite_telegram_429_total") == 1
    assert "clearsite_send_seconds_bucket" in text
    assert "clearsite_bot_handler_seconds_bucket" in text


async def test_request_id_is_echoed_or_made_and_put_on_log_records(
    client: tuple[httpx.AsyncClient, Metrics], caplog: pytest.LogCaptureFixture
) -> None:
    http, _ = client
    given = await http.get("/health", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    made = await http.get("/health", headers={"X-Request-ID": "bad id <script>"})
    assert len(made.headers["x-request-id"]) == 32
    assert made.headers["x-request-id"] != (await http.get("/health")).headers["x-request-id"]

    logger = logging.getLogger("api.test")
    caplog.handler.addFilter(EventIdFilter())
    with caplog.at_level(logging.INFO, logger="api.test"):
        from core.logging import request_id

        token = request_id.set("abc-123")
        logger.info("handled %s", "x")
        request_id.reset(token)
        logger.info("outside")
    inside, outside = (json.loads(JsonFormatter().format(r)) for r in caplog.records)
    assert inside["request_id"] == "abc-123"
    assert "request_id" not in outside


async def test_one_replica_holds_a_job_lock_at_a_time(db_url: str) -> None:
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    try:
        async with job_lock(factory, "demo") as first, job_lock(factory, "demo") as second:
            other = job_lock(factory, "other")
            async with other as third:
                assert first
                assert third
                # SQLite has a single writer and no advisory locks: every caller may run.
                assert second is is_sqlite(db_url)
        async with job_lock(factory, "demo") as again:
            assert again
    finally:
        await engine.dispose()


async def test_heartbeat_file_is_touched_while_running_and_removed_on_stop(
    tmp_path: Path,
) -> None:
    path = tmp_path / "beat"
    stop = asyncio.Event()
    task = asyncio.create_task(heartbeat(path, 0.05, stop))
    for _ in range(100):
        if path.exists():
            break
        await asyncio.sleep(0.01)
    age = heartbeat_age(path)
    assert age is not None
    assert age < 5
    stop.set()
    await task
    assert heartbeat_age(path) is None


async def test_health_command_judges_the_heartbeat_age(tmp_path: Path) -> None:
    path = tmp_path / "beat"
    args = argparse.Namespace(heartbeat=str(path), max_age=60.0)
    assert await cmd_health(args, AllSettings()) == 1
    path.touch()
    assert await cmd_health(args, AllSettings()) == 0
    old = time.time() - 120
    os.utime(path, (old, old))
    assert await cmd_health(args, AllSettings()) == 1


def test_health_command_is_wired_into_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "beat"
    path.touch()
    result = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "clearsite", "health", "--heartbeat", str(path), "--max-age", "30"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("healthy")
