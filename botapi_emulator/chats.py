"""Chats and their messages: one id sequence per chat, shared by the user and the bot, as on
Telegram; deleted messages stay (marked) so that a watching client can show the change."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from botapi_emulator.params import bad_request
from botapi_emulator.updates import Signal

ChatId = int | str


@dataclass(slots=True)
class Entry:
    """One message as Telegram keeps it, the HTML a client shows, and when it last changed."""

    message: dict[str, Any]
    html: str
    seq: int
    deleted: bool = False


@dataclass(slots=True)
class ChatLog:
    """A chat: its Chat object, messages by id, and the reply keyboard the client shows."""

    info: dict[str, Any]
    entries: dict[int, Entry] = field(default_factory=dict)
    reply_keyboard: dict[str, Any] | None = None
    last_id: int = 0

    def message(self, message_id: Any) -> dict[str, Any] | None:
        """A message still in the chat, or None."""
        entry = self.entries.get(message_id)
        return None if entry is None or entry.deleted else entry.message

    def messages(self) -> Iterator[dict[str, Any]]:
        """The messages still in the chat, oldest first."""
        return (e.message for e in self.entries.values() if not e.deleted)


class Chats:
    """Every chat the emulator knows, and a change number watchers can wait on."""

    def __init__(self, known_chats_only: bool = False) -> None:
        # known_chats_only: sending to a chat no user has opened is "chat not found", as live;
        # otherwise such a chat is made up on first use.
        self.known_chats_only = known_chats_only
        self._logs: dict[ChatId, ChatLog] = {}
        self.seq = 0
        self.changed = Signal()

    def get(self, chat_id: ChatId) -> ChatLog | None:
        """The chat's log, if the chat is known."""
        return self._logs.get(chat_id)

    def register(self, info: dict[str, Any]) -> ChatLog:
        """The chat's log; a user's own chat info replaces a stand-in made up earlier."""
        log = self._logs.get(info["id"])
        if log is None:
            log = self._logs[info["id"]] = ChatLog(info)
        elif log.info is not info:
            log.info.update(info)
        return log

    def find(self, chat_id: Any) -> ChatLog:
        """The chat a bot method names; "chat not found" as Telegram says it."""
        log = self._logs.get(chat_id) if isinstance(chat_id, int | str) else None
        if log is not None:
            return log
        if self.known_chats_only or not isinstance(chat_id, int) or chat_id == 0:
            raise bad_request("chat not found")
        if chat_id > 0:
            info = {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}
        else:
            kind = "supergroup" if str(chat_id).startswith("-100") else "group"
            info = {"id": chat_id, "type": kind, "title": f"Chat {chat_id}"}
        return self.register(info)

    def add(self, log: ChatLog, message: dict[str, Any], html: str) -> Entry:
        """Give the message the next id of its chat and keep it."""
        log.last_id += 1
        message["message_id"] = log.last_id
        entry = log.entries[log.last_id] = Entry(message, html, self._next_seq())
        return entry

    def touch(self, entry: Entry) -> None:
        """The entry changed (edited or deleted)."""
        entry.seq = self._next_seq()

    def _next_seq(self) -> int:
        self.seq += 1
        self.changed.fire()
        return self.seq
