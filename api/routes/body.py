"""Reading JSON request bodies ourselves, so errors name the record and field."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from core.errors import InvalidInput


async def read_json(request: Request) -> Any:
    """The parsed body; a clear 422 for a body that is not JSON."""
    raw = await request.body()
    if not raw.strip():
        raise InvalidInput("the request body is empty", location="body", code="invalid_json")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(
            f"the body is not valid JSON: {exc}", location="body", code="invalid_json"
        ) from exc
