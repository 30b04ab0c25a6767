"""TelegramSender: one sendMessage (or a notice with photos: sendPhoto / sendMediaGroup), its
Telegram error mapped to what the engine does next."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import SendMediaGroup, SendMessage, SendPhoto
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    LinkPreviewOptions,
    Message,
)

from bot.ui.lazy_types import prepare
from bot.ui.responses import pin_response_models

# 403 texts that mean the chat is gone for good (any other 403 gets one more try).
GONE = ("blocked by the user", "user is deactivated")
CAPTION_LIMIT = 1024  # Telegram's caption length; longer texts follow the photos as a message

Verdict = Literal["sent", "flood", "gone", "forbidden", "bad_request", "transient"]


@dataclass(frozen=True)
class SendResult:
    """What one attempt gave: the message id, or a verdict with the error text and retry_after."""

    verdict: Verdict
    message_id: int | None = None
    error: str | None = None
    retry_after: float = 0.0
    # Telegram file_id of each photo uploaded by this send (photo id -> file_id).
    file_ids: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Photo:
    """A photo to send: by Telegram's file_id when known, else uploaded from its bytes."""

    id: int
    file_id: str | None
    content: bytes | None


def _media(photo: Photo) -> Any:
    if photo.file_id:
        return photo.file_id
    return BufferedInputFile(photo.content or b"", filename=f"photo-{photo.id}.jpg")


class TelegramSender:
    """Sends HTML messages through an aiogram Bot (with `allow_paid_broadcast` when paid)."""

    def __init__(self, bot: Bot, *, paid_broadcast: bool = False, timeout: float = 10.0):
        self._bot = bot
        pin_response_models([SendMessage, SendPhoto, SendMediaGroup])
        prepare([InlineKeyboardMarkup, LinkPreviewOptions, InputMediaPhoto])
        self._paid = paid_broadcast
        self._timeout = timeout

    async def send(
        self, chat_id: int, text: str, reply_markup: str | None, *, silent: bool = False
    ) -> SendResult:
        """Send once (`silent`: without sound, in quiet hours); never raises for a Telegram or
        network error."""
        markup = InlineKeyboardMarkup.model_validate_json(reply_markup) if reply_markup else None
        return await self._guarded(lambda: self._message(chat_id, text, markup, silent))

    async def send_with_photos(
        self,
        chat_id: int,
        text: str,
        reply_markup: str | None,
        photos: list[Photo],
        *,
        silent: bool = False,
    ) -> SendResult:
        """One photo with the text as its caption (when it fits), else the photos as an album
        followed by the text; the buttons stay on the message with the text."""
        markup = InlineKeyboardMarkup.model_validate_json(reply_markup) if reply_markup else None
        uploaded: dict[int, str] = {}

        async def _go() -> Message:
            timeout = int(max(1, self._timeout))
            if len(photos) == 1 and len(text) <= CAPTION_LIMIT:
                sent = await self._bot.send_photo(
                    chat_id,
                    _media(photos[0]),
                    caption=text,
                    parse_mode="HTML",
                    reply_markup=markup,
                    disable_notification=silent or None,
                    allow_paid_broadcast=self._paid or None,
                    request_timeout=timeout,
                )
                _remember(uploaded, photos[:1], [sent])
                return sent
            if len(photos) == 1:
                album = [
                    await self._bot.send_photo(
                        chat_id,
                        _media(photos[0]),
                        disable_notification=silent or None,
                        request_timeout=timeout,
                        allow_paid_broadcast=self._paid or None,
                    )
                ]
            else:
                album = await self._bot.send_media_group(
                    chat_id,
                    [InputMediaPhoto(media=_media(p)) for p in photos[:10]],
                    disable_notification=silent or None,
                    request_timeout=timeout,
                    allow_paid_broadcast=self._paid or None,
                )
            _remember(uploaded, photos, list(album))
            return await self._message(chat_id, text, markup, silent)

        result = await self._guarded(_go)
        return SendResult(
            result.verdict, result.message_id, result.error, result.retry_after, uploaded
        )

    async def _message(
        self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None, silent: bool
    ) -> Message:
        return await self._bot.send_message(
            chat_id,
            text,
            parse_mode="HTML",
            reply_markup=markup,
            disable_notification=silent or None,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            allow_paid_broadcast=self._paid or None,
            request_timeout=int(max(1, self._timeout)),
        )

    async def _guarded(self, call: Callable[[], Awaitable[Message]]) -> SendResult:
        try:
            message = await call()
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


def _remember(into: dict[int, str], photos: list[Photo], messages: list[Message]) -> None:
    """The file_id Telegram gave each uploaded photo (its largest size)."""
    for photo, message in zip(photos, messages, strict=False):
        if not photo.file_id and message.photo:
            into[photo.id] = message.photo[-1].file_id
