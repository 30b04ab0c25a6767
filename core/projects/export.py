"""The catalogue as published: records as received, oldest change first, streamed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput
from core.inputs import MAX_BIGINT
from core.projects.models import Project

MAX_PAGE = 10_000
STREAM_BATCH = 500


@dataclass(frozen=True)
class ExportQuery:
    """Which changes to publish: after a change number and/or since a time, at most `limit`."""

    after: int = 0
    since: datetime | None = None
    limit: int | None = None

    def check(self) -> None:
        """Refuse what we cannot answer."""
        if not 0 <= self.after <= MAX_BIGINT:
            raise InvalidInput("after must be a change number >= 0", location="after")
        if self.since is not None and self.since.tzinfo is None:
            raise InvalidInput("since needs a time zone (e.g. Z)", location="since")
        if self.limit is not None and not 1 <= self.limit <= MAX_PAGE:
            raise InvalidInput(f"limit must be within 1..{MAX_PAGE}", location="limit")


async def stream_records(
    session: AsyncSession, query: ExportQuery
) -> AsyncIterator[tuple[int, str]]:
    """(change number, record JSON as received), oldest change first.

    One statement, read in batches: each engine answers it from one snapshot, so a project
    changed while the stream runs is not sent twice, and memory stays flat.
    """
    query.check()
    stmt = select(Project.change_seq, Project.record).where(Project.change_seq > query.after)
    if query.since is not None:
        stmt = stmt.where(Project.synced_at > query.since)
    stmt = stmt.order_by(Project.change_seq)
    if query.limit is not None:
        stmt = stmt.limit(query.limit)
    result = await session.stream(stmt.execution_options(yield_per=STREAM_BATCH))
    async for seq, record in result:
        yield int(seq), record
