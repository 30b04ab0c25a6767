"""Texts of the citizen's reports after filing: /reports, a thread, replies, "Is it solved?",
a project's public list and its card line (HTML; people's words escaped)."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _
from babel.numbers import format_decimal

from bot.ui import formats
from bot.ui.report_texts import category_name, excerpt, status
from bot.ui.texts import esc, position
from core.projects.schemas import CardReports
from core.reports.schemas import (
    CategoryRead,
    NoteRead,
    PublicRequest,
    ReportPage,
    ReportThread,
)


def mine(page: ReportPage, categories: dict[str, CategoryRead], locale: str) -> str:
    """/reports: a page of them, numbered on from the newest, and where it is in the whole."""
    if not page.items:
        return _("You have not filed any questions or reports yet. /report starts one.")
    lines = [_("<b>Your questions and reports</b>")]
    if page.offset > 0 or page.has_more:
        lines.append(position(page.offset, len(page.items), page.total, locale))
    for number, item in enumerate(page.items, start=page.offset + 1):
        name = category_name(categories.get(item.category), locale, item.category)
        lines.append(
            f"{number}. <b>{esc(item.reference)}</b> · {status(item.status, item.close_reason)}"
            f"\n{name}: {excerpt(item.text, 80)}"
        )
    return "\n".join(lines)


def _author(note: NoteRead) -> str:
    labels = {"official": _("👷 Official"), "citizen": _("🙋 Reporter")}
    return labels.get(note.author, "📌")


def thread(
    data: ReportThread,
    categories: dict[str, CategoryRead],
    locale: str,
    zone: ZoneInfo,
) -> str:
    """A report and its thread, oldest first."""
    report = data.report
    name = category_name(categories.get(report.category), locale, report.category)
    lines = [
        f"<b>{esc(report.reference)}</b> · {status(report.status, report.close_reason)}",
        f"<b>{name}</b>",
    ]
    if report.project_title:
        lines.append(_("Project: {title}").format(title=esc(report.project_title)))
    if report.expected_at is not None and report.status == "in_progress":
        expected = formats.moment(report.expected_at, zone, locale)
        lines.append(_("Expected by {date}").format(date=expected))
    lines.append(_("Filed {date}").format(date=formats.moment(report.created_at, zone, locale)))
    lines.append(f"\n{excerpt(report.text, 1500)}")
    for note in data.notes[-10:]:
        if note.kind == "status" and not note.text:
            continue
        when = formats.moment(note.created_at, zone, locale)
        lines.append(f"\n{_author(note)} · {when}\n{excerpt(note.text, 600)}")
    return "\n".join(lines)


def not_found() -> str:
    """No such report, or not one this chat may see."""
    return _("There is no such report, or it is not public yet. /reports lists yours.")


def opening() -> str:
    """`/start r_<reference>`, before the report."""
    return _("👋 Here is the report you opened.")


def cannot_reply() -> str:
    """A reply to a closed report (or one that is not the chat's own)."""
    return _("This report takes no more replies. /report starts a new one.")


def feedback_closed() -> str:
    """Feedback on a report that is not resolved (any more)."""
    return _("This report is not waiting for your feedback now.")


def rated(stars: int) -> str:
    """The rating is saved."""
    return _("Thank you: you rated the answer {stars}.").format(stars="⭐" * stars)


def ask_reply(reference: str) -> str:
    """The reporter is about to reply in the thread."""
    return _("Write your reply to {reference}; the officials in charge will get it.").format(
        reference=f"<b>{esc(reference)}</b>"
    )


def reply_sent() -> str:
    """The reply is in the thread."""
    return _("✉️ Sent to the officials.")


def feedback_labels() -> dict[str, str]:
    """Yes / Partly / No."""
    return {"yes": _("✅ Yes"), "partly": _("🌓 Partly"), "no": _("❌ No")}


def ask_rating() -> str:
    """After "Is it solved?"."""
    return _("How would you rate the answer, from 1 (poor) to 5 (excellent)?")


def thanks(reopened: bool, reference: str) -> str:
    """Feedback taken."""
    if reopened:
        return _(
            "Thank you. {reference} is open again; the officials will look at it once more."
        ).format(reference=f"<b>{esc(reference)}</b>")
    return _("Thank you for your feedback.")


def public_list(items: Sequence[PublicRequest], title: str | None) -> str:
    """A project's public questions and reports, with the latest answer of each."""
    head = _("<b>💬 Questions and reports</b>")
    if title:
        head += f"\n{esc(title)}"
    if not items:
        return head + "\n" + _("No public questions or reports yet.")
    lines = [head]
    for item in items:
        lines.append(
            f"\n<b>{esc(item.service_request_id)}</b> · {status(item.detailed_status)}"
            f" · {esc(item.service_name)}\n{excerpt(item.description, 300)}"
        )
        if item.notes:
            answer = item.notes[-1].description
            lines.append(_("Answer: {text}").format(text=excerpt(answer, 400)))
    return "\n".join(lines)


def card_line(open_count: int, answered: int) -> str:
    """The project card's line (and button) on questions and reports."""
    return _("💬 Questions and reports: {open} open · {answered} answered").format(
        open=open_count, answered=answered
    )


def card_figures(figures: CardReports, locale: str) -> str | None:
    """How the project's officials answer the public: median first answer, resolved on time,
    reopened, average rating (what is known so far), or None."""
    parts = []
    if figures.median_hours_to_first_answer is not None:
        hours = format_decimal(round(figures.median_hours_to_first_answer, 1), locale=locale)
        parts.append(_("first answer in {hours} h (median)").format(hours=hours))
    if figures.resolved_within_target_share is not None:
        share = formats.percent(figures.resolved_within_target_share * 100, locale)
        parts.append(_("{share} resolved on time").format(share=share))
    if figures.reopened_share is not None:
        share = formats.percent(figures.reopened_share * 100, locale)
        parts.append(_("{share} reopened").format(share=share))
    if figures.average_rating is not None:
        rating = format_decimal(round(figures.average_rating, 1), locale=locale)
        parts.append(_("rated {rating} of 5").format(rating=rating))
    return "⏱ " + " · ".join(parts) if parts else None
