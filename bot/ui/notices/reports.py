"""Citizen report notices: new reports, replies, feedback and reminders to the officials in
charge; status changes and answers to the reporter and followers; a block to the blocked chat.

Words written by citizens or officials are shown as written, HTML-escaped, inside a localized
frame. Buttons carry `bot.ui.report_callbacks` data, answered by the bot's report handlers.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.ui import formats
from bot.ui import report_callbacks as cb
from bot.ui.notices import Rendered, register
from core.reports import categories

QUOTE_LIMIT = 3000  # a Telegram message holds 4,096 characters; the frame needs the rest


def status_label(status: str, reason: str | None = None) -> str:
    """The status as the reader says it."""
    if status == "closed":
        return {
            "duplicate": _("closed as a duplicate"),
            "not_responsible": _("closed: not our responsibility"),
            "rejected": _("rejected"),
        }.get(reason or "", _("closed"))
    return {
        "new": _("new"),
        "acknowledged": _("acknowledged"),
        "in_progress": _("in progress"),
        "resolved": _("resolved"),
    }.get(status, status)


def category_name(code: str, locale: str) -> str:
    """The category's name in the reader's language."""
    found = categories.BY_CODE.get(code)
    return found.name(locale) if found else code


def quote(text: str) -> str:
    """Someone else's words, escaped, in a quote block."""
    body = text if len(text) <= QUOTE_LIMIT else text[:QUOTE_LIMIT] + "…"
    return f"<blockquote>{escape(body)}</blockquote>"


def _about(report: dict[str, Any], locale: str) -> str:
    lines = [
        _("Category: {category}").format(category=category_name(str(report["category"]), locale))
    ]
    title = report.get("project_title") or report.get("project_id")
    if title:
        lines.append(_("Project: {project}").format(project=escape(str(title))))
    return "\n".join(lines)


def _ref(report: dict[str, Any]) -> str:
    return f"<code>{escape(str(report['reference']))}</code>"


def official_buttons(report_id: int) -> InlineKeyboardMarkup:
    """Acknowledge, in progress, resolved, not ours, duplicate, reject, reply, block."""
    keyboard = InlineKeyboardBuilder()
    labels = (
        (cb.ACK, _("👀 Acknowledge")),
        (cb.PROGRESS, _("🛠 In progress")),
        (cb.RESOLVE, _("✅ Resolved")),
        (cb.NOT_OURS, _("↪️ Not ours")),
        (cb.DUPLICATE, _("🔁 Duplicate")),
        (cb.REJECT, _("🚫 Reject")),
        (cb.REPLY, _("💬 Reply")),
        (cb.BLOCK, _("⛔ Block reporter")),
    )
    for action, text in labels:
        keyboard.button(text=text, callback_data=cb.ReportAct(id=report_id, a=action).pack())
    keyboard.adjust(3, 3, 2)
    return keyboard.as_markup()


def citizen_buttons(report_id: int, *, ask_feedback: bool = False) -> InlineKeyboardMarkup:
    """Is it solved? (yes / partly / no) for the reporter, else reply and open the thread."""
    keyboard = InlineKeyboardBuilder()
    if ask_feedback:
        for value, text in (("yes", _("👍 Yes")), ("partly", _("🤏 Partly")), ("no", _("👎 No"))):
            keyboard.button(
                text=text, callback_data=cb.ReportFeedback(id=report_id, v=value).pack()
            )
        keyboard.adjust(3)
        return keyboard.as_markup()
    keyboard.button(text=_("💬 Reply"), callback_data=cb.ReportReply(id=report_id).pack())
    keyboard.button(text=_("🧵 Open thread"), callback_data=cb.ReportOpen(id=report_id).pack())
    keyboard.adjust(2)
    return keyboard.as_markup()


@register("report_filed")
def filed(params: dict[str, Any], locale: str) -> Rendered:
    """📨 A new report for the officials in charge, with its place and the action buttons."""
    report = params["report"]
    lines = [
        _("📨 <b>New report {reference}</b>").format(reference=_ref(report)),
        _about(report, locale),
    ]
    if params.get("lat") is not None and params.get("lon") is not None:
        lines.append(
            _("Place: {lat}, {lon}").format(
                lat=f"{float(params['lat']):.5f}", lon=f"{float(params['lon']):.5f}"
            )
        )
    if params.get("address"):
        lines.append(_("Address: {address}").format(address=escape(str(params["address"]))))
    photos = len(params.get("photos") or [])
    if photos:
        lines.append(_("Photos: {n}").format(n=photos))
    text = "\n".join(lines) + "\n\n" + quote(str(params.get("text") or ""))
    return Rendered(text, official_buttons(int(report["id"])))


