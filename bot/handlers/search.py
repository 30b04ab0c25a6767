"""/search: text search over titles, descriptions and addresses in every stored language."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import lazy_gettext as __

from bot.handlers.common import Flow, acknowledge, answer, show_search
from bot.ui import callbacks as cb
from bot.ui import texts
from core.services import Services

router = Router(name=__name__)


@router.message(Command("search"))
@router.message(F.text == __("🔎 Search"))
async def search(
    message: Message,
    svc: Services,
    state: FSMContext,
    locale: str,
    command: CommandObject | None = None,
) -> None:
    """`/search words` searches at once; without words, ask for them."""
    words = (command.args or "").strip() if command is not None else ""
    if not words:
        await state.set_state(Flow.words)
        await message.answer(texts.ask_words())
        return
    await state.set_state(None)
    await show_search(message, svc, state, words, 0, locale)


@router.callback_query(cb.SearchPage.filter(F.p >= 0))
async def page(
    callback: CallbackQuery,
    callback_data: cb.SearchPage,
    svc: Services,
    state: FSMContext,
    locale: str,
) -> None:
    """Next/previous page of the last search."""
    await acknowledge(callback)
    words = (await state.get_data()).get("words")
    if not isinstance(words, str):
        await answer(callback, texts.list_expired())
        return
    await show_search(callback, svc, state, words, callback_data.p, locale)
