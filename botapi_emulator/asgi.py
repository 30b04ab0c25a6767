"""The emulator as routes of an ASGI app (the sandbox mounts them under `/sandbox/botapi`)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from botapi_emulator.params import ApiError, UploadedFile, decode_params, with_json_body

if TYPE_CHECKING:
    from botapi_emulator.emulator import BotApiEmulator

logger = logging.getLogger(__name__)


def botapi_router(emulator: BotApiEmulator) -> APIRouter:
    """`/bot{token}/{method}` and file downloads as api.telegram.org serves them, to mount."""
    router = APIRouter()

    async def endpoint(request: Request) -> Response:
        method = str(request.path_params["method"])
        try:
            params = await read_params(request)
        except ApiError as error:
            return JSONResponse(error.payload(), status_code=error.status)
        status, payload = await emulator.handle(str(request.path_params["token"]), method, params)
        if payload is None:
            # An ASGI app cannot drop the connection; a lost answer looks like a timeout.
            status, payload = 504, ApiError(504, "Gateway Timeout").payload()
        if status != 200:
            logger.info("Bot API emulator %s: %s", method, payload.get("description"))
        return JSONResponse(payload, status_code=status)

    async def file_endpoint(request: Request) -> Response:
        status, body, content_type = emulator.download(
            str(request.path_params["token"]), str(request.path_params["path"])
        )
        return Response(body, status_code=status, media_type=content_type)

    router.add_route(
        "/file/bot{token}/{path:path}", file_endpoint, methods=["GET"], include_in_schema=False
    )
    router.add_route(
        "/bot{token}/{method}", endpoint, methods=["GET", "POST"], include_in_schema=False
    )
    return router


async def read_params(request: Request) -> dict[str, Any]:
    """Query string plus a JSON, urlencoded or multipart body, decoded to Python values."""
    items: list[tuple[str, Any]] = list(request.query_params.multi_items())
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        return with_json_body(items, await request.body())
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        async with request.form() as form:
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    data = await value.read()
                    items.append(
                        (key, UploadedFile(value.filename or "", value.content_type or "", data))
                    )
                else:
                    items.append((key, value))
    return decode_params(items)
