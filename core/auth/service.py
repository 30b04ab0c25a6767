"""ApiKeyService: create, check, list and revoke bearer keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import cast

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth.models import ApiKey
from core.auth.schemas import ROLES, ApiKeyCreated, ApiKeyRead, Principal, Role
from core.clock import Clock
from core.errors import InvalidInput, NotFound

KEY_PREFIX = "cs_"


def hash_key(key: str) -> str:
    """Keys are 256-bit random, so a plain SHA-256 is a safe and fast lookup hash."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKeyService:
    """Bearer keys with a role; stored hashed."""

    def __init__(self, session: AsyncSession, clock: Clock):
        self._session = session
        self._clock = clock

    async def create(self, name: str, role: str) -> ApiKeyCreated:
        """A new key; the returned secret is never stored."""
        if role not in ROLES:
            raise InvalidInput(f"role must be one of {', '.join(ROLES)}", location="role")
        if not name.strip():
            raise InvalidInput("name must not be empty", location="name")
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        row = ApiKey(
            name=name.strip(),
            role=role,
            prefix=key[:10],
            key_hash=hash_key(key),
            created_at=self._clock(),
        )
        self._session.add(row)
        await self._session.flush()
        return ApiKeyCreated(**_read(row).model_dump(), key=key)

    async def authenticate(self, key: str) -> Principal | None:
        """The principal for a valid, unrevoked key; None otherwise."""
        digest = hash_key(key)
        row = await self._session.scalar(select(ApiKey).where(ApiKey.key_hash == digest))
        if row is None or row.revoked_at is not None:
            return None
        if not hmac.compare_digest(row.key_hash, digest):
            return None
        return Principal(key_id=row.id, name=row.name, role=cast(Role, row.role))

    async def list(self) -> list[ApiKeyRead]:
        """Every key, newest first."""
        rows = await self._session.scalars(select(ApiKey).order_by(ApiKey.id.desc()))
        return [_read(r) for r in rows]

    async def revoke(self, key_id: int) -> ApiKeyRead:
        """Revoke a key at once; revoking twice keeps the first time."""
        row = await self._session.get(ApiKey, key_id)
        if row is None:
            raise NotFound(f"API key {key_id} not found", code="api_key_not_found")
        if row.revoked_at is None:
            row.revoked_at = self._clock()
            await self._session.flush()
        return _read(row)


def _read(row: ApiKey) -> ApiKeyRead:
    return ApiKeyRead(
        id=row.id,
        name=row.name,
        role=cast(Role, row.role),
        prefix=row.prefix,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )
