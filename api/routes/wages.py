"""Wage sync (role sync), link codes (sync or official), overdue figures (official)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import AfterValidator
from starlette.datastructures import UploadFile

from api.deps import (
    OfficialPrincipal,
    ServicesDep,
    SettingsDep,
    SyncOrOfficialPrincipal,
    SyncPrincipal,
)
from api.openapi import KEYED, UPLOAD, errors
from api.routes.body import read_json
from api.routes.metrics import app_metrics
from core.errors import InvalidInput
from core.inputs import no_nul
from core.wages.policy import WagePolicy
from core.wages.schemas import LinkCodeCreated, OverdueSummary, WageSyncResult

router = APIRouter(prefix="/api/v1", tags=["wages"])

_SYNC_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": (
            'JSON {"workers": [...], "schedules": [...], "entries": [...]}, or a multipart '
            "form with `kind` (workers|schedules|entries) and `file` (a UTF-8 CSV)"
        ),
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["kind", "file"],
                    "properties": {
                        "kind": {"type": "string", "enum": ["workers", "schedules", "entries"]},
                        "file": {"type": "string", "format": "binary"},
                    },
                }
            },
        },
    }
}


def _policy(settings: SettingsDep) -> WagePolicy:
    return WagePolicy.from_settings(settings.wages, settings.locale)


@router.post("/sync/wages", openapi_extra=_SYNC_BODY, responses=KEYED | UPLOAD)
async def sync_wages(
    request: Request, svc: ServicesDep, settings: SettingsDep, _principal: SyncPrincipal
) -> WageSyncResult:
    """Import wage data: all or nothing; a 422 names the record and field."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        kind, text = await _csv_upload(request)
        result = await svc.wages.sync_csv(kind, text, _policy(settings))
    else:
        result = await svc.wages.sync_json(await read_json(request), _policy(settings))
    if (registry := app_metrics(request)) is not None:
        registry.sync_wage_events.inc(result.events)
    return result


async def _csv_upload(request: Request) -> tuple[str, str]:
    async with request.form(max_files=1, max_fields=4) as form:
        kind, upload = form.get("kind"), form.get("file")
        if not isinstance(kind, str):
            raise InvalidInput(
                "the form needs a field `kind`", location="kind", code="invalid_wages"
            )
        if not isinstance(upload, UploadFile):
            raise InvalidInput(
                "the form needs a CSV `file`", location="file", code="invalid_wages"
            )
        raw = await upload.read()
    try:
        return kind, raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            "the CSV file is not UTF-8", location="file", code="invalid_wages"
        ) from exc


@router.post("/workers/{worker_id}/link-code", responses=KEYED | errors(404))
async def create_link_code(
    worker_id: Annotated[str, Path(max_length=64), AfterValidator(no_nul)],
    svc: ServicesDep,
    settings: SettingsDep,
    _principal: SyncOrOfficialPrincipal,
) -> LinkCodeCreated:
    """A single-use code and deep link that link the worker's Telegram; 404 for no such worker."""
    return await svc.wages.create_link_code(worker_id, _policy(settings))


@router.get("/wages/overdue", responses=KEYED)
async def overdue_wages(
    svc: ServicesDep, settings: SettingsDep, _principal: OfficialPrincipal
) -> OverdueSummary:
    """Overdue wages by employer and project, with totals and open reports (no worker data)."""
    return await svc.wages.overdue_summary(_policy(settings))
