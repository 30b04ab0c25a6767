"""Filing, last steps: up to 5 photos (photo messages or image files) or skip, "Is it one of
these?" with Follow instead, then the report is filed and its reference answered at once."""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.handlers.common import acknowledge, answer, answer_after_commit, chat_of
from bot.handlers.report_filing import (
    DRAFT,
    IS_IMAGE_FILE,
    TOO_BIG,
    UNREADABLE,
    draft,
    draft_photo_ids,
    drop_photos,
    photo_ids,
    photo_of,
    save,
    store_photo,
)
from bot.middlewares import AfterCommit
from bot.states import Reporting
from bot.ui import report_callbacks as rcb
from bot.ui import report_keyboards as rk
from bot.ui import report_texts as rt
from core.errors import DomainError, InvalidInput
from core.reports.schemas import MAX_PHOTO_BYTES, MAX_PHOTOS, MAX_TEXT, PhotoIn, ReportCreate
from core.services import Services

logger = logging.getLogger(__name__)

router = Router(name=__name__)


@router.message(Reporting.photos, F.photo | IS_IMAGE_FILE)
async def photo(
    message: Message, bot: Bot, svc: Services, state: FSMContext, locale: str
) -> AfterCommit | None:
    """One more photo (its caption added to the text); the fifth goes straight on to filing."""
    entry, size = photo_of(message)
    if size is not None and size > MAX_PHOTO_BYTES:
        await message.answer(rt.photo_too_big())
        return None
    if len(photo_ids(await draft(state))) >= MAX_PHOTOS:
        await message.answer(rt.photos_full())
        return None
    # Fetched, cleaned and stored now, so that filing has nothing left to do but attach it.
    stored = await store_photo(message, bot, svc, entry)
    if stored == TOO_BIG:
        return None
    if stored == UNREADABLE:
        # Keep the words; only the photos go.
        await drop_photos(message, svc, state)
        return answer_after_commit(message, rt.bad_photo(), rk.photos(0))
    # A chat's updates are handled one at a time (events isolation, bot/dispatcher.py): an
    # album's photos and a Done pressed meanwhile wait for this one.
    current = await draft(state)
    photos = [*photo_ids(current), stored]
    note = _caption_note(current, (message.caption or "").strip())
    await save(state, photos=photos, text=str(current.get("text") or "") + note[0])
    if len(photos) < MAX_PHOTOS:
        said = "\n".join(filter(None, (rt.photo_added(len(photos)), note[1])))
        return answer_after_commit(message, said, rk.photos(len(photos)))
    if note[1]:
        await message.answer(note[1])
    return await similar_or_file(message, bot, svc, state, locale)


def _caption_note(current: dict[str, object], caption: str) -> tuple[str, str]:
    """What a photo's caption adds to the text (a new paragraph), and what to tell the user."""
    if not caption or "\x00" in caption:
        return "", ""
    words = str(current.get("text") or "")
    added = f"\n\n{caption}" if words else caption
    if len(words) + len(added) > MAX_TEXT:
        return "", rt.caption_left_out()
    return added, rt.caption_added()


@router.message(Reporting.photos)
async def not_a_photo(message: Message, state: FSMContext) -> None:
    """Voice, stickers, videos, other files or text while photos are awaited."""
    count = len(photo_ids(await draft(state)))
    await message.answer(rt.not_a_photo(), reply_markup=rk.photos(count))


@router.callback_query(rcb.ReportPhotosDone.filter(), Reporting.photos)
async def photos_done(
    callback: CallbackQuery, bot: Bot, svc: Services, state: FSMContext, locale: str
) -> AfterCommit | None:
    """Skip or Done."""
    await acknowledge(callback)
    return await similar_or_file(callback, bot, svc, state, locale)


async def similar_or_file(
    event: Message | CallbackQuery, bot: Bot, svc: Services, state: FSMContext, locale: str
) -> AfterCommit | None:
    """Open reports like this one nearby: offer them; none: file at once."""
    current = await draft(state)
    chat_id = event.chat.id if isinstance(event, Message) else chat_of(event)
    found = await svc.reports.nearby_open(
        str(current["category"]),
        lat=_float(current.get("lat")),
        lon=_float(current.get("lon")),
        project_id=_str(current.get("project_id")),
        chat_id=chat_id,
    )
    if not found:
        return await file_report(event, bot, svc, state, locale)
    await state.set_state(Reporting.similar)
    categories = {c.code: c for c in svc.reports.categories()}
    await answer(event, rt.similar(found, categories, locale), rk.similar(found))
    return None


