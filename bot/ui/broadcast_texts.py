"""Texts of an official's /broadcast conversation (HTML); official and record text is escaped."""

from __future__ import annotations

from typing import Any

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from babel.numbers import format_decimal

from bot.ui import formats, keyboards
from bot.ui.texts import esc
from core.broadcasts.schemas import MAX_TEXT as MAX_TEXT_CHARS

MAX_TITLE_CHARS = 100


def choose_audience() -> str:
    """/broadcast: the first step."""
    return _("📢 <b>New broadcast</b>\nWho should receive it? (/cancel leaves at any step)")


def ask_project_words() -> str:
    """A project audience: find the project first."""
    return _("Send words from the project's title or address.")


def choose_project(words: str) -> str:
    """The projects found, as buttons."""
    return _("Projects matching “{words}”: choose one, or send other words.").format(
        words=esc(words)
    )


def no_project(words: str) -> str:
    """Nothing matched the words."""
    return _("No project matches “{words}”. Try other words, or /cancel.").format(words=esc(words))


def ask_location() -> str:
    """An area audience: its centre first."""
    return _("Share the centre of the area: 📎 → Location, or the “{button}” button.").format(
        button=keyboards.share_location_label()
    )


def still_waiting_location() -> str:
    """Anything but a location while one is awaited."""
    return _("I need a location for the centre of the area (or /cancel).")


def ask_radius() -> str:
    """After the location."""
    return _("Which radius around this point? Everyone whose followed area overlaps it gets it.")


def use_buttons() -> str:
    """Text where a button is awaited."""
    return _("Please choose with the buttons above, or /cancel.")


def ask_text(audience: str) -> str:
    """The audience is set: now the message."""
    return _(
        "Audience: {audience}\n\n"
        "Now write the message as plain text, in one language, up to {limit} characters. "
        "It goes out exactly as written."
    ).format(audience=audience, limit=MAX_TEXT_CHARS)


def text_only() -> str:
    """A photo or sticker where the text is awaited."""
    return _("Please send the message as plain text (or /cancel).")


def too_long() -> str:
    """A text over the limit."""
    return _("That is too long: a broadcast may have at most {limit} characters.").format(
        limit=MAX_TEXT_CHARS
    )


def preview(
    audience: str, count: int, message: str, locale: str, urgent: bool = False, expires_h: int = 0
) -> str:
    """What will be sent, to whom, to how many, how urgently and until when; `message` is the
    rendered (escaped) notice."""
    head = _("<b>Preview</b>\nAudience: {audience}").format(audience=audience)
    recipients = ngettext(
        "It will reach {count} chat now.", "It will reach {count} chats now.", count
    ).format(count=format_decimal(count, locale=locale))
    if urgent:
        how = _("🚨 Urgent: sent at once, with sound, even in quiet hours.")
    else:
        how = _("Normal: silent or held during each reader's quiet hours.")
    if expires_h:
        until = ngettext(
            "Copies not sent within {n} hour are dropped.",
            "Copies not sent within {n} hours are dropped.",
            expires_h,
        ).format(n=expires_h)
        how = f"{how}\n{until}"
    question = _("Send it?")
    return f"{head}\n{recipients}\n{how}\n\n{message}\n\n{question}"


def nobody(audience: str) -> str:
    """The audience is empty: nothing is written."""
    return _("Nobody is in this audience yet ({audience}), so there is nothing to send.").format(
        audience=audience
    )


def queued(broadcast_id: int, count: int, locale: str) -> str:
    """Confirmed: the broadcast id and how many will get it."""
    return ngettext(
        "✅ Broadcast #{id} is queued for {count} chat. "
        "I will send you the figures when it is done.",
        "✅ Broadcast #{id} is queued for {count} chats. "
        "I will send you the figures when it is done.",
        count,
    ).format(id=broadcast_id, count=format_decimal(count, locale=locale))


def cancelled() -> str:
    """Left the flow: nothing was written."""
    return _("Cancelled. Nothing was sent.")


def audience(value: dict[str, Any], title: str | None, locale: str) -> str:
    """An audience in words (HTML), e.g. "subscribers of «Podil bridge repair»"."""
    kind = value.get("kind")
    if title is not None and len(title) > MAX_TITLE_CHARS:
        title = title[: MAX_TITLE_CHARS - 1] + "…"  # the preview must stay within 4096
    if kind == "project":
        return _("subscribers of “{title}”").format(title=esc(title))
    if kind == "workers":
        return _("linked workers of “{title}”").format(title=esc(title))
    if kind == "area":
        return _("areas followed within {radius} of {lat}, {lon}").format(
            radius=formats.radius(int(value["radius_m"]), locale),
            lat=f"{float(value['lat']):.5f}",
            lon=f"{float(value['lon']):.5f}",
        )
    return _("everyone who uses the bot")
