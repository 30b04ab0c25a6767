"""Every error becomes JSON {"code", "detail"} with a fitting status."""

from __future__ import annotations

import logging
import uuid

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from api import open311_format
from api.open311_format import Format
from core.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied

logger = logging.getLogger(__name__)

_STATUS: list[tuple[type[DomainError], int]] = [
    (NotFound, 404),
    (PermissionDenied, 403),
    (Conflict, 409),
    (InvalidInput, 422),
]


def error_body(code: str, detail: object) -> dict[str, object]:
    """The one error shape of this API."""
    return {"code": code, "detail": detail}


def install_error_handlers(app: FastAPI) -> None:
    """Map domain, validation, HTTP and unexpected errors to JSON."""

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        status = next((s for cls, s in _STATUS if isinstance(exc, cls)), 400)
        if _is_open311(request):
            return open311_error(request, 400 if status == 422 else status, exc.detail)
        return JSONResponse(error_body(exc.code, exc.detail), status_code=status)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        details = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        if _is_open311(request):
            first = details[0] if details else {"loc": [], "msg": "invalid request"}
            where = str(first["loc"][-1]) if first["loc"] else "request"
            return open311_error(request, 400, f"{where}: {first['msg']}")
        return JSONResponse(error_body("invalid_request", details), status_code=422)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        if _is_open311(request):
            return open311_error(request, exc.status_code, str(exc.detail))
        code = getattr(exc, "code", None) or _http_code(exc.status_code)
        return JSONResponse(
            error_body(code, exc.detail), status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
        logger.exception(
            "unhandled error on %s %s (request %s)",
            request.method,
            request.url.path,
            request_id,
            exc_info=exc,
        )
        return JSONResponse(
            error_body("internal_error", f"internal error (request {request_id})"),
            status_code=500,
        )


def _is_open311(request: Request) -> bool:
    return request.url.path.startswith("/open311/")


def open311_error(request: Request, status: int, description: str) -> Response:
    """Open311 routes answer errors as the specification's list, in the format asked for."""
    fmt: Format = "xml" if request.url.path.endswith(".xml") else "json"
    return open311_format.error(status, description, fmt)


def _http_code(status: int) -> str:
    return {
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        413: "payload_too_large",
    }.get(status, f"http_{status}")


class ApiError(HTTPException):
    """An HTTP error with a machine code."""

    def __init__(
        self, status_code: int, code: str, detail: str, headers: dict[str, str] | None = None
    ):
        super().__init__(status_code=status_code, detail=detail, headers=headers)
        self.code = code
