"""Build aiogram's response models once and keep them alive for the life of the process.

aiogram validates every Bot API answer with `Response[method.__returning__]`. pydantic caches
parametrized generic models only weakly, so each time the garbage collector frees one, the next
request builds it again: milliseconds of schema work per request, measured as about half of the
bot's CPU under load. Holding a strong reference to each keeps every request on the cached path.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aiogram import methods
from aiogram.methods.base import Response

from bot.ui.lazy_types import prepare

Method = type[methods.TelegramMethod[Any]]

# Every Bot API method the bot calls (the notifier calls only SendMessage).
USED_METHODS: tuple[Method, ...] = (
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

# Filled on demand (not at import) and kept for the life of the process.
_PINNED: dict[Method, Any] = {}


def pin_response_models(used: Iterable[Method] = USED_METHODS) -> None:
    """Build each method's model and its `Response[...]` once and keep them alive; idempotent."""
    for method in used:
        if method not in _PINNED:
            response = Response[method.__returning__]  # type: ignore[name-defined]
            prepare([method, response])
            _PINNED[method] = response
