"""Officials who may broadcast from Telegram (role `official`: officials register colleagues)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from api.deps import OfficialPrincipal, ServicesDep
from api.openapi import KEYED, UPLOAD, json_body
from api.routes.body import read_model
from core.inputs import BigId, Text
from core.officials.service import OfficialRead

router = APIRouter(prefix="/api/v1/officials", tags=["officials"], responses=KEYED)


class OfficialCreate(BaseModel):
    """A Telegram user to allow /broadcast and wage digests."""

    telegram_id: BigId
    name: Text = Field(min_length=1, max_length=200)


async def _body(request: Request, _principal: OfficialPrincipal) -> OfficialCreate:
    """The body, read only once the key is known to be good."""
    return await read_model(request, OfficialCreate)


class OfficialList(BaseModel):
    """Every registered official."""

    items: list[OfficialRead]


@router.post("", status_code=201, openapi_extra=json_body(OfficialCreate), responses=UPLOAD)
async def add_official(
    body: Annotated[OfficialCreate, Depends(_body)], svc: ServicesDep
) -> OfficialRead:
    """Register (or re-activate and rename) an official, as `clearsite official add` does."""
    return await svc.officials.add(body.telegram_id, body.name)


@router.get("")
async def list_officials(svc: ServicesDep, _principal: OfficialPrincipal) -> OfficialList:
    """Every registered official."""
    return OfficialList(items=await svc.officials.list())
