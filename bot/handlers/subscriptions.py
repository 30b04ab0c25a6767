"""/subscriptions, area subscriptions and removal."""

from __future__ import annotations

import contextlib

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import lazy_gettext as __

from bot.handlers.common import acknowledge, answer, chat_of
from bot.ui import callbacks as cb
from bot.ui import keyboards, texts
from core.errors import NotFound
from core.services import Services

router = Router(name=__name__)


@router.message(Command("subscriptions"))
@router.message(F.text == __("🔔 Subscriptions"))
async def list_subscriptions(message: Message, svc: Services, locale: str) -> None:
    """What the chat follows, each with a remove button."""
    items = await svc.subscriptions.list(message.chat.id, locale)
    await message.answer(
        texts.subscriptions(items, locale), reply_markup=keyboards.subscriptions(items)
    )


@router.callback_query(cb.AreaSub.filter(F.r.in_(cb.RADII_M)))
async def subscribe_area(
    callback: CallbackQuery, callback_data: cb.AreaSub, svc: Services, locale: str
) -> None:
    """Follow works within the radius of the point."""
    lat, lon = cb.from_e5(callback_data.lat), cb.from_e5(callback_data.lon)
    chat_id = chat_of(callback)
    await svc.subscriptions.subscribe_area(chat_id, lat, lon, callback_data.r)
    note = texts.subscribed_area(callback_data.r, locale)
    await acknowledge(callback, note)
    if callback.bot is not None:
        await callback.bot.send_message(chat_id, note)


@router.callback_query(cb.RemoveSub.filter())
async def remove(
    callback: CallbackQuery, callback_data: cb.RemoveSub, svc: Services, locale: str
) -> None:
    """Remove one subscription and redraw the list."""
    chat_id = chat_of(callback)
    # Already removed (a double tap, another device): the redraw below shows the truth.
    with contextlib.suppress(NotFound):
        await svc.subscriptions.remove(chat_id, callback_data.id)
    await acknowledge(callback, texts.removed())
    items = await svc.subscriptions.list(chat_id, locale)
    await answer(callback, texts.subscriptions(items, locale), keyboards.subscriptions(items))
