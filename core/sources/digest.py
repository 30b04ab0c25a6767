"""The feeds section of the officials' morning digest: sources failing or silent."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.sources.service import SourceService

MAX_FEEDS = 10
MAX_ERROR = 200
DAY_S = 86400


async def feeds_section(session: AsyncSession, clock: Clock) -> dict[str, Any]:
    """`{"feeds": [...], "more_feeds": n}` when some source needs a look, else `{}`."""
    unhealthy = await SourceService(session, clock).unhealthy()
    if not unhealthy:
        return {}
    feeds = [
        {
            "name": s.name,
            "failures": s.consecutive_failures if s.is_failing else 0,
            "error": (s.last_error or "")[:MAX_ERROR] if s.is_failing else "",
            "silent_days": int((s.silent_for_s or 0) // DAY_S) if s.is_silent else 0,
        }
        for s in unhealthy[:MAX_FEEDS]
    ]
    return {"feeds": feeds, "more_feeds": max(len(unhealthy) - MAX_FEEDS, 0)}
