"""Followed feeds (role `sync`): add, list, remove, pull now."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from api.config import ApiProcessSettings
from api.deps import ServicesDep, SyncPrincipal
from api.openapi import KEYED, UPLOAD, errors, json_body
from api.routes.body import read_model
from core.context import DomainContext
from core.inputs import MAX_BIGINT
from core.pulls import pull_source
from core.sources.fetch import config_from
from core.sources.schemas import PullReport, SourceCreate, SourceRead

router = APIRouter(prefix="/api/v1/sources", tags=["sources"])

SourceId = Annotated[int, Path(ge=1, le=MAX_BIGINT)]


@router.get("", responses=KEYED)
async def list_sources(svc: ServicesDep, _principal: SyncPrincipal) -> list[SourceRead]:
    """Every followed feed with its health."""
    return await svc.sources.list()


@router.post(
    "",
    status_code=201,
    openapi_extra=json_body(SourceCreate, "The feed to follow"),
    responses=KEYED | UPLOAD,
)
async def add_source(request: Request, svc: ServicesDep, _principal: SyncPrincipal) -> SourceRead:
    """Follow a feed (`url`, optional `name`, `every_s`, `silence_s`); first pull at once."""
    return await svc.sources.add(await read_model(request, SourceCreate))


@router.get("/{source_id}", responses=KEYED | errors(404))
async def get_source(
    source_id: SourceId, svc: ServicesDep, _principal: SyncPrincipal
) -> SourceRead:
    """One feed with its health."""
    return await svc.sources.get(source_id)


@router.delete("/{source_id}", status_code=204, responses=KEYED | errors(404))
async def remove_source(
    source_id: SourceId, svc: ServicesDep, _principal: SyncPrincipal
) -> Response:
    """Stop following a feed; what it brought in stays."""
    await svc.sources.remove(source_id)
    return Response(status_code=204)


@router.post("/{source_id}/pull", responses=KEYED | errors(404))
async def pull_now(
    source_id: SourceId, request: Request, svc: ServicesDep, _principal: SyncPrincipal
) -> PullReport:
    """Pull the feed now; the answer says what it created, updated or why it failed."""
    await svc.sources.get(source_id)
    settings: ApiProcessSettings = request.app.state.settings
    ctx: DomainContext = request.app.state.ctx
    factory = request.app.state.session_factory
    return await pull_source(factory, ctx, source_id, config_from(settings.sources))
