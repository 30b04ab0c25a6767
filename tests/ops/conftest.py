"""Fixtures for operations tests: the fake Bot API server, and Redis when one answers."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest

from botapi_emulator import BotApiEmulator

# A database number of our own on the local Redis, and a key prefix per test: nothing else
# there is touched, and the keys a test made are deleted afterwards.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/5"


@pytest.fixture
async def fake() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(record=True) as server:
        yield server


@pytest.fixture
async def redis_url() -> AsyncIterator[tuple[str, str]]:
    """(REDIS_URL, a key prefix of this test); skipped when no Redis answers (CI starts one)."""
    from redis.asyncio import Redis
    from redis.exceptions import RedisError

    url = os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS_URL)
    prefix = f"cstest-{uuid.uuid4().hex[:12]}"
    client = Redis.from_url(url)
    try:
        await client.ping()
    except (RedisError, OSError):
        await client.aclose()
        pytest.skip(f"no Redis answers at {url} (.ci/run starts one)")
    try:
        yield url, prefix
    finally:
        keys = [key async for key in client.scan_iter(match=f"{prefix}:*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()
