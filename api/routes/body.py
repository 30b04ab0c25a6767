"""Reading JSON request bodies ourselves: checked JSON, and errors that name the field."""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from core.errors import InvalidInput
from core.json_input import parse_json

_M = TypeVar("_M", bound=BaseModel)


async def read_json(request: Request) -> Any:
    """The parsed body; a clear 422 for a body that is not JSON we accept."""
    raw = await request.body()
    if not raw.strip():
        raise InvalidInput("the request body is empty", location="body", code="invalid_json")
    return parse_json(raw)


async def read_model(request: Request, model: type[_M]) -> _M:
    """The body validated as `model`; a 422 like FastAPI's own when a field is wrong."""
    data = await read_json(request)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
        raise RequestValidationError(errors) from exc
