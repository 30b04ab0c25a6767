"""Numbers, distances, dates and money in the reader's locale (Babel).

Babel parses the locale and the pattern on every call; a list of nearby projects formats a
few dozen numbers and dates from a small set (distances in metres, progress, end dates, the
radii), so those results are kept per (value, locale): the same strings, built once.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

# Entries of the caches below: a few thousand short strings at most.
_CACHED = 4096


def distance(metres: float, locale: str) -> str:
    """350 m, 1.2 km."""
    if metres < 1000:
        return _("{n} m").format(n=_whole(round(metres), locale))
    return _("{n} km").format(n=_tenths(round(metres / 1000, 1), locale))


def radius(metres: int, locale: str) -> str:
    """0.5 km, 1 km, 5 km."""
    return _("{n} km").format(n=_km(metres, locale))


@lru_cache(maxsize=_CACHED)
def _whole(value: int, locale: str) -> str:
    return format_decimal(value, locale=locale)


@lru_cache(maxsize=_CACHED)
def _tenths(value: float, locale: str) -> str:
    return format_decimal(value, format="#,##0.#", locale=locale)


@lru_cache(maxsize=_CACHED)
def _km(metres: int, locale: str) -> str:
    return format_decimal(Decimal(metres) / 1000, format="#,##0.#", locale=locale)


@lru_cache(maxsize=_CACHED)
def day(value: date, locale: str) -> str:
    """A date, medium style (31 Dec 2026 in English)."""
    return format_date(value, format="medium", locale=locale)


def moment(value: datetime, zone: ZoneInfo, locale: str) -> str:
    """The local date of an instant."""
    return day(value.astimezone(zone).date(), locale)


def money(amount: Decimal, currency: str, locale: str) -> str:
    """An amount in its currency, formatted for the reader."""
    return format_currency(amount, currency, locale=locale)


@lru_cache(maxsize=_CACHED)
def percent(value: float, locale: str) -> str:
    """55 %, per locale."""
    return format_percent(value / 100, format="#,##0%", locale=locale)


def bar(value: float, width: int = 10) -> str:
    """A text progress bar."""
    filled = max(0, min(width, round(value / 100 * width)))
    return "\N{BLACK SQUARE}" * filled + "\N{WHITE SQUARE}" * (width - filled)
