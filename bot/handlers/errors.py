"""Errors: domain errors and the unexpected ones get a short apology in the reader's language."""

from __future__ import annotations

import logging
import traceback

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import I18n

from core.errors import DomainError

logger = logging.getLogger(__name__)

router = Router(name=__name__)


def _chat_id(event: ErrorEvent) -> int | None:
    update = event.update
    if update.message is not None:
        return update.message.chat.id
    query = update.callback_query
    if query is not None:
        # The chat the button is in: in a group, not the presser's private chat.
        return query.message.chat.id if query.message is not None else query.from_user.id
    return None


@router.errors(ExceptionTypeFilter(DomainError))
async def domain_error(event: ErrorEvent, bot: Bot, i18n: I18n, locale: str = "en") -> None:
    """A refusal from the domain (bad input, not found) that no handler answered itself."""
    error = event.exception
    code = error.code if isinstance(error, DomainError) else "?"
    logger.info("update %s: domain error %s", event.update.update_id, code)
    await _apologise(
        event, bot, i18n.gettext("That did not work. Please check and try again.", locale=locale)
    )


@router.errors()
async def unexpected(event: ErrorEvent, bot: Bot, i18n: I18n, locale: str = "en") -> None:
    """Log with the update id (no personal data) and apologise."""
    # The frames, not the exception's message: messages may quote user text or SQL parameters.
    frames = "".join(traceback.format_tb(event.exception.__traceback__))
    logger.error(
        "update %s failed: %s\n%s", event.update.update_id, type(event.exception).__name__, frames
    )
    text = i18n.gettext(
        "Sorry, something went wrong on our side. Please try again in a moment.", locale=locale
    )
    await _apologise(event, bot, text)


async def _apologise(event: ErrorEvent, bot: Bot, text: str) -> None:
    chat_id = _chat_id(event)
    if chat_id is None:
        return
    try:
        await bot.send_message(chat_id, text)
    except TelegramAPIError:
        logger.warning(
            "update %s: could not apologise to chat %s", event.update.update_id, chat_id
        )
