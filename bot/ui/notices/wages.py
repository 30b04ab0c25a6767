"""Wage alerts to a linked worker, and the officials' daily digest of overdue wages.

Alerts about a problem carry a "Report unpaid wages" button whose callback data is
`ReportWage(e=<entry id>).pack()`, i.e. `wr:<entry id>`; the bot's handler answers it by calling
`svc.wages.report_unpaid(chat_id, entry_id)`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import escape
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.ui import formats
from bot.ui.notices import Rendered, register
from bot.ui.notices import reports as report_notices
from bot.ui.notices.feeds import feeds_section


class ReportWage(CallbackData, prefix="wr"):
    """The "report unpaid wages" button of an alert: which entry."""

    e: str


def report_button(entry_id: str) -> InlineKeyboardMarkup | None:
    """The button, or None when the entry id is too long to fit Telegram's 64 bytes."""
    try:
        data = ReportWage(e=entry_id).pack()  # aiogram refuses more than 64 bytes
    except ValueError:
        return None
    keyboard = InlineKeyboardBuilder()
    keyboard.button(text=_("📝 Report unpaid wages"), callback_data=data)
    return keyboard.as_markup()


def _money(params: dict[str, Any], key: str, locale: str) -> str:
    return formats.money(Decimal(str(params[key])), str(params["currency"]), locale)


def _day(params: dict[str, Any], key: str, locale: str) -> str:
    return formats.day(date.fromisoformat(str(params[key])), locale)


def _where(params: dict[str, Any], locale: str) -> str:
    period = "{} \N{EN DASH} {}".format(
        _day(params, "period_start", locale), _day(params, "period_end", locale)
    )
    return _("Period: {period}\nProject: {project}\nEmployer: {employer}").format(
        period=period,
        project=escape(str(params.get("project_title") or params.get("project_id") or "")),
        employer=escape(str(params.get("employer_name") or "")),
    )


@register("wage_funds_released")
def funds_released(params: dict[str, Any], locale: str) -> Rendered:
    """💼 The money for a period reached the employer; payment is due by the due date."""
    head = _("💼 <b>Wage funds released to your employer</b>")
    due = _("Your wage should be paid by {date}.").format(date=_day(params, "due_date", locale))
    return Rendered(f"{head}\n{_where(params, locale)}\n\n{due}")


@register("wage_credited")
def credited(params: dict[str, Any], locale: str) -> Rendered:
    """✅ Wage credited: amount, period, project, employer."""
    head = _("✅ <b>Wage credited: {amount}</b>").format(
        amount=_money(params, "amount_paid", locale)
    )
    return Rendered(f"{head}\n{_where(params, locale)}")


@register("wage_partial")
def partial(params: dict[str, Any], locale: str) -> Rendered:
    """⚠️ Paid in part: paid of due, with the report button."""
    head = _("⚠️ <b>Wage paid in part: {paid} of {due}</b>").format(
        paid=_money(params, "amount_paid", locale), due=_money(params, "amount_due", locale)
    )
    hint = _("If the rest is not paid soon, report it and an official will follow up.")
    return Rendered(
        f"{head}\n{_where(params, locale)}\n\n{hint}", report_button(str(params["entry_id"]))
    )


@register("wage_failed")
def failed(params: dict[str, Any], locale: str) -> Rendered:
    """❌ The payment failed: what to do next, with the report button."""
    head = _("❌ <b>Wage payment failed: {amount}</b>").format(
        amount=_money(params, "amount_due", locale)
    )
    hint = _(
        "Check your bank details with your employer. If the payment is not repeated, "
        "report it and an official will follow up."
    )
    return Rendered(
        f"{head}\n{_where(params, locale)}\n\n{hint}", report_button(str(params["entry_id"]))
    )


@register("wage_overdue")
def overdue(params: dict[str, Any], locale: str) -> Rendered:
    """⏰ Days late, unpaid amount, employer and whom to contact, with the report button."""
    days = int(params.get("days_late") or 1)
    head = ngettext(
        "⏰ <b>Your wage is {n} day late</b>", "⏰ <b>Your wage is {n} days late</b>", days
    ).format(n=days)
    unpaid = Decimal(str(params["amount_due"])) - Decimal(str(params["amount_paid"]))
    owed = _("Unpaid: {amount} (due {date})").format(
        amount=formats.money(unpaid, str(params["currency"]), locale),
        date=_day(params, "due_date", locale),
    )
    contact = str(params.get("contact") or "").strip()
    if contact:
        hint = _("Ask your employer first. If that does not help, contact {contact}.").format(
            contact=escape(contact)
        )
    else:
        hint = _("Ask your employer first. If that does not help, report it below.")
    return Rendered(
        f"{head}\n{owed}\n{_where(params, locale)}\n\n{hint}",
        report_button(str(params["entry_id"])),
    )


def _totals(items: list[dict[str, Any]], locale: str) -> str:
    return ", ".join(
        formats.money(Decimal(str(t["amount"])), str(t["currency"]), locale) for t in items
    )


@register("wage_digest")
def digest(params: dict[str, Any], locale: str) -> Rendered:
    """📋 The morning digest: overdue wages by employer and project, with totals and open
    reports, then the overdue citizen reports, then the data feeds that need a look."""
    if params.get("groups"):
        parts = [_wage_digest(params, locale)]
    else:
        parts = [
            _("📋 <b>Morning digest, {date}</b>").format(
                date=formats.day(date.fromisoformat(str(params["as_of"])), locale)
            )
        ]
    reports = report_notices.digest_section(params, locale)
    if reports:
        parts.append(reports)
    return Rendered("\n\n".join(parts + feeds_section(params)))


def _wage_digest(params: dict[str, Any], locale: str) -> str:
    head = _("📋 <b>Overdue wages on {date}</b>").format(
        date=formats.day(date.fromisoformat(str(params["as_of"])), locale)
    )
    summary = _("{entries} unpaid entries, {workers} workers, {amount}; open reports: {reports}")
    lines = [
        head,
        summary.format(
            entries=params.get("entries", 0),
            workers=params.get("workers", 0),
            amount=_totals(params.get("unpaid") or [], locale) or "—",
            reports=params.get("open_reports", 0),
        ),
    ]
    for group in params.get("groups") or []:
        lines.append(_group(group, locale))
    more = int(params.get("more_groups") or 0)
    if more:
        lines.append(ngettext("…and {n} more", "…and {n} more", more).format(n=more))
    return "\n\n".join(lines)


def _group(group: dict[str, Any], locale: str) -> str:
    days = int(group.get("max_days_late") or 0)
    late = ngettext("up to {n} day late", "up to {n} days late", days).format(n=days)
    detail = _("{entries} entries · {workers} workers · {amount} · {late} · reports: {reports}")
    return "<b>{employer}</b> — {project}\n{detail}".format(
        employer=escape(str(group.get("employer_name") or group.get("employer_id") or "")),
        project=escape(str(group.get("project_title") or group.get("project_id") or "")),
        detail=detail.format(
            entries=group.get("entries", 0),
            workers=group.get("workers", 0),
            amount=_totals(group.get("unpaid") or [], locale) or "—",
            late=late,
            reports=group.get("open_reports", 0),
        ),
    )
