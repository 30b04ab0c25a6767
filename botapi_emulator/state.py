"""Data model of the fake Telegram Bot API: records, faults, limits, chats and messages."""

from __future__ import annotations

import itertools
import json
import math
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, Literal

from sandbox.botapi.params import (
    ApiError,
    bad_request,
)

ChatId = int | str

FaultKind = Literal[
    "retry_after",
    "blocked",
    "deactivated",
    "chat_not_found",
    "server_error",
    "timeout",
    "disconnect",
]

SEND_METHODS = frozenset(
    {
        "sendmessage",
        "sendlocation",
        "sendphoto",
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

# Methods whose result is a bot message the user sees: new or changed.
REPLY_METHODS = SEND_METHODS | {"editmessagetext", "editmessagereplymarkup", "editmessagecaption"}

INLINE_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)

HTML_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)

_MD2_PLAIN_RESERVED = frozenset(".!#+-={}")
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")


def too_many_requests(retry_after: int) -> ApiError:
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)


def fault_error(kind: FaultKind, retry_after: int = 5, status: int = 500) -> ApiError:
    """The error a scripted or permanent fault answers with (not for timeout/disconnect)."""
    if kind == "retry_after":
        return too_many_requests(retry_after)
    if kind == "blocked":
        return ApiError(403, "Forbidden: bot was blocked by the user")
    if kind == "deactivated":
        return ApiError(403, "Forbidden: user is deactivated")
    if kind == "chat_not_found":
        return bad_request("chat not found")
    if kind == "server_error":
        return ApiError(status, "Bad Gateway" if status == 502 else "Internal Server Error")
    raise ValueError(f"{kind} has no error answer")


@dataclass(slots=True)
class RecordedCall:
    """One API call as the fake saw it; `time` is the arrival time on the fake's clock."""

    method: str
    params: dict[str, Any]
    time: float
    chat_id: ChatId | None
    status: int = 200
    result: Any = None

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def text(self) -> str | None:
        text = self.params.get("text")
        return text if isinstance(text, str) else None

    @property
    def message_id(self) -> int | None:
        if isinstance(self.result, dict) and "message_id" in self.result:
            return int(self.result["message_id"])
        value = self.params.get("message_id")
        return value if isinstance(value, int) else None

    @property
    def reply_markup(self) -> dict[str, Any] | None:
        markup = self.params.get("reply_markup")
        return markup if isinstance(markup, dict) else None

    @property
    def callback_data(self) -> list[str]:
        """All callback_data values of the inline keyboard, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


@dataclass(frozen=True, slots=True)
class Violation:
    """A message that arrived while a flood wait (429 retry_after) was still running."""

    time: float
    method: str
    chat_id: ChatId | None
    remaining: float


@dataclass(frozen=True, slots=True)
class WebhookDelivery:
    """One POST of an update to the webhook; status is None when the request failed."""

    update_id: int
    url: str
    status: int | None
    time: float
    error: str | None = None


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Fault:
    """A scripted answer for the next call to a chat."""

    kind: FaultKind
    retry_after: int = 5
    status: int = 500
    hold: float = 2.0
    delivered: bool = False


class RateLimiter:
    """Sliding-window limits: global messages/s and per chat (per second, per minute in groups)."""

    def __init__(
        self,
        global_per_sec: int,
        per_chat_per_sec: int,
        group_per_min: int,
        paid_per_sec: int,
        tolerance: float,
    ) -> None:
        self.global_per_sec = global_per_sec
        self.per_chat_per_sec = per_chat_per_sec
        self.group_per_min = group_per_min
        self.paid_per_sec = paid_per_sec
        self.tolerance = tolerance
        self._global: deque[float] = deque()
        self._chats: dict[ChatId, deque[float]] = {}

    def acquire(self, chat_id: ChatId, now: float, paid: bool) -> int | None:
        """Take a slot and return None, or return the retry_after a 429 should carry."""
        limit = self.paid_per_sec if paid else self.global_per_sec
        wait = self._wait(self._global, limit, 1.0, now)
        group = isinstance(chat_id, str) or chat_id < 0
        chat_window = 60.0 if group else 1.0
        chat_limit = self.group_per_min if group else self.per_chat_per_sec
        chat = self._chats.setdefault(chat_id, deque())
        wait = max(wait, self._wait(chat, chat_limit, chat_window, now))
        if wait > 0:
            return max(1, math.ceil(wait))
        self._global.append(now)
        chat.append(now)
        return None

    def _wait(self, window: deque[float], limit: int, span: float, now: float) -> float:
        # Stamps older than the window (less a little slack for clock jitter) no longer count.
        expire = now - span + self.tolerance
        while window and window[0] <= expire:
            window.popleft()
        if len(window) < limit:
            return 0.0
        return window[len(window) - limit] - expire


def utf16_len(text: str) -> int:
    """Telegram counts entity offsets and lengths in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


