"""Moving a report on: status changes, answers and replies, the reporter's feedback, follows and
blocks. Each writes the thread entry and the notices in the caller's transaction."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.context import DomainContext
from core.db import insert_ignoring_duplicates
from core.errors import Conflict, InvalidInput, PermissionDenied
from core.outbox.service import OutboxService
from core.reports import notices, reads
from core.reports.models import CitizenReport, ReportBlock, ReportFollower, ReportNote
from core.reports.schemas import StatusChange

REOPEN_DAYS = 14
ALLOWED: dict[str, tuple[str, ...]] = {
    "new": ("acknowledged", "in_progress", "resolved", "closed"),
    "acknowledged": ("in_progress", "resolved", "closed"),
    "in_progress": ("in_progress", "resolved", "closed"),
    "resolved": ("in_progress", "closed"),
    "closed": (),
}


class Workflow:
    """State changes of reports, bound to one session."""

    def __init__(self, session: AsyncSession, ctx: DomainContext, outbox: OutboxService):
        self._s = session
        self._ctx = ctx
        self._outbox = outbox

    async def change_status(
        self, report_id: int, change: StatusChange, official_id: int | None = None
    ) -> CitizenReport:
        """Apply an official's status change and tell the reporter and followers."""
        report = await reads.load(self._s, report_id)
        if change.status not in ALLOWED[report.status]:
            raise Conflict(
                f"a {report.status} report cannot become {change.status}",
                code="report_bad_transition",
            )
        now = self._ctx.clock()
        if change.expected_at is not None and change.expected_at <= now:
            raise InvalidInput("expected_at must be in the future", location="expected_at")
        duplicate_ref = None
        if change.reason == "duplicate" and change.duplicate_of:
            original = await reads.by_reference(self._s, change.duplicate_of)
            if original.id == report.id:
                raise InvalidInput("a report cannot duplicate itself", location="duplicate_of")
            report.duplicate_of_id, duplicate_ref = original.id, original.reference
        report.status = change.status
        report.close_reason = change.reason
        report.is_public = change.reason != "rejected"
        report.updated_at = now
        report.overdue_notified_at = None  # a new state starts a new clock: one reminder each
        report.acknowledged_at = report.acknowledged_at or now
        if change.status == "in_progress":
            report.expected_at = change.expected_at or report.expected_at
        if change.status == "resolved":
            report.resolved_at = now
        if change.status == "closed":
            report.closed_at = now
        if change.note or change.status in ("resolved", "closed"):
            report.first_answer_at = report.first_answer_at or now
        note = await self._note(report, "official", "status", change.note or "", official_id)
        note.status = change.status
        params = await self._status_params(report, change.note, duplicate_ref)
        await notices.to_audience(
            self._s,
            self._outbox,
            report,
            notices.STATUS,
            params,
            f"cr:{report.id}:st:{note.id}",
            self._ctx.default_locale,
            reporter_extra={"ask_feedback": True} if change.status == "resolved" else None,
        )
        return report

    async def _status_params(
        self, report: CitizenReport, note: str | None, duplicate_ref: str | None
    ) -> dict[str, Any]:
        return {
            "report": await notices.summary(self._s, report),
            "status": report.status,
            "reason": report.close_reason,
            "note": note,
            "expected_at": report.expected_at.isoformat() if report.expected_at else None,
            "expected_date": (
                report.expected_at.astimezone(self._ctx.zone).date().isoformat()
                if report.expected_at and report.status == "in_progress"
                else None
            ),
            "duplicate_of": duplicate_ref,
        }

    async def _note(
        self, report: CitizenReport, author: str, kind: str, text: str, official_id: int | None
    ) -> ReportNote:
        note = ReportNote(
            report_id=report.id,
            author=author,
            kind=kind,
            text=text,
            official_id=official_id,
            created_at=self._ctx.clock(),
        )
        self._s.add(note)
        await self._s.flush()
        return note

    async def answer(
        self, report_id: int, text: str, official_id: int | None = None
    ) -> ReportNote:
        """An official's answer: in the thread, public once the report is, sent to the audience."""
        report = await reads.load(self._s, report_id)
        if report.status == "closed" and report.close_reason == "rejected":
            raise Conflict("a rejected report takes no answers", code="report_rejected")
        now = self._ctx.clock()
        report.first_answer_at = report.first_answer_at or now
        report.updated_at = now
        note = await self._note(report, "official", "answer", text, official_id)
        params = {"report": await notices.summary(self._s, report), "text": text}
        await notices.to_audience(
            self._s,
            self._outbox,
            report,
            notices.ANSWER,
            params,
            f"cr:{report.id}:n:{note.id}",
            self._ctx.default_locale,
        )
        return note

    async def reply(self, report_id: int, chat_id: int, text: str) -> ReportNote:
        """The reporter answers in the thread; the officials in charge are told."""
        report = await reads.load(self._s, report_id)
        if report.chat_id != chat_id:
            raise PermissionDenied("only the reporter replies in a thread", code="not_your_report")
        if report.status == "closed":
            raise Conflict("the report is closed", code="report_closed")
        report.updated_at = self._ctx.clock()
        note = await self._note(report, "citizen", "reply", text, None)
        params = {"report": await notices.summary(self._s, report), "text": text}
        await notices.to_officials(
            self._s,
            self._outbox,
            report,
            notices.REPLY,
            params,
            f"cr:{report.id}:n:{note.id}",
            self._ctx.default_locale,
        )
        return note

    async def feedback(
        self, report_id: int, chat_id: int, value: str, rating: int | None = None
    ) -> CitizenReport:
        """ "Is it solved?" from the reporter; "no" within 14 days of resolving reopens it."""
        report = await reads.load(self._s, report_id)
        if report.chat_id != chat_id:
            raise PermissionDenied("only the reporter gives feedback", code="not_your_report")
        if report.status != "resolved" and not (report.feedback and rating is not None):
            raise Conflict(
                "feedback is asked once a report is resolved", code="report_not_resolved"
            )
        now = self._ctx.clock()
        report.feedback, report.feedback_at = value, now
        if rating is not None:
            report.rating = rating
        reopened = (
            value == "no"
            and report.status == "resolved"
            and report.resolved_at is not None
            and now - report.resolved_at <= timedelta(days=REOPEN_DAYS)
        )
        if reopened:
            report.status, report.resolved_at = "in_progress", None
            report.reopened_count += 1
        report.updated_at = now
        note = await self._note(report, "citizen", "feedback", value, None)
        note.status = report.status if reopened else None
        params = {
            "report": await notices.summary(self._s, report),
            "value": value,
            "rating": report.rating,
            "reopened": reopened,
        }
        await notices.to_officials(
            self._s,
            self._outbox,
            report,
            notices.FEEDBACK,
            params,
            f"cr:{report.id}:fb:{note.id}",
            self._ctx.default_locale,
        )
        return report

    async def follow(self, report_id: int, chat_id: int) -> bool:
        """Follow a report (its updates reach the chat); False when already followed."""
        report = await reads.load(self._s, report_id)
        if report.chat_id == chat_id:
            return False
        if not report.is_public:
            raise PermissionDenied("this report cannot be followed", code="report_not_public")
        row = {"report_id": report_id, "chat_id": chat_id, "created_at": self._ctx.clock()}
        added = await insert_ignoring_duplicates(
            self._s, ReportFollower, [row], unique=["report_id", "chat_id"]
        )
        return added > 0

    async def block(self, chat_id: int, reason: str, official_id: int | None) -> None:
        """Bar a chat from filing reports; the chat is told why."""
        now = self._ctx.clock()
        row = await self._s.get(ReportBlock, chat_id)
        if row is None:
            row = ReportBlock(chat_id=chat_id, created_at=now, reason=reason)
            self._s.add(row)
        row.reason, row.official_id = reason, official_id
        await self._s.flush()
        await notices.to_chats(
            self._s,
            self._outbox,
            [chat_id],
            notices.BLOCKED,
            {"reason": reason},
            f"cr:block:{chat_id}:{notices.stamp(now)}",
            self._ctx.default_locale,
        )

    async def block_reporter(self, report_id: int, reason: str, official_id: int | None) -> bool:
        """Block the chat that filed this report (officials never see its id); False when an
        app filed it."""
        report = await reads.load(self._s, report_id)
        if report.chat_id is None:
            return False
        await self.block(report.chat_id, reason, official_id)
        return True

    async def unblock(self, chat_id: int) -> bool:
        """Let a chat file reports again; False when it was not blocked."""
        row = await self._s.get(ReportBlock, chat_id)
        if row is None:
            return False
        await self._s.delete(row)
        await self._s.flush()
        return True
