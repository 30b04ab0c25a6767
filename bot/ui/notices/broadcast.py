"""An official's broadcast: their text as written (escaped), in a small localized frame."""

from __future__ import annotations

from html import escape
from typing import Any

from aiogram.utils.i18n import gettext as _

from bot.ui.notices import Rendered, register


@register("broadcast")
def broadcast(params: dict[str, Any], locale: str) -> Rendered:
    """📢 Announcement from <sender> — then the official's text."""
    del locale
    sender = str(params.get("sender") or "").strip()
    if sender:
        head = _("📢 <b>Announcement from {sender}</b>").format(sender=escape(sender))
    else:
        head = _("📢 <b>Announcement from the city administration</b>")
    body = escape(str(params.get("text") or ""))
    return Rendered(f"{head}\n\n{body}")
