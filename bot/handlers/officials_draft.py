"""What the /broadcast steps share: the draft in the FSM data, and moving between steps."""

from __future__ import annotations

import contextlib
from typing import Any

from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.handlers.common import answer, chat_of
from bot.states import Compose
from bot.ui import broadcast_texts as bt
from core.services import Services

DRAFT = "bc"  # under its own key, so the chat's other FSM data (its last list) survives
MAX_SENDER_CHARS = 120


async def draft(state: FSMContext) -> dict[str, Any]:
    """The broadcast being composed (empty when there is none)."""
    value = (await state.get_data()).get(DRAFT)
    return value if isinstance(value, dict) else {}


async def save(state: FSMContext, **changes: Any) -> dict[str, Any]:
    """Add to the draft; returns it."""
    value = {**await draft(state), **changes}
    await state.update_data({DRAFT: value})
    return value


async def leave(state: FSMContext) -> None:
    """Leave the flow and forget the draft (its text included)."""
    await state.set_state(None)
    await state.update_data({DRAFT: None})


async def ask_text(
    event: Message | CallbackQuery,
    state: FSMContext,
    audience: dict[str, Any],
    title: str | None,
    locale: str,
) -> None:
    """The audience is chosen: keep it and ask for the message."""
    await save(state, audience=audience, title=title)
    await state.set_state(Compose.text)
    await answer(event, bt.ask_text(bt.audience(audience, title, locale)))


async def sender_name(svc: Services, telegram_id: int) -> str | None:
    """The official's registered name, shown to recipients as the sender."""
    official = await svc.officials.get(telegram_id)
    return None if official is None else official.name[:MAX_SENDER_CHARS]


async def close_preview(callback: CallbackQuery, text: str) -> None:
    """Take the buttons off the preview (it stays as a record) and say what happened."""
    message = callback.message
    if isinstance(message, Message):
        with contextlib.suppress(TelegramBadRequest):
            await message.edit_reply_markup(reply_markup=None)
    if callback.bot is not None:
        await callback.bot.send_message(chat_of(callback), text)
