"""The emulator served on its own loopback port by aiohttp (tests and benchmarks)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from botapi_emulator.params import UploadedFile, decode_params, with_json_body

# (token, method, params) -> (HTTP status, JSON payload or None to drop the connection)
MethodHandler = Callable[[str, str, dict[str, Any]], Awaitable[tuple[int, Any]]]
# (token, file path) -> (HTTP status, body, content type)
FileHandler = Callable[[str, str], tuple[int, bytes, str]]


def make_app(handle: MethodHandler, download: FileHandler | None = None) -> web.Application:
    """`/bot{token}/{method}` and `/file/bot{token}/{path}` as api.telegram.org serves them."""

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

    async def file_endpoint(request: web.Request) -> web.StreamResponse:
        assert download is not None  # noqa: S101 - the route exists only with a handler
        status, body, content_type = download(
            request.match_info["token"], request.match_info["path"]
        )
        return web.Response(body=body, status=status, content_type=content_type)

    app = web.Application(client_max_size=64 * 1024 * 1024)
    if download is not None:
        app.router.add_get("/file/bot{token}/{path:.+}", file_endpoint)
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
