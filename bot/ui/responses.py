"""Keep aiogram's parametrized response models alive for the life of the process.

aiogram validates every Bot API answer with `Response[method.__returning__]`. pydantic caches
parametrized generic models only weakly, so each time the garbage collector frees one, the next
request builds it again: milliseconds of schema work per request, measured as about half of the
bot's CPU under load. Holding a strong reference to each keeps every request on the cached path.
"""

from __future__ import annotations

from typing import Any

from aiogram import methods
from aiogram.methods.base import Response

# Every Bot API method the bot and the notifier call.
USED_METHODS: tuple[type[methods.TelegramMethod[Any]], ...] = (
    methods.AnswerCallbackQuery,
    methods.DeleteMessage,
    methods.DeleteMyCommands,
    methods.DeleteWebhook,
    methods.EditMessageReplyMarkup,
    methods.EditMessageText,
    methods.GetMe,
    methods.GetUpdates,
    methods.SendLocation,
    methods.SendMessage,
    methods.SetMyCommands,
    methods.SetWebhook,
)


# Filled on the first call (not at import) and kept for the life of the process.
_PINNED: list[Any] = []


def pin_response_models() -> None:
    """Build `Response[...]` for each used method once and keep it alive; idempotent."""
    if not _PINNED:
        _PINNED.extend(Response[method.__returning__] for method in USED_METHODS)  # type: ignore[name-defined]
