"""The project card: open, subscribe or unsubscribe, back to the list."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.handlers.card_photos import send_photos
from bot.handlers.common import acknowledge, answer, chat_of, show_listing
from bot.ui import callbacks as cb
from bot.ui import keyboards, report_keyboards, report_thread_texts, texts
from bot.ui.card import card_text, short_description
from bot.ui.texts import esc
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


@dataclass(frozen=True)
class CardView:
    """How a card is drawn: the reader's locale and zone, the API's public URL."""

    locale: str
    zone: ZoneInfo
    api_url: str = ""
    with_photos: bool = False  # only when the card is opened, not when it is redrawn


async def show_card(
    event: Message | CallbackQuery,
    svc: Services,
    state: FSMContext,
    project_id: str,
    view: CardView,
    chat_id: int,
) -> None:
    """Render a project card with its buttons (photos first); a polite note when it is gone."""
    try:
        card = await svc.projects.get_card(project_id, view.locale)
    except NotFound:
        await answer(event, texts.project_gone())
        return
    if view.with_photos and event.bot is not None:
        await send_photos(event.bot, chat_id, card, svc)
    is_subscribed = await svc.subscriptions.is_subscribed(chat_id, card.id)
    listing = (await state.get_data()).get("listing")
    has_more = short_description(card)[1]
    area, has_list = _area(card, listing), listing is not None
    counts = (card.reports.open, card.reports.answered) if card.reports else (0, 0)
    extra = report_keyboards.card_rows(card.id, counts)
    markup = keyboards.card(card.id, is_subscribed, area, has_list, has_more, extra)
    text = card_text(card, view.locale, view.zone, view.api_url)
    if any(counts):
        text += "\n" + report_thread_texts.card_line(*counts)
    figures = card.reports and report_thread_texts.card_figures(card.reports, view.locale)
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
    api_url: str,
) -> None:
    """A list item's button."""
    await acknowledge(callback)
    view = CardView(locale, zone, api_url, with_photos=True)
    await show_card(callback, svc, state, callback_data.id, view, chat_of(callback))


@router.callback_query(cb.CardMore.filter())
async def more(
    callback: CallbackQuery, callback_data: cb.CardMore, svc: Services, locale: str
) -> None:
    """The whole description, as a message of its own under the card."""
    await acknowledge(callback)
    try:
        card = await svc.projects.get_card(callback_data.id, locale)
    except NotFound:
        await answer(callback, texts.project_gone())
        return
    if callback.bot is not None:
        text = f"<b>{esc(card.title)}</b>\n{esc(card.description)}"
        await callback.bot.send_message(chat_of(callback), text)


@router.callback_query(cb.ProjectSub.filter())
async def toggle_subscription(
    callback: CallbackQuery,
    callback_data: cb.ProjectSub,
    svc: Services,
    state: FSMContext,
    locale: str,
    zone: ZoneInfo,
    api_url: str,
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
    await show_card(
        callback, svc, state, callback_data.id, CardView(locale, zone, api_url), chat_id
    )


@router.callback_query(cb.BackToList.filter())
async def back(callback: CallbackQuery, svc: Services, state: FSMContext, locale: str) -> None:
    """Back to the list the card was opened from."""
    await acknowledge(callback)
    if not await show_listing(callback, svc, state, locale):
        await answer(callback, texts.list_expired())
