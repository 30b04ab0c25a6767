"""Public project reads, and the OC4IDS sync (role `sync`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import AfterValidator, BaseModel

from api.deps import ServicesDep, SyncPrincipal
from api.openapi import KEYED, UPLOAD, errors
from api.routes.body import read_json
from api.routes.metrics import app_metrics
from core.inputs import no_nul
from core.projects.queries import MAX_LIMIT, MAX_RADIUS_M, ProjectQuery
from core.projects.schemas import ProjectCard, ProjectStatus, ProjectSummary

router = APIRouter(prefix="/api/v1", tags=["projects"])

Lang = Annotated[str | None, Query(pattern=r"^[a-z]{2,3}$", description="language of texts")]
ProjectId = Annotated[str, Path(max_length=255), AfterValidator(no_nul)]


def _no_nul(value: str | None) -> str | None:
    return None if value is None else no_nul(value)


class ProjectList(BaseModel):
    """A page of projects, nearest first when a point is given."""

    items: list[ProjectSummary]
    next_cursor: str | None
    total: int | None = None  # with `q`: how many projects match in all
    total_is_lower_bound: bool = False  # true: at least `total` (counting stopped there)


class SyncCounts(BaseModel):
    """How many projects a sync created, updated and left unchanged."""

    created: int
    updated: int
    unchanged: int


@router.get("/projects", responses=errors(422))
async def list_projects(
    svc: ServicesDep,
    lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
    radius_m: Annotated[float, Query(gt=0, le=MAX_RADIUS_M)] = 1000,
    q: Annotated[str | None, Query(max_length=200), AfterValidator(_no_nul)] = None,
    status: ProjectStatus | None = None,
    sector: Annotated[str | None, Query(max_length=64), AfterValidator(_no_nul)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    lang: Lang = None,
) -> ProjectList:
    """Projects matching words (best first; nearer first among equals) and/or near a point."""
    query = ProjectQuery(lat, lon, radius_m, q, status, sector, limit, cursor, lang)
    page = await svc.projects.find(query)
    return ProjectList(
        items=list(page.items),
        next_cursor=page.next_cursor,
        total=page.total,
        total_is_lower_bound=page.total_is_lower_bound,
    )


@router.get("/projects/{project_id}", responses=errors(404, 422))
async def get_project(project_id: ProjectId, svc: ServicesDep, lang: Lang = None) -> ProjectCard:
    """The project card."""
    return await svc.projects.get_card(project_id, lang)


@router.get("/projects/{project_id}/oc4ids", response_class=Response, responses=errors(404, 422))
async def get_project_record(project_id: ProjectId, svc: ServicesDep) -> Response:
    """The OC4IDS record as received."""
    record = await svc.projects.get_record(project_id)
    return Response(content=record, media_type="application/json")


_PACKAGE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "An OC4IDS project package (schema 0.9)",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}


@router.post("/sync/oc4ids", openapi_extra=_PACKAGE_BODY, responses=KEYED | UPLOAD)
async def sync_oc4ids(request: Request, svc: ServicesDep, _principal: SyncPrincipal) -> SyncCounts:
    """Import an OC4IDS project package: all or nothing; 422 names the record and field."""
    result = await svc.projects.import_package(await read_json(request))
    if (registry := app_metrics(request)) is not None:
        registry.observe_sync(result.created, result.updated, result.unchanged)
    return SyncCounts(created=result.created, updated=result.updated, unchanged=result.unchanged)
