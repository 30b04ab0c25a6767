"""Shared locations and /near: the nearest projects, paged, with radius buttons."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.handlers.common import Flow, acknowledge, show_nearby
from bot.ui import callbacks as cb
from bot.ui import keyboards, texts
from core.services import Services

router = Router(name=__name__)


@router.message(Command("near"))
async def near(message: Message, state: FSMContext) -> None:
    """Ask for a location."""
    await state.set_state(Flow.location)
    await message.answer(texts.ask_location(), reply_markup=keyboards.main_menu())


@router.message(F.location)
async def location(message: Message, svc: Services, state: FSMContext, locale: str) -> None:
    """Projects within the default radius of the shared point."""
    point = message.location
    if point is None:  # pragma: no cover - guarded by the filter
        return
    await state.set_state(None)
    page = cb.NearPage(
        lat=cb.to_e5(point.latitude), lon=cb.to_e5(point.longitude), r=cb.DEFAULT_RADIUS_M
    )
    await show_nearby(message, svc, state, page, locale)


@router.message(Flow.location)
async def not_a_location(message: Message) -> None:
    """Anything but a location while one is awaited."""
    await message.answer(texts.still_waiting_location())


@router.callback_query(cb.NearPage.filter(F.r.in_(cb.RADII_M) & (F.p >= 0)))
async def page_or_radius(
    callback: CallbackQuery,
    callback_data: cb.NearPage,
    svc: Services,
    state: FSMContext,
    locale: str,
) -> None:
    """Next/previous page, or another radius."""
    await acknowledge(callback)
    await show_nearby(callback, svc, state, callback_data, locale)
