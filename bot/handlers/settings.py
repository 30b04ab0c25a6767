"""/language: the chat's language, stored per chat."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import lazy_gettext as __

from bot.handlers.common import acknowledge, answer, chat_of
from bot.ui import callbacks as cb
from bot.ui import keyboards, texts
from core.config import SUPPORTED_LOCALES
from core.services import Services

router = Router(name=__name__)


@router.message(Command("language"))
@router.message(F.text == __("🌐 Language"))
async def choose(message: Message, locale: str) -> None:
    """Offer the shipped languages."""
    await message.answer(texts.choose_language(), reply_markup=keyboards.languages(locale))


@router.callback_query(cb.SetLanguage.filter(F.code.in_(SUPPORTED_LOCALES)))
async def set_language(
    callback: CallbackQuery, callback_data: cb.SetLanguage, svc: Services, i18n: I18n
) -> None:
    """Store the choice and answer in the new language, with the menu in it."""
    chat_id = chat_of(callback)
    await svc.chats.set_locale(chat_id, callback_data.code)
    i18n.current_locale = callback_data.code
    await acknowledge(callback)
    await answer(callback, texts.language_set())
    if callback.bot is not None:
        await callback.bot.send_message(
            chat_id, texts.welcome(), reply_markup=keyboards.main_menu()
        )
