"""Who hears about what: chat locale resolution, project and area subscribers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import geo
from core.chats import models as chat_models
from core.chats import subscriptions as subscription_service
from core.config import SUPPORTED_LOCALES

PAGE = 5000


def locale_of(locale: str | None, telegram_language: str | None, default: str) -> str:
    """The chat's chosen locale, else its Telegram language if we ship it, else `default`."""
    if locale in SUPPORTED_LOCALES:
        return locale
    base = (telegram_language or "")[:2].lower()
    return base if base in SUPPORTED_LOCALES else default


def locale_sql(default: str) -> ColumnElement[str]:
    """`locale_of` as a SQL expression over the chat table (for INSERT … SELECT)."""
    chat = chat_models.Chat
    base = func.lower(func.substr(chat.telegram_language, 1, 2))
    return case(
        (chat.locale.in_(SUPPORTED_LOCALES), chat.locale),
        (base.in_(SUPPORTED_LOCALES), base),
        else_=literal(default),
    )


def project_subscribers(project_ids: list[str]) -> Select[int]:
    """Chat ids subscribed to any of these projects."""
    sub = chat_models.Subscription
    return select(sub.chat_id).where(sub.kind == "project", sub.project_id.in_(project_ids))


async def area_candidates(
    session: AsyncSession, lat: float, lon: float, radius_m: float
) -> AsyncIterator[list[Any]]:
    """Pages of active area subscriptions whose circle may overlap the circle (lat, lon, r).

    A bounding-box prefilter in SQL (widened by the largest subscription radius), paged by id
    so nothing is held open; callers apply the exact great-circle test.
    """
    sub, chat = chat_models.Subscription, chat_models.Chat
    box = geo.bounding_box(lat, lon, radius_m + subscription_service.MAX_AREA_RADIUS_M)
    conditions = [sub.kind == "area", chat.is_active.is_(True)]
    conditions += [sub.lat >= box.min_lat, sub.lat <= box.max_lat]
    if box.min_lon is not None and box.max_lon is not None:
        conditions += [sub.lon >= box.min_lon, sub.lon <= box.max_lon]
    last_id = 0
    while True:
        rows = (
            await session.execute(
                select(
                    sub.id,
                    sub.chat_id,
                    sub.lat,
                    sub.lon,
                    sub.radius_m,
                    chat.locale,
                    chat.telegram_language,
                    chat.digest_hour,
                )
                .join(chat, chat.id == sub.chat_id)
                .where(and_(*conditions), sub.id > last_id)
                .order_by(sub.id)
                .limit(PAGE)
            )
        ).all()
        if not rows:
            return
        yield list(rows)
        last_id = rows[-1].id


def overlaps(row: Any, lat: float, lon: float, radius_m: float) -> bool:
    """Whether a subscription's circle overlaps (or, with radius 0, contains) the point."""
    distance = geo.haversine_m(lat, lon, row.lat, row.lon)
    return distance <= float(row.radius_m or 0) + radius_m
