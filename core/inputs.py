"""Reusable pydantic types for input from outside: what every column and engine can store.

PostgreSQL refuses NUL in text and text longer than a VARCHAR; BIGINT ends at 2**63 - 1; an
aware time near year 1 or 9999 may not convert to UTC; SQLite keeps NUMERIC as a float. These
types refuse such values with a clear message before they reach a database.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field

MAX_BIGINT = 2**63 - 1
# Money: two decimal places and 15 digits in all (below 10**13) are stored exactly by both
# engines: PostgreSQL NUMERIC, and SQLite's float, which keeps 15 significant digits.
MONEY_DIGITS = 15
MONEY_PLACES = 2


def no_nul(value: str) -> str:
    """Refuse text with a NUL character (PostgreSQL cannot store it)."""
    if "\x00" in value:
        raise ValueError("must not contain a NUL character (\\u0000)")
    return value


def utc_convertible(value: datetime | None) -> datetime | None:
    """Refuse times that have no zone, or that fall outside years 1..9999 once in UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("needs a time zone (e.g. Z)")
    try:
        value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("is out of range once converted to UTC") from exc
    return value


Text = Annotated[str, AfterValidator(no_nul)]
Id = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(no_nul)]
LongId = Annotated[str, Field(min_length=1, max_length=255), AfterValidator(no_nul)]
Code = Annotated[str, Field(max_length=32), AfterValidator(no_nul)]
BigId = Annotated[int, Field(ge=1, le=MAX_BIGINT)]
AwareTime = Annotated[datetime, AfterValidator(utc_convertible)]
Money = Annotated[
    Decimal,
    Field(ge=0, max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, allow_inf_nan=False),
]
