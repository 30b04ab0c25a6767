"""Texts of the officials' side of citizen reports (HTML; people's words escaped)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.ui import formats
from bot.ui.report_callbacks import (
    ACK,
    BLOCK,
    DUPLICATE,
    NOT_OURS,
    PROGRESS,
    REJECT,
    REPLY,
    RESOLVE,
)
from bot.ui.report_texts import category_name, excerpt, status
from bot.ui.texts import esc
from core.reports.schemas import CategoryRead, ReportRead


def action_labels() -> dict[str, str]:
    """The buttons under a report an official sees."""
    return {
        ACK: _("👀 Acknowledge"),
        PROGRESS: _("🛠 In progress"),
        RESOLVE: _("✅ Resolved"),
        REPLY: _("💬 Reply"),
        NOT_OURS: _("↪️ Not ours"),
        DUPLICATE: _("🔁 Duplicate"),
        REJECT: _("🚫 Reject"),
        BLOCK: _("⛔ Block reporter"),
    }


def report(
    item: ReportRead,
    category: CategoryRead | None,
    locale: str,
    zone: ZoneInfo,
    text_limit: int = 3000,
) -> str:
    """A report as its officials see it: reference, category, project, place, state, text (its
    first `text_limit` characters)."""
    lines = [
        f"<b>{esc(item.reference)}</b> · {status(item.status, item.close_reason)}",
        _("Category: {name}").format(name=category_name(category, locale, item.category)),
    ]
    if item.project_title:
        lines.append(_("Project: {title}").format(title=esc(item.project_title)))
    if item.lat is not None and item.lon is not None:
        lines.append(_("Place: {lat}, {lon}").format(lat=f"{item.lat:.5f}", lon=f"{item.lon:.5f}"))
    elif item.address:
        lines.append(_("Place: {address}").format(address=esc(item.address)))
    lines.append(_("Filed {date}").format(date=formats.moment(item.created_at, zone, locale)))
    if item.photos:
        lines.append(
            ngettext("{n} photo", "{n} photos", len(item.photos)).format(n=len(item.photos))
        )
    if item.expected_at is not None and item.status == "in_progress":
        when = formats.moment(item.expected_at, zone, locale)
        lines.append(_("Expected to be done by {date}").format(date=when))
    lines.append(f"\n{excerpt(item.text, text_limit)}")
    return "\n".join(lines)


def ask_expected() -> str:
    """In progress: by when?"""
    return _("By when do you expect it done?")


def days(n: int) -> str:
    """A button: in n days."""
    return ngettext("{n} day", "{n} days", n).format(n=n)


def ask_referral(reference: str) -> str:
    """Not ours: who is?"""
    return _("Who is responsible for {reference}? Write a referral note for the reporter.").format(
        reference=f"<b>{esc(reference)}</b>"
    )


def ask_duplicate(reference: str) -> str:
    """Duplicate of which report?"""
    return _("{reference} duplicates which report? Send its reference (CR-XXXXXXXX).").format(
        reference=f"<b>{esc(reference)}</b>"
    )


def ask_answer(reference: str) -> str:
    """The official's next text message is the answer."""
    return _(
        "Write your answer to {reference}. The reporter gets it as you write it; it becomes "
        "public once the report is acknowledged."
    ).format(reference=f"<b>{esc(reference)}</b>")


def ask_block_reason(reference: str) -> str:
    """Why block the sender of the report?"""
    return _(
        "Why block the sender of {reference} from filing reports? They will be told the reason."
    ).format(reference=f"<b>{esc(reference)}</b>")


def changed(reference: str, value: str, reason: str | None = None, *, plain: bool = False) -> str:
    """The report moved on; the reporter and followers are being told (`plain`: no markup,
    for the answer to a pressed button)."""
    return _("{reference} is now {status}. The reporter and followers are told.").format(
        reference=reference if plain else f"<b>{esc(reference)}</b>", status=status(value, reason)
    )


def confirm_reject(reference: str) -> str:
    """Reject, really? Under the report, above Yes / Cancel."""
    return _(
        "🚫 Reject {reference} as spam or abuse? It will never be public, and the reporter is "
        "told it was rejected."
    ).format(reference=f"<b>{esc(reference)}</b>")


def reject_yes() -> str:
    """The button that rejects."""
    return _("🚫 Yes, reject")


def answer_sent(reference: str) -> str:
    """The answer is in the thread."""
    return _("💬 Your answer to {reference} is sent.").format(reference=f"<b>{esc(reference)}</b>")


def sender_blocked(reference: str) -> str:
    """The sender may file no more reports."""
    return _(
        "⛔ The sender of {reference} can no longer file reports; they were told why."
    ).format(reference=f"<b>{esc(reference)}</b>")


def no_sender(reference: str) -> str:
    """An app filed it: there is no chat to block."""
    return _("{reference} came from an app, not from a chat: there is nobody to block.").format(
        reference=f"<b>{esc(reference)}</b>"
    )


def wrong_step(reference: str, value: str) -> str:
    """The transition does not apply to the report's state."""
    return _("{reference} is {status}: that step does not apply now.").format(
        reference=f"<b>{esc(reference)}</b>", status=status(value)
    )


def unknown_reference() -> str:
    """No report with that reference (or it is the same one)."""
    return _("No other report has that reference. Send one like CR-AB12CD34, or /cancel.")


def text_expected() -> str:
    """A text is awaited."""
    return _("Please send it as a text message, or /cancel.")
