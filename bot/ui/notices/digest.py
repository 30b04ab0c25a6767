"""The daily area digest: what changed in the followed areas, grouped by project."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram.utils.i18n import gettext as _

from bot.ui import formats
from bot.ui.notices import Rendered, register
from bot.ui.notices.projects import card_buttons, project_blocks

MAX_BUTTONS = 8


@register("project_digest")
def project_digest(params: dict[str, Any], locale: str) -> Rendered:
    """🗞 Daily digest for <date>, one block per project, buttons to the cards."""
    items: list[dict[str, Any]] = list(params.get("projects") or [])
    day = params.get("date")
    when = formats.day(date.fromisoformat(str(day)), locale) if day else ""
    head = _("🗞 <b>Daily digest, {date}</b>\nWhat changed in the areas you follow:").format(
        date=when
    )
    blocks = project_blocks(items, int(params.get("more") or 0), locale)
    return Rendered("\n\n".join([head, *blocks]), card_buttons(items, MAX_BUTTONS))
