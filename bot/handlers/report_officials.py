"""Officials act on a report with the buttons of its notice: acknowledge, in progress (with an
expected date), resolved, not ours (a referral note), duplicate of, reject, reply (their next
text message), block the sender (with a reason). Gated to officials in private chats."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.enums import ChatType, ContentType
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import StateFilter, or_f
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.filters import IsOfficial
from bot.handlers.common import acknowledge, chat_of
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
NOTICE = "report_notice"  # [chat id, message id, is a caption] of the message to update
REFERENCE = re.compile(r"CR-[0-9A-Z]{8}")
CAPTION_LIMIT = 1024
SIMPLE = {
    rcb.ACK: StatusChange(status="acknowledged"),
    rcb.RESOLVE: StatusChange(status="resolved"),
    rcb.REJECT_CONFIRMED: StatusChange(status="closed", reason="rejected"),
}
ASK = {
    rcb.REPLY: (Answering.answer, ot.ask_answer),
    rcb.NOT_OURS: (Answering.referral, ot.ask_referral),
    rcb.DUPLICATE: (Answering.duplicate, ot.ask_duplicate),
    rcb.BLOCK: (Answering.block, ot.ask_block_reason),
}


# How the report's own message begins: the notice of a new report ("📨 New report …", see
# bot/ui/notices/reports.py), or the report as `view` shows it (its reference first).
NEW_REPORT_MARK = "📨"


@dataclass(frozen=True, slots=True)
class Notice:
    """The message with the report's buttons, edited in place as the report moves on: all of
    it when it is the report's own message, only its buttons when it is another notice about
    the report (a reply, feedback, a reminder), whose words stay as they are."""

    chat_id: int
    message_id: int
    is_caption: bool
    is_report: bool

    @classmethod
    def of(cls, callback: CallbackQuery, reference: str) -> Notice | None:
        """The pressed message, if the bot can still see it."""
        message = callback.message
        if not isinstance(message, Message):
            return None
        captioned = message.content_type != ContentType.TEXT
        words = (message.caption if captioned else message.text) or ""
        is_report = words.startswith((NEW_REPORT_MARK, reference))
        return cls(message.chat.id, message.message_id, captioned, is_report)

    def dump(self) -> list[object]:
        """For the FSM data."""
        return [self.chat_id, self.message_id, self.is_caption, self.is_report]

    @classmethod
    def load(cls, value: object) -> Notice | None:
        """From the FSM data."""
        if isinstance(value, list) and len(value) == 4:
            return cls(int(value[0]), int(value[1]), bool(value[2]), bool(value[3]))
        return None


def view(
    svc: Services,
    report: ReportRead,
    locale: str,
    zone: ZoneInfo,
    *,
    is_caption: bool,
    below: str = "",
) -> str:
    """The report as it is now, with `below` under it; short enough for a caption."""
    category = {c.code: c for c in svc.reports.categories()}.get(report.category)
    tail = f"\n\n{below}" if below else ""
    text = ot.report(report, category, locale, zone) + tail
    if not is_caption or len(text) <= CAPTION_LIMIT:
        return text
    head = ot.report(report.model_copy(update={"text": ""}), category, locale, zone) + tail
    # The markup makes `head` longer than what Telegram counts, so this always fits.
    room = max(CAPTION_LIMIT - len(head) - 1, 1)
    return ot.report(report, category, locale, zone, text_limit=room) + tail


async def update(
    bot: Bot,
    notice: Notice | None,
    text: str,
    markup: InlineKeyboardMarkup | None,
) -> bool:
    """Edit the report's message in place; False when it cannot be edited any more."""
    if notice is None:
        return False
    try:
        if not notice.is_report:
            await bot.edit_message_reply_markup(
                chat_id=notice.chat_id, message_id=notice.message_id, reply_markup=markup
            )
        elif notice.is_caption:
            await bot.edit_message_caption(
                chat_id=notice.chat_id,
                message_id=notice.message_id,
                caption=text,
                reply_markup=markup,
            )
        else:
            await bot.edit_message_text(
                text, chat_id=notice.chat_id, message_id=notice.message_id, reply_markup=markup
            )
    except TelegramBadRequest as error:
        # Pressed twice, or nothing to change: the message already shows it.
        return "not modified" in error.message
    return True


async def show(
    bot: Bot,
    notice: Notice | None,
    svc: Services,
    report: ReportRead,
    locale: str,
    zone: ZoneInfo,
    *,
    below: str = "",
    markup: InlineKeyboardMarkup | None = None,
    chat_id: int,
) -> None:
    """The report's message shows the report as it is now, with the buttons that still apply
    (or `markup`); a message that cannot be edited any more gets a new one instead."""
    keyboard = markup or rk.official_actions(report)
    is_caption = notice.is_caption if notice else False
    text = view(svc, report, locale, zone, is_caption=is_caption, below=below)
    if not await update(bot, notice, text, keyboard):
        plain = view(svc, report, locale, zone, is_caption=False, below=below)
        await bot.send_message(chat_id, plain, reply_markup=keyboard)


async def _change(
    bot: Bot,
    user_id: int,
    chat_id: int,
    notice: Notice | None,
    svc: Services,
    report_id: int,
    change: StatusChange,
    locale: str,
    zone: ZoneInfo,
) -> ReportRead | None:
    """Apply the change and show the report as it now is; None when the change does not
    apply (and the official is told why)."""
    try:
        report = await svc.reports.change_status(report_id, change, user_id)
    except DomainError as error:
        try:
            current = await svc.reports.get(report_id, locale)
        except DomainError:
            await bot.send_message(chat_id, ot.unknown_reference())
            return None
        if error.code == "report_bad_transition":
            await bot.send_message(chat_id, ot.wrong_step(current.reference, current.status))
            await show(bot, notice, svc, current, locale, zone, chat_id=chat_id)
        else:
            await bot.send_message(chat_id, ot.unknown_reference())
        return None
    await show(bot, notice, svc, report, locale, zone, chat_id=chat_id)
    return report


