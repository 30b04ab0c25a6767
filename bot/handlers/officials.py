"""Officials only: their command menu and /help, and /broadcast (audience, text, preview, send).

The router is gated to officials in private chats: for anyone else every update falls through
to the other routers (/broadcast is an unknown command there, the flow's buttons are stale).
Only the updates it can act on are checked against the officials table, so the citizens'
locations, searches and buttons cost no extra query.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from aiogram import Bot, F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandStart, StateFilter, or_f
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import lazy_gettext as __

from bot.commands import register_official_commands
from bot.filters import IsOfficial
from bot.handlers.common import MAX_SEARCH_CHARS, PAGE_SIZE, acknowledge, answer
from bot.handlers.officials_draft import (
    DRAFT,
    ask_text,
    close_preview,
    draft,
    leave,
    save,
    sender_name,
)
from bot.states import Compose
from bot.ui import broadcast_texts as bt
from bot.ui import callbacks as cb
from bot.ui import keyboards, texts
from bot.ui.notices.broadcast import broadcast as broadcast_notice
from core.broadcasts.schemas import MAX_TEXT, AreaAudience, BroadcastCreate
from core.broadcasts.service import TELEGRAM_AUTHOR
from core.config import SUPPORTED_LOCALES
from core.projects.queries import ProjectQuery
from core.services import Services

logger = logging.getLogger(__name__)

router = Router(name=__name__)
router.message.filter(
    F.chat.type == ChatType.PRIVATE,
    or_f(StateFilter(Compose), Command("start", "broadcast", "help"), F.text == __("❓ Help")),
    IsOfficial(),
)
router.callback_query.filter(
    F.message.chat.type == ChatType.PRIVATE,
    or_f(StateFilter(Compose), cb.SetLanguage.filter()),
    IsOfficial(),
)

AUDIENCE_KINDS = {"p": "project", "w": "workers", "a": "area", "all": "all"}
# After `other_command` skips on, the rest of this router still sees the old state: every
# step handler that takes text must refuse commands.
NOT_COMMAND = ~F.text.startswith("/")


async def set_menu(bot: Bot, i18n: I18n, chat_id: int, locale: str) -> None:
    """The official's own command menu (with /broadcast); a failure only costs the menu."""
    try:
        await register_official_commands(bot, i18n, chat_id, locale)
    except TelegramAPIError:
        logger.warning("could not set the command menu of official chat %s", chat_id)


@router.message(CommandStart())
async def official_menu(message: Message, bot: Bot, i18n: I18n, locale: str) -> None:
    """An official's /start also sets their own command menu, then the usual welcome runs."""
    await set_menu(bot, i18n, message.chat.id, locale)
    raise SkipHandler


@router.callback_query(cb.SetLanguage.filter(F.code.in_(SUPPORTED_LOCALES)))
async def menu_language(
    callback: CallbackQuery, callback_data: cb.SetLanguage, bot: Bot, i18n: I18n
) -> None:
    """The official's menu follows a new language; then the usual handler stores it."""
    if callback.message is not None:
        await set_menu(bot, i18n, callback.message.chat.id, callback_data.code)
    raise SkipHandler


@router.message(Command("broadcast"))
async def begin(message: Message, state: FSMContext) -> None:
    """Start a new broadcast: who receives it?"""
    await state.set_state(Compose.audience)
    await state.update_data({DRAFT: {}})
    await message.answer(bt.choose_audience(), reply_markup=keyboards.broadcast_audiences())


@router.message(StateFilter(Compose), F.text.startswith("/"))
async def other_command(message: Message, state: FSMContext) -> None:
    """Any other command (/cancel among them) leaves the flow, then runs as usual."""
    await leave(state)
    raise SkipHandler


@router.message(Command("help"))
@router.message(F.text == __("❓ Help"))
async def official_help(message: Message) -> None:
    """Everyone's help, and what officials can do."""
    await message.answer(texts.help_text(official=True), reply_markup=keyboards.main_menu())


