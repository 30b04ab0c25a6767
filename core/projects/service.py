"""ProjectService: what the edges call for projects."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.context import DomainContext
from core.projects import card, changes, export, oc4ids, photo_files, queries, sync, table
from core.projects.export import ExportQuery
from core.projects.models import Project
from core.projects.queries import ProjectQuery
from core.projects.schemas import (
    CardReports,
    ProjectCard,
    ProjectChange,
    ProjectPage,
    SyncResult,
)

ChangeListener = Callable[[Sequence[ProjectChange]], Awaitable[object]]
"""Told of the changes a sync made, in its transaction (the chats domain tells followers)."""


ReportFigures = Callable[[str], Awaitable[CardReports]]
"""project id -> the card's citizen report figures; the reports domain answers it."""


class ProjectService:
    """Projects synced from OC4IDS: import, find, show."""

    def __init__(
        self,
        session: AsyncSession,
        ctx: DomainContext,
        *,
        on_changes: ChangeListener,
        wage_share: card.WageShare,
        report_figures: ReportFigures | None = None,
    ):
        self._session = session
        self._ctx = ctx
        self._on_changes = on_changes
        self._wage_share = wage_share
        self._report_figures = report_figures

    def today(self) -> date:
        """The deployment's local date, against which delays are counted."""
        return self._ctx.local_today()

    async def import_package(self, package: Any) -> SyncResult:
        """Validate a whole OC4IDS package and upsert it; nothing is written when it is invalid."""
        # Validation is CPU-bound (seconds for a big package): keep the event loop answering.
        records = await asyncio.to_thread(oc4ids.parse_package, package)
        result = await sync.upsert_records(self._session, records, self._ctx.clock())
        # Subscribers hear about the changes in the same transaction that makes them.
        await self._on_changes(result.changes)
        return result

    async def find(self, query: ProjectQuery) -> ProjectPage:
        """Nearby and/or text search, filtered and paged."""
        return await queries.list_projects(self._session, query, self.today())

    async def find_nearby(
        self, lat: float, lon: float, radius_m: float = 1000, limit: int = 10
    ) -> ProjectPage:
        """The nearest projects within a radius."""
        query = ProjectQuery(lat=lat, lon=lon, radius_m=radius_m, limit=limit)
        return await queries.list_projects(self._session, query, self.today())

    async def get_card(self, project_id: str, lang: str | None = None) -> ProjectCard:
        """The project card; NotFound when there is no such project."""
        found = await card.get_card(
            self._session, project_id, lang, self.today(), self._wage_share
        )
        if self._report_figures is None:
            return found
        return found.model_copy(update={"reports": await self._report_figures(project_id)})

    async def get_record(self, project_id: str) -> str:
        """The OC4IDS record as received (JSON text)."""
        return await card.get_record(self._session, project_id)

    async def remember_photo_files(self, pairs: Sequence[tuple[str, str]]) -> int:
        """Keep Telegram's file_id of uploaded photos: (url, file_id) pairs."""
        return await photo_files.remember(self._session, pairs, self._ctx.clock())

    async def count(self) -> int:
        """How many projects are stored."""
        return int(await self._session.scalar(select(func.count()).select_from(Project)) or 0)

    async def last_change(self) -> tuple[int, datetime | None]:
        """(the newest change number, when it was made): what the export's validators use."""
        return await changes.last_change(self._session)

    def export_records(self, query: ExportQuery) -> AsyncIterator[tuple[int, str]]:
        """(change number, record as received), oldest change first, streamed."""
        return export.stream_records(self._session, query)

    def table_rows(self) -> AsyncIterator[dict[str, Any]]:
        """One row per project with the card's figures (the CSV export), streamed."""
        return table.rows(self._session, self.today())
