"""ReportService: the citizen reports domain's one entry point, bound to a unit of work."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.context import DomainContext
from core.errors import InvalidInput, NotFound
from core.outbox.service import OutboxService
from core.reports import (
    accountability,
    categories,
    drafts,
    filing,
    overdue,
    public,
    reads,
    routing,
)
from core.reports.categories import Category
from core.reports.models import ReportBlock, ReportPhoto, ReportPhotoContent
from core.reports.schemas import (
    Accountability,
    AssignmentRead,
    CategoryRead,
    FiledReport,
    NearbyReport,
    NoteRead,
    OverdueReport,
    PublicRequest,
    ReportCreate,
    ReportPage,
    ReportRead,
    ReportThread,
    RequestFilter,
    StatusChange,
)
from core.reports.workflow import Workflow


class ReportService:
    """File, follow, answer and move citizen reports; the public (Open311) view; the figures."""

    def __init__(
        self,
        session: AsyncSession,
        ctx: DomainContext,
        outbox: OutboxService,
    ):
        self._s = session
        self._ctx = ctx
        self._outbox = outbox
        self.target_hours = ctx.report_target_hours
        self._flow = Workflow(session, ctx, outbox)

    def _now(self) -> datetime:
        return self._ctx.clock()

    def categories(self) -> list[CategoryRead]:
        """Every category (Open311 service), in display order."""
        return [self._category(c) for c in categories.CATEGORIES]

    def category(self, code: str) -> CategoryRead:
        """One category, or InvalidInput (`unknown_category`)."""
        return self._category(categories.get(code))

    def _category(self, c: Category) -> CategoryRead:
        return CategoryRead(
            code=c.code,
            names=dict(c.names),
            descriptions=dict(c.descriptions),
            group=c.group,
            target_hours=c.target_hours(self.target_hours),
        )

    async def check_may_file(self, chat_id: int) -> None:
        """Raise before a chat starts the flow: `reporting_blocked` (detail = the reason) or
        `report_limit_reached`."""
        await filing.check_may_file(self._s, chat_id, self._ctx)

    async def file(self, data: ReportCreate) -> FiledReport:
        """File a report with its photos and tell the officials, in this one transaction."""
        return await filing.file_report(self._s, data, self._ctx, self._outbox, self.target_hours)

    async def add_draft_photo(self, chat_id: int, content: bytes, file_id: str | None) -> str:
        """A photo sent in the bot, before the report is filed: cleaned of all metadata and
        stored (with this unit of work's commit) as the chat's draft (InvalidInput
        `bad_photo` when it cannot be read, or `invalid_input` when it has too many pixels);
        its key, for `ReportCreate.draft_photos`."""
        return await drafts.add(self._s, chat_id, content, file_id, self._ctx)

    async def discard_draft_photos(self, chat_id: int, keys: list[str]) -> None:
        """Delete these drafts of the chat (never filed)."""
        await drafts.discard(self._s, chat_id, keys)

    async def purge_draft_photos(self, before: datetime) -> int:
        """Delete the draft photos stored before `before` and never filed; how many."""
        return await drafts.purge(self._s, before)

    async def nearby_open(
        self,
        category: str,
        *,
        lat: float | None = None,
        lon: float | None = None,
        project_id: str | None = None,
        chat_id: int | None = None,
        limit: int = 5,
    ) -> list[NearbyReport]:
        """Open reports of the category within about 50 m or on the same project."""
        categories.get(category)
        return await reads.nearby_open(
            self._s,
            category,
            lat=lat,
            lon=lon,
            project_id=project_id,
            chat_id=chat_id,
            limit=limit,
        )

    async def follow(self, report_id: int, chat_id: int) -> bool:
        """Follow a public report; False when already following (or it is the chat's own)."""
        return await self._flow.follow(report_id, chat_id)

    async def page_for_chat(
        self, chat_id: int, *, limit: int = 10, offset: int = 0, lang: str | None = None
    ) -> ReportPage:
        """A page of the chat's own reports, newest first, with how many it has in all."""
        return await reads.for_chat(self._s, chat_id, self._now(), limit, offset, lang)

    async def get(self, report_id: int, lang: str | None = None) -> ReportRead:
        """A report (officials' view), its project's title in `lang` when known."""
        (read,) = await reads.to_reads(
            self._s, [await reads.load(self._s, report_id)], self._now(), lang=lang
        )
        return read

    async def is_reporter(self, report_id: int, chat_id: int) -> bool:
        """Whether this chat filed the report."""
        return (await reads.load(self._s, report_id)).chat_id == chat_id

    async def id_of(self, reference: str) -> int:
        """The id of the report with this reference."""
        return (await reads.by_reference(self._s, reference)).id

    async def thread(self, report_id: int) -> ReportThread:
        """A report and its whole thread (officials' view)."""
        return await reads.thread(self._s, await reads.load(self._s, report_id), self._now())

    async def thread_for_chat(
        self, report_id: int, chat_id: int, lang: str | None = None
    ) -> ReportThread:
        """The thread as the reporter sees it; anyone else sees a public report with the
        officials' answers only."""
        report = await reads.load(self._s, report_id)
        if report.chat_id == chat_id:
            return await reads.thread(self._s, report, self._now(), lang)
        if not report.is_public:
            raise NotFound("no such report", code="report_not_found")
        # Others see what the public sees: the officials' words, never the reporter's.
        full = await reads.thread(self._s, report, self._now(), lang)
        shown = tuple(n for n in full.notes if n.author == "official" and n.text)
        return full.model_copy(update={"notes": shown})

    async def list_for_officials(
        self,
        *,
        status: str | None = None,
        project_id: str | None = None,
        overdue: bool | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[ReportRead]:
        """Reports for officials, newest first, filtered by status, project and overdue."""
        return await reads.for_officials(
            self._s,
            self._now(),
            status=status,
            project_id=project_id,
            overdue=overdue,
            limit=limit,
            offset=offset,
        )

    async def change_status(
        self, report_id: int, change: StatusChange, official_id: int | None = None
    ) -> ReportRead:
        """An official moves the report on; the reporter and followers are told."""
        await self._flow.change_status(report_id, change, official_id)
        return await self.get(report_id)

    async def answer(self, report_id: int, text: str, official_id: int | None = None) -> NoteRead:
        """An official's answer (public once the report is); reporter and followers told."""
        return reads.note_read(await self._flow.answer(report_id, text, official_id))

    async def reply(self, report_id: int, chat_id: int, text: str) -> NoteRead:
        """The reporter's reply in the thread; the officials in charge are told."""
        return reads.note_read(await self._flow.reply(report_id, chat_id, text))

    async def feedback(
        self,
        report_id: int,
        chat_id: int,
        value: Literal["yes", "partly", "no"],
        rating: int | None = None,
    ) -> ReportRead:
        """ "Is it solved?" (and/or a 1-5 rating); "no" within 14 days reopens it."""
        if rating is not None and not 1 <= rating <= 5:
            raise InvalidInput("rating is 1..5", location="rating")
        await self._flow.feedback(report_id, chat_id, value, rating)
        return await self.get(report_id)

    async def block_chat(self, chat_id: int, reason: str, official_id: int | None = None) -> None:
        """Bar a chat from filing reports; it is told the reason."""
        await self._flow.block(chat_id, reason, official_id)

    async def block_reporter(
        self, report_id: int, reason: str, official_id: int | None = None
    ) -> bool:
        """Bar the chat that filed this report; False when an app filed it."""
        return await self._flow.block_reporter(report_id, reason, official_id)

    async def unblock_chat(self, chat_id: int) -> bool:
        """Let a chat file reports again."""
        return await self._flow.unblock(chat_id)

    async def block_reason(self, chat_id: int) -> str | None:
        """Why the chat may not file reports, or None."""
        row = await self._s.get(ReportBlock, chat_id)
        return None if row is None else row.reason

    async def assign(
        self, official_id: int, *, project_id: str | None = None, sector: str | None = None
    ) -> AssignmentRead:
        """Assign an official to a project or a sector (exactly one)."""
        if (project_id is None) == (sector is None):
            raise InvalidInput("give a project or a sector, not both", location="project_id")
        if project_id is not None:
            return await routing.assign(self._s, official_id, "project", project_id, self._now())
        assert sector is not None  # noqa: S101 - checked above
        return await routing.assign(self._s, official_id, "sector", sector, self._now())

    async def unassign(
        self, official_id: int, *, project_id: str | None = None, sector: str | None = None
    ) -> bool:
        """Remove an assignment."""
        if project_id is not None:
            return await routing.unassign(self._s, official_id, "project", project_id)
        return await routing.unassign(self._s, official_id, "sector", sector or "")

    async def assignments(self, official_id: int | None = None) -> list[AssignmentRead]:
        """Assignments of one official, or of all."""
        return await routing.assignments(self._s, official_id)

    async def responsible_officials(self, project_id: str | None) -> list[int]:
        """The Telegram ids a report on this project goes to."""
        return await routing.responsible(self._s, project_id)

    async def scan_overdue(self) -> int:
        """One reminder to the officials in charge of each report that became overdue."""
        return await overdue.scan(self._s, self._ctx, self._outbox)

    async def overdue(self, limit: int = 200) -> list[OverdueReport]:
        """Every overdue report, longest overdue first."""
        return await overdue.overdue_list(self._s, self._now(), limit)

    async def digest_params(self) -> dict[str, Any]:
        """The overdue reports part of the officials' morning digest ({} when none)."""
        return await overdue.digest_params(self._s, self._ctx)

    async def card_counts(self, project_id: str) -> tuple[int, int]:
        """(open, answered) public reports of a project, for its card."""
        return await accountability.card_counts(self._s, project_id)

    async def accountability(
        self, *, project_id: str | None = None, authority_id: str | None = None
    ) -> Accountability:
        """The figures for a project, or for every project of a public authority."""
        if project_id is not None:
            return await accountability.for_project(self._s, project_id)
        return await accountability.for_authority(self._s, authority_id or "")

    async def public_requests(self, query: RequestFilter) -> list[PublicRequest]:
        """Open311 `GET requests`: public reports only."""
        return await public.requests(self._s, query, self._now())

    async def public_request(self, reference: str) -> PublicRequest:
        """Open311 `GET requests/{id}`: one public report."""
        return await public.request(self._s, reference)

    async def public_photo(self, media_key: str) -> bytes:
        """A public report's photo (JPEG without metadata)."""
        return await public.photo(self._s, media_key)

    async def photo_content(self, photo_id: int) -> bytes | None:
        """A photo's stored bytes (the notifier uploads it when no file_id is known)."""
        return await self._s.scalar(
            select(ReportPhotoContent.content).where(ReportPhotoContent.photo_id == photo_id)
        )

    async def remember_file_id(self, photo_id: int, file_id: str) -> None:
        """Keep Telegram's file_id of an uploaded photo, so the next send needs no upload."""
        await self._s.execute(
            update(ReportPhoto)
            .where(ReportPhoto.id == photo_id, ReportPhoto.telegram_file_id.is_(None))
            .values(telegram_file_id=file_id[:255])
        )
