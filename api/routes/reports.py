"""Citizen reports for officials (role `official`): list, read the thread, change the status,
answer, block the reporter; assignments; and the public accountability figures per authority."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field, model_validator

from api.deps import OfficialPrincipal, ServicesDep
from api.openapi import KEYED, UPLOAD, errors, json_body
from api.routes.body import read_model
from core.inputs import MAX_BIGINT, Id, Text
from core.reports.schemas import (
    Accountability,
    AssignmentRead,
    NoteRead,
    NoteText,
    ReportRead,
    ReportThread,
    StatusChange,
)

router = APIRouter(prefix="/api/v1/reports", tags=["reports"], responses=KEYED)
officials_router = APIRouter(prefix="/api/v1/officials", tags=["officials"], responses=KEYED)
public_router = APIRouter(prefix="/api/v1/authorities", tags=["reports"], responses=errors(422))
ReportId = Annotated[int, Path(ge=1, le=2**31 - 1)]
OfficialId = Annotated[int, Path(ge=1, le=MAX_BIGINT)]


class ReportList(BaseModel):
    """Reports, newest first."""

    items: list[ReportRead]


class NoteCreate(BaseModel):
    """An official's answer: public once the report is, sent to the reporter and followers."""

    model_config = {"extra": "forbid"}

    text: NoteText


class BlockCreate(BaseModel):
    """Bar the reporter of this report from filing more; the reason is sent to them."""

    model_config = {"extra": "forbid"}

    reason: Annotated[Text, Field(min_length=1, max_length=1000)]


class AssignmentCreate(BaseModel):
    """A project id or a sector code (exactly one)."""

    model_config = {"extra": "forbid"}

    project_id: Id | None = None
    sector: Annotated[Text, Field(min_length=1, max_length=255)] | None = None

    @model_validator(mode="after")
    def _one(self) -> AssignmentCreate:
        if (self.project_id is None) == (self.sector is None):
            raise ValueError("give project_id or sector, not both")
        return self


class AssignmentList(BaseModel):
    """An official's assignments."""

    items: list[AssignmentRead]


async def _status(request: Request, _p: OfficialPrincipal) -> StatusChange:
    return await read_model(request, StatusChange)


async def _note(request: Request, _p: OfficialPrincipal) -> NoteCreate:
    return await read_model(request, NoteCreate)


async def _block(request: Request, _p: OfficialPrincipal) -> BlockCreate:
    return await read_model(request, BlockCreate)


async def _assignment(request: Request, _p: OfficialPrincipal) -> AssignmentCreate:
    return await read_model(request, AssignmentCreate)


@router.get("")
async def list_reports(
    svc: ServicesDep,
    _principal: OfficialPrincipal,
    status: Literal["new", "acknowledged", "in_progress", "resolved", "closed"] | None = None,
    project_id: Annotated[Text | None, Query(min_length=1, max_length=255)] = None,
    overdue: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ReportList:
    """Reports filtered by status, project and overdue (not acknowledged within target, or
    past the expected date), newest first."""
    items = await svc.reports.list_for_officials(
        status=status, project_id=project_id, overdue=overdue, limit=limit, offset=offset
    )
    return ReportList(items=items)


@router.get("/{report_id}", responses=errors(404))
async def get_report(
    report_id: ReportId, svc: ServicesDep, _principal: OfficialPrincipal
) -> ReportThread:
    """One report with its whole thread (answers, replies, status changes, feedback)."""
    return await svc.reports.thread(report_id)


@router.post(
    "/{report_id}/status",
    openapi_extra=json_body(StatusChange),
    responses=UPLOAD | errors(404, 409),
)
async def change_status(
    report_id: ReportId,
    body: Annotated[StatusChange, Depends(_status)],
    svc: ServicesDep,
) -> ReportRead:
    """Move a report on: `acknowledged`, `in_progress` (with `expected_at`), `resolved`, or
    `closed` with `reason` `duplicate` (and `duplicate_of`), `not_responsible` or `rejected`."""
    return await svc.reports.change_status(report_id, body)


@router.post(
    "/{report_id}/notes",
    status_code=201,
    openapi_extra=json_body(NoteCreate),
    responses=UPLOAD | errors(404, 409),
)
async def add_note(
    report_id: ReportId, body: Annotated[NoteCreate, Depends(_note)], svc: ServicesDep
) -> NoteRead:
    """Answer the reporter (and followers) in the thread."""
    return await svc.reports.answer(report_id, body.text)


class Blocked(BaseModel):
    """Whether a chat was blocked (False: an app filed the report)."""

    blocked: bool


@router.post(
    "/{report_id}/block", openapi_extra=json_body(BlockCreate), responses=UPLOAD | errors(404)
)
async def block_reporter(
    report_id: ReportId, body: Annotated[BlockCreate, Depends(_block)], svc: ServicesDep
) -> Blocked:
    """Bar the reporter from filing reports; they are told the reason."""
    return Blocked(blocked=await svc.reports.block_reporter(report_id, body.reason))


@officials_router.post(
    "/{official_id}/assignments",
    status_code=201,
    openapi_extra=json_body(AssignmentCreate),
    responses=UPLOAD | errors(404),
)
async def assign(
    official_id: OfficialId,
    body: Annotated[AssignmentCreate, Depends(_assignment)],
    svc: ServicesDep,
) -> AssignmentRead:
    """Reports on this project (or on any project of this sector) go to this official."""
    return await svc.reports.assign(official_id, project_id=body.project_id, sector=body.sector)


@officials_router.get("/{official_id}/assignments")
async def list_assignments(
    official_id: OfficialId, svc: ServicesDep, _principal: OfficialPrincipal
) -> AssignmentList:
    """The official's assignments."""
    return AssignmentList(items=await svc.reports.assignments(official_id))


@public_router.get("/{authority_id}/accountability")
async def authority_accountability(
    authority_id: Annotated[Text, Path(min_length=1, max_length=255)], svc: ServicesDep
) -> Accountability:
    """How an authority's officials answer the public, over the public reports on all its
    projects: median hours to the first answer, share resolved within target, share reopened,
    average rating."""
    return await svc.reports.accountability(authority_id=authority_id)
