"""Run roles in one process until SIGINT/SIGTERM, then stop each cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import uvicorn

from api.main import create_app
from bot.runner import run_bot
from clearsite.settings import AllSettings
from notifier.runner import run_notifier

logger = logging.getLogger(__name__)

Role = Callable[[asyncio.Event], Coroutine[Any, Any, None]]


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: the supervisor decides when to stop."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def serve_api(settings: AllSettings, stop: asyncio.Event) -> None:
    """The HTTP API until `stop` is set."""
    app = create_app(settings.for_api())
    config = uvicorn.Config(
        app, host=settings.api.api_host, port=settings.api.api_port, log_config=None
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


def roles_for(names: list[str], settings: AllSettings) -> dict[str, Role]:
    """The runnable roles by name."""
    table: dict[str, Role] = {
        "api": lambda stop: serve_api(settings, stop),
        "bot": lambda stop: run_bot(settings.for_bot(), stop),
        "notifier": lambda stop: run_notifier(settings.for_notifier(), stop),
    }
    return {name: table[name] for name in names}


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
