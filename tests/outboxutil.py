"""Builders for outbox tests: chats and subscriptions, written straight to the tables."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert, select

from core.chats.models import Chat, Subscription
from core.outbox.models import Delivery
from core.services import Services
from tests.conftest import NOW


async def add_chats(
    svc: Services, ids: Iterable[int], *, locale: str | None = None, language: str | None = None
) -> None:
    """Active chats with an optional chosen locale / Telegram language."""
    rows = [
        {
            "id": chat_id,
            "type": "private" if chat_id > 0 else "group",
            "locale": locale,
            "telegram_language": language,
            "is_active": True,
            "first_seen_at": NOW,
            "last_seen_at": NOW,
        }
        for chat_id in ids
    ]
    for start in range(0, len(rows), 5000):
        await svc.session.execute(insert(Chat), rows[start : start + 5000])


async def add_area(svc: Services, chat_id: int, lat: float, lon: float, radius_m: float) -> None:
    """An area subscription."""
    key = f"a:{lat:.5f},{lon:.5f},{round(radius_m)}"
    svc.session.add(
        Subscription(
            chat_id=chat_id, kind="area", key=key, lat=lat, lon=lon, radius_m=radius_m,
            created_at=NOW,
        )
    )  # fmt: skip
    await svc.session.flush()


async def add_project_sub(svc: Services, chat_id: int, project_id: str) -> None:
    """A project subscription."""
    svc.session.add(
        Subscription(
            chat_id=chat_id, kind="project", key=f"p:{project_id}", project_id=project_id,
            created_at=NOW,
        )
    )  # fmt: skip
    await svc.session.flush()


async def deliveries(svc: Services, **where: Any) -> list[Delivery]:
    """Delivery rows, by id, filtered by column values."""
    stmt = select(Delivery).filter_by(**where).order_by(Delivery.id)
    return list(await svc.session.scalars(stmt))


async def chat(svc: Services, chat_id: int) -> Chat | None:
    """One chat row."""
    return await svc.session.get(Chat, chat_id)
