"""ChatService: every chat that talks to the bot, its language and when it was last seen."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.chats.models import Chat
from core.chats.schemas import ChatRead
from core.clock import Clock
from core.config import SUPPORTED_LOCALES
from core.db import insert_for
from core.driver_query import DriverQuery
from core.errors import InvalidInput, NotFound

# `seen` asks for last_seen_at to be refreshed at most this often, so that most updates only
# read: on SQLite every write takes the database-wide lock, and a busy chat should not queue
# other chats behind it.
TOUCH_INTERVAL = timedelta(minutes=10)


class ChatService:
    """Record chats from updates and keep their chosen locale."""

    def __init__(self, session: AsyncSession, clock: Clock):
        self._session = session
        self._clock = clock

    async def seen(self, chat_id: int, telegram_language: str | None) -> ChatRead | None:
        """The chat when recording this update would change nothing, read as a plain row;
        None when `touch` has something to write (a new chat, one that was marked unreachable,
        a changed language, last seen more than TOUCH_INTERVAL ago)."""
        found = await _SEEN.rows(self._session, None, chat_id=chat_id)
        if not found:
            return None
        row = found[0]
        language = _language(telegram_language)
        if language and row.telegram_language != language:
            return None
        if not row.is_active or self._clock() - row.last_seen_at >= TOUCH_INTERVAL:
            return None
        return ChatRead(**row._asdict())

    async def touch(self, chat_id: int, chat_type: str, telegram_language: str | None) -> ChatRead:
        """Record a chat seen in an update, in one statement: create it, or reactivate it and
        refresh its language (when Telegram sent one) and when it was last seen.

        Two first updates of one chat may race (two processes): both land on the one row.
        """
        return await self._touch(
            _touch_values(chat_id, chat_type, telegram_language, self._clock())
        )

    async def touch_alone(
        self, chat_id: int, chat_type: str, telegram_language: str | None
    ) -> ChatRead:
        """`touch`, committed at once on SQLite where that needs no wait
        (`DriverQuery.write_alone`), else as `touch`: for a unit of work that writes nothing
        else, so that on SQLite a new chat does not hold the write lock across the hops to
        aiosqlite's thread."""
        values = _touch_values(chat_id, chat_type, telegram_language, self._clock())
        found = await _TOUCH_ALONE.write_alone(self._session, None, **values)
        if found is None:
            return await self._touch(values)
        return ChatRead(**found[0]._asdict())

    async def _touch(self, values: dict[str, Any]) -> ChatRead:
        row = (await self._session.execute(_touch_statement(self._session), values)).one()
        return ChatRead(**row._asdict())

    async def get(self, chat_id: int) -> ChatRead:
        """A chat; NotFound when it never talked to the bot."""
        row = await self._session.get(Chat, chat_id)
        if row is None:
            raise NotFound(f"chat {chat_id} not found", code="chat_not_found")
        return _read(row)

    async def set_locale(self, chat_id: int, locale: str) -> ChatRead:
        """Store the language a chat chose with /language."""
        if locale not in SUPPORTED_LOCALES:
            raise InvalidInput(f"unsupported locale {locale!r}", location="locale")
        row = await self._session.get(Chat, chat_id)
        if row is None:
            raise NotFound(f"chat {chat_id} not found", code="chat_not_found")
        row.locale = locale
        await self._session.flush()
        return _read(row)

    async def mark_unreachable(self, reasons: Mapping[int, str]) -> None:
        """Stop writing to chats that blocked the bot or were deleted (chat id -> reason)."""
        for chat_id, reason in reasons.items():
            await self._session.execute(
                update(Chat)
                .where(Chat.id == chat_id)
                .values(is_active=False, inactive_reason=reason)
            )


_COLUMNS = (
    Chat.id,
    Chat.type,
    Chat.locale,
    Chat.telegram_language,
    Chat.is_active,
    Chat.first_seen_at,
    Chat.last_seen_at,
)

# Read on every update (the bot's middleware): one call of the driver (core/driver_query.py).
_SEEN = DriverQuery(lambda _: select(*_COLUMNS).where(Chat.id == bindparam("chat_id")))


# touch's statement, built once per engine (building it costs more than running it).
_TOUCH: dict[str, Any] = {}


def _touch_statement(session: AsyncSession) -> Any:
    name = session.get_bind().dialect.name
    if (stmt := _TOUCH.get(name)) is None:
        stmt = _TOUCH[name] = _touch_built(insert_for(name, Chat.__table__))
    return stmt


def _touch_built(insert: Any) -> Any:
    table = Chat.__table__
    now = bindparam("now", type_=Chat.last_seen_at.type)
    stmt = insert.values(
        id=bindparam("id"),
        type=bindparam("type"),
        locale=None,
        telegram_language=bindparam("telegram_language"),
        is_active=True,
        inactive_reason=None,
        first_seen_at=now,
        last_seen_at=now,
    )
    return stmt.on_conflict_do_update(
        index_elements=[table.c.id],
        set_={
            "telegram_language": func.coalesce(
                stmt.excluded.telegram_language, table.c.telegram_language
            ),
            "is_active": True,
            "inactive_reason": None,
            "last_seen_at": stmt.excluded.last_seen_at,
        },
    ).returning(*_COLUMNS)


# touch_alone's statement: SQLite's only (DriverQuery.write_alone runs on SQLite alone).
_TOUCH_ALONE = DriverQuery(lambda _: _touch_built(insert_for("sqlite", Chat.__table__)))


def _touch_values(
    chat_id: int, chat_type: str, telegram_language: str | None, now: datetime
) -> dict[str, Any]:
    return {
        "id": chat_id,
        "type": chat_type[:16],
        "telegram_language": _language(telegram_language),
        "now": now,
    }


def _language(telegram_language: str | None) -> str | None:
    # Telegram's language_code as stored: None when absent or empty, at most 16 characters.
    return (telegram_language or None) and telegram_language[:16]


def _read(row: Chat) -> ChatRead:
    return ChatRead(
        id=row.id,
        type=row.type,
        locale=row.locale,
        telegram_language=row.telegram_language,
        is_active=row.is_active,
        first_seen_at=row.first_seen_at,
        last_seen_at=row.last_seen_at,
    )
