"""Run roles in one process until SIGINT/SIGTERM, then stop each cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import uvicorn
from pydantic import SecretStr

from clearsite.ops import heartbeat, serve_metrics
from clearsite.settings import AllSettings
from core.clock import utc_now
from core.context import DomainContext
from core.metrics import Metrics
from core.outbox.wakeup import Waker
from core.wages.policy import WagePolicy

if TYPE_CHECKING:
    from fastapi import FastAPI

    from sandbox.app import Sandbox

# Each role imports its own stack when it starts (below): a `clearsite notifier` process then
# never loads FastAPI or the sandbox, and admin commands start without aiogram.

logger = logging.getLogger(__name__)

Role = Callable[[asyncio.Event], Coroutine[Any, Any, None]]


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: the supervisor decides when to stop."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        # uvicorn calls sys.exit when it cannot listen (the port is taken); out of a task that
        # would tear the event loop down with a traceback. Stop instead: `_serve` says why.
        try:
            await super().startup(sockets=sockets)
        except SystemExit:
            self.should_exit = True


def serves_webhook(settings: AllSettings) -> bool:
    """Whether the API server also receives Telegram updates (BOT_MODE=webhook with a token)."""
    telegram = settings.telegram
    return telegram.bot_mode == "webhook" and telegram.telegram_bot_token is not None


async def serve_api(
    settings: AllSettings,
    stop: asyncio.Event,
    waker: Waker | None = None,
    sandbox: Sandbox | None = None,
    metrics: Metrics | None = None,
) -> None:
    """The HTTP API until `stop` is set (with the Telegram webhook in webhook mode)."""
    from api.main import create_app
    from bot.webhook import webhook_endpoint

    # `waker` lets a commit here wake the delivery engine of this process at once.
    locale = settings.locale
    metrics = metrics or Metrics()
    ctx = DomainContext(
        clock=sandbox.clock if sandbox is not None else utc_now,
        zone=locale.zone,
        default_locale=locale.default_locale,
        waker=waker,
        report_target_hours=settings.reports.report_target_hours,
        quiet_hours_default=locale.quiet_hours_default,
    )
    app = create_app(settings.for_api(), ctx, metrics)
    if sandbox is not None:
        sandbox.mount(app)
    async with contextlib.AsyncExitStack() as stack:
        if serves_webhook(settings):
            path, endpoint = await stack.enter_async_context(
                webhook_endpoint(settings.for_bot(), metrics)
            )
            app.router.add_route(path, endpoint, methods=["POST"], include_in_schema=False)
        await _serve(app, settings, stop)


async def _serve(app: FastAPI, settings: AllSettings, stop: asyncio.Event) -> None:
    # No access line per request (the sandbox page polls every second) unless debugging.
    config = uvicorn.Config(
        app,
        host=settings.api.api_host,
        port=settings.api.api_port,
        log_config=None,
        access_log=settings.log.log_level.upper() == "DEBUG",
    )
    server = _Server(config)
    serving = asyncio.create_task(server.serve())
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
    server.should_exit = True
    stopping.cancel()
    await serving
    if not server.started:
        raise RuntimeError(
            f"the API could not listen on {settings.api.api_host}:{settings.api.api_port}"
        )


def roles_for(
    names: list[str], settings: AllSettings, sandbox: Sandbox | None = None
) -> dict[str, Role]:
    """The runnable roles by name; roles in one process share a Waker for prompt delivery,
    and one metrics registry (served by the API's /metrics, else on METRICS_PORT)."""
    waker = Waker()
    metrics = Metrics()

    # The sandbox's clock, which its panel moves forward ("jump to the end of quiet hours").
    clock = sandbox.clock if sandbox is not None else utc_now

    async def bot(stop: asyncio.Event) -> None:
        from bot.runner import run_bot

        locale = settings.locale
        ctx = DomainContext(
            clock=clock, zone=locale.zone, quiet_hours_default=locale.quiet_hours_default
        )
        await run_bot(settings.for_bot(), stop, ctx=ctx, metrics=metrics)

    async def notifier(stop: asyncio.Event) -> None:
        from notifier.runner import run_notifier

        await run_notifier(settings.for_notifier(), stop, waker, metrics, clock)

    table: dict[str, Role] = {
        "api": lambda stop: serve_api(settings, stop, waker, sandbox, metrics),
        "bot": bot,
        "notifier": notifier,
    }
    roles = {name: table[name] for name in names}
    roles |= _ops_roles(names, settings, metrics)
    if sandbox is not None:
        roles |= _sandbox_roles(roles, settings, sandbox)
    return roles


def _ops_roles(names: list[str], settings: AllSettings, metrics: Metrics) -> dict[str, Role]:
    ops = settings.ops
    roles: dict[str, Role] = {}
    if ops.metrics_port is not None and "api" not in names:
        outbox = "notifier" in names
        roles["metrics"] = lambda stop: serve_metrics(metrics, settings, stop, with_outbox=outbox)
    if ops.heartbeat_file:
        path = Path(ops.heartbeat_file)
        roles["heartbeat"] = lambda stop: heartbeat(path, ops.heartbeat_interval_seconds, stop)
    return roles


def with_sandbox(settings: AllSettings) -> tuple[AllSettings, Sandbox]:
    """Settings that point the bot and notifier at this process's sandbox Bot API."""
    from sandbox.app import BOT_USERNAME, SANDBOX_TOKEN, Sandbox

    api = settings.api
    telegram = settings.telegram.model_copy(
        update={
            "telegram_bot_token": SecretStr(SANDBOX_TOKEN),
            "telegram_api_url": Sandbox.api_url(api.api_host, api.api_port),
            "bot_mode": "polling",
        }
    )
    wages = settings.wages.model_copy(update={"telegram_bot_username": BOT_USERNAME})
    updated = settings.model_copy(update={"telegram": telegram, "wages": wages})
    return updated, Sandbox(WagePolicy.from_settings(updated.wages, updated.locale))


def _sandbox_roles(
    roles: dict[str, Role], settings: AllSettings, sandbox: Sandbox
) -> dict[str, Role]:
    # The bot and notifier talk to the API server of this very process: wait until it listens.
    url = settings.telegram.telegram_api_url

    def after_ready(role: Role) -> Role:
        async def run(stop: asyncio.Event) -> None:
            if await sandbox.wait_ready(url, stop):
                await role(stop)

        return run

    waiting: dict[str, Role] = {
        n: after_ready(roles[n]) for n in ("bot", "notifier") if n in roles
    }
    return {**waiting, "sandbox": sandbox.run}


async def supervise(roles: dict[str, Role]) -> int:
    """Run roles together; a signal or a failed role stops them all. Returns an exit code.

    A role that returns on its own (the bot without a token) leaves the others running.
    """
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    tasks = {asyncio.create_task(role(stop), name=name): name for name, role in roles.items()}
    failed = False
    pending = set(tasks)
    while pending:
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task.exception() is not None:
                failed = True
                logger.error("role %s failed: %s", tasks[task], task.exception())
                stop.set()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.remove_signal_handler(sig)
    logger.info("stopped")
    return 1 if failed else 0
