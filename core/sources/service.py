"""SourceService: add, list and remove followed feeds; record each pull's outcome."""

from __future__ import annotations

import builtins
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.errors import NotFound
from core.sources.models import FeedSource
from core.sources.schemas import (
    FAILURES_REPORTED,
    PullTarget,
    SourceCreate,
    SourceRead,
)

MAX_ERROR = 1000


class SourceService:
    """Feeds pulled on a schedule, and their health."""

    def __init__(self, session: AsyncSession, clock: Clock):
        self._session = session
        self._clock = clock

    async def add(self, source: SourceCreate) -> SourceRead:
        """Follow a feed; its first pull is due at once."""
        now = self._clock()
        row = FeedSource(
            name=source.name or urlsplit(source.url).netloc,
            url=source.url,
            every_s=source.every_s,
            silence_s=source.silence_s,
            created_at=now,
            next_pull_at=now,
            consecutive_failures=0,
            last_created=0,
            last_updated=0,
            last_unchanged=0,
        )
        self._session.add(row)
        await self._session.flush()
        return _read(row, now)

    async def list(self) -> list[SourceRead]:
        """Every source, oldest first, with its health now."""
        now = self._clock()
        rows = await self._session.scalars(select(FeedSource).order_by(FeedSource.id))
        return [_read(row, now) for row in rows]

    async def get(self, source_id: int) -> SourceRead:
        """One source; NotFound when there is none."""
        return _read(await self._row(source_id), self._clock())

    async def remove(self, source_id: int) -> None:
        """Stop following a source (what it brought in stays)."""
        result = await self._session.execute(delete(FeedSource).where(FeedSource.id == source_id))
        if not result.rowcount:  # type: ignore[attr-defined]
            raise NotFound(f"source {source_id} not found", code="source_not_found")

    async def due(self) -> builtins.list[int]:
        """Ids of the sources whose next pull is due now."""
        rows = await self._session.scalars(
            select(FeedSource.id)
            .where(FeedSource.next_pull_at <= self._clock())
            .order_by(FeedSource.next_pull_at, FeedSource.id)
        )
        return list(rows)

    async def target(self, source_id: int) -> PullTarget:
        """Where the next pull of a source starts, with the validators for that URL."""
        row = await self._row(source_id)
        return PullTarget(
            id=row.id,
            name=row.name,
            url=row.url,
            start_url=row.resume_url or row.url,
            etag=row.etag,
            last_modified=row.last_modified,
        )

    async def record_success(
        self,
        source_id: int,
        counts: tuple[int, int, int],
        *,
        resume_url: str | None,
        etag: str | None,
        last_modified: str | None,
    ) -> None:
        """A pull that worked: counts (created, updated, unchanged) and where to go on."""
        row = await self._row(source_id)
        now = self._clock()
        row.last_attempt_at = row.last_success_at = now
        row.consecutive_failures = 0
        row.last_created, row.last_updated, row.last_unchanged = counts
        if counts[0] or counts[1] or row.last_change_at is None:
            row.last_change_at = now
        row.resume_url, row.etag, row.last_modified = resume_url, etag, last_modified
        row.next_pull_at = now + timedelta(seconds=row.every_s)

    async def record_not_modified(self, source_id: int) -> None:
        """A pull answered 304: healthy, nothing new."""
        row = await self._row(source_id)
        now = self._clock()
        row.last_attempt_at = row.last_success_at = now
        row.consecutive_failures = 0
        row.last_created = row.last_updated = row.last_unchanged = 0
        if row.last_change_at is None:
            row.last_change_at = now
        row.next_pull_at = now + timedelta(seconds=row.every_s)

    async def record_failure(self, source_id: int, error: str) -> None:
        """A pull that failed: nothing it fetched was written; try again at the next time."""
        row = await self._row(source_id)
        now = self._clock()
        row.last_attempt_at = row.last_error_at = now
        row.last_error = error[:MAX_ERROR]
        row.consecutive_failures += 1
        row.next_pull_at = now + timedelta(seconds=row.every_s)

    async def unhealthy(self) -> builtins.list[SourceRead]:
        """Sources failing FAILURES_REPORTED times in a row, or silent past their limit."""
        return [s for s in await self.list() if s.is_failing or s.is_silent]

    async def _row(self, source_id: int) -> FeedSource:
        row = await self._session.get(FeedSource, source_id)
        if row is None:
            raise NotFound(f"source {source_id} not found", code="source_not_found")
        return row


def _read(row: FeedSource, now: datetime) -> SourceRead:
    since = row.last_change_at or row.created_at
    silent_for = (now - since).total_seconds()
    return SourceRead(
        id=row.id,
        name=row.name,
        url=row.url,
        every_s=row.every_s,
        silence_s=row.silence_s,
        next_pull_at=row.next_pull_at,
        last_attempt_at=row.last_attempt_at,
        last_success_at=row.last_success_at,
        last_change_at=row.last_change_at,
        last_error=row.last_error,
        last_error_at=row.last_error_at,
        consecutive_failures=row.consecutive_failures,
        last_created=row.last_created,
        last_updated=row.last_updated,
        last_unchanged=row.last_unchanged,
        silent_for_s=silent_for,
        is_failing=row.consecutive_failures >= FAILURES_REPORTED,
        is_silent=silent_for > row.silence_s,
    )
