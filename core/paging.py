"""Opaque cursors for paged lists."""

from __future__ import annotations

import base64
import json

from core.errors import InvalidInput

# Far beyond any real list, and well inside the 64-bit OFFSET both engines take.
MAX_OFFSET = 2**31 - 1


def encode_cursor(offset: int) -> str:
    """A cursor that resumes a list at `offset`."""
    raw = json.dumps({"o": offset}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The offset inside a cursor; a tampered cursor is a clear error."""
    if not cursor:
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        offset = json.loads(base64.urlsafe_b64decode(padded.encode()))["o"]
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidInput("invalid cursor", location="cursor") from exc
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset <= MAX_OFFSET:
        raise InvalidInput("invalid cursor", location="cursor")
    return offset
