"""Filing a question or report, first steps: where (a project or a shared place), which
category, the text. Photos, "Is it one of these?" and filing are in `report_photos`."""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import lazy_gettext as __

from bot.handlers.common import acknowledge, answer, answer_after_commit
from bot.middlewares import AfterCommit
from bot.states import Reporting
from bot.ui import keyboards
from bot.ui import report_callbacks as rcb
from bot.ui import report_keyboards as rk
from bot.ui import report_texts as rt
from core.errors import DomainError, InvalidInput, NotFound
from core.projects.queries import ProjectQuery
from core.reports.schemas import MAX_PHOTO_BYTES, MAX_PHOTOS, MAX_TEXT
from core.services import Services

logger = logging.getLogger(__name__)

router = Router(name=__name__)

DRAFT = "report"
PLACE_RADIUS_M = 300
PLACE_CHOICES = 5
IS_IMAGE_FILE = F.document.mime_type.startswith("image/")


async def draft(state: FSMContext) -> dict[str, object]:
    """The report being written (FSM data)."""
    value = (await state.get_data()).get(DRAFT)
    return dict(value) if isinstance(value, dict) else {}


async def save(state: FSMContext, **values: object) -> dict[str, object]:
    """Add to the draft; the whole draft back."""
    current = {**(await draft(state)), **values}
    await state.update_data({DRAFT: current})
    return current


def photo_of(message: Message) -> tuple[str, int | None]:
    """The photo as Telegram names it ("p:" a photo, "d:" an image file) and the size
    Telegram gives."""
    if message.photo:
        largest = message.photo[-1]
        return f"p:{largest.file_id}", largest.file_size
    assert message.document is not None  # noqa: S101 - guarded by the filters
    return f"d:{message.document.file_id}", message.document.file_size


def photo_ids(current: dict[str, object]) -> list[str]:
    """The draft's photos so far: "r:<key>" a photo stored cleaned (a draft photo); "p:" and
    "d:" Telegram's names, kept by older versions and fetched at filing."""
    photos = current.get("photos")
    return [str(p) for p in photos] if isinstance(photos, list) else []


def draft_photo_ids(entries: list[str]) -> list[str]:
    """The keys of the stored draft photos among the draft's entries."""
    return [e[2:] for e in entries if e.startswith("r:") and len(e) > 2]


TOO_BIG = "too_big"  # store_photo's refusals; a stored photo's entry starts with "r:"
UNREADABLE = "unreadable"


async def store_photo(message: Message, bot: Bot, svc: Services, entry: str) -> str:
    """Fetch the photo from Telegram, clean it and store it as the chat's draft photo; the
    draft's entry ("r:<key>"), else TOO_BIG (the user is told) or UNREADABLE (the caller tells:
    the draft's photos all go, as the words say, and are asked for again)."""
    kind, file_id = entry.split(":", 1)
    buffer = await bot.download(file_id)
    content = buffer.read() if buffer is not None else b""
    if len(content) > MAX_PHOTO_BYTES:
        await message.answer(rt.photo_too_big())
        return TOO_BIG
    try:
        # A photo's file_id is kept to send it on; an image file's is not (Telegram sends a
        # Document's file_id as a document only).
        stored = await svc.reports.add_draft_photo(
            message.chat.id, content, file_id if kind == "p" else None
        )
    except InvalidInput as error:
        # Unreadable (bad_photo), or too many pixels to decode (invalid_input).
        logger.info("photo refused: %s", error.code)
        return UNREADABLE
    return f"r:{stored}"


async def drop_photos(message: Message, svc: Services, state: FSMContext) -> None:
    """An unreadable photo: none of the draft's photos are kept (the words are)."""
    await svc.reports.discard_draft_photos(
        message.chat.id, draft_photo_ids(photo_ids(await draft(state)))
    )
    await save(state, photos=[])


def bad_words(words: str) -> str | None:
    """Why these words cannot be a report's text, else None."""
    if not words or "\x00" in words:
        return rt.text_only()
    if len(words) > MAX_TEXT:
        return rt.text_too_long(len(words))
    return None


async def refusal(svc: Services, chat_id: int) -> str | None:
    """Why this chat may not file now (blocked, or the hourly limit), else None."""
    try:
        await svc.reports.check_may_file(chat_id)
    except DomainError as error:
        if error.code == "reporting_blocked":
            return rt.blocked(str(error))
        return rt.limit_reached()
    return None


async def ask_category(
    event: Message | CallbackQuery, svc: Services, state: FSMContext, locale: str
) -> None:
    """The place is known: which category?"""
    current = await draft(state)
    title = current.get("title")
    await state.set_state(Reporting.category)
    markup = rk.categories(svc.reports.categories(), locale)
    await answer(event, rt.choose_category(title if isinstance(title, str) else None), markup)


@router.message(Command("report"))
@router.message(F.text == __("❓ Ask or report"))
async def begin(message: Message, svc: Services, state: FSMContext) -> None:
    """/report or the menu: first, where is it?"""
    await state.set_state(None)
    if (refused := await refusal(svc, message.chat.id)) is not None:
        await message.answer(refused)
        return
    await state.update_data({DRAFT: {}})
    await state.set_state(Reporting.place)
    await message.answer(rt.start(), reply_markup=keyboards.main_menu())


