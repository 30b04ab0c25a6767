"""SubscriptionService: chats follow projects or areas; the notifier reads these rows."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.chats.models import Subscription
from core.chats.schemas import SubscriptionRead
from core.clock import Clock
from core.db import insert_ignoring_duplicates
from core.errors import InvalidInput, NotFound
from core.projects import models as project_models
from core.projects import queries as project_queries

MAX_AREA_RADIUS_M = 50_000
MAX_PER_CHAT = 100


def project_key(project_id: str) -> str:
    """The per-chat unique key of a project subscription."""
    return f"p:{project_id}"


def area_key(lat: float, lon: float, radius_m: float) -> str:
    """The per-chat unique key of an area subscription (5 decimals: about a metre)."""
    return f"a:{lat:.5f},{lon:.5f},{round(radius_m)}"


class SubscriptionService:
    """Subscribe, list and remove; every call is scoped to one chat."""

    def __init__(self, session: AsyncSession, clock: Clock):
        self._session = session
        self._clock = clock

    async def subscribe_project(self, chat_id: int, project_id: str) -> SubscriptionRead:
        """Follow a project (idempotent); NotFound for an unknown project."""
        if await self._session.get(project_models.Project, project_id) is None:
            raise NotFound(f"project {project_id!r} not found", code="project_not_found")
        row = {"kind": "project", "key": project_key(project_id), "project_id": project_id}
        return await self._add(chat_id, row)

    async def unsubscribe_project(self, chat_id: int, project_id: str) -> bool:
        """Stop following a project; whether there was a subscription."""
        result = await self._session.execute(
            delete(Subscription)
            .where(Subscription.chat_id == chat_id, Subscription.key == project_key(project_id))
            .returning(Subscription.id)
        )
        return bool(result.all())

    async def is_subscribed(self, chat_id: int, project_id: str) -> bool:
        """Whether a chat follows a project."""
        found = await self._session.scalar(
            select(Subscription.id).where(
                Subscription.chat_id == chat_id, Subscription.key == project_key(project_id)
            )
        )
        return found is not None

    async def subscribe_area(
        self, chat_id: int, lat: float, lon: float, radius_m: float
    ) -> SubscriptionRead:
        """Follow every project within `radius_m` of a point (idempotent)."""
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise InvalidInput("lat/lon out of range", location="lat/lon")
        if not 0 < radius_m <= MAX_AREA_RADIUS_M:
            raise InvalidInput("radius_m out of range", location="radius_m")
        lat, lon = round(lat, 5), round(lon, 5)
        key = area_key(lat, lon, radius_m)
        row = {"kind": "area", "key": key, "lat": lat, "lon": lon, "radius_m": float(radius_m)}
        return await self._add(chat_id, row)

    async def list(self, chat_id: int, lang: str | None = None) -> list[SubscriptionRead]:
        """A chat's subscriptions, oldest first, project titles in `lang` where available."""
        project = project_models.Project
        stmt = (
            select(Subscription, project.title, project.titles)
            .outerjoin(project, project.id == Subscription.project_id)
            .where(Subscription.chat_id == chat_id)
            .order_by(Subscription.id)
        )
        return [
            _read(row, project_queries.localized(title, titles, lang) if title else None)
            for row, title, titles in await self._session.execute(stmt)
        ]

    async def remove(self, chat_id: int, subscription_id: int) -> None:
        """Delete one of the chat's subscriptions; NotFound when it is not the chat's."""
        result = await self._session.execute(
            delete(Subscription)
            .where(Subscription.id == subscription_id, Subscription.chat_id == chat_id)
            .returning(Subscription.id)
        )
        if not result.all():
            raise NotFound("no such subscription", code="subscription_not_found")

    async def _add(self, chat_id: int, values: Mapping[str, object]) -> SubscriptionRead:
        key = values["key"]
        existing = await self._by_key(chat_id, str(key))
        if existing is not None:
            return _read(existing)
        count = await self._session.scalar(
            select(func.count()).select_from(Subscription).where(Subscription.chat_id == chat_id)
        )
        if (count or 0) >= MAX_PER_CHAT:
            raise InvalidInput("too many subscriptions", code="too_many_subscriptions")
        row = {"chat_id": chat_id, "created_at": self._clock(), **values}
        await insert_ignoring_duplicates(
            self._session, Subscription, [row], unique=["chat_id", "key"]
        )
        created = await self._by_key(chat_id, str(key))
        if created is None:  # pragma: no cover - inserted or already there just above
            raise NotFound("subscription vanished", code="subscription_not_found")
        return _read(created)

    async def _by_key(self, chat_id: int, key: str) -> Subscription | None:
        return await self._session.scalar(
            select(Subscription).where(Subscription.chat_id == chat_id, Subscription.key == key)
        )


def _read(row: Subscription, title: str | None = None) -> SubscriptionRead:
    return SubscriptionRead(
        id=row.id,
        chat_id=row.chat_id,
        kind=row.kind,
        project_id=row.project_id,
        project_title=title,
        lat=row.lat,
        lon=row.lon,
        radius_m=row.radius_m,
        created_at=row.created_at,
    )
