"""Reusable pydantic types for input from outside: what every column and engine can store.

PostgreSQL refuses NUL in text and text longer than a VARCHAR; BIGINT ends at 2**63 - 1; an
aware time near year 1 or 9999 may not convert to UTC; SQLite keeps NUMERIC as a float. These
types refuse such values with a clear message before they reach a database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field

MAX_BIGINT = 2**63 - 1
# Money: 15 significant digits survive SQLite's float exactly (core.db.ExactNumeric reads them
# back), two decimal places and the whole digits fit the PostgreSQL NUMERIC columns.
MONEY_SIGNIFICANT = 15
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


def exact_money(whole_digits: int) -> Callable[[Decimal], Decimal]:
    """A check that a finite amount is stored exactly by both engines, below 10**whole_digits."""

    def check(value: Decimal) -> Decimal:
        _sign, digits, exponent = value.as_tuple()
        if not isinstance(exponent, int):
            raise ValueError("must be a finite number")
        # Trailing zeros are not significant (done by hand: normalize() rounds to 28 digits).
        if not any(digits):
            return value
        zeros = len(digits) - len(bytes(digits).rstrip(b"\0"))
        significant = max(1, len(digits) - zeros)
        if exponent + zeros < -MONEY_PLACES:
            raise ValueError(f"has more than {MONEY_PLACES} decimal places")
        if significant > MONEY_SIGNIFICANT:
            raise ValueError(f"has more than {MONEY_SIGNIFICANT} significant digits")
        if abs(value) >= Decimal(10) ** whole_digits:
            raise ValueError(f"must be below 10^{whole_digits}")
        return value

    return check


Text = Annotated[str, AfterValidator(no_nul)]
Id = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(no_nul)]
LongId = Annotated[str, Field(min_length=1, max_length=255), AfterValidator(no_nul)]
Code = Annotated[str, Field(max_length=32), AfterValidator(no_nul)]
BigId = Annotated[int, Field(ge=1, le=MAX_BIGINT)]
AwareTime = Annotated[datetime, AfterValidator(utc_convertible)]
# Wage amounts are NUMERIC(18, 2); project budgets NUMERIC(24, 2).
WageMoney = Annotated[Decimal, Field(ge=0, allow_inf_nan=False), AfterValidator(exact_money(16))]
BudgetMoney = Annotated[Decimal, Field(ge=0, allow_inf_nan=False), AfterValidator(exact_money(22))]
