"""Project updates after a sync: the changes a chat follows, grouped in one short message."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.ui import formats, texts
from bot.ui.callbacks import OpenCard
from bot.ui.notices import Rendered, register

MAX_BUTTONS = 5
MAX_CALLBACK_BYTES = 64  # Telegram's limit for callback data


@register("project_update")
def project_update(params: dict[str, Any], locale: str) -> Rendered:
    """🏗 Project updates, one block per project, with buttons that open the cards."""
    items: list[dict[str, Any]] = list(params.get("projects") or [])
    blocks = project_blocks(items, int(params.get("more") or 0), locale)
    head = ngettext("🏗 <b>Project update</b>", "🏗 <b>Project updates</b>", len(items))
    return Rendered("\n\n".join([head, *blocks]), card_buttons(items, MAX_BUTTONS))


def project_blocks(items: list[dict[str, Any]], more: int, locale: str) -> list[str]:
    """One block per project, then "…and N more"."""
    blocks = [_block(item, locale) for item in items]
    if more:
        blocks.append(
            ngettext("…and {n} more project", "…and {n} more projects", more).format(n=more)
        )
    return blocks


def card_buttons(items: list[dict[str, Any]], limit: int) -> InlineKeyboardMarkup | None:
    """A button opening each project's card (the first `limit`)."""
    keyboard = InlineKeyboardBuilder()
    for item in items[:limit]:
        data = OpenCard(id=str(item["id"])).pack()
        if len(data.encode()) <= MAX_CALLBACK_BYTES:
            keyboard.button(
                text=_shorten(str(item.get("title") or item["id"])), callback_data=data
            )
    keyboard.adjust(1)
    return keyboard.as_markup() if keyboard.buttons else None


def _block(item: dict[str, Any], locale: str) -> str:
    lines = [f"<b>{escape(str(item.get('title') or item['id']))}</b>"]
    if item.get("new"):
        lines.append(_("New project in your area: {status}").format(status=_status(item)))
        return "\n".join(lines)
    if "status" in item:
        old, new = item["status"]
        lines.append(
            _("Status: {old} → {new}").format(old=texts.status(old), new=texts.status(new))
        )
    if "progress" in item:
        old, new = (_percent(v, locale) for v in item["progress"])
        lines.append(_("Progress: {old} → {new}").format(old=old, new=new))
    if "end" in item:
        old, new = (_day(v, locale) for v in item["end"])
        lines.append(_("Planned end: {old} → {new}").format(old=old, new=new))
    if item.get("completed"):
        lines.append(_("Completion has been recorded."))
    return "\n".join(lines)


def _status(item: dict[str, Any]) -> str:
    return texts.status((item.get("status") or [None, None])[1])


def _percent(value: float | None, locale: str) -> str:
    return "—" if value is None else formats.percent(value, locale)


def _day(value: str | None, locale: str) -> str:
    return "—" if value is None else formats.day(date.fromisoformat(value), locale)


def _shorten(title: str, limit: int = 40) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"
