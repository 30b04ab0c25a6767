"""Officials act on a report with the buttons of its notice: acknowledge, in progress (with an
expected date), resolved, not ours (a referral note), duplicate of, reject, reply (their next
text message), block the sender (with a reason). Gated to officials in private chats."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.enums import ChatType
from aiogram.filters import StateFilter, or_f
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.filters import IsOfficial
from bot.handlers.common import acknowledge
from bot.states import Answering
from bot.ui import report_callbacks as rcb
from bot.ui import report_keyboards as rk
from bot.ui import report_official_texts as ot
from core.clock import utc_now
from core.errors import DomainError
from core.reports.schemas import MAX_NOTE, ReportRead, StatusChange
from core.services import Services

router = Router(name=__name__)
router.message.filter(F.chat.type == ChatType.PRIVATE, StateFilter(Answering), IsOfficial())
router.callback_query.filter(
    F.message.chat.type == ChatType.PRIVATE,
    or_f(rcb.ReportAct.filter(), rcb.ReportExpected.filter()),
    IsOfficial(),
)

REPORT = "report_id"
REFERENCE = re.compile(r"CR-[0-9A-Z]{8}")
SIMPLE = {
    rcb.ACK: StatusChange(status="acknowledged"),
    rcb.RESOLVE: StatusChange(status="resolved"),
    rcb.REJECT: StatusChange(status="closed", reason="rejected"),
}
ASK = {
    rcb.REPLY: (Answering.answer, ot.ask_answer),
    rcb.NOT_OURS: (Answering.referral, ot.ask_referral),
    rcb.DUPLICATE: (Answering.duplicate, ot.ask_duplicate),
    rcb.BLOCK: (Answering.block, ot.ask_block_reason),
}


async def show(
    event: Message | CallbackQuery,
    svc: Services,
    report: ReportRead,
    note: str,
    locale: str,
    zone: ZoneInfo,
) -> None:
    """A short result, then the report as it is now with the buttons that still apply."""
    category = {c.code: c for c in svc.reports.categories()}.get(report.category)
    text = f"{note}\n\n{ot.report(report, category, locale, zone)}"
    await _send(event, text, rk.official_actions(report))


async def _send(
    event: Message | CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    # A new message, not an edit: the notice with the photos stays as it was filed.
    if isinstance(event, Message):
        await event.answer(text, reply_markup=markup)
    elif event.bot is not None and event.message is not None:
        await event.bot.send_message(event.message.chat.id, text, reply_markup=markup)


async def _change(
    event: Message | CallbackQuery,
    svc: Services,
    report_id: int,
    change: StatusChange,
    locale: str,
    zone: ZoneInfo,
) -> bool:
    """Apply the change and show the result; False (and why) when it does not apply."""
    official = event.from_user.id if event.from_user else None
    try:
        report = await svc.reports.change_status(report_id, change, official)
    except DomainError as error:
        current = await svc.reports.get(report_id)
        if error.code == "report_bad_transition":
            await _send(event, ot.wrong_step(current.reference, current.status))
        else:
            await _send(event, ot.unknown_reference())
        return False
    note = ot.changed(report.reference, report.status, report.close_reason)
    await show(event, svc, report, note, locale, zone)
    return True


@router.callback_query(rcb.ReportAct.filter(F.a.in_(rcb.ACTIONS)))
async def act(
    callback: CallbackQuery,
    callback_data: rcb.ReportAct,
    svc: Services,
    state: FSMContext,
    locale: str,
    zone: ZoneInfo,
) -> None:
    """One of the buttons under a report."""
    await acknowledge(callback)
    report_id, action = callback_data.id, callback_data.a
    try:
        report = await svc.reports.get(report_id)
    except DomainError:
        await _send(callback, ot.unknown_reference())
        return
    if action in SIMPLE:
        await _change(callback, svc, report_id, SIMPLE[action], locale, zone)
    elif action == rcb.PROGRESS:
        await _send(callback, ot.ask_expected(), rk.expected_days(report_id))
    else:
        step, ask = ASK[action]
        await state.set_state(step)
        await state.update_data({REPORT: report_id})
        await _send(callback, ask(report.reference))


@router.callback_query(rcb.ReportExpected.filter(F.d.in_(rcb.EXPECTED_DAYS)))
async def expected(
    callback: CallbackQuery,
    callback_data: rcb.ReportExpected,
    svc: Services,
    locale: str,
    zone: ZoneInfo,
) -> None:
    """In progress, expected done in that many days."""
    await acknowledge(callback)
    when = utc_now() + timedelta(days=callback_data.d)
    change = StatusChange(status="in_progress", expected_at=when)
    await _change(callback, svc, callback_data.id, change, locale, zone)


@router.message(F.text.startswith("/"))
async def other_command(message: Message, state: FSMContext) -> None:
    """A command leaves the step, then runs as usual (/cancel answers that it left)."""
    await state.set_state(None)
    raise SkipHandler


@router.message(~F.text)
async def text_expected(message: Message) -> None:
    """Media while a text is awaited."""
    await message.answer(ot.text_expected())


@router.message(F.text)
async def written(
    message: Message,
    svc: Services,
    state: FSMContext,
    raw_state: str | None,
    locale: str,
    zone: ZoneInfo,
) -> None:
    """The official's text: an answer, a referral note, a reference, or a reason."""
    words = (message.text or "").strip()
    if not words or len(words) > MAX_NOTE or "\x00" in words:
        await message.answer(ot.text_expected())
        return
    report_id = int(str((await state.get_data()).get(REPORT)))
    if raw_state == Answering.duplicate.state:
        match = REFERENCE.search(words.upper())
        original = match.group() if match else "-"
        change = StatusChange(status="closed", reason="duplicate", duplicate_of=original)
        # A wrong reference keeps the step, so the official can send another.
        if await _change(message, svc, report_id, change, locale, zone):
            await state.set_state(None)
        return
    await state.set_state(None)
    if raw_state == Answering.referral.state:
        change = StatusChange(status="closed", reason="not_responsible", note=words)
        await _change(message, svc, report_id, change, locale, zone)
    elif raw_state == Answering.answer.state:
        await answer_report(message, svc, report_id, words, locale, zone)
    else:
        reference = (await svc.reports.get(report_id)).reference
        blocked = await svc.reports.block_reporter(report_id, words, message.chat.id)
        await message.answer(ot.sender_blocked(reference) if blocked else ot.no_sender(reference))


async def answer_report(
    message: Message, svc: Services, report_id: int, words: str, locale: str, zone: ZoneInfo
) -> None:
    """The official's answer into the thread (a rejected report takes none)."""
    try:
        await svc.reports.answer(report_id, words, message.chat.id)
    except DomainError:
        current = await svc.reports.get(report_id)
        await message.answer(ot.wrong_step(current.reference, current.status))
        return
    report = await svc.reports.get(report_id)
    await show(message, svc, report, ot.answer_sent(report.reference), locale, zone)
