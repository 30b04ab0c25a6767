"""Bot API request parameters and errors, as aiogram sends and expects them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# Top-level fields that are strings in the Bot API even when they look like JSON or numbers.
STRING_FIELDS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "url",
        "secret_token",
        "callback_query_id",
        "inline_message_id",
        "language_code",
        "ip_address",
        "title",
        "description",
        "short_description",
        "name",
        "address",
        "query",
        "emoji",
        "question",
        "business_connection_id",
        "message_effect_id",
        "photo",
        "document",
        "sticker",
        "video",
        "audio",
        "voice",
        "animation",
        "video_note",
        "thumbnail",
    }
)

_NUMBER = re.compile(r"-?\d+(\.\d+)?")


class ApiError(Exception):
    """A Bot API error answer: HTTP status, description and optional retry_after."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram answers with."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


UNAUTHORIZED = ApiError(401, "Unauthorized")


def bad_request(detail: str) -> ApiError:
    """A 400 "Bad Request: …" answer."""
    return ApiError(400, f"Bad Request: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    """A 429 flood-wait answer."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes


def decode_value(key: str, value: Any) -> Any:
    """Decode one form field: aiogram sends numbers, booleans and objects JSON-encoded."""
    if not isinstance(value, str) or key in STRING_FIELDS or not value:
        return value
    if value[0] in "{[" or value in ("true", "false", "null") or _NUMBER.fullmatch(value):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def decode_params(items: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Form or query fields decoded to Python values."""
    return {key: decode_value(key, value) for key, value in items}


def with_json_body(items: Iterable[tuple[str, Any]], raw: bytes) -> dict[str, Any]:
    """Query fields plus the fields of a JSON object body (a JSON body is not decoded again)."""
    params = decode_params(items)
    try:
        body = json.loads(raw) if raw.strip() else {}
    except ValueError:
        raise bad_request("can't parse JSON body") from None
    if isinstance(body, dict):
        params.update(body)
    return params
