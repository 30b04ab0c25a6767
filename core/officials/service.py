"""OfficialService: who may broadcast and read wage digests."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.errors import InvalidInput
from core.inputs import MAX_BIGINT
from core.officials.models import Official


class OfficialRead(BaseModel):
    """A registered official."""

    model_config = ConfigDict(frozen=True)

    telegram_id: int
    name: str
    is_active: bool


class OfficialService:
    """Register and look up officials by Telegram user id."""

    def __init__(self, session: AsyncSession, clock: Clock):
        self._session = session
        self._clock = clock

    async def add(self, telegram_id: int, name: str) -> OfficialRead:
        """Register (or re-activate and rename) an official."""
        if not 0 < telegram_id <= MAX_BIGINT:
            raise InvalidInput(
                f"a Telegram user id is a number within 1..{MAX_BIGINT}", location="telegram_id"
            )
        if not name.strip() or "\x00" in name:
            raise InvalidInput("name must be non-empty text without NUL", location="name")
        row = await self._session.get(Official, telegram_id)
        if row is None:
            row = Official(telegram_id=telegram_id, created_at=self._clock())
            self._session.add(row)
        row.name = name.strip()
        row.is_active = True
        await self._session.flush()
        return _read(row)

    async def get(self, telegram_id: int) -> OfficialRead | None:
        """The registered official with this Telegram user id, if any."""
        row = await self._session.get(Official, telegram_id)
        return None if row is None else _read(row)

    async def is_official(self, telegram_id: int) -> bool:
        """Whether this Telegram user is an active official."""
        row = await self._session.get(Official, telegram_id)
        return row is not None and row.is_active

    async def list(self) -> list[OfficialRead]:
        """Every registered official."""
        rows = await self._session.scalars(select(Official).order_by(Official.telegram_id))
        return [_read(r) for r in rows]


def _read(row: Official) -> OfficialRead:
    return OfficialRead(telegram_id=row.telegram_id, name=row.name, is_active=row.is_active)
