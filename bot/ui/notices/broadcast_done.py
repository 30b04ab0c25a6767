"""The author's report when their broadcast has finished: how many were sent, failed, blocked."""

from __future__ import annotations

from typing import Any

from aiogram.utils.i18n import gettext as _
from babel.numbers import format_decimal

from bot.ui.notices import Rendered, register


@register("broadcast_done")
def broadcast_done(params: dict[str, Any], locale: str) -> Rendered:
    """📬 Broadcast #id is done — sent / failed / blocked (and not sent, when any)."""

    def number(key: str) -> str:
        return format_decimal(int(params.get(key) or 0), locale=locale)

    head = _("📬 <b>Broadcast #{id} is done.</b>").format(id=int(params["broadcast_id"]))
    lines = [
        _("Sent: {n}").format(n=number("sent")),
        _("Failed: {n}").format(n=number("failed")),
        _("Blocked the bot: {n}").format(n=number("blocked")),
    ]
    if int(params.get("expired") or 0):
        lines.append(_("Expired before they could be sent: {n}").format(n=number("expired")))
    if int(params.get("cancelled") or 0):
        lines.append(_("Not sent (chat no longer reachable): {n}").format(n=number("cancelled")))
    return Rendered("\n".join([head, "", *lines]))
