"""Update middlewares: flood control, one unit of work per update, the reader's locale."""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Chat, TelegramObject, Update, User
from aiogram.utils.i18n import I18n, I18nMiddleware

from bot.ui.i18n import normalize_locale
from core.chats.schemas import ChatRead
from core.logging import update_id
from core.metrics import Metrics
from core.services import Services

logger = logging.getLogger(__name__)

UowFactory = Callable[[], AbstractAsyncContextManager[Services]]
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def telegram_locale(user: User | None, default: str) -> str:
    """A shipped locale from Telegram's language_code, else the default."""
    return normalize_locale(user.language_code if user else None) or default


class UpdateContextMiddleware(BaseMiddleware):
    """Outermost: puts the update_id on log records, counts updates, times their handling."""

    def __init__(self, metrics: Metrics | None = None) -> None:
        self._metrics = metrics

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        token = update_id.set(event.update_id)
        started = time.perf_counter()
        try:
            return await handler(event, data)
        finally:
            update_id.reset(token)
            if self._metrics is not None:
                self._metrics.bot_updates.labels(event.event_type).inc()
                self._metrics.bot_handler_seconds.observe(time.perf_counter() - started)


class FloodControlMiddleware(BaseMiddleware):
    """Per user: more than `limit` updates in `window` seconds gets one polite warning,
    and the rest are dropped until the window clears."""

    def __init__(
        self,
        i18n: I18n,
        limit: int = 20,
        window: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._i18n = i18n
        self._limit = limit
        self._window = window
        self._clock = clock
        self._hits: dict[int, deque[float]] = {}
        self._warned: set[int] = set()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        now = self._clock()
        hits = self._hits.setdefault(user.id, deque())
        while hits and hits[0] <= now - self._window:
            hits.popleft()
        if len(hits) < self._limit:
            hits.append(now)
            self._warned.discard(user.id)
            self._forget_idle(now)
            return await handler(event, data)
        update_id = event.update_id if isinstance(event, Update) else None
        logger.info("flood control: dropped update %s from user %s", update_id, user.id)
        if user.id not in self._warned:
            self._warned.add(user.id)
            await self._warn(data, user)
        return None

    async def _warn(self, data: dict[str, Any], user: User) -> None:
        chat: Chat | None = data.get("event_chat")
        bot: Bot | None = data.get("bot")
        if chat is None or bot is None:
            return
        locale = telegram_locale(user, self._i18n.default_locale)
        text = self._i18n.gettext(
            "You are sending messages very fast. Please wait a few seconds.", locale=locale
        )
        try:
            await bot.send_message(chat.id, text)
        except TelegramAPIError:
            logger.warning("flood control: could not warn chat %s", chat.id)

    def _forget_idle(self, now: float) -> None:
        # Keep memory bounded by the users active in the last window.
        if len(self._hits) > 10_000:
            idle = [uid for uid, h in self._hits.items() if not h or h[-1] <= now - self._window]
            for uid in idle:
                del self._hits[uid]


@dataclass(frozen=True)
class AfterCommit:
    """A handler's last reply, to be sent once its unit of work has committed.

    A handler that writes returns one instead of awaiting its reply. Otherwise the
    transaction stays open for the reply's round trip to Telegram. On SQLite that holds the
    database-wide write lock, so other chats' writes wait in SQLite's busy handler, and a
    reply would also name a record (a report's reference) before it is committed.
    `send` is built with its text and keyboard already made, in the update's locale."""

    send: Callable[[], Awaitable[object]]


class UnitOfWorkMiddleware(BaseMiddleware):
    """One transaction per update for the handler (`svc` in data), with the chat's record
    (`chat_record`) read in it; a handler's `AfterCommit` reply is sent after the commit."""

    def __init__(self, uow: UowFactory) -> None:
        self._uow = uow

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        result = await self._in_unit_of_work(handler, event, data)
        if isinstance(result, AfterCommit):
            await result.send()
            return None
        return result

    async def _in_unit_of_work(
        self, handler: Handler, event: TelegramObject, data: dict[str, Any]
    ) -> Any:
        chat: Chat | None = data.get("event_chat")
        user: User | None = data.get("event_from_user")
        language = user.language_code if user else None
        if chat is not None:
            # Usually the chat's row only needs reading: the handler's transaction reads it.
            async with self._uow() as svc:
                record = await svc.chats.seen(chat.id, language)
                if record is not None:
                    data["chat_record"] = record
                    data["svc"] = svc
                    return await handler(event, data)
                # Otherwise the chat's bookkeeping is written here and committed before the
                # handler's unit of work opens: a handler's transaction stays open across
                # Telegram round trips, and on SQLite a write (a new chat) would hold the
                # database-wide lock for all that time. On SQLite it is committed at once,
                # on the loop's thread, where no other connection holds the lock.
                data["chat_record"] = await svc.chats.touch_alone(chat.id, chat.type, language)
        async with self._uow() as svc:
            data["svc"] = svc
            return await handler(event, data)


class ChatLocaleMiddleware(I18nMiddleware):
    """The chat's chosen locale, else Telegram's language_code when shipped, else the default.

    The resolved code is also left in data["locale"] (the errors handler reads it after the
    i18n context has closed).
    """

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        """The locale for this update."""
        record: ChatRead | None = data.get("chat_record")
        if record is not None and record.locale:
            locale = record.locale
        else:
            locale = telegram_locale(data.get("event_from_user"), self.i18n.default_locale)
        data["locale"] = locale
        return locale
