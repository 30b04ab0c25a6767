"""Keyboards of citizen reports: the filing steps, the thread, feedback, officials' actions."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.ui import keyboards
from bot.ui import report_callbacks as rcb
from bot.ui import report_official_texts as ot
from bot.ui import report_texts as rt
from bot.ui import report_thread_texts as tt
from core.reports.schemas import CategoryRead, NearbyReport, ReportPage, ReportRead

Rows = list[list[InlineKeyboardButton]]


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def _cancel() -> list[InlineKeyboardButton]:
    return [_button(_("✖ Cancel"), rcb.ReportCancel().pack())]


def places(titles: Sequence[str]) -> InlineKeyboardMarkup:
    """The projects near the shared point, the point itself, cancel."""
    rows: Rows = [
        [_button(f"{n + 1}. {keyboards.short(title)}", rcb.ReportPlace(n=n).pack())]
        for n, title in enumerate(titles)
    ]
    rows.append([_button(rt.just_this_place(), rcb.ReportPlace(n=-1).pack())])
    return InlineKeyboardMarkup(inline_keyboard=[*rows, _cancel()])


def categories(items: Sequence[CategoryRead], locale: str) -> InlineKeyboardMarkup:
    """One button per category, two per row."""
    buttons = [
        _button(c.names.get(locale) or c.names["en"], rcb.ReportCategory(c=c.code).pack())
        for c in items
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, _cancel()])


def cancel_only() -> InlineKeyboardMarkup:
    """Just cancel (while the text is awaited)."""
    return InlineKeyboardMarkup(inline_keyboard=[_cancel()])


def photos(count: int) -> InlineKeyboardMarkup:
    """Skip (no photo yet) or Done."""
    label = _("✅ Done") if count else _("⏭ Skip photos")
    return InlineKeyboardMarkup(
        inline_keyboard=[[_button(label, rcb.ReportPhotosDone().pack())], _cancel()]
    )


def similar(items: Sequence[NearbyReport]) -> InlineKeyboardMarkup:
    """Follow one of them instead, or file mine."""
    rows: Rows = [
        [_button(rt.follow_button(item.reference), rcb.ReportFollow(id=item.id).pack())]
        for item in items
    ]
    rows.append([_button(rt.file_mine(), rcb.ReportFileAnyway().pack())])
    return InlineKeyboardMarkup(inline_keyboard=[*rows, _cancel()])


def filed(report_id: int) -> InlineKeyboardMarkup:
    """Open the report just filed."""
    return InlineKeyboardMarkup(
        inline_keyboard=[[_button(_("🗂 Open the report"), rcb.ReportOpen(id=report_id).pack())]]
    )


def mine(page: ReportPage, number: int) -> InlineKeyboardMarkup | None:
    """One open button per report, numbered as in the text; then newer and older pages."""
    if not page.items:
        return None
    rows = [
        [_button(f"{n}. {item.reference}", rcb.ReportOpen(id=item.id).pack())]
        for n, item in enumerate(page.items, start=page.offset + 1)
    ]
    newer = rcb.ReportsPage(p=number - 1).pack() if number > 0 else None
    older = rcb.ReportsPage(p=number + 1).pack() if page.has_more else None
    if paging := keyboards.pager(newer, older, (_("◀ Newer"), _("Older ▶"))):
        rows.append(paging)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def thread(report: ReportRead, is_own: bool) -> InlineKeyboardMarkup | None:
    """Reply (the reporter, while open), "Is it solved?" once resolved."""
    rows: Rows = []
    if is_own and report.status == "resolved" and report.feedback is None:
        rows.append(feedback_row(report.id))
    if is_own and report.status != "closed":
        rows.append([_button(_("↩️ Reply"), rcb.ReportReply(id=report.id).pack())])
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def feedback_row(report_id: int) -> list[InlineKeyboardButton]:
    """Yes / Partly / No."""
    return [
        _button(label, rcb.ReportFeedback(id=report_id, v=value).pack())
        for value, label in tt.feedback_labels().items()
    ]


def rating(report_id: int, value: str) -> InlineKeyboardMarkup:
    """1 … 5."""
    row = [
        _button("⭐" * n if n == 1 else str(n), rcb.ReportRate(id=report_id, v=value, n=n).pack())
        for n in range(1, 6)
    ]
    return InlineKeyboardMarkup(inline_keyboard=[row])


def card_rows(project_id: str, counts: tuple[int, int]) -> Rows:
    """The project card's rows: ask or report, and the public list when there is one."""
    rows = [[_button(keyboards.ask_or_report_label(), rcb.ReportNew(p=project_id).pack())]]
    if any(counts):
        rows.append([_button(tt.card_line(*counts), rcb.ReportPublic(p=project_id).pack())])
    return rows


def official_actions(report: ReportRead) -> InlineKeyboardMarkup | None:
    """What an official can do with the report in its state."""
    labels = ot.action_labels()
    allowed = {
        "new": (rcb.ACK, rcb.PROGRESS, rcb.RESOLVE, rcb.REPLY, rcb.NOT_OURS, rcb.DUPLICATE),
        "acknowledged": (rcb.PROGRESS, rcb.RESOLVE, rcb.REPLY, rcb.NOT_OURS, rcb.DUPLICATE),
        "in_progress": (rcb.PROGRESS, rcb.RESOLVE, rcb.REPLY, rcb.NOT_OURS, rcb.DUPLICATE),
        "resolved": (rcb.PROGRESS, rcb.REPLY),
        "closed": (),
    }.get(report.status, ())
    extra = (rcb.REJECT, rcb.BLOCK) if report.status != "closed" else (rcb.BLOCK,)
    actions = [*allowed, *extra]
    buttons = [_button(labels[a], rcb.ReportAct(id=report.id, a=a).pack()) for a in actions]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def _back(report_id: int) -> list[InlineKeyboardButton]:
    return [_button(_("✖ Cancel"), rcb.ReportAct(id=report_id, a=rcb.BACK).pack())]


def expected_days(report_id: int) -> InlineKeyboardMarkup:
    """In progress: 1, 3, 7, 14 or 30 days, or back to the report's buttons."""
    row = [
        _button(ot.days(d), rcb.ReportExpected(id=report_id, d=d).pack())
        for d in rcb.EXPECTED_DAYS
    ]
    return InlineKeyboardMarkup(inline_keyboard=[row[:3], row[3:], _back(report_id)])


def confirm_reject(report_id: int) -> InlineKeyboardMarkup:
    """Yes, reject (spam or abuse), or cancel."""
    yes = _button(ot.reject_yes(), rcb.ReportAct(id=report_id, a=rcb.REJECT_CONFIRMED).pack())
    return InlineKeyboardMarkup(inline_keyboard=[[yes], _back(report_id)])
