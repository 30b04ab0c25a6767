"""Feature routers, in the order the dispatcher tries them."""

from __future__ import annotations

from aiogram import Router


def routers() -> list[Router]:
    """Every router; new feature routers go before `fallback` (plain text there is a search,
    and unknown `/start` payloads get a polite answer there)."""
    from bot.handlers import (
        cards,
        errors,
        fallback,
        nearby,
        search,
        settings,
        start,
        subscriptions,
        wages,
    )

    return [
        errors.router,
        start.router,
        settings.router,
        subscriptions.router,
        cards.router,
        nearby.router,
        search.router,
        wages.router,
        fallback.router,
    ]
