"""What several handlers share: answering in place, and showing lists and cards."""

from __future__ import annotations

import contextlib
import logging
from functools import partial

from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, ReplyKeyboardMarkup

from bot.middlewares import AfterCommit
from bot.ui import callbacks as cb
from bot.ui import keyboards, texts
from core.paging import encode_cursor
from core.projects.queries import ProjectQuery
from core.services import Services

logger = logging.getLogger(__name__)

PAGE_SIZE = 5
MAX_SEARCH_CHARS = 200
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup


class Flow(StatesGroup):
    """What the bot is waiting for."""

    location = State()
    words = State()


def chat_of(callback: CallbackQuery) -> int:
    """The chat the pressed button's message is in (a group's, not the presser's own chat)."""
    message = callback.message
    return message.chat.id if message is not None else callback.from_user.id


async def acknowledge(callback: CallbackQuery, text: str | None = None) -> None:
    """Stop the button's spinner; an expired query is not worth an error."""
    with contextlib.suppress(TelegramBadRequest):
        await callback.answer(text)


async def answer(event: Message | CallbackQuery, text: str, markup: Markup | None = None) -> None:
    """Reply to a message, or replace the message whose button was pressed."""
    if isinstance(event, Message):
        await event.answer(text, reply_markup=markup)
        return
    message = event.message
    if isinstance(message, Message) and not isinstance(markup, ReplyKeyboardMarkup):
        try:
            await message.edit_text(text, reply_markup=markup)
            return
        except TelegramBadRequest:
            logger.debug("could not edit message %s; sending anew", message.message_id)
    if event.bot is not None:
        await event.bot.send_message(chat_of(event), text, reply_markup=markup)


def answer_after_commit(
    event: Message | CallbackQuery, text: str, markup: Markup | None = None
) -> AfterCommit:
    """`answer`, sent once the update's unit of work has committed: what a handler that
    wrote returns (see `AfterCommit`)."""
    return AfterCommit(partial(answer, event, text, markup))


def _cursor(page: int) -> str | None:
    return encode_cursor(page * PAGE_SIZE) if page > 0 else None


async def show_nearby(
    event: Message | CallbackQuery,
    svc: Services,
    state: FSMContext,
    page: cb.NearPage,
    locale: str,
) -> None:
    """A page of projects around a point; a wider radius offered when there are none."""
    query = ProjectQuery(
        lat=cb.from_e5(page.lat),
        lon=cb.from_e5(page.lon),
        radius_m=page.r,
        limit=PAGE_SIZE,
        cursor=_cursor(page.p),
        lang=locale,
    )
    result = await svc.projects.find(query)
    await state.update_data(listing=page.pack())
    if not result.items:
        is_widest = page.r >= cb.RADII_M[-1]
        text = texts.nothing_nearby(page.r, locale, is_widest)
        await answer(event, text, keyboards.wider_radius(page, locale))
        return
    has_more = result.next_cursor is not None
    text = texts.nearby(result.items, page.r, page.p, PAGE_SIZE, locale)
    await answer(
        event, text, keyboards.nearby_list(result.items, page, has_more, locale, PAGE_SIZE)
    )


async def show_search(
    event: Message | CallbackQuery,
    svc: Services,
    state: FSMContext,
    words: str,
    page: int,
    locale: str,
) -> None:
    """A page of text search results (the words are kept for paging and "back")."""
    if len(words) > MAX_SEARCH_CHARS:
        await answer(event, texts.too_long())
        return
    query = ProjectQuery(q=words, limit=PAGE_SIZE, cursor=_cursor(page), lang=locale)
    result = await svc.projects.find(query)
    await state.update_data(listing=cb.SearchPage(p=page).pack(), words=words)
    if not result.items:
        await answer(event, texts.nothing_found(words))
        return
    text = texts.search_results(
        result.items, words, page, PAGE_SIZE, locale, result.total, result.total_is_lower_bound
    )
    has_more = result.next_cursor is not None
    await answer(event, text, keyboards.search_list(result.items, page, has_more, PAGE_SIZE))


async def show_listing(
    event: Message | CallbackQuery, svc: Services, state: FSMContext, locale: str
) -> bool:
    """Show the chat's last list again; False when there is none."""
    data = await state.get_data()
    listing = data.get("listing")
    if not isinstance(listing, str):
        return False
    if listing.startswith(cb.NearPage.__prefix__ + ":"):
        await show_nearby(event, svc, state, cb.NearPage.unpack(listing), locale)
        return True
    words = data.get("words")
    if not isinstance(words, str):
        return False
    page = cb.SearchPage.unpack(listing).p
    await show_search(event, svc, state, words, page, locale)
    return True
