"""The feeds section of the officials' morning digest: followed sources failing or silent."""

from __future__ import annotations

from html import escape
from typing import Any

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext


def feeds_section(params: dict[str, Any]) -> list[str]:
    """Paragraphs for the digest; none when every feed is healthy."""
    feeds = params.get("feeds") or []
    if not feeds:
        return []
    lines = [_("📡 <b>Data feeds that need a look</b>")]
    for feed in feeds:
        name = escape(str(feed.get("name") or ""))
        failures = int(feed.get("failures") or 0)
        days = int(feed.get("silent_days") or 0)
        if failures:
            problem = ngettext(
                "failed {n} time in a row", "failed {n} times in a row", failures
            ).format(n=failures)
            error = str(feed.get("error") or "")
            if error:
                problem += f": <i>{escape(error)}</i>"
        else:
            problem = ngettext("no change for {n} day", "no change for {n} days", days).format(
                n=days
            )
        lines.append(f"• <b>{name}</b> — {problem}")
    more = int(params.get("more_feeds") or 0)
    if more:
        lines.append(ngettext("…and {n} more", "…and {n} more", more).format(n=more))
    return ["\n".join(lines)]
