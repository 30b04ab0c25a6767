"""Parse JSON from outside: bounded nesting, finite numbers, and text without NUL."""

from __future__ import annotations

import json
from typing import Any

from core.errors import InvalidInput

MAX_DEPTH = 64


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def parse_json(
    raw: bytes | str,
    *,
    max_depth: int = MAX_DEPTH,
    allow_nul: bool = False,
    what: str = "the body",
) -> Any:
    """The parsed value, or InvalidInput (code `invalid_json`) naming what is wrong.

    Refuses NaN and Infinity (Python accepts them, JSON does not), nesting deeper than
    `max_depth`, and, unless allowed, strings with NUL (PostgreSQL cannot store it).
    """
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        value = _DECODER.decode(text)
    except RecursionError as exc:
        raise _invalid(what, f"nested deeper than {max_depth} levels") from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise _invalid(what, f"not valid JSON: {exc}") from exc
    _check_depth(value, max_depth, what)
    # A NUL can only arrive escaped as \u0000: without that text no string holds one.
    if not allow_nul and "\\u0000" in text:
        _check_nul(value)
    return value


def _invalid(what: str, detail: str) -> InvalidInput:
    return InvalidInput(f"{what} is {detail}", location="body", code="invalid_json")


def _check_depth(value: Any, max_depth: int, what: str) -> None:
    level = [value] if isinstance(value, dict | list) else []
    depth = 0
    while level:
        depth += 1
        if depth > max_depth:
            raise _invalid(what, f"nested deeper than {max_depth} levels")
        following: list[Any] = []
        for node in level:
            items = node.values() if isinstance(node, dict) else node
            following.extend(v for v in items if isinstance(v, dict | list))
        level = following


def _check_nul(value: Any, path: str = "") -> None:
    if isinstance(value, str):
        if "\x00" in value:
            where = path or "(body)"
            raise InvalidInput(
                f"{where}: text must not contain a NUL character (\\u0000)",
                location=where,
                code="invalid_json",
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_nul(key, f"{path}/{key!r}" if "\x00" in key else path)
            _check_nul(item, f"{path}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_nul(item, f"{path}/{index}")
