"""TelegramSender: one sendMessage, its Telegram error mapped to what the engine does next."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import SendMessage
from aiogram.types import InlineKeyboardMarkup, LinkPreviewOptions

from bot.ui.lazy_types import prepare
from bot.ui.responses import pin_response_models

# 403 texts that mean the chat is gone for good (any other 403 gets one more try).
GONE = ("blocked by the user", "user is deactivated")

Verdict = Literal["sent", "flood", "gone", "forbidden", "bad_request", "transient"]


@dataclass(frozen=True)
class SendResult:
    """What one attempt gave: the message id, or a verdict with the error text and retry_after."""

    verdict: Verdict
    message_id: int | None = None
    error: str | None = None
    retry_after: float = 0.0


class TelegramSender:
    """Sends HTML messages through an aiogram Bot (with `allow_paid_broadcast` when paid)."""

    def __init__(self, bot: Bot, *, paid_broadcast: bool = False, timeout: float = 10.0):
        self._bot = bot
        pin_response_models([SendMessage])
        prepare([InlineKeyboardMarkup, LinkPreviewOptions])
        self._paid = paid_broadcast
        self._timeout = timeout

    async def send(
        self, chat_id: int, text: str, reply_markup: str | None, *, silent: bool = False
    ) -> SendResult:
        """Send once (`silent`: without sound, in quiet hours); never raises for a Telegram or
        network error."""
        markup = InlineKeyboardMarkup.model_validate_json(reply_markup) if reply_markup else None
        try:
            message = await self._bot.send_message(
                chat_id,
                text,
                parse_mode="HTML",
                reply_markup=markup,
                disable_notification=silent or None,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                allow_paid_broadcast=self._paid or None,
                request_timeout=int(max(1, self._timeout)),
            )
        except TelegramRetryAfter as exc:
            return SendResult("flood", error=exc.message, retry_after=float(exc.retry_after))
        except TelegramForbiddenError as exc:
            gone = any(text in exc.message.lower() for text in GONE)
            return SendResult("gone" if gone else "forbidden", error=exc.message)
        except TelegramBadRequest as exc:
            return SendResult("bad_request", error=exc.message)
        except (TimeoutError, TelegramServerError, TelegramNetworkError) as exc:
            return SendResult("transient", error=f"{type(exc).__name__}: {exc}")
        except TelegramAPIError as exc:
            # 401/404/409 and the like: nothing to learn from the chat, try again later.
            return SendResult("transient", error=f"{type(exc).__name__}: {exc.message}")
        return SendResult("sent", message_id=message.message_id)
