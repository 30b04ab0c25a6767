"""The Sandbox: a local Bot API server, simulated users and the /sandbox page, in one object
that the composition root creates when no TELEGRAM_BOT_TOKEN is set."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.responses import FileResponse
from starlette.staticfiles import StaticFiles

from botapi_emulator import ApiError, BotApiEmulator
from botapi_emulator.asgi import botapi_router
from core.clock import ShiftedClock
from core.services import Services
from core.wages.policy import WagePolicy
from sandbox import demo
from sandbox.control import Control
from sandbox.users import Client, default_users
from sandbox.web import api_error_response, web_router

logger = logging.getLogger(__name__)

SANDBOX_TOKEN = "1:sandbox"  # noqa: S105 - not a secret: the built-in server accepts only it
BOT_USERNAME = "clearsite_sandbox_bot"
BOTAPI_PREFIX = "/sandbox/botapi"
STATIC = Path(__file__).parent / "static"


def local_base(host: str, port: int) -> str:
    """The URL this process reaches its own API server on."""
    reachable = "127.0.0.1" if host in ("0.0.0.0", "::", "localhost", "") else host  # noqa: S104
    if ":" in reachable:
        reachable = f"[{reachable}]"
    return f"http://{reachable}:{port}"


class Sandbox:
    """Everything the sandbox adds to a `clearsite run` process."""

    def __init__(self, policy: WagePolicy) -> None:
        self.policy = policy
        # No recording, faults or limits: a plain Bot API that only knows the chats users open.
        self.emulator = BotApiEmulator(
            SANDBOX_TOKEN,
            username=BOT_USERNAME,
            first_name="Clearsite (sandbox)",
            can_join_groups=False,
            known_chats_only=True,
        )
        self.client = Client(self.emulator, default_users())
        self.app_key: str | None = None  # the Open311 app key the control panel files with
        # Every role of a sandbox process reads this clock; the panel moves it forward.
        self.clock = ShiftedClock()

    @staticmethod
    def api_url(host: str, port: int) -> str:
        """TELEGRAM_API_URL for the bot and notifier of this process."""
        return local_base(host, port) + BOTAPI_PREFIX

    def mount(self, app: FastAPI) -> None:
        """Add the Bot API, the page's JSON API and the page itself to the API app."""
        app.include_router(botapi_router(self.emulator), prefix=BOTAPI_PREFIX)
        app.include_router(web_router(self.client, self._control))
        app.mount("/sandbox/static", StaticFiles(directory=STATIC), name="sandbox-static")
        app.add_api_route("/sandbox", _index, include_in_schema=False)

        async def refused(_request: Request, exc: Exception) -> Response:
            assert isinstance(exc, ApiError)  # noqa: S101 - registered for ApiError only
            return api_error_response(exc)

        app.add_exception_handler(ApiError, refused)

    def _control(self, request: Request) -> Control:
        app_state = request.app.state
        return Control(
            app_state.session_factory,
            app_state.ctx,
            self.policy,
            self.client,
            self.clock,
            request.app,
            self.app_key,
        )

    async def prepare(self, svc: Services) -> None:
        """Register the official, load the demo worker and make the Open311 app's key before
        the roles start."""
        job = await demo.prepare(svc, self.policy)
        if self.app_key is None:
            self.app_key = (await svc.api_keys.create(demo.OPEN311_APP, "app")).key
        logger.info("sandbox: demo worker on project %s", job.project_id if job else "(none)")

    async def wait_ready(self, base_url: str, stop: asyncio.Event, timeout: float = 30.0) -> bool:  # noqa: ASYNC109
        """Until the API server of this process answers the sandbox Bot API; False when `stop`
        is set first. TimeoutError after `timeout` seconds."""
        url = f"{base_url}/bot{SANDBOX_TOKEN}/getMe"
        async with httpx.AsyncClient(timeout=2.0) as http, asyncio.timeout(timeout):
            while not stop.is_set():
                try:
                    if (await http.get(url)).status_code == 200:
                        return True
                except httpx.TransportError:
                    pass
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 0.1)
        return False

    async def run(self, stop: asyncio.Event) -> None:
        """A role of its own: on stop, release long polls so the server can shut down."""
        await stop.wait()
        await self.emulator.stop()


async def _index() -> FileResponse:
    return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})
