"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(svc: ServicesDep) -> dict[str, str]:
    """Liveness: 200 {"status": "ok"} when the database answers."""
    await svc.ping()
    return {"status": "ok"}


@router.get("/ready", response_model=None)
async def ready(svc: ServicesDep) -> dict[str, str] | JSONResponse:
    """Readiness: the database answers and its schema is at this code's newest migration."""
    current, head = await svc.schema_status()
    body = {"database": "ok", "schema": current or "none", "expected_schema": head or "none"}
    if current != head:
        return JSONResponse({"status": "not_ready", **body}, status_code=503)
    return {"status": "ready", **body}
