"""The project card: open, subscribe or unsubscribe, back to the list."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.handlers.common import acknowledge, answer, chat_of, show_listing
from bot.ui import callbacks as cb
from bot.ui import keyboards, report_keyboards, report_thread_texts, texts
from bot.ui.card import card_text
from core.errors import NotFound
from core.projects.schemas import ProjectCard
from core.services import Services

router = Router(name=__name__)


def _area(card: ProjectCard, listing: object) -> cb.AreaSub | None:
    """Around the point the list was searched from, else around the project, 1 km."""
    if isinstance(listing, str) and listing.startswith(cb.NearPage.__prefix__ + ":"):
        page = cb.NearPage.unpack(listing)
        return cb.AreaSub(lat=page.lat, lon=page.lon, r=page.r)
    point = next((loc for loc in card.locations if loc.lat is not None), None)
    if point is None or point.lat is None or point.lon is None:
        return None
    return cb.AreaSub(lat=cb.to_e5(point.lat), lon=cb.to_e5(point.lon), r=cb.DEFAULT_RADIUS_M)


async def show_card(
    event: Message | CallbackQuery,
    svc: Services,
    state: FSMContext,
    project_id: str,
    locale: str,
    zone: ZoneInfo,
    chat_id: int,
) -> None:
    """Render a project card with its buttons; a polite note when it is gone."""
    try:
        card = await svc.projects.get_card(project_id, locale)
    except NotFound:
        await answer(event, texts.project_gone())
        return
    is_subscribed = await svc.subscriptions.is_subscribed(chat_id, card.id)
    listing = (await state.get_data()).get("listing")
    counts = (card.reports.open, card.reports.answered) if card.reports else (0, 0)
    extra = report_keyboards.card_rows(card.id, counts)
    markup = keyboards.card(
        card.id, is_subscribed, _area(card, listing), listing is not None, extra
    )
    text = card_text(card, locale, zone)
    if any(counts):
        text += "\n" + report_thread_texts.card_line(*counts)
    figures = card.reports and report_thread_texts.card_figures(card.reports, locale)
    if figures:
        text += "\n" + figures
    await answer(event, text, markup)


@router.callback_query(cb.OpenCard.filter())
async def open_card(
    callback: CallbackQuery,
    callback_data: cb.OpenCard,
    svc: Services,
    state: FSMContext,
    locale: str,
    zone: ZoneInfo,
) -> None:
    """A list item's button."""
    await acknowledge(callback)
    await show_card(callback, svc, state, callback_data.id, locale, zone, chat_of(callback))


@router.callback_query(cb.ProjectSub.filter())
async def toggle_subscription(
    callback: CallbackQuery,
    callback_data: cb.ProjectSub,
    svc: Services,
    state: FSMContext,
    locale: str,
    zone: ZoneInfo,
) -> None:
    """Subscribe or unsubscribe, then redraw the card with the other button."""
    chat_id = chat_of(callback)
    try:
        if callback_data.on:
            await svc.subscriptions.subscribe_project(chat_id, callback_data.id)
            note = texts.subscribed_project()
        else:
            await svc.subscriptions.unsubscribe_project(chat_id, callback_data.id)
            note = texts.unsubscribed_project()
    except NotFound:
        note = texts.project_gone()
    await acknowledge(callback, note)
    await show_card(callback, svc, state, callback_data.id, locale, zone, chat_id)


@router.callback_query(cb.BackToList.filter())
async def back(callback: CallbackQuery, svc: Services, state: FSMContext, locale: str) -> None:
    """Back to the list the card was opened from."""
    await acknowledge(callback)
    if not await show_listing(callback, svc, state, locale):
        await answer(callback, texts.list_expired())
