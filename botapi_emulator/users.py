"""Simulated Telegram users: they send updates to the bot through the emulator."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any, Protocol

from botapi_emulator.formatting import render, utf16_len
from botapi_emulator.images import make_png
from botapi_emulator.recorder import RecordedCall
from botapi_emulator.state import SEND_METHODS, BotApiState


class UserHost(Protocol):
    """What a simulated user needs of the emulator it talks to."""

    bot_user: dict[str, Any]
    state: BotApiState
    calls: list[RecordedCall]

    def inject_update(self, update: dict[str, Any]) -> int:
        """Queue an update for the bot."""

    async def wait_for(
        self,
        predicate: Callable[[RecordedCall], bool] | None = None,
        *,
        count: int = 1,
        timeout: float = 20.0,  # noqa: ASYNC109 - as the emulator's
        since: int = 0,
    ) -> list[RecordedCall]:
        """Wait for matching recorded calls."""


# Methods whose result is a bot message the user sees: new or changed.
REPLY_METHODS = SEND_METHODS | {"editmessagetext", "editmessagereplymarkup", "editmessagecaption"}

_file_ids = itertools.count(1)


def _caption(caption: str | None) -> dict[str, Any]:
    return {} if caption is None else {"caption": caption}


def _file(prefix: str) -> dict[str, str]:
    n = next(_file_ids)
    return {"file_id": f"{prefix}-{n}", "file_unique_id": f"u{prefix}{n}"}


class EmulatedUser:
    """A user talking to the bot in one chat: private (chat id == user id) or a group.

    ``replies`` and ``reply`` read the emulator's record (``record=True``).
    """

    def __init__(self, server: UserHost, user: dict[str, Any], chat: dict[str, Any]) -> None:
        self.server = server
        self.user = user
        self.chat = chat
        self._mark = len(server.calls)
        self.last_update: dict[str, Any] | None = None
        server.state.register_chat(chat)

    @property
    def id(self) -> int:
        """The user's id."""
        return int(self.user["id"])

    @property
    def chat_id(self) -> int:
        """The id of the chat the user writes in."""
        return int(self.chat["id"])

    def in_group(self, chat_id: int = -1001234567890, title: str = "Test group") -> EmulatedUser:
        """The same user writing in a group chat (negative id; -100... is a supergroup)."""
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return EmulatedUser(self.server, self.user, {"id": chat_id, "type": kind, "title": title})

    async def send_text(self, text: str) -> int:
        """A text message; the update id."""
        return self._send(text=text)

    async def send_command(self, command: str) -> int:
        """Send e.g. "/start p_x" with the bot_command entity Telegram adds."""
        if not command.startswith("/"):
            raise ValueError(f"not a command: {command!r}")
        head = command.split(maxsplit=1)[0]
        entity = {"type": "bot_command", "offset": 0, "length": utf16_len(head)}
        return self._send(text=command, entities=[entity])

    async def send_location(self, latitude: float, longitude: float) -> int:
        """Share a location; the update id."""
        return self._send(location={"latitude": latitude, "longitude": longitude})

    async def send_sticker(self, emoji: str = "\N{THUMBS UP SIGN}") -> int:
        """A sticker; the update id."""
        sticker = {
            **_file("sticker"),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._send(sticker=sticker)

    async def send_photo(
        self, data: bytes | None = None, caption: str | None = None, *, sizes: int = 2
    ) -> int:
        """A photo message (``sizes`` PhotoSizes, smallest first; default: a small PNG) whose
        bytes the bot can fetch with getFile; the update id."""
        stored = self.server.state.files.add(data or make_png(), "photo")
        photo = [stored.photo_size() for _ in range(max(1, sizes))]
        return self._send(photo=photo, **_caption(caption))

    async def send_document(
        self,
        data: bytes,
        file_name: str = "photo.jpg",
        mime_type: str = "",
        caption: str | None = None,
    ) -> int:
        """A file (e.g. an image sent uncompressed); the update id."""
        stored = self.server.state.files.add(data, "document", mime_type, file_name)
        document = {**stored.ids(), "file_name": file_name, "mime_type": stored.mime_type}
        return self._send(document=document, **_caption(caption))

    async def send_voice(self, seconds: int = 3) -> int:
        """A voice message; the update id."""
        stored = self.server.state.files.add(b"OggS" + bytes(seconds * 1000), "voice", "audio/ogg")
        voice = {**stored.ids(), "duration": seconds, "mime_type": "audio/ogg"}
        return self._send(voice=voice)

    async def edit_text(self, message_id: int, text: str) -> int:
        """Edit one of this user's earlier text messages (an edited_message update)."""
        log = self.server.state.chats.register(self.chat)
        entry = log.entries.get(message_id)
        if entry is None or entry.deleted or entry.message["from"]["id"] != self.id:
            raise ValueError(f"user {self.id} has no message {message_id} in {self.chat_id}")
        entry.message.update(text=text, edit_date=int(time.time()))
        entry.message.pop("entities", None)
        entry.html = render(text, None)[1]
        self.server.state.chats.touch(entry)
        return self._inject({"edited_message": dict(entry.message)})

    async def press(
        self, callback_data: str, message_id: int | None = None, *, strict: bool = True
    ) -> int:
        """Press an inline button of a bot message (default: the latest one with a keyboard).

        With ``strict`` the button must exist on that message, as a real user's would.
        """
        if message_id is None:
            message = self._latest_keyboard_message()
        else:
            message = self.server.state.message(self.chat_id, message_id)
        if strict:
            rows = (message or {}).get("reply_markup", {}).get("inline_keyboard", [])
            if callback_data not in [b.get("callback_data") for row in rows for b in row]:
                raise ValueError(f"no button {callback_data!r} on message {message_id}")
        if message is None:
            if message_id is None:
                raise ValueError(f"no bot message with a keyboard in chat {self.chat_id}")
            # A message the bot can no longer see: Telegram sends an InaccessibleMessage.
            message = {"chat": self.chat, "message_id": message_id, "date": 0}
        query = {
            "id": self.server.state.new_callback_id(),
            "from": self.user,
            "message": dict(message),
            "chat_instance": str(abs(hash((self.server.bot_user["id"], self.chat_id)))),
            "data": callback_data,
        }
        return self._inject({"callback_query": query})

    def replies(self) -> list[RecordedCall]:
        """Bot messages sent or edited in this chat since this user's last update."""
        return [c for c in self.server.calls[self._mark :] if self._is_reply(c)]

    async def reply(
        self,
        timeout: float = 20.0,  # noqa: ASYNC109 - a per-call deadline keeps test lines short
    ) -> RecordedCall:
        """The first bot message sent or edited in this chat after this user's last update."""
        return (await self.wait_replies(1, timeout))[0]

    async def wait_replies(
        self,
        count: int,
        timeout: float = 20.0,  # noqa: ASYNC109 - see reply
    ) -> list[RecordedCall]:
        """Wait for ``count`` bot messages in this chat after this user's last update."""
        return await self.server.wait_for(
            self._is_reply, count=count, timeout=timeout, since=self._mark
        )

    def _is_reply(self, call: RecordedCall) -> bool:
        return call.ok and call.chat_id == self.chat_id and call.method.lower() in REPLY_METHODS

    def _latest_keyboard_message(self) -> dict[str, Any] | None:
        log = self.server.state.chats.register(self.chat)
        bot_id = self.server.bot_user["id"]
        mine = [m for m in log.messages() if m["from"]["id"] == bot_id and "reply_markup" in m]
        return mine[-1] if mine else None

    def _send(self, **content: Any) -> int:
        log = self.server.state.chats.register(self.chat)
        message = {
            "message_id": 0,
            "from": self.user,
            "chat": self.chat,
            "date": int(time.time()),
        } | content
        html = render(str(content.get("text", content.get("caption", ""))), None)[1]
        self.server.state.chats.add(log, message, html)
        return self._inject({"message": dict(message)})

    def _inject(self, update: dict[str, Any]) -> int:
        self._mark = len(self.server.calls)
        self.last_update = update
        return self.server.inject_update(update)
