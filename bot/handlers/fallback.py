"""Last in line: plain text is a search; anything else gets a short, polite answer."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.handlers.common import acknowledge, show_search
from bot.ui import keyboards, texts
from core.services import Services

router = Router(name=__name__)


@router.message(CommandStart(deep_link=True))
async def unknown_link(message: Message) -> None:
    """A /start payload no feature handles (or not yet)."""
    await message.answer(texts.unknown_link(), reply_markup=keyboards.main_menu())


@router.message(F.text.startswith("/"))
async def unknown_command(message: Message) -> None:
    """A command we do not know: say so, then what we do know."""
    command = (message.text or "").split(maxsplit=1)[0]
    text = texts.unknown_command(command) + "\n\n" + texts.help_text()
    await message.answer(text, reply_markup=keyboards.main_menu())


@router.message(F.text.len() > 0)
async def text_search(message: Message, svc: Services, state: FSMContext, locale: str) -> None:
    """Plain text searches projects."""
    await state.set_state(None)
    await show_search(message, svc, state, (message.text or "").strip(), 0, locale)


@router.message()
async def anything_else(message: Message) -> None:
    """Stickers, photos, voice… explain what works."""
    await message.answer(texts.unsupported())


@router.callback_query()
async def stale_button(callback: CallbackQuery) -> None:
    """A button from an older version of the bot, or with tampered data."""
    await acknowledge(callback, texts.stale_button())