@router.callback_query(rcb.ReportFollow.filter(), Reporting.similar)
async def follow_instead(
    callback: CallbackQuery, callback_data: rcb.ReportFollow, svc: Services, state: FSMContext
) -> None:
    """Follow that report; nothing new is filed (the photos sent for it are deleted)."""
    await acknowledge(callback)
    chat_id = chat_of(callback)
    stored = draft_photo_ids(photo_ids(await draft(state)))
    await state.set_state(None)
    await state.update_data({DRAFT: {}})
    await svc.reports.discard_draft_photos(chat_id, stored)
    try:
        is_new = await svc.reports.follow(callback_data.id, chat_id)
        reference = (await svc.reports.get(callback_data.id)).reference
    except DomainError:
        await answer(callback, rt.project_gone())
        return
    await answer(callback, rt.following(reference) if is_new else rt.already_following(reference))


@router.callback_query(rcb.ReportFileAnyway.filter(), Reporting.similar)
async def file_anyway(
    callback: CallbackQuery, bot: Bot, svc: Services, state: FSMContext, locale: str
) -> AfterCommit:
    """None of them: file mine."""
    await acknowledge(callback)
    return await file_report(callback, bot, svc, state, locale)


async def _download(bot: Bot, entry: str) -> PhotoIn:
    """A photo named by an older version's draft ("p:"/"d:", not yet stored): the bytes
    (cleaned of metadata when stored); a photo's file_id is kept to send it on, an image
    file's is not (Telegram sends a Document's file_id as a document only)."""
    kind, file_id = entry.split(":", 1)
    buffer = await bot.download(file_id)
    content = buffer.read() if buffer is not None else None
    return PhotoIn(content=content or None, file_id=file_id if kind == "p" else None)


async def file_report(
    event: Message | CallbackQuery, bot: Bot, svc: Services, state: FSMContext, locale: str
) -> AfterCommit:
    """File it (its photos are already stored, cleaned: filing attaches them); the answer,
    with the reference, goes once the report is committed."""
    current = await draft(state)
    chat_id = event.chat.id if isinstance(event, Message) else chat_of(event)
    await state.set_state(None)
    await state.update_data({DRAFT: {}})
    entries = photo_ids(current)
    stored = draft_photo_ids(entries)
    older = [e for e in entries if e.startswith(("p:", "d:"))]
    photos = await asyncio.gather(*(_download(bot, e) for e in older))
    request = ReportCreate(
        chat_id=chat_id,
        category=str(current["category"]),
        text=str(current["text"]),
        project_id=_str(current.get("project_id")),
        lat=_float(current.get("lat")),
        lon=_float(current.get("lon")),
        photos=list(photos),
        draft_photos=stored,
        locale=_locale(locale),
    )
    try:
        filed = await svc.reports.file(request)
    except DomainError as error:
        logger.info("report not filed: %s", error.code)
        # A photo that cannot be read, or too many pixels to decode (code invalid_input).
        if error.code == "bad_photo" or isinstance(error, InvalidInput):
            # Keep the words; only the photos go.
            await svc.reports.discard_draft_photos(chat_id, stored)
            await save(state, **{**current, "photos": []})
            await state.set_state(Reporting.photos)
            return answer_after_commit(event, rt.bad_photo(), rk.photos(0))
        await svc.reports.discard_draft_photos(chat_id, stored)  # the draft is gone
        return answer_after_commit(event, _refused(error))
    return answer_after_commit(event, rt.filed(filed.reference), rk.filed(filed.id))


def _refused(error: DomainError) -> str:
    if error.code == "reporting_blocked":
        return rt.blocked(str(error))
    if error.code == "report_limit_reached":
        return rt.limit_reached()
    return rt.project_gone()


def _locale(value: str) -> Literal["en", "uk", "ko"]:
    if value == "uk":
        return "uk"
    return "ko" if value == "ko" else "en"


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None