@router.callback_query(cb.BcSend.filter(~F.go), StateFilter(Compose))
async def cancel(callback: CallbackQuery, state: FSMContext) -> None:
    """The Cancel button of any step: nothing is written."""
    await leave(state)
    await acknowledge(callback)
    await answer(callback, bt.cancelled())


@router.callback_query(cb.BcAudience.filter(F.k.in_(AUDIENCE_KINDS)), Compose.audience)
async def chose_audience(
    callback: CallbackQuery, callback_data: cb.BcAudience, state: FSMContext, locale: str
) -> None:
    """A project (or its workers) is found by words; an area starts with a location."""
    await acknowledge(callback)
    kind = AUDIENCE_KINDS[callback_data.k]
    if kind == "all":
        await ask_text(callback, state, {"kind": "all"}, None, locale)
    elif kind == "area":
        await state.set_state(Compose.location)
        await answer(callback, bt.ask_location())
    else:
        await save(state, kind=kind)
        await state.set_state(Compose.words)
        await answer(callback, bt.ask_project_words())


@router.message(StateFilter(Compose.words, Compose.project), F.text, NOT_COMMAND)
async def project_words(message: Message, svc: Services, state: FSMContext, locale: str) -> None:
    """Search projects by words; the results become buttons."""
    words = (message.text or "").strip()[:MAX_SEARCH_CHARS]
    query = ProjectQuery(q=words, limit=PAGE_SIZE, lang=locale)
    found = [[p.id, p.title] for p in (await svc.projects.find(query)).items] if words else []
    if not found:
        await state.set_state(Compose.words)
        await message.answer(bt.no_project(words))
        return
    await save(state, found=found)
    await state.set_state(Compose.project)
    markup = keyboards.broadcast_projects([title for _, title in found])
    await message.answer(bt.choose_project(words), reply_markup=markup)


@router.callback_query(cb.BcProject.filter(F.n >= 0), Compose.project)
async def chose_project(
    callback: CallbackQuery, callback_data: cb.BcProject, state: FSMContext, locale: str
) -> None:
    """One of the projects found."""
    await acknowledge(callback)
    current = await draft(state)
    found = current.get("found") or []
    if callback_data.n >= len(found):
        await answer(callback, texts.list_expired())
        return
    project_id, title = found[callback_data.n]
    audience = {"kind": current.get("kind", "project"), "project_id": project_id}
    await ask_text(callback, state, audience, title, locale)


@router.message(Compose.location, F.location)
async def area_centre(message: Message, state: FSMContext, locale: str) -> None:
    """The centre of the area: now the radius."""
    point = message.location
    if point is None:  # pragma: no cover - guarded by the filter
        return
    await save(state, lat=point.latitude, lon=point.longitude)
    await state.set_state(Compose.radius)
    await message.answer(bt.ask_radius(), reply_markup=keyboards.broadcast_radii(locale))


@router.callback_query(cb.BcRadius.filter(F.r.in_(cb.RADII_M)), Compose.radius)
async def chose_radius(
    callback: CallbackQuery,
    callback_data: cb.BcRadius,
    svc: Services,
    state: FSMContext,
    locale: str,
) -> None:
    """The area is complete: an area nobody follows is said before the text is written."""
    await acknowledge(callback)
    current = await draft(state)
    audience = {
        "kind": "area",
        "lat": current["lat"],
        "lon": current["lon"],
        "radius_m": callback_data.r,
    }
    reach = await svc.broadcasts.count_recipients(AreaAudience.model_validate(audience))
    if reach == 0:
        await leave(state)
        await answer(callback, bt.nobody(bt.audience(audience, None, locale)))
        return
    await ask_text(callback, state, audience, None, locale)


