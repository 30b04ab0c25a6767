"""/start (with project deep links), /help and /cancel."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import lazy_gettext as __

from bot.handlers.cards import CardView, show_card
from bot.ui import keyboards, texts
from core.services import Services

router = Router(name=__name__)


@router.message(CommandStart(magic=F.args.is_(None)))
async def start(message: Message, state: FSMContext) -> None:
    """Greet in the reader's language with the main menu."""
    await state.set_state(None)
    await message.answer(texts.welcome(), reply_markup=keyboards.main_menu())


@router.message(CommandStart(deep_link=True, magic=F.args.startswith("p_")))
async def start_project(
    message: Message,
    command: CommandObject,
    svc: Services,
    state: FSMContext,
    locale: str,
    zone: ZoneInfo,
    api_url: str,
) -> None:
    """`/start p_<project id>`: the links printed on site boards open the project card."""
    await state.set_state(None)
    await message.answer(texts.welcome(), reply_markup=keyboards.main_menu())
    project_id = (command.args or "")[2:]
    view = CardView(locale, zone, api_url, with_photos=True)
    await show_card(message, svc, state, project_id, view, message.chat.id)


@router.message(Command("help"))
@router.message(F.text == __("❓ Help"))
async def show_help(message: Message) -> None:
    """A few lines on everything the bot does."""
    await message.answer(texts.help_text(), reply_markup=keyboards.main_menu())


@router.message(Command("cancel"))
async def cancel(message: Message, state: FSMContext) -> None:
    """Leave any flow."""
    await state.set_state(None)
    await message.answer(texts.cancelled(), reply_markup=keyboards.main_menu())
