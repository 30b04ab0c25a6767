"""Liveness: the process answers and the database answers."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(svc: ServicesDep) -> dict[str, str]:
    """200 {"status": "ok"} when the database answers."""
    await svc.ping()
    return {"status": "ok"}
