"""What Bot API methods read and change: messages, edits, callback queries, commands, menus."""

from __future__ import annotations

import itertools
import json
import re
import time
from collections.abc import Callable
from typing import Any

from botapi_emulator.chats import ChatId, ChatLog, Chats, Entry
from botapi_emulator.markup import check_reply_markup, inline_keyboard
from botapi_emulator.media import MediaMethods, caption_content, formatted
from botapi_emulator.params import bad_request

# Methods that put a new message into a chat: these are rate limited and watched for flood waits.
SEND_METHODS = frozenset(
    {
        "sendmessage",
        "sendlocation",
        "sendphoto",
        "sendmediagroup",
        "senddocument",
        "sendsticker",
        "sendvideo",
        "sendaudio",
        "sendvoice",
        "sendanimation",
        "sendvideonote",
        "sendvenue",
        "sendcontact",
        "sendpoll",
        "senddice",
        "sendinvoice",
        "forwardmessage",
        "copymessage",
    }
)

MAX_TEXT = 4096
# Messages whose caption editMessageCaption may change.
_CAPTIONED = ("photo", "video", "document", "audio", "animation", "voice")
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")

Handler = Callable[[dict[str, Any]], Any]


class BotApiState(MediaMethods):
    """Chats, messages, files, commands and callback queries, and the methods that use them."""

    def __init__(
        self, bot_user: dict[str, Any], me: dict[str, Any], known_chats_only: bool = False
    ) -> None:
        MediaMethods.__init__(self)
        self.bot_user = bot_user
        self.chats = Chats(known_chats_only)
        self.open_callbacks: set[str] = set()  # callback queries sent, not yet answered
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._menu_buttons: dict[ChatId | None, dict[str, Any]] = {}
        self.handlers: dict[str, Handler] = {
            "getme": lambda _: me,
            "sendmessage": self._send_message,
            "sendlocation": self._send_location,
            "sendphoto": lambda p: self.send_media("photo", p),
            "senddocument": lambda p: self.send_media("document", p),
            "sendmediagroup": self.send_media_group,
            "getfile": self.get_file,
            "copymessage": lambda p: {"message_id": self._bot_message(p, "")["message_id"]},
            "editmessagetext": self._edit_message_text,
            "editmessagecaption": self._edit_message_caption,
            "editmessagereplymarkup": self._edit_reply_markup,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "setchatmenubutton": self._set_menu_button,
            "getchatmenubutton": lambda p: self.menu_button(p.get("chat_id")),
        }

    def register_chat(self, info: dict[str, Any]) -> ChatLog:
        """The chat's log; a user's own chat info replaces a stand-in made up earlier."""
        return self.chats.register(info)

    def message(self, chat_id: ChatId, message_id: int) -> dict[str, Any] | None:
        """A message still in a chat, or None."""
        log = self.chats.get(chat_id)
        return None if log is None else log.message(message_id)

    def new_callback_id(self) -> str:
        """An id for a callback query the bot must answer."""
        query_id = f"{self.bot_user['id']}{next(self._callback_ids):08d}"
        self.open_callbacks.add(query_id)
        return query_id

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        """The commands set for a scope (default scope if None) and language."""
        return list(self._commands.get(_commands_key(scope, language_code), []))

    def menu_button(self, chat_id: ChatId | None = None) -> dict[str, Any]:
        """The menu button of a chat (None: the default one)."""
        return self._menu_buttons.get(chat_id, {"type": "default"})

    # Messages

    def _bot_message(self, params: dict[str, Any], html: str, **content: Any) -> dict[str, Any]:
        markup = check_reply_markup(params.get("reply_markup"))
        log = self.chats.find(params.get("chat_id"))
        message: dict[str, Any] = {
            "message_id": 0,
            "from": self.bot_user,
            "chat": log.info,
            "date": int(time.time()),
            **content,
        }
        reply_to = _reply_target(log, params)
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        keyboard = inline_keyboard(markup)
        if keyboard is not None:
            message["reply_markup"] = keyboard
        elif "keyboard" in markup:
            log.reply_keyboard = markup
        elif markup.get("remove_keyboard"):
            log.reply_keyboard = None
        if isinstance(params.get("link_preview_options"), dict):
            message["link_preview_options"] = params["link_preview_options"]
        # A copy, so that later edits do not rewrite what the caller (and recorder) saw.
        return dict(self.chats.add(log, message, html).message)

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        plain, html = _text(params)
        return self._bot_message(params, html, text=plain)

    def send_other(self, name: str, params: dict[str, Any]) -> dict[str, Any]:
        """Any other send* method: a message with its caption and a stand-in file."""
        content, html = caption_content(params)
        kind = name.removeprefix("send")
        n = next(self._file_ids)
        content[kind] = {"file_id": f"{kind}-x{n}", "file_unique_id": f"ux{n}"}
        return self._bot_message(params, html, **content)

    def _send_location(self, params: dict[str, Any]) -> dict[str, Any]:
        try:
            lat, lon = float(params["latitude"]), float(params["longitude"])
        except (KeyError, TypeError, ValueError):
            raise bad_request("wrong latitude or longitude") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise bad_request("wrong location")
        return self._bot_message(params, "", location={"latitude": lat, "longitude": lon})

    # Edits and deletion

    def _editable(self, params: dict[str, Any]) -> Entry:
        log = self.chats.find(params.get("chat_id"))
        entry = log.entries.get(params.get("message_id", 0))
        if entry is None or entry.deleted:
            raise bad_request("message to edit not found")
        if entry.message["from"]["id"] != self.bot_user["id"]:
            raise bad_request("message can't be edited")
        return entry

    def _edit_message_text(self, params: dict[str, Any]) -> Any:
        if "inline_message_id" in params:
            return True
        plain, html = _text(params)
        markup = check_reply_markup(params.get("reply_markup"))
        entry = self._editable(params)
        if "text" not in entry.message:
            raise bad_request("there is no text in the message to edit")
        return self._edit(entry, markup, ("text", plain, html))

    def _edit_message_caption(self, params: dict[str, Any]) -> Any:
        """editMessageCaption: a media message's caption (left out: removed) and keyboard."""
        if "inline_message_id" in params:
            return True
        content, html = caption_content(params)
        markup = check_reply_markup(params.get("reply_markup"))
        entry = self._editable(params)
        if not any(kind in entry.message for kind in _CAPTIONED):
            raise bad_request("there is no caption in the message to edit")
        return self._edit(entry, markup, ("caption", content.get("caption"), html))

    def _edit_reply_markup(self, params: dict[str, Any]) -> Any:
        if "inline_message_id" in params:
            return True
        markup = check_reply_markup(params.get("reply_markup"))
        return self._edit(self._editable(params), markup, None)

    def _edit(
        self,
        entry: Entry,
        markup: dict[str, Any],
        change: tuple[str, str | None, str] | None,
    ) -> dict[str, Any]:
        """Apply an edit: `change` is (field, new value or None to remove it, its HTML)."""
        message = entry.message
        # Leaving reply_markup out of an edit removes the inline keyboard, as on Telegram.
        keyboard = inline_keyboard(markup)
        same_content = change is None or (
            message.get(change[0]) == change[1] and entry.html == change[2]
        )
        if same_content and message.get("reply_markup") == keyboard:
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a content and reply markup of the current message"
            )
        if change is not None:
            field, value, entry.html = change
            message.pop(field, None)
            if value is not None:
                message[field] = value
        message.pop("reply_markup", None)
        if keyboard is not None:
            message["reply_markup"] = keyboard
        message["edit_date"] = int(time.time())
        self.chats.touch(entry)
        return dict(message)

    def _delete_message(self, params: dict[str, Any]) -> bool:
        log = self.chats.find(params.get("chat_id"))
        entry = log.entries.get(params.get("message_id", 0))
        if entry is None or entry.deleted:
            raise bad_request("message to delete not found")
        entry.deleted = True
        self.chats.touch(entry)
        return True

    # Callback queries, commands, menu buttons

    def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id"))
        if query_id not in self.open_callbacks:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        self.open_callbacks.discard(query_id)
        return True

    def _set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not _COMMAND.fullmatch(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = _commands_key(params.get("scope"), params.get("language_code"))
        self._commands[key] = commands
        return True

    def _get_my_commands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.commands(params.get("scope"), params.get("language_code") or "")

    def _delete_my_commands(self, params: dict[str, Any]) -> bool:
        self._commands.pop(_commands_key(params.get("scope"), params.get("language_code")), None)
        return True

    def _set_menu_button(self, params: dict[str, Any]) -> bool:
        button = params.get("menu_button")
        self._menu_buttons[params.get("chat_id")] = (
            button if isinstance(button, dict) else {"type": "default"}
        )
        return True


def _text(params: dict[str, Any]) -> tuple[str, str]:
    text = params.get("text")
    if not isinstance(text, str) or not text.strip():
        raise bad_request("message text is empty")
    plain, html = formatted(text, params.get("parse_mode"))
    if len(plain) > MAX_TEXT:
        raise bad_request("message is too long")
    return plain, html


def _commands_key(scope: Any, language_code: Any) -> tuple[str, str]:
    scope = scope if isinstance(scope, dict) else {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(language_code or "")


def _reply_target(log: ChatLog, params: dict[str, Any]) -> dict[str, Any] | None:
    ref = params.get("reply_parameters")
    if isinstance(ref, dict):
        message_id, allow = ref.get("message_id"), ref.get("allow_sending_without_reply")
    else:
        message_id = params.get("reply_to_message_id")
        allow = params.get("allow_sending_without_reply")
    if message_id is None:
        return None
    target = log.message(message_id)
    if target is None:
        if allow:
            return None
        raise bad_request("message to be replied not found")
    # Telegram does not nest replies inside replies.
    return {k: v for k, v in target.items() if k != "reply_to_message"}
