"""A worker's own wages: link the chat by code, /unlink, /wages, and the report button."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n

from bot.handlers.common import acknowledge, chat_of
from bot.middlewares import AfterCommit
from bot.ui import wage_texts
from bot.ui.notices.wages import ReportWage
from core.errors import NotFound, PermissionDenied
from core.services import Services
from core.wages.policy import WagePolicy

router = Router(name=__name__)

WAGE_COMMANDS = ("link", "unlink", "wages")
LINK_PREFIX = "w_"
MAX_CODE_CHARS = 64


class Linking(StatesGroup):
    """/link without a code: the next text is the code."""

    code = State()


@router.message(Command(*WAGE_COMMANDS), F.chat.type != ChatType.PRIVATE)
@router.message(
    CommandStart(deep_link=True, magic=F.args.startswith(LINK_PREFIX)),
    F.chat.type != ChatType.PRIVATE,
)
async def private_only(message: Message) -> None:
    """Wages are never shown or linked in a group, where others would read them."""
    await message.answer(wage_texts.private_only())


@router.message(CommandStart(deep_link=True, magic=F.args.startswith(LINK_PREFIX)))
async def start_link(
    message: Message,
    command: CommandObject,
    svc: Services,
    state: FSMContext,
    locale: str,
    zone: ZoneInfo,
) -> None:
    """`/start w_<code>`: the link from the site office."""
    await state.set_state(None)
    code = (command.args or "")[len(LINK_PREFIX) :]
    await redeem(message, svc, code, locale, zone)


@router.message(Command("link"))
async def link(
    message: Message,
    command: CommandObject,
    svc: Services,
    state: FSMContext,
    locale: str,
    zone: ZoneInfo,
) -> None:
    """`/link <code>`, or `/link` alone and the code next."""
    if not command.args:
        await state.set_state(Linking.code)
        await message.answer(wage_texts.ask_code())
        return
    await state.set_state(None)
    await redeem(message, svc, command.args, locale, zone)


@router.message(Linking.code, F.text, ~F.text.startswith("/"))
async def link_code(
    message: Message, svc: Services, state: FSMContext, locale: str, zone: ZoneInfo
) -> None:
    """The code after a bare /link."""
    await state.set_state(None)
    await redeem(message, svc, message.text or "", locale, zone)


async def redeem(message: Message, svc: Services, code: str, locale: str, zone: ZoneInfo) -> None:
    """Redeem a code for this chat and say how it went."""
    code = code.strip()[:MAX_CODE_CHARS]
    result = await svc.wages.redeem_code(message.chat.id, code, lang=locale)
    if result.status == "linked":
        text = wage_texts.linked(result.first_name, result.project_titles)
    elif result.status == "locked":
        text = wage_texts.locked(result.locked_until, zone, locale)
    else:
        text = wage_texts.invalid_code()
    await message.answer(text)


@router.message(Command("unlink"))
async def unlink(message: Message, svc: Services, state: FSMContext) -> None:
    """Stop wage alerts to this chat."""
    await state.set_state(None)
    was_linked = await svc.wages.unlink(message.chat.id)
    await message.answer(wage_texts.unlinked(was_linked))


@router.message(Command("wages"))
async def wages(message: Message, svc: Services, i18n: I18n, wage_policy: WagePolicy) -> None:
    """The linked worker's last six pay periods, in the language of their wage alerts; how to
    link otherwise."""
    mine = await svc.wages.my_wages(message.chat.id, wage_policy, limit=6)
    if mine is None:
        await message.answer(wage_texts.not_linked())
        return
    with i18n.use_locale(mine.locale):
        text = wage_texts.my_wages(mine, mine.locale)
    await message.answer(text)


@router.callback_query(ReportWage.filter())
async def report(
    callback: CallbackQuery, callback_data: ReportWage, svc: Services
) -> AfterCommit | None:
    """The alert's "report unpaid wages" button: file once, answer with the reference once
    the report is committed."""
    chat_id = chat_of(callback)
    try:
        filed = await svc.wages.report_unpaid(chat_id, callback_data.e)
    except (NotFound, PermissionDenied):
        # The same answer for someone else's entry and for none at all: nothing is revealed.
        await acknowledge(callback, wage_texts.report_refused())
        return None
    text = wage_texts.report_filed(filed)

    async def answer_filed() -> None:
        await acknowledge(callback)
        if callback.bot is not None:
            await callback.bot.send_message(chat_id, text)

    return AfterCommit(answer_filed)
