"""Reply markup: keyboards checked as Telegram checks them."""

from __future__ import annotations

from typing import Any

from botapi_emulator.params import bad_request

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


def check_reply_markup(markup: Any) -> dict[str, Any]:
    """The markup ({} when absent); 400 for keyboards Telegram would reject."""
    if markup is None:
        return {}
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
    return markup


def inline_keyboard(markup: dict[str, Any]) -> dict[str, Any] | None:
    """The part of a markup that belongs to the message (reply keyboards live in the client)."""
    if "inline_keyboard" in markup:
        return {"inline_keyboard": markup["inline_keyboard"]}
    return None


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
