"""GET /metrics: Prometheus text format, with outbox figures read from the database now."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from core.metrics import Metrics

router = APIRouter(tags=["health"])


def app_metrics(request: Request) -> Metrics | None:
    """The process's metrics registry, when the composition root gave one."""
    metrics: Metrics | None = getattr(request.app.state, "metrics", None)
    return metrics


@router.get("/metrics", response_class=Response, include_in_schema=False)
async def metrics(request: Request) -> Response:
    """Every metric of this process; 404 when the app was built without a registry."""
    registry = app_metrics(request)
    if registry is None:
        return Response(status_code=404)
    await registry.refresh_outbox(request.app.state.session_factory, request.app.state.ctx)
    body, content_type = registry.render()
    return Response(content=body, media_type=content_type)
