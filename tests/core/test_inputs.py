"""Money that both engines store exactly: two places, 15 significant digits, below the column."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.inputs import exact_money

check = exact_money(22)


@pytest.mark.parametrize(
    "amount",
    ["0", "0E-10", "0.01", "1500000.500", "22000000000000", "1.23456789012345E+21", "1.100"],
)
def test_exact_amounts_are_kept_as_given(amount: str) -> None:
    assert check(Decimal(amount)) == Decimal(amount)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1.005", "decimal places"),
        # 29 digits: Decimal.normalize() would round this to 1 and let it through.
        ("1.0000000000000000000000000001", "decimal places"),
        ("1234567890123456", "significant digits"),
        ("1E+22", r"below 10\^22"),
        ("NaN", "finite"),
    ],
)
def test_amounts_that_would_not_be_stored_exactly_are_refused(amount: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check(Decimal(amount))
