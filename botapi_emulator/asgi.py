"""HTTP routes of the sandbox Bot API: `/bot{token}/{method}`, as api.telegram.org serves them."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from sandbox.botapi.params import ApiError, decode_params
from sandbox.botapi.state import BotApiState

logger = logging.getLogger(__name__)
_UNAUTHORIZED = {"ok": False, "error_code": 401, "description": "Unauthorized"}


def botapi_router(state: BotApiState, token: str) -> APIRouter:
    """The Bot API for one token, to mount under a prefix such as `/sandbox/botapi`."""
    router = APIRouter()

    async def endpoint(request: Request) -> Response:
        if request.path_params["token"] != token:
            return JSONResponse(_UNAUTHORIZED, status_code=401)
        method = str(request.path_params["method"])
        try:
            params = await read_params(request)
            if method.lower() == "getupdates":
                result: Any = await state.updates.get(params)
            else:
                result = state.call(method, params)
        except ApiError as error:
            logger.info("sandbox Bot API %s: %s", method, error.description)
            return JSONResponse(error.payload(), status_code=error.status)
        return JSONResponse({"ok": True, "result": result})

    router.add_route(
        "/bot{token}/{method}", endpoint, methods=["GET", "POST"], include_in_schema=False
    )
    return router


async def read_params(request: Request) -> dict[str, Any]:
    """Query string plus a JSON, urlencoded or multipart body, decoded to Python values."""
    items: list[tuple[str, Any]] = list(request.query_params.multi_items())
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        params = decode_params(items)
        raw = await request.body()
        try:
            body = json.loads(raw) if raw.strip() else {}
        except ValueError:
            raise ApiError(400, "Bad Request: can't parse JSON body") from None
        if isinstance(body, dict):
            params.update(body)
        return params
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        async with request.form() as form:
            for key, value in form.multi_items():
                # Files (photos, documents) are accepted and stood in for by their name.
                items.append((key, value.filename if isinstance(value, UploadFile) else value))
    return decode_params(items)
