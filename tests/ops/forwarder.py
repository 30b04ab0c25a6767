"""A round-robin HTTP forwarder: one public URL in front of several API processes (a toy LB)."""

from __future__ import annotations

import itertools
import json
from types import TracebackType
from typing import Self

import aiohttp
from aiohttp import web

_HOP = {"host", "content-length", "transfer-encoding", "connection"}


class RoundRobin:
    """Forwards each request to the next backend in turn; remembers where each update went."""

    def __init__(self, backends: list[str]) -> None:
        self.backends = backends
        self.routed_updates: dict[int, int] = {}
        self._next = itertools.cycle(range(len(backends)))
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.url = ""

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._session is not None
        index = next(self._next)
        body = await request.read()
        if request.path == "/telegram/webhook":
            self.routed_updates[json.loads(body)["update_id"]] = index
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP}
        async with self._session.request(
            request.method, self.backends[index] + request.path_qs, data=body, headers=headers
        ) as answer:
            payload = await answer.read()
            kind = answer.headers.get("Content-Type", "application/json")
            return web.Response(status=answer.status, body=payload, headers={"Content-Type": kind})

    async def __aenter__(self) -> Self:
        self._session = aiohttp.ClientSession()
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()
