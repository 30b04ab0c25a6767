"""API key DTOs."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

Role = Literal["sync", "official", "app"]
# `app`: a third-party Open311 client that files citizen reports (POST /open311/v2/requests).
ROLES: tuple[Role, ...] = ("sync", "official", "app")


class ApiKeyRead(BaseModel):
    """A key as listed (never the key itself)."""

    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    role: Role
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    """A new key, with the secret shown this once."""

    key: str


class Principal(BaseModel):
    """Who is calling: an API key's id, name and role."""

    model_config = ConfigDict(frozen=True)

    key_id: int
    name: str
    role: Role