def _toast(report: ReportRead | None) -> str | None:
    """The answer to the pressed button: what changed (plain text)."""
    if report is None:
        return None
    return ot.changed(report.reference, report.status, report.close_reason, plain=True)


def _said(report: ReportRead) -> str:
    """The answer to the official's text message: what changed."""
    return ot.changed(report.reference, report.status, report.close_reason)


@router.callback_query(rcb.ReportAct.filter(F.a.in_(rcb.ACTIONS)))
async def act(
    callback: CallbackQuery,
    callback_data: rcb.ReportAct,
    bot: Bot,
    svc: Services,
    state: FSMContext,
    locale: str,
    zone: ZoneInfo,
) -> None:
    """One of the buttons under a report: its message is edited in place."""
    report_id, action, chat_id = callback_data.id, callback_data.a, chat_of(callback)
    try:
        report = await svc.reports.get(report_id, locale)
    except DomainError:
        await acknowledge(callback)
        await bot.send_message(chat_id, ot.unknown_reference())
        return
    notice = Notice.of(callback, report.reference)
    if action in SIMPLE:
        user = callback.from_user.id
        change = SIMPLE[action]
        done = await _change(bot, user, chat_id, notice, svc, report_id, change, locale, zone)
        await acknowledge(callback, _toast(done))
        return
    await acknowledge(callback)
    if action == rcb.REJECT:
        below, markup = ot.confirm_reject(report.reference), rk.confirm_reject(report_id)
        await show(
            bot, notice, svc, report, locale, zone, below=below, markup=markup, chat_id=chat_id
        )
    elif action == rcb.PROGRESS:
        below, markup = ot.ask_expected(), rk.expected_days(report_id)
        await show(
            bot, notice, svc, report, locale, zone, below=below, markup=markup, chat_id=chat_id
        )
    elif action == rcb.BACK:
        await show(bot, notice, svc, report, locale, zone, chat_id=chat_id)
    else:
        step, ask = ASK[action]
        await state.set_state(step)
        data: dict[str, object] = {REPORT: report_id, NOTICE: notice.dump() if notice else None}
        await state.update_data(data)
        await bot.send_message(chat_id, ask(report.reference))


@router.callback_query(rcb.ReportExpected.filter(F.d.in_(rcb.EXPECTED_DAYS)))
async def expected(
    callback: CallbackQuery,
    callback_data: rcb.ReportExpected,
    bot: Bot,
    svc: Services,
    locale: str,
    zone: ZoneInfo,
) -> None:
    """In progress, expected done in that many days."""
    when = utc_now() + timedelta(days=callback_data.d)
    change = StatusChange(status="in_progress", expected_at=when)
    user, chat_id = callback.from_user.id, chat_of(callback)
    try:
        notice = Notice.of(callback, (await svc.reports.get(callback_data.id)).reference)
    except DomainError:
        await acknowledge(callback)
        await bot.send_message(chat_id, ot.unknown_reference())
        return
    done = await _change(bot, user, chat_id, notice, svc, callback_data.id, change, locale, zone)
    await acknowledge(callback, _toast(done))


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
    data = await state.get_data()
    report_id, notice = int(str(data.get(REPORT))), Notice.load(data.get(NOTICE))
    bot, user, chat_id = message.bot, message.chat.id, message.chat.id
    if bot is None:  # pragma: no cover - aiogram always binds the bot
        return
    if raw_state == Answering.duplicate.state:
        match = REFERENCE.search(words.upper())
        original = match.group() if match else "-"
        change = StatusChange(status="closed", reason="duplicate", duplicate_of=original)
        # A wrong reference keeps the step, so the official can send another.
        done = await _change(bot, user, chat_id, notice, svc, report_id, change, locale, zone)
        if done is not None:
            await state.set_state(None)
            await message.answer(_said(done))
        return
    await state.set_state(None)
    if raw_state == Answering.referral.state:
        change = StatusChange(status="closed", reason="not_responsible", note=words)
        done = await _change(bot, user, chat_id, notice, svc, report_id, change, locale, zone)
        if done is not None:
            await message.answer(_said(done))
    elif raw_state == Answering.answer.state:
        await answer_report(message, bot, notice, svc, report_id, words, locale, zone)
    else:
        reference = (await svc.reports.get(report_id)).reference
        blocked = await svc.reports.block_reporter(report_id, words, message.chat.id)
        await message.answer(ot.sender_blocked(reference) if blocked else ot.no_sender(reference))


async def answer_report(
    message: Message,
    bot: Bot,
    notice: Notice | None,
    svc: Services,
    report_id: int,
    words: str,
    locale: str,
    zone: ZoneInfo,
) -> None:
    """The official's answer into the thread (a rejected report takes none)."""
    try:
        await svc.reports.answer(report_id, words, message.chat.id)
    except DomainError:
        current = await svc.reports.get(report_id, locale)
        await message.answer(ot.wrong_step(current.reference, current.status))
        return
    report = await svc.reports.get(report_id, locale)
    await message.answer(ot.answer_sent(report.reference))
    await show(bot, notice, svc, report, locale, zone, chat_id=message.chat.id)
