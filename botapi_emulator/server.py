"""The emulator served on its own loopback port by aiohttp (tests and benchmarks)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from botapi_emulator.params import UploadedFile, decode_params, with_json_body

# (token, method, params) -> (HTTP status, JSON payload or None to drop the connection)
MethodHandler = Callable[[str, str, dict[str, Any]], Awaitable[tuple[int, Any]]]


def make_app(handle: MethodHandler) -> web.Application:
    """`/bot{token}/{method}` as api.telegram.org serves it."""

    async def endpoint(request: web.Request) -> web.StreamResponse:
        params = await read_params(request)
        token, method = request.match_info["token"], request.match_info["method"]
        status, payload = await handle(token, method, params)
        if payload is None:
            # "disconnect": drop the connection without an answer.
            if request.transport is not None:
                request.transport.close()
            return web.Response()
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        return web.Response(body=body, status=status, content_type="application/json")

    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_route("*", "/bot{token}/{method}", endpoint)
    return app


async def read_params(request: web.Request) -> dict[str, Any]:
    """Query string plus a JSON, urlencoded or multipart body, decoded to Python values."""
    items: list[tuple[str, Any]] = list(request.query.items()) if request.query_string else []
    if not request.body_exists:
        return decode_params(items)
    if request.content_type == "application/json":
        return with_json_body(items, await request.read())
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            items.append(
                (key, UploadedFile(value.filename, value.content_type, value.file.read()))
            )
        elif isinstance(value, str):
            items.append((key, value))
        else:
            items.append((key, bytes(value).decode()))
    return decode_params(items)
