"""Feature routers, in the order the dispatcher tries them."""

from __future__ import annotations

from aiogram import Router


def routers() -> list[Router]:
    """Every router; new feature routers go before `fallback` (plain text there is a search,
    and unknown `/start` payloads get a polite answer there). `officials` comes first: its
    steps take locations and text before the citizen routers would, and it lets /start run on."""
    from bot.handlers import (
        cards,
        errors,
        fallback,
        nearby,
        notifications,
        officials,
        report_filing,
        report_officials,
        report_photos,
        report_threads,
        search,
        settings,
        start,
        subscriptions,
        wages,
    )

    return [
        errors.router,
        officials.router,
        report_officials.router,
        start.router,
        report_threads.router,
        report_filing.router,
        report_photos.router,
        settings.router,
        notifications.router,
        subscriptions.router,
        cards.router,
        nearby.router,
        search.router,
        wages.router,
        fallback.router,
    ]
