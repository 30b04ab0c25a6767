"""Typed dependencies: settings, one unit of work per request, and the calling principal."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from api.config import ApiProcessSettings
from api.errors import ApiError
from core.auth.schemas import Principal
from core.context import DomainContext
from core.services import Services
from core.uow import unit_of_work


def get_settings(request: Request) -> ApiProcessSettings:
    """The settings the app was built with."""
    settings: ApiProcessSettings = request.app.state.settings
    return settings


async def get_services(request: Request) -> AsyncIterator[Services]:
    """One transaction per request, committed before the response is sent."""
    ctx: DomainContext = request.app.state.ctx
    async with unit_of_work(request.app.state.session_factory, ctx) as svc:
        yield svc


SettingsDep = Annotated[ApiProcessSettings, Depends(get_settings)]
ServicesDep = Annotated[Services, Depends(get_services, scope="function")]


def require_role(*roles: str) -> Callable[[Request, Services], Awaitable[Principal]]:
    """A dependency that answers 401 without a valid key and 403 with the wrong role."""

    async def _principal(request: Request, svc: ServicesDep) -> Principal:
        header = request.headers.get("authorization", "")
        scheme, _, key = header.partition(" ")
        challenge = {"WWW-Authenticate": "Bearer"}
        if scheme.lower() != "bearer" or not key.strip():
            raise ApiError(401, "unauthorized", "missing bearer API key", challenge)
        principal = await svc.api_keys.authenticate(key.strip())
        if principal is None:
            raise ApiError(401, "unauthorized", "invalid or revoked API key", challenge)
        if principal.role not in roles:
            raise ApiError(403, "forbidden", f"this call needs the role {' or '.join(roles)}")
        return principal

    return _principal


SyncPrincipal = Annotated[Principal, Depends(require_role("sync"))]
OfficialPrincipal = Annotated[Principal, Depends(require_role("official"))]
SyncOrOfficialPrincipal = Annotated[Principal, Depends(require_role("sync", "official"))]