@register("report_status")
def status(params: dict[str, Any], locale: str) -> Rendered:
    """🔔 The report moved on: the new status, the official's note, what happens next."""
    report = params["report"]
    lines = [
        _("🔔 <b>Report {reference}: {status}</b>").format(
            reference=_ref(report),
            status=status_label(str(params["status"]), params.get("reason")),
        ),
        _about(report, locale),
    ]
    if params.get("expected_date"):
        when = formats.day(date.fromisoformat(str(params["expected_date"])), locale)
        lines.append(_("Expected to be done by {date}").format(date=when))
    if params.get("duplicate_of"):
        lines.append(
            _("It is the same as report {reference}, which you can follow.").format(
                reference=f"<code>{escape(str(params['duplicate_of']))}</code>"
            )
        )
    if params.get("reopened"):
        lines.append(_("The reporter said it is not solved: the work goes on."))
    if params.get("note"):
        lines.append(_("The official's note:") + "\n" + quote(str(params["note"])))
    ask = bool(params.get("ask_feedback"))
    if ask:
        lines.append(_("<b>Is it solved?</b>"))
    return Rendered("\n".join(lines), citizen_buttons(int(report["id"]), ask_feedback=ask))


@register("report_answer")
def answer(params: dict[str, Any], locale: str) -> Rendered:
    """💬 An official answered; the words as written, with reply and thread buttons."""
    report = params["report"]
    head = _("💬 <b>Answer to report {reference}</b>").format(reference=_ref(report))
    text = f"{head}\n{_about(report, locale)}\n\n{quote(str(params.get('text') or ''))}"
    return Rendered(text, citizen_buttons(int(report["id"])))


@register("report_reply")
def reply(params: dict[str, Any], locale: str) -> Rendered:
    """💬 The reporter replied in the thread (to the officials in charge)."""
    report = params["report"]
    head = _("💬 <b>The reporter replied on {reference}</b>").format(reference=_ref(report))
    text = f"{head}\n{_about(report, locale)}\n\n{quote(str(params.get('text') or ''))}"
    return Rendered(text, official_buttons(int(report["id"])))


@register("report_feedback")
def feedback(params: dict[str, Any], locale: str) -> Rendered:
    """⭐ The reporter's answer to "Is it solved?" and the rating; reopened when "no"."""
    report = params["report"]
    value = {"yes": _("yes"), "partly": _("partly"), "no": _("no")}.get(
        str(params.get("value")), str(params.get("value"))
    )
    lines = [
        _("⭐ <b>Feedback on {reference}</b>").format(reference=_ref(report)),
        _about(report, locale),
        _("Is it solved? {answer}").format(answer=value),
    ]
    if params.get("rating"):
        lines.append(_("Rating: {n} of 5").format(n=int(params["rating"])))
    if params.get("reopened"):
        lines.append(_("The report is open again (in progress)."))
        return Rendered("\n".join(lines), official_buttons(int(report["id"])))
    return Rendered("\n".join(lines))


@register("report_overdue")
def overdue(params: dict[str, Any], locale: str) -> Rendered:
    """⏰ A report became overdue: not acknowledged in time, or past its expected date."""
    report = params["report"]
    when = formats.day(date.fromisoformat(str(params["since_date"])), locale)
    if params.get("why") == "past_expected":
        why = _("It was expected to be done by {date}").format(date=when)
    else:
        why = _("It was to be acknowledged by {date}").format(date=when)
    head = _("⏰ <b>Report {reference} is overdue</b>").format(reference=_ref(report))
    text = f"{head}\n{_about(report, locale)}\n{why}"
    return Rendered(text, official_buttons(int(report["id"])))


@register("report_blocked")
def blocked(params: dict[str, Any], locale: str) -> Rendered:
    """🚫 The chat may no longer file reports, and why (the official's words)."""
    head = _("🚫 <b>You can no longer file reports with this bot.</b>")
    return Rendered(
        f"{head}\n" + _("The official's reason:") + "\n" + quote(str(params.get("reason") or ""))
    )


def digest_section(params: dict[str, Any], locale: str) -> str:
    """The citizen reports part of the officials' morning digest ("" when none is overdue)."""
    items: list[dict[str, Any]] = list(params.get("reports_overdue") or [])
    if not items:
        return ""
    total = int(params.get("reports_overdue_total") or len(items))
    lines = [_("⏰ <b>Overdue citizen reports: {n}</b>").format(n=total)]
    for item in items:
        when = formats.day(date.fromisoformat(str(item["since_date"])), locale)
        why = (
            _("past the expected date ({date})")
            if item.get("why") == "past_expected"
            else _("not acknowledged since {date}")
        ).format(date=when)
        title = item.get("project_title") or item.get("project_id") or ""
        where = f" — {escape(str(title))}" if title else ""
        lines.append(
            f"<code>{escape(str(item['reference']))}</code> "
            f"{category_name(str(item['category']), locale)}{where}: {why}"
        )
    if total > len(items):
        more = total - len(items)
        lines.append(ngettext("…and {n} more", "…and {n} more", more).format(n=more))
    return "\n".join(lines)
