"""Official broadcasts (role `official`): create, follow, list, cancel."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel

from api.deps import OfficialPrincipal, ServicesDep
from api.openapi import KEYED, UPLOAD, errors, json_body
from api.routes.body import read_model
from core.broadcasts.schemas import BroadcastCreate, BroadcastRead
from core.inputs import MAX_BIGINT

router = APIRouter(prefix="/api/v1/broadcasts", tags=["broadcasts"], responses=KEYED)
BroadcastId = Annotated[int, Path(ge=1, le=MAX_BIGINT)]


async def _body(request: Request, _principal: OfficialPrincipal) -> BroadcastCreate:
    """The body, read only once the key is known to be good (401 never parses it)."""
    return await read_model(request, BroadcastCreate)


class BroadcastAccepted(BaseModel):
    """A broadcast queued for sending."""

    id: int
    status: str
    recipients: int


class BroadcastList(BaseModel):
    """Broadcasts, newest first; pass `next_before` as `before` for the next page."""

    items: list[BroadcastRead]
    next_before: int | None


@router.post(
    "", status_code=202, openapi_extra=json_body(BroadcastCreate), responses=UPLOAD | errors(404)
)
async def create_broadcast(
    body: Annotated[BroadcastCreate, Depends(_body)],
    svc: ServicesDep,
    principal: OfficialPrincipal,
) -> BroadcastAccepted:
    """Queue a message to an audience: project, area, workers or all; texts per language.

    Recipients get the text in their language, else the default language's. The `workers`
    audience is the linked workers employed on the project.
    """
    request = body.model_copy(update={"sender": body.sender or principal.name})
    created = await svc.broadcasts.create(f"apikey:{principal.key_id}", request)
    return BroadcastAccepted(id=created.id, status=created.status, recipients=created.recipients)


@router.get("")
async def list_broadcasts(
    svc: ServicesDep,
    _principal: OfficialPrincipal,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    before: Annotated[int | None, Query(ge=1, le=MAX_BIGINT)] = None,
) -> BroadcastList:
    """Every broadcast with its author and figures, newest first."""
    items = await svc.broadcasts.list(limit, before)
    next_before = items[-1].id if len(items) == limit else None
    return BroadcastList(items=items, next_before=next_before)


@router.get("/{broadcast_id}", responses=errors(404))
async def get_broadcast(
    broadcast_id: BroadcastId, svc: ServicesDep, _principal: OfficialPrincipal
) -> BroadcastRead:
    """Status and delivery counts (pending, sent, failed, blocked, cancelled)."""
    return await svc.broadcasts.get(broadcast_id)


@router.post("/{broadcast_id}/cancel", responses=errors(404, 409))
async def cancel_broadcast(
    broadcast_id: BroadcastId, svc: ServicesDep, _principal: OfficialPrincipal
) -> BroadcastRead:
    """Stop what has not been sent yet; 409 when everything was already sent."""
    return await svc.broadcasts.cancel(broadcast_id)
