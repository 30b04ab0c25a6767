"""The citizen's reports after filing: /reports, a thread (also `/start r_<reference>`), a reply
in it, "Is it solved?" with a rating, and a project's public questions and reports."""

from __future__ import annotations

from typing import cast
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.handlers.common import acknowledge, answer, chat_of
from bot.handlers.report_thread_photos import send_photos
from bot.states import Reporting
from bot.ui import keyboards
from bot.ui import report_callbacks as rcb
from bot.ui import report_keyboards as rk
from bot.ui import report_texts as rt
from bot.ui import report_thread_texts as tt
from core.errors import DomainError
from core.reports.schemas import MAX_NOTE, FeedbackValue, RequestFilter
from core.services import Services

router = Router(name=__name__)

LIST_SIZE = 10
PUBLIC_LIST_SIZE = 5
REPLYING = "replying_to"


async def show_thread(
    event: Message | CallbackQuery,
    svc: Services,
    report_id: int,
    chat_id: int,
    locale: str,
    zone: ZoneInfo,
) -> None:
    """A report and its thread, as this chat may see it, then its photos."""
    try:
        thread = await svc.reports.thread_for_chat(report_id, chat_id, locale)
        is_own = await svc.reports.is_reporter(report_id, chat_id)
    except DomainError:
        await answer(event, tt.not_found())
        return
    categories = {c.code: c for c in svc.reports.categories()}
    text = tt.thread(thread, categories, locale, zone)
    await answer(event, text, rk.thread(thread.report, is_own))
    if thread.report.photos and event.bot is not None:
        await send_photos(event.bot, chat_id, thread.report.photos, svc)


async def show_mine(
    event: Message | CallbackQuery, svc: Services, chat_id: int, number: int, locale: str
) -> None:
    """A page of the chat's own reports, newest first; each opens its thread."""
    offset = number * LIST_SIZE
    page = await svc.reports.page_for_chat(chat_id, limit=LIST_SIZE, offset=offset, lang=locale)
    if not page.items and page.total > 0:
        number = 0  # a page that no longer exists: back to the newest
        page = await svc.reports.page_for_chat(chat_id, limit=LIST_SIZE, lang=locale)
    categories = {c.code: c for c in svc.reports.categories()}
    await answer(event, tt.mine(page, categories, locale), rk.mine(page, number))


@router.message(Command("reports"))
async def my_reports(message: Message, svc: Services, state: FSMContext, locale: str) -> None:
    """The chat's own reports, newest first; each opens its thread."""
    await state.set_state(None)
    await show_mine(message, svc, message.chat.id, 0, locale)


@router.callback_query(rcb.ReportsPage.filter(F.p >= 0))
async def mine_page(
    callback: CallbackQuery, callback_data: rcb.ReportsPage, svc: Services, locale: str
) -> None:
    """Newer or older reports, in place of the page shown."""
    await acknowledge(callback)
    await show_mine(callback, svc, chat_of(callback), callback_data.p, locale)


@router.message(CommandStart(deep_link=True, magic=F.args.regexp(r"^r_CR-[0-9A-Z]{8}$")))
async def start_report(
    message: Message,
    command: CommandObject,
    svc: Services,
    state: FSMContext,
    locale: str,
    zone: ZoneInfo,
) -> None:
    """`/start r_<reference>`: open that report."""
    await state.set_state(None)
    await message.answer(tt.opening(), reply_markup=keyboards.main_menu())
    try:
        report_id = await svc.reports.id_of((command.args or "")[2:])
    except DomainError:
        await message.answer(tt.not_found())
        return
    await show_thread(message, svc, report_id, message.chat.id, locale, zone)


@router.callback_query(rcb.ReportOpen.filter())
async def open_report(
    callback: CallbackQuery,
    callback_data: rcb.ReportOpen,
    svc: Services,
    locale: str,
    zone: ZoneInfo,
) -> None:
    """A report's button: its thread."""
    await acknowledge(callback)
    await show_thread(callback, svc, callback_data.id, chat_of(callback), locale, zone)


@router.callback_query(rcb.ReportReply.filter())
async def begin_reply(
    callback: CallbackQuery, callback_data: rcb.ReportReply, svc: Services, state: FSMContext
) -> None:
    """The reporter's next text message is a reply in the thread."""
    await acknowledge(callback)
    try:
        report = await svc.reports.get(callback_data.id)
    except DomainError:
        await answer(callback, tt.not_found())
        return
    await state.set_state(Reporting.reply)
    await state.update_data({REPLYING: report.id})
    if callback.message is not None and callback.bot is not None:
        await callback.bot.send_message(chat_of(callback), tt.ask_reply(report.reference))


@router.message(Reporting.reply, F.text, ~F.text.startswith("/"))
async def reply(message: Message, svc: Services, state: FSMContext) -> None:
    """The reply: into the thread, the officials in charge told."""
    words = (message.text or "").strip()
    if not words or len(words) > MAX_NOTE or "\x00" in words:
        await message.answer(rt.text_too_long(len(words)) if words else rt.text_only())
        return
    report_id = (await state.get_data()).get(REPLYING)
    await state.set_state(None)
    try:
        await svc.reports.reply(int(str(report_id)), message.chat.id, words)
    except (DomainError, ValueError):
        await message.answer(tt.cannot_reply())
        return
    await message.answer(tt.reply_sent())


@router.message(Reporting.reply, ~F.text)
async def reply_hint(message: Message) -> None:
    """Media while a reply is awaited."""
    await message.answer(rt.refused_media())


@router.callback_query(rcb.ReportFeedback.filter(F.v.in_(rcb.FEEDBACK)))
async def feedback(
    callback: CallbackQuery, callback_data: rcb.ReportFeedback, svc: Services
) -> None:
    """ "Is it solved?": taken at once ("no" reopens it); then the rating."""
    await acknowledge(callback)
    value = callback_data.v
    try:
        report = await svc.reports.feedback(callback_data.id, chat_of(callback), _value(value))
    except DomainError:
        await answer(callback, tt.feedback_closed())
        return
    reopened = value == "no" and report.status == "in_progress"
    text = f"{tt.thanks(reopened, report.reference)}\n\n{tt.ask_rating()}"
    await answer(callback, text, rk.rating(report.id, value))


@router.callback_query(rcb.ReportRate.filter(F.n.in_(range(1, 6)) & F.v.in_(rcb.FEEDBACK)))
async def rate(callback: CallbackQuery, callback_data: rcb.ReportRate, svc: Services) -> None:
    """The rating of the answer."""
    await acknowledge(callback)
    data = callback_data
    try:
        await svc.reports.feedback(data.id, chat_of(callback), _value(data.v), data.n)
    except DomainError:
        await answer(callback, tt.feedback_closed())
        return
    await answer(callback, tt.rated(data.n))


@router.callback_query(rcb.ReportPublic.filter())
async def public_list(
    callback: CallbackQuery, callback_data: rcb.ReportPublic, svc: Services, locale: str
) -> None:
    """A project's public questions and reports, with their latest answers."""
    await acknowledge(callback)
    query = RequestFilter(project_id=callback_data.p, page_size=PUBLIC_LIST_SIZE)
    items = await svc.reports.public_requests(query)
    try:
        title: str | None = (await svc.projects.get_card(callback_data.p, locale)).title
    except DomainError:
        title = None
    if callback.bot is not None:
        await callback.bot.send_message(chat_of(callback), tt.public_list(items, title))


def _value(value: str) -> FeedbackValue:
    # The filters let through only yes, partly and no.
    return cast("FeedbackValue", value)