@router.callback_query(rcb.ReportNew.filter())
async def begin_from_card(
    callback: CallbackQuery,
    callback_data: rcb.ReportNew,
    svc: Services,
    state: FSMContext,
    locale: str,
) -> None:
    """The card's "Ask or report": the report is about that project and its place."""
    await acknowledge(callback)
    chat_id = callback.message.chat.id if callback.message else callback.from_user.id
    if (refused := await refusal(svc, chat_id)) is not None:
        await answer(callback, refused)
        return
    try:
        card = await svc.projects.get_card(callback_data.p, locale)
    except NotFound:
        await answer(callback, rt.project_gone())
        return
    await state.update_data({DRAFT: {"project_id": card.id, "title": card.title}})
    await ask_category(callback, svc, state, locale)


@router.message(StateFilter(Reporting), F.text.startswith("/"))
async def other_command(message: Message, state: FSMContext) -> None:
    """A command leaves the flow, then runs as usual."""
    await state.set_state(None)
    raise SkipHandler


@router.message(Reporting.place, F.location)
async def place(message: Message, svc: Services, state: FSMContext, locale: str) -> None:
    """A shared place: the projects right there, or the place itself."""
    point = message.location
    if point is None:  # pragma: no cover - guarded by the filter
        return
    query = ProjectQuery(
        lat=point.latitude,
        lon=point.longitude,
        radius_m=PLACE_RADIUS_M,
        limit=PLACE_CHOICES,
        lang=locale,
    )
    found = [[p.id, p.title] for p in (await svc.projects.find(query)).items]
    await save(state, lat=point.latitude, lon=point.longitude, found=found)
    markup = rk.places([title for _, title in found])
    await message.answer(rt.pick_place(bool(found)), reply_markup=markup)


@router.message(Reporting.place)
async def place_hint(message: Message) -> None:
    """Anything but a location while the place is awaited."""
    await message.answer(rt.start(), reply_markup=keyboards.main_menu())


@router.callback_query(rcb.ReportPlace.filter(), Reporting.place)
async def chose_place(
    callback: CallbackQuery,
    callback_data: rcb.ReportPlace,
    svc: Services,
    state: FSMContext,
    locale: str,
) -> None:
    """One of the projects, or the place itself (-1)."""
    await acknowledge(callback)
    found = (await draft(state)).get("found")
    found = found if isinstance(found, list) else []
    if callback_data.n >= len(found):
        await answer(callback, rt.project_gone())
        return
    if callback_data.n >= 0:
        project_id, title = found[callback_data.n]
        await save(state, project_id=project_id, title=title)
    await ask_category(callback, svc, state, locale)


@router.callback_query(rcb.ReportCategory.filter(), Reporting.category)
async def chose_category(
    callback: CallbackQuery,
    callback_data: rcb.ReportCategory,
    svc: Services,
    state: FSMContext,
    locale: str,
) -> None:
    """The category: now the text."""
    await acknowledge(callback)
    try:
        category = svc.reports.category(callback_data.c)
    except DomainError:
        await ask_category(callback, svc, state, locale)
        return
    await save(state, category=category.code)
    await state.set_state(Reporting.text)
    name = rt.category_name(category, locale)
    await answer(callback, rt.ask_text(name), rk.cancel_only())


@router.message(Reporting.text, F.text)
async def text(message: Message, state: FSMContext) -> AfterCommit | None:
    """The words of the report (up to 4,000 characters): now the photos."""
    return await take_text(message, state, (message.text or "").strip())


@router.message(Reporting.text, F.photo | IS_IMAGE_FILE)
async def photo_first(
    message: Message, bot: Bot, svc: Services, state: FSMContext
) -> AfterCommit | None:
    """A photo before the text: kept (cleaned and stored) as the first photo; its caption, if
    any, is the text (as a user who sends a captioned photo expects), else the text is asked
    for."""
    entry, size = photo_of(message)
    if size is not None and size > MAX_PHOTO_BYTES:
        await message.answer(rt.photo_too_big())
        return None
    if len(photo_ids(await draft(state))) < MAX_PHOTOS:
        stored = await store_photo(message, bot, svc, entry)
        if stored == TOO_BIG:
            return None
        if stored == UNREADABLE:
            await drop_photos(message, svc, state)
            return answer_after_commit(message, rt.bad_photo(), rk.cancel_only())
        await save(state, photos=[*photo_ids(await draft(state)), stored])
    words = (message.caption or "").strip()
    if not words:
        return answer_after_commit(message, rt.photo_kept(), rk.cancel_only())
    return await take_text(message, state, words)


async def take_text(message: Message, state: FSMContext, words: str) -> AfterCommit:
    """The text is known: on to the photos (those sent before the text are kept); the
    answer, sent after the commit (a photo sent first was stored in this update)."""
    if (refused := bad_words(words)) is not None:
        return answer_after_commit(message, refused)
    photos = photo_ids(await draft(state))
    await save(state, text=words, photos=photos)
    await state.set_state(Reporting.photos)
    if photos:
        return answer_after_commit(message, rt.photo_added(len(photos)), rk.photos(len(photos)))
    return answer_after_commit(message, rt.ask_photos(), rk.photos(0))


@router.message(Reporting.text)
async def text_hint(message: Message) -> None:
    """Voice, stickers, videos, other files… while the text is awaited."""
    is_media = message.content_type != "text"
    await message.answer(rt.refused_media() if is_media else rt.text_only())


@router.callback_query(rcb.ReportCancel.filter())
async def cancel(callback: CallbackQuery, state: FSMContext) -> None:
    """The Cancel button of any step: nothing is filed."""
    await acknowledge(callback)
    await state.set_state(None)
    await state.update_data({DRAFT: {}})
    await answer(callback, rt.cancelled())
