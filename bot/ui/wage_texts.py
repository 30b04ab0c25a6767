"""Texts of a worker's own wage conversation: linking, /wages, and reports (HTML).

Only the linked chat ever sees these figures; everything from records is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from babel.dates import format_time

from bot.ui import formats
from bot.ui.texts import esc
from core.wages.schemas import MyWages, WagePeriodRead, WageReportRead


def linked(first_name: str | None, project_titles: Sequence[str]) -> str:
    """The chat is now linked: the worker's first name and projects."""
    head = _("✅ Linked. Hello, {name}! Wage alerts for you will come to this chat.").format(
        name=esc(first_name)
    )
    if not project_titles:
        return head
    projects = "\n".join(f"• {esc(title)}" for title in project_titles)
    label, hint = _("Your projects:"), _("/wages shows your pay.")
    return f"{head}\n\n{label}\n{projects}\n\n{hint}"


def invalid_code() -> str:
    """A wrong, used or expired code."""
    return _(
        "Sorry, this code is not valid: it may be mistyped, already used or expired. "
        "Check it and send /link with the code again, or ask your site office for a new one."
    )


def locked(until: datetime | None, zone: ZoneInfo, locale: str) -> str:
    """Too many wrong codes: when the chat may try again, in local time."""
    if until is None:
        return _("Too many wrong codes. Please try again in an hour.")
    local = until.astimezone(zone)
    return _("Too many wrong codes. You can try again on {date} at {time}.").format(
        date=formats.day(local.date(), locale),
        time=format_time(local, format="short", locale=locale),
    )


def ask_code() -> str:
    """/link without a code."""
    return _("Send me the link code from your site office or employer (or /cancel).")


def unlinked(was_linked: bool) -> str:
    """/unlink: done, or there was nothing to undo."""
    if was_linked:
        return _("Unlinked. This chat will get no more wage alerts.")
    return _("This chat is not linked to any worker, so there was nothing to unlink.")


def not_linked() -> str:
    """/wages from a chat that links no worker: how to link (never any figure)."""
    return _(
        "This chat is not linked to your wage records yet.\n\n"
        "Ask your site office or employer for your personal link or code. Open the link, or "
        "send /link followed by the code. Then /wages shows your pay and I alert you when "
        "wages are paid or late."
    )


def private_only() -> str:
    """Wage commands in a group chat."""
    return _("Wages are private. Please write to me in a private chat for this.")


def _status(period: WagePeriodRead, locale: str) -> str:
    due = formats.money(period.amount_due, period.currency, locale)
    paid = formats.money(period.amount_paid, period.currency, locale)
    if period.status == "credited":
        return _("✅ Paid {amount}").format(amount=paid)
    if period.status == "partial":
        return _("⚠️ Paid in part: {paid} of {due}").format(paid=paid, due=due)
    if period.status == "failed":
        return _("❌ Payment failed: {amount}").format(amount=due)
    if period.status == "funds_released":
        return _("💼 Funds released to the employer: {amount}").format(amount=due)
    return _("🗓 Scheduled: {amount}").format(amount=due)


def _period(period: WagePeriodRead, locale: str) -> str:
    start, end = formats.day(period.period_start, locale), formats.day(period.period_end, locale)
    span = f"{start} \N{EN DASH} {end}"
    facts = [_status(period, locale)]
    facts.append(_("due {date}").format(date=formats.day(period.due_date, locale)))
    if period.days_late > 0:
        late = ngettext("{n} day late", "{n} days late", period.days_late)
        facts.append("⏰ " + late.format(n=period.days_late))
    where = " · ".join(esc(t) for t in (period.project_title, period.employer_name) if t)
    return f"<b>{span}</b>\n{where}\n" + " · ".join(facts)


def my_wages(wages: MyWages, locale: str) -> str:
    """/wages: the worker's newest pay periods."""
    head = _("💰 <b>Your wages, {name}</b>").format(name=esc(wages.first_name))
    if not wages.periods:
        return head + "\n\n" + _("No pay periods yet.")
    return head + "\n\n" + "\n\n".join(_period(p, locale) for p in wages.periods)


def report_filed(report: WageReportRead) -> str:
    """After the report button: the reference, new or already filed."""
    if report.is_new:
        text = _(
            "📝 Report filed. Reference: <b>{reference}</b>. An official will follow up; "
            "quote the reference if you contact them."
        )
    else:
        text = _("📝 You already reported this wage. Reference: <b>{reference}</b>.")
    return text.format(reference=esc(report.reference))


def report_refused() -> str:
    """The report button pressed outside the worker's own linked chat."""
    return _("Sorry, I cannot file this report from this chat.")