@router.message(Compose.text, F.text, NOT_COMMAND)
async def write_text(message: Message, svc: Services, state: FSMContext, locale: str) -> None:
    """The message: preview it with the audience and how many it reaches now."""
    text, current = (message.text or "").strip(), await draft(state)
    if not text or len(text) > MAX_TEXT:
        await message.answer(bt.too_long() if text else bt.text_only())
        return
    sender = await sender_name(svc, message.chat.id)
    request = BroadcastCreate.model_validate(
        {"audience": current["audience"], "text": {locale: text}, "sender": sender}
    )
    count = await svc.broadcasts.count_recipients(request.audience)
    described = bt.audience(current["audience"], current.get("title"), locale)
    if count == 0:
        await leave(state)
        await message.answer(bt.nobody(described))
        return
    shown = broadcast_notice({"sender": sender, "text": text}, locale).text
    current = await save(
        state, request=request.model_dump(mode="json"), shown=[described, count, shown]
    )
    await state.set_state(Compose.confirm)
    await message.answer(preview_of(current, locale), reply_markup=options_of(current))


def preview_of(current: dict[str, Any], locale: str) -> str:
    """The preview text with the draft's urgency and expiry."""
    described, count, shown = current["shown"]
    urgent, hours = bool(current.get("urgent")), int(current.get("expires_h") or 0)
    return bt.preview(described, count, shown, locale, urgent, hours)


def options_of(current: dict[str, Any]) -> InlineKeyboardMarkup:
    """Send / cancel, and the urgency and expiry buttons with the draft's choice ticked."""
    return keyboards.broadcast_confirm(
        bool(current.get("urgent")), int(current.get("expires_h") or 0)
    )


@router.callback_query(cb.BcUrgent.filter(), Compose.confirm)
async def set_urgency(
    callback: CallbackQuery, callback_data: cb.BcUrgent, state: FSMContext, locale: str
) -> None:
    """Urgent (through quiet hours, with sound) or normal; the preview is redrawn."""
    await acknowledge(callback)
    current = await save(state, urgent=callback_data.on)
    await answer(callback, preview_of(current, locale), options_of(current))


@router.callback_query(cb.BcExpiry.filter(F.h.in_(cb.EXPIRY_HOURS)), Compose.confirm)
async def set_expiry(
    callback: CallbackQuery, callback_data: cb.BcExpiry, state: FSMContext, locale: str
) -> None:
    """Drop copies not sent within so many hours (0: never); the preview is redrawn."""
    await acknowledge(callback)
    current = await save(state, expires_h=callback_data.h)
    await answer(callback, preview_of(current, locale), options_of(current))


@router.callback_query(cb.BcSend.filter(F.go), Compose.confirm)
async def send(callback: CallbackQuery, svc: Services, state: FSMContext, locale: str) -> None:
    """Confirmed: write the broadcast and its deliveries; answer with its id and reach."""
    current = await draft(state)
    hours = int(current.get("expires_h") or 0)
    expires = svc.ctx.clock() + timedelta(hours=hours) if hours else None
    urgency = "urgent" if current.get("urgent") else "normal"
    request = BroadcastCreate.model_validate(
        {**current["request"], "urgency": urgency, "expires_at": expires}
    )
    # Leave first: a second press of the button finds no draft to send again.
    await leave(state)
    await acknowledge(callback)
    author = f"{TELEGRAM_AUTHOR}{callback.from_user.id}"
    made = await svc.broadcasts.create(author, request)
    await close_preview(callback, bt.queued(made.id, made.recipients, locale))


_HINTS = {
    Compose.words.state: bt.ask_project_words,
    Compose.location.state: bt.still_waiting_location,
    Compose.text.state: bt.text_only,
}


@router.message(StateFilter(Compose), NOT_COMMAND)
async def hint(message: Message, raw_state: str | None) -> None:
    """Anything else during the flow: say what is awaited."""
    await message.answer(_HINTS.get(raw_state or "", bt.use_buttons)())
