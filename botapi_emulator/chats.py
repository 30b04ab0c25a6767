"""The sandbox Bot API's data model: chats, their messages (one id sequence per chat, shared by
the user and the bot, as on Telegram), callback queries, commands and the update queue."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sandbox.botapi.html import HtmlError, render
from sandbox.botapi.params import ApiError, bad_request
from sandbox.botapi.updates import Signal, UpdateQueue

MAX_TEXT = 4096


@dataclass
class Entry:
    """One message as Telegram keeps it, the HTML a client shows, and when it last changed."""

    message: dict[str, Any]
    html: str
    seq: int
    deleted: bool = False


@dataclass
class ChatLog:
    """A private chat: its Chat object, messages by id, and the reply keyboard the client shows."""

    info: dict[str, Any]
    entries: dict[int, Entry] = field(default_factory=dict)
    reply_keyboard: dict[str, Any] | None = None
    last_id: int = 0


class BotApiState:
    """What Bot API methods read and change, and what simulated users send."""

    def __init__(self, bot_user: dict[str, Any]) -> None:
        self.bot_user = bot_user
        self.chats: dict[int, ChatLog] = {}
        self.updates = UpdateQueue()
        self.changed = Signal()
        self.seq = 0
        self.open_callbacks: set[str] = set()
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.webhook_url = ""
        self._callback_ids = itertools.count(1)
        self.handlers: dict[str, Callable[[dict[str, Any]], Any]] = {
            "getme": lambda _: self.bot_user,
            "sendmessage": self._send_message,
            "sendlocation": self._send_location,
            "editmessagetext": self._edit_text,
            "editmessagereplymarkup": self._edit_markup,
            "deletemessage": self._delete,
            "answercallbackquery": self._answer_callback,
            "setmycommands": self._set_commands,
            "getmycommands": lambda p: self.commands.get(_commands_key(p), []),
            "deletemycommands": self._delete_commands,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": lambda _: {
                "url": self.webhook_url,
                "has_custom_certificate": False,
                "pending_update_count": self.updates.pending,
            },
        }

    def close(self) -> None:
        """Release long polls and watchers: the server is stopping."""
        self.updates.signal.close()
        self.changed.close()

    # The user's side

    def chat(self, chat_id: Any) -> ChatLog:
        """A chat a user has opened; "chat not found" otherwise, as on Telegram."""
        log = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if log is None:
            raise bad_request("chat not found")
        return log

    def open_chat(self, info: dict[str, Any]) -> ChatLog:
        """The user's private chat with the bot, created on first use."""
        log = self.chats.get(info["id"])
        if log is None:
            log = self.chats[info["id"]] = ChatLog(info)
        return log

    def user_message(self, user: dict[str, Any], **content: Any) -> dict[str, Any]:
        """A message from the user to the bot: kept in the chat and queued as an update."""
        log = self.open_chat({k: v for k, v in user.items() if k in _CHAT_FIELDS} | _PRIVATE)
        message = {"from": user, "chat": log.info, "date": int(time.time()), **content}
        html = render(str(content.get("text", "")), None)[1]
        self._add(log, message, html)
        self.updates.put({"message": message})
        return message

    def press(self, user: dict[str, Any], chat_id: int, message_id: int, data: str) -> str:
        """The user presses an inline button: a callback_query update; returns its id."""
        entry = self.chat(chat_id).entries.get(message_id)
        if entry is None or entry.deleted:
            raise bad_request("message not found")
        query_id = f"{self.bot_user['id']}{next(self._callback_ids):08d}"
        self.open_callbacks.add(query_id)
        query = {
            "id": query_id,
            "from": user,
            "message": entry.message,
            "chat_instance": str(chat_id),
            "data": data,
        }
        self.updates.put({"callback_query": query})
        return query_id

    # The bot's side

    def call(self, method: str, params: dict[str, Any]) -> Any:
        """Run one Bot API method; methods the sandbox does not model answer `true`."""
        handler = self.handlers.get(method.lower())
        return True if handler is None else handler(params)

    def _add(self, log: ChatLog, message: dict[str, Any], html: str) -> Entry:
        log.last_id += 1
        message["message_id"] = log.last_id
        entry = log.entries[log.last_id] = Entry(message, html, self._next_seq())
        return entry

    def _next_seq(self) -> int:
        self.seq += 1
        self.changed.fire()
        return self.seq

    def _bot_message(self, params: dict[str, Any], html: str, **content: Any) -> dict[str, Any]:
        log = self.chat(params.get("chat_id"))
        markup = _markup(params)
        message = {"from": self.bot_user, "chat": log.info, "date": int(time.time()), **content}
        if "inline_keyboard" in markup:
            message["reply_markup"] = {"inline_keyboard": markup["inline_keyboard"]}
        elif "keyboard" in markup:
            log.reply_keyboard = markup
        elif markup.get("remove_keyboard"):
            log.reply_keyboard = None
        return dict(self._add(log, message, html).message)

    def _text(self, params: dict[str, Any]) -> tuple[str, str]:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise bad_request("message text is empty")
        try:
            plain, html = render(text, params.get("parse_mode"))
        except HtmlError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
        if len(plain) > MAX_TEXT:
            raise bad_request("message is too long")
        return plain, html

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        plain, html = self._text(params)
        return self._bot_message(params, html, text=plain)

    def _send_location(self, params: dict[str, Any]) -> dict[str, Any]:
        try:
            lat, lon = float(params["latitude"]), float(params["longitude"])
        except (KeyError, TypeError, ValueError):
            raise bad_request("wrong latitude or longitude") from None
        return self._bot_message(params, "", location={"latitude": lat, "longitude": lon})

    def _editable(self, params: dict[str, Any]) -> Entry:
        entry = self.chat(params.get("chat_id")).entries.get(params.get("message_id", 0))
        if entry is None or entry.deleted:
            raise bad_request("message to edit not found")
        if entry.message["from"]["id"] != self.bot_user["id"]:
            raise bad_request("message can't be edited")
        return entry

    def _edit(self, entry: Entry, params: dict[str, Any], text: str | None, html: str) -> Any:
        message = entry.message
        markup = _markup(params)
        keyboard = markup.get("inline_keyboard")
        same_text = text is None or (message.get("text") == text and entry.html == html)
        if same_text and message.get("reply_markup", {}).get("inline_keyboard") == keyboard:
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a content and reply markup of the current message"
            )
        if text is not None:
            message["text"], entry.html = text, html
        message.pop("reply_markup", None)
        if keyboard is not None:
            message["reply_markup"] = {"inline_keyboard": keyboard}
        message["edit_date"] = int(time.time())
        entry.seq = self._next_seq()
        return dict(message)

    def _edit_text(self, params: dict[str, Any]) -> Any:
        if "inline_message_id" in params:
            return True
        plain, html = self._text(params)
        return self._edit(self._editable(params), params, plain, html)

    def _edit_markup(self, params: dict[str, Any]) -> Any:
        if "inline_message_id" in params:
            return True
        entry = self._editable(params)
        return self._edit(entry, params, None, entry.html)

    def _delete(self, params: dict[str, Any]) -> bool:
        entry = self.chat(params.get("chat_id")).entries.get(params.get("message_id", 0))
        if entry is None or entry.deleted:
            raise bad_request("message to delete not found")
        entry.deleted, entry.seq = True, self._next_seq()
        return True

    def _answer_callback(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id"))
        if query_id not in self.open_callbacks:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        self.open_callbacks.discard(query_id)
        return True

    def _set_commands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        self.commands[_commands_key(params)] = commands
        return True

    def _delete_commands(self, params: dict[str, Any]) -> bool:
        self.commands.pop(_commands_key(params), None)
        return True

    def _set_webhook(self, params: dict[str, Any]) -> bool:
        # The sandbox only long-polls: a webhook is remembered, never called.
        self.webhook_url = str(params.get("url") or "")
        if params.get("drop_pending_updates"):
            self.updates.drop()
        return True

    def _delete_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self.updates.drop()
        return True


_CHAT_FIELDS = ("id", "first_name", "last_name", "username")
_PRIVATE = {"type": "private"}


def _markup(params: dict[str, Any]) -> dict[str, Any]:
    markup = params.get("reply_markup")
    if markup is None:
        return {}
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard") or []:
        for button in row:
            data = button.get("callback_data") if isinstance(button, dict) else None
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise bad_request("BUTTON_DATA_INVALID")
    return markup


def _commands_key(params: dict[str, Any]) -> str:
    scope = params.get("scope") if isinstance(params.get("scope"), dict) else {"type": "default"}
    return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)


__all__ = ["ApiError", "BotApiState", "ChatLog", "Entry"]
