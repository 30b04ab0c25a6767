"""Operations roles: a Prometheus endpoint for processes without the API, and a heartbeat file."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from pathlib import Path

from aiohttp import web

from clearsite.settings import AllSettings
from core.db import make_engine, make_session_factory
from core.metrics import Metrics


async def serve_metrics(
    metrics: Metrics, settings: AllSettings, stop: asyncio.Event, *, with_outbox: bool
) -> None:
    """GET /metrics on METRICS_HOST:METRICS_PORT until `stop` (outbox figures when asked)."""
    port = settings.ops.metrics_port
    if port is None:
        return
    engine = make_engine(settings.db.database_url) if with_outbox else None
    factory = None if engine is None else make_session_factory(engine)

    async def scrape(_request: web.Request) -> web.Response:
        if factory is not None:
            await metrics.refresh_outbox(factory)
        body, content_type = metrics.render()
        return web.Response(body=body, headers={"Content-Type": content_type})

    app = web.Application()
    app.router.add_get("/metrics", scrape)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.ops.metrics_host, port).start()
        await stop.wait()
    finally:
        await runner.cleanup()
        if engine is not None:
            await engine.dispose()


async def heartbeat(path: Path, interval: float, stop: asyncio.Event) -> None:
    """Touch `path` every `interval` seconds while this process's event loop runs.

    `clearsite health --heartbeat PATH --max-age S` (the container health check) reads it;
    the file is removed on a clean stop so a stopped role never looks alive.
    """
    try:
        while not stop.is_set():
            await asyncio.to_thread(path.touch)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(interval):
                    await stop.wait()
    finally:
        await asyncio.to_thread(path.unlink, missing_ok=True)


def heartbeat_age(path: Path) -> float | None:
    """Seconds since the heartbeat file was touched; None when there is none."""
    try:
        return time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return None


async def cmd_health(args: argparse.Namespace, _settings: AllSettings) -> int:
    """Exit 0 when the heartbeat is fresher than --max-age seconds, else 1 (and say why)."""
    age = await asyncio.to_thread(heartbeat_age, Path(args.heartbeat))
    if age is None:
        sys.stderr.write(f"unhealthy: no heartbeat file at {args.heartbeat}\n")
        return 1
    if age > args.max_age:
        sys.stderr.write(f"unhealthy: last heartbeat {age:.0f}s ago (max {args.max_age:g}s)\n")
        return 1
    sys.stdout.write(f"healthy: last heartbeat {age:.1f}s ago\n")
    return 0