class _HtmlChecker(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.stack: list[str] = []
        self.parts: list[str] = []
        self.error: str | None = None

    def _offset(self) -> int:
        line, column = self.getpos()
        lines = self.source.split("\n")
        prefix = "\n".join([*lines[: line - 1], lines[line - 1][:column]])
        return len(prefix.encode())

    def _fail(self, message: str) -> None:
        if self.error is None:
            self.error = message

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in HTML_TAGS or (tag == "span" and ("class", "tg-spoiler") not in attrs):
            self._fail(f'Unsupported start tag "{tag}" at byte offset {self._offset()}')
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self._fail(f"Unexpected end tag at byte offset {self._offset()}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _check_html(text: str) -> str:
    checker = _HtmlChecker(text)
    checker.feed(text)
    checker.close()
    if checker.error is None and checker.stack:
        checker.error = f'Can\'t find end tag corresponding to start tag "{checker.stack[-1]}"'
    if checker.error is not None:
        raise bad_request(f"can't parse entities: {checker.error}")
    return "".join(checker.parts)


def _check_markdown(text: str, v2: bool) -> str:
    # A deliberately small parser: it catches what breaks real bots (unescaped reserved
    # characters, unclosed entities) without modelling every MarkdownV2 rule.
    toggles = "*_~|" if v2 else "*_"
    plain: list[str] = []
    open_at: dict[str, int] = {}
    i, n, line_start = 0, len(text), True
    while i < n:
        ch = text[i]
        if ch == "\\" and v2 and i + 1 < n:
            plain.append(text[i + 1])
            i, line_start = i + 2, False
            continue
        if ch == "`" and "`" not in open_at:
            fence = "```" if text.startswith("```", i) else "`"
            end = text.find(fence, i + len(fence))
            if end < 0:
                offset = len(text[:i].encode())
                raise bad_request(
                    f"can't parse entities: Can't find end of the entity starting at byte "
                    f"offset {offset}"
                )
            code = text[i + len(fence) : end]
            if fence == "```" and "\n" in code:
                # The first line of a pre block names the language; it is not shown.
                code = code.split("\n", 1)[1]
            plain.append(code)
            i, line_start = end + len(fence), False
            continue
        if ch in toggles and (ch != "|" or text.startswith("||", i)):
            token = "||" if ch == "|" else ch
            if token in open_at:
                del open_at[token]
            else:
                open_at[token] = i
            i += len(token)
            line_start = False
            continue
        if ch == "[":
            open_at["["] = i
        elif ch == "]" and "[" in open_at:
            del open_at["["]
            if text.startswith("(", i + 1):
                end = text.find(")", i + 2)
                i = max(i, end)
        elif v2 and (ch in _MD2_PLAIN_RESERVED or ch in "()]|" or (ch == ">" and not line_start)):
            raise bad_request(
                f"can't parse entities: Character '{ch}' is reserved and must be escaped "
                "with the preceding '\\'"
            )
        elif ch != ">" or not v2:
            plain.append(ch)
        line_start = ch == "\n"
        i += 1
    if open_at:
        offset = len(text[: min(open_at.values())].encode())
        raise bad_request(
            f"can't parse entities: Can't find end of the entity starting at byte offset {offset}"
        )
    return "".join(plain)


def check_text(text: str, parse_mode: Any) -> str:
    """Validate formatted text like Telegram does and return the plain text it would show."""
    if not parse_mode:
        return text
    mode = str(parse_mode).lower()
    if mode == "html":
        return _check_html(text)
    if mode in ("markdownv2", "markdown"):
        return _check_markdown(text, v2=mode == "markdownv2")
    raise bad_request(f"unsupported parse_mode {parse_mode!r}")


def check_reply_markup(markup: Any) -> None:
    """Reject keyboards Telegram would reject."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        for row in markup["inline_keyboard"]:
            for button in row:
                _check_inline_button(button)
    elif "keyboard" in markup:
        for row in markup["keyboard"]:
            for button in row:
                label = button if isinstance(button, str) else button.get("text")
                if not label:
                    raise bad_request("keyboard button text must be non-empty")


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not button.get("text"):
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    actions = INLINE_ACTIONS.intersection(button)
    if len(actions) != 1:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    data = button.get("callback_data")
    if data is not None and not 1 <= len(str(data).encode()) <= 64:
        raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and not str(url).startswith(("http://", "https://", "tg://")):
        raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


class ChatLog:
    """A chat the fake knows: its Chat object and the messages in it (ids shared both ways)."""

    __slots__ = ("_last_id", "info", "messages")

    def __init__(self, info: dict[str, Any]) -> None:
        self.info = info
        self.messages: dict[int, dict[str, Any]] = {}
        self._last_id = 0

    def add(self, message: dict[str, Any]) -> dict[str, Any]:
        """Give the message the next id of this chat and keep it."""
        self._last_id += 1
        message["message_id"] = self._last_id
        self.messages[self._last_id] = message
        return message


Handler = Callable[[dict[str, Any]], Any]


class BotApiState:
    """Chats, messages, commands and callback queries: what Bot API methods read and change."""

    def __init__(self, bot_user: dict[str, Any], known_chats_only: bool = False) -> None:
        self.bot_user = bot_user
        self.known_chats_only = known_chats_only
        self._chats: dict[ChatId, ChatLog] = {}
        self.open_callbacks: set[str] = set()  # callback queries sent, not yet answered
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._menu_buttons: dict[ChatId | None, dict[str, Any]] = {}
        self.handlers: dict[str, Handler] = {
            "getme": lambda _: self.bot_user,
            "sendmessage": self._send_message,
            "sendlocation": self._send_location,
            "copymessage": lambda p: {"message_id": self._bot_message(p)["message_id"]},
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_reply_markup,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "setchatmenubutton": self._set_menu_button,
            "getchatmenubutton": self._get_menu_button,
        }

    def register_chat(self, info: dict[str, Any]) -> ChatLog:
        """The chat's log; a user's own chat info replaces a stand-in made up earlier."""
        log = self._chats.get(info["id"])
        if log is None:
            log = self._chats[info["id"]] = ChatLog(info)
        elif log.info is not info:
            log.info.update(info)
        return log

    def message(self, chat_id: ChatId, message_id: int) -> dict[str, Any] | None:
        log = self._chats.get(chat_id)
        return None if log is None else log.messages.get(message_id)

    def new_callback_id(self) -> str:
        return f"{self.bot_user['id']}{next(self._callback_ids):08d}"

    def chat(self, chat_id: Any) -> ChatLog:
        log = self._chats.get(chat_id)
        if log is not None:
            return log
        if self.known_chats_only or not isinstance(chat_id, int) or chat_id == 0:
            raise bad_request("chat not found")
        if chat_id > 0:
            info = {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}
        else:
            kind = "supergroup" if str(chat_id).startswith("-100") else "group"
            info = {"id": chat_id, "type": kind, "title": f"Chat {chat_id}"}
        return self.register_chat(info)

    def _bot_message(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        chat = self.chat(params.get("chat_id"))
        message: dict[str, Any] = {
            "message_id": 0,
            "from": self.bot_user,
            "chat": chat.info,
            "date": int(time.time()),
            **content,
        }
        reply_to = _reply_target(chat, params)
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        # Only inline keyboards belong to the message; reply keyboards live in the client.
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = {"inline_keyboard": markup["inline_keyboard"]}
        if isinstance(params.get("link_preview_options"), dict):
            message["link_preview_options"] = params["link_preview_options"]
        # A copy, so that later edits do not rewrite what the recorder saw.
        return dict(chat.add(message))

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise bad_request("message text is empty")
        plain = check_text(text, params.get("parse_mode"))
        if len(plain) > 4096:
            raise bad_request("message is too long")
        return self._bot_message(params, text=plain)

    def send_other(self, name: str, params: dict[str, Any]) -> dict[str, Any]:
        """Any other send* method: a message with its caption and a stand-in file."""
        content: dict[str, Any] = {}
        caption = params.get("caption")
        if isinstance(caption, str):
            caption = check_text(caption, params.get("parse_mode"))
            if len(caption) > 1024:
                raise bad_request("message caption is too long")
            content["caption"] = caption
        kind = name.removeprefix("send")
        n = next(self._file_ids)
        file_id = {"file_id": f"{kind}-{n}", "file_unique_id": f"u{n}"}
        if kind == "photo":
            content["photo"] = [{**file_id, "width": 1280, "height": 960}]
        elif kind == "document":
            upload = params.get("document")
            filename = upload.filename if isinstance(upload, UploadedFile) else "document"
            content["document"] = {**file_id, "file_name": filename}
        return self._bot_message(params, **content)

    def _send_location(self, params: dict[str, Any]) -> dict[str, Any]:
        try:
            lat, lon = float(params["latitude"]), float(params["longitude"])
        except (KeyError, TypeError, ValueError):
            raise bad_request("wrong latitude or longitude") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise bad_request("wrong location")
        return self._bot_message(params, location={"latitude": lat, "longitude": lon})

    def _editable(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self.chat(params.get("chat_id")).messages.get(params.get("message_id", 0))
        if message is None:
            raise bad_request("message to edit not found")
        if message["from"]["id"] != self.bot_user["id"]:
            raise bad_request("message can't be edited")
        return message

    def _edit_message_text(self, params: dict[str, Any]) -> Any:
        if "inline_message_id" in params:
            return True
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise bad_request("message text is empty")
        plain = check_text(text, params.get("parse_mode"))
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        message = self._editable(params)
        return _apply_edit(message, {"text": plain}, markup)

    def _edit_reply_markup(self, params: dict[str, Any]) -> Any:
        if "inline_message_id" in params:
            return True
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        return _apply_edit(self._editable(params), {}, markup)

    def _delete_message(self, params: dict[str, Any]) -> bool:
        log = self.chat(params.get("chat_id"))
        if log.messages.pop(params.get("message_id", 0), None) is None:
            raise bad_request("message to delete not found")
        return True

    def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id"))
        if query_id not in self.open_callbacks:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        self.open_callbacks.discard(query_id)
        return True

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        """The commands set for a scope (default scope if None) and language."""
        return list(self._commands.get(_commands_key(scope, language_code), []))

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

    def menu_button(self, chat_id: ChatId | None = None) -> dict[str, Any]:
        return self._menu_buttons.get(chat_id, {"type": "default"})

    def _set_menu_button(self, params: dict[str, Any]) -> bool:
        button = params.get("menu_button")
        self._menu_buttons[params.get("chat_id")] = (
            button if isinstance(button, dict) else {"type": "default"}
        )
        return True

    def _get_menu_button(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.menu_button(params.get("chat_id"))


def _commands_key(scope: Any, language_code: Any) -> tuple[str, str]:
    scope = scope if isinstance(scope, dict) else {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(language_code or "")


def _reply_target(chat: ChatLog, params: dict[str, Any]) -> dict[str, Any] | None:
    ref = params.get("reply_parameters")
    if isinstance(ref, dict):
        message_id, allow = ref.get("message_id"), ref.get("allow_sending_without_reply")
    else:
        message_id = params.get("reply_to_message_id")
        allow = params.get("allow_sending_without_reply")
    if message_id is None:
        return None
    target = chat.messages.get(message_id)
    if target is None:
        if allow:
            return None
        raise bad_request("message to be replied not found")
    # Telegram does not nest replies inside replies.
    return {k: v for k, v in target.items() if k != "reply_to_message"}


def _apply_edit(message: dict[str, Any], content: dict[str, Any], markup: Any) -> dict[str, Any]:
    # Leaving reply_markup out of an edit removes the inline keyboard, as on Telegram.
    keyboard = (
        {"inline_keyboard": markup["inline_keyboard"]}
        if isinstance(markup, dict) and "inline_keyboard" in markup
        else None
    )
    if all(message.get(k) == v for k, v in content.items()) and (
        message.get("reply_markup") == keyboard
    ):
        raise bad_request(
            "message is not modified: specified new message content and reply markup are "
            "exactly the same as a content and reply markup of the current message"
        )
    message.update(content)
    message.pop("reply_markup", None)
    if keyboard is not None:
        message["reply_markup"] = keyboard
    message["edit_date"] = int(time.time())
    return dict(message)
