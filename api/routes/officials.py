"""Officials who may broadcast from Telegram (role `official`: officials register colleagues)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import OfficialPrincipal, ServicesDep
from core.officials.service import OfficialRead

router = APIRouter(prefix="/api/v1/officials", tags=["officials"])


class OfficialCreate(BaseModel):
    """A Telegram user to allow /broadcast and wage digests."""

    telegram_id: int = Field(gt=0)
    name: str = Field(min_length=1, max_length=200)


class OfficialList(BaseModel):
    """Every registered official."""

    items: list[OfficialRead]


@router.post("", status_code=201)
async def add_official(
    body: OfficialCreate, svc: ServicesDep, _principal: OfficialPrincipal
) -> OfficialRead:
    """Register (or re-activate and rename) an official, as `clearsite official add` does."""
    return await svc.officials.add(body.telegram_id, body.name)


@router.get("")
async def list_officials(svc: ServicesDep, _principal: OfficialPrincipal) -> OfficialList:
    """Every registered official."""
    return OfficialList(items=await svc.officials.list())
