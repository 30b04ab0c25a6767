"""Message texts (HTML). Every text taken from records or users goes through `esc`."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from babel.numbers import format_decimal

from bot.ui import formats
from core.chats.schemas import SubscriptionRead
from core.projects.schemas import ProjectSummary


def esc(text: str | None) -> str:
    """HTML-escape text that came from a record or a person."""
    return html.escape(text or "", quote=False)


def welcome() -> str:
    """/start."""
    return _(
        "👋 Hello! I show public construction works near you: what is being built, by whom, "
        "for how much, and how late.\n\n"
        "Share your location with the button below, or send me words to search. /help lists "
        "everything I can do."
    )


def unknown_command(command: str) -> str:
    """A command the bot does not have."""
    return _("I do not know the command {command}.").format(command=esc(command[:64]))


def help_text(*, official: bool = False) -> str:
    """/help (officials also read about /broadcast)."""
    citizens = _(
        "<b>What I can do</b>\n"
        "📍 Share a location (or /near) — public works nearby, nearest first.\n"
        "🔎 Send words (or /search words) — find works by title, description or address.\n"
        "Open a project to see its status, progress, budget, contractor, official in charge "
        "and delays, and subscribe to its updates or to works in the area.\n"
        "/subscriptions — what you follow, with remove buttons.\n"
        "/settings — quiet hours, a daily digest for areas, muting a project.\n"
        "/language — English, Українська, 한국어.\n"
        "/cancel — leave what you are doing."
    )
    workers = _(
        "<b>Construction workers</b>\n"
        "/link — link your wage records with the code from your site office or employer.\n"
        "/wages — your recent pay; alerts when wages are paid, paid in part or late.\n"
        "/unlink — stop wage alerts to this chat."
    )
    if not official:
        return f"{citizens}\n\n{workers}"
    officials = _(
        "<b>Officials</b>\n"
        "/broadcast — an announcement to a project's subscribers or workers, to everyone "
        "following an area, or to every chat: you see who it reaches before you send it."
    )
    return f"{citizens}\n\n{workers}\n\n{officials}"


# Only the status shown is translated (a list shows five: translating all nine names for each
# was most of a list's lookups).
_STATUS_NAMES: dict[str, Callable[[], str]] = {
    "identification": lambda: _("Identified"),
    "preparation": lambda: _("In preparation"),
    "implementation": lambda: _("Under construction"),
    "completion": lambda: _("Completed"),
    "maintenance": lambda: _("In maintenance"),
    "decommissioning": lambda: _("Being decommissioned"),
    "decommissioned": lambda: _("Decommissioned"),
    "cancelled": lambda: _("Cancelled"),
}


def status(value: str | None) -> str:
    """An OC4IDS project status in words."""
    name = _STATUS_NAMES.get(value or "")
    return name() if name is not None else _("Status unknown")


def delay(days: int | None) -> str | None:
    """12 days late / on schedule; None when there is no planned end."""
    if days is None:
        return None
    if days == 0:
        return _("on schedule")
    return ngettext("{n} day late", "{n} days late", days).format(n=days)


def summary_line(number: int, item: ProjectSummary, locale: str) -> str:
    """One project in a list: title and distance, then status, progress, end and delay."""
    head = f"{number}. <b>{esc(item.title)}</b>"
    if item.distance_m is not None:
        head += " — " + formats.distance(item.distance_m, locale)
    facts = [status(item.status)]
    if item.progress_pct is not None:
        facts.append(formats.percent(item.progress_pct, locale))
    if item.planned_end_date is not None:
        end = formats.day(item.planned_end_date, locale)
        facts.append(_("ends {date}").format(date=end))
    if (late := delay(item.delay_days)) is not None:
        facts.append(late)
    return head + "\n    " + " · ".join(facts)


def nearby(
    items: Sequence[ProjectSummary], radius_m: int, page: int, size: int, locale: str
) -> str:
    """A page of nearby projects."""
    title = _("🏗 Public works within {radius} of you").format(
        radius=formats.radius(radius_m, locale)
    )
    lines = [summary_line(page * size + n, item, locale) for n, item in enumerate(items, 1)]
    return f"<b>{title}</b>\n\n" + "\n\n".join(lines)


def nothing_nearby(radius_m: int, locale: str, is_widest: bool) -> str:
    """Nothing within the radius (and whether a wider search is still possible)."""
    text = _("Nothing is being built within {radius} of this point.").format(
        radius=formats.radius(radius_m, locale)
    )
    if is_widest:
        return text
    return text + "\n" + _("Try a wider radius:")


def search_results(
    items: Sequence[ProjectSummary],
    words: str,
    page: int,
    size: int,
    locale: str,
    total: int | None = None,
    is_lower_bound: bool = False,
) -> str:
    """A page of text search results, with where it is in the whole ("1-5 of 23")."""
    title = _("🔎 Results for “{words}”").format(words=esc(words))
    lines = [summary_line(page * size + n, item, locale) for n, item in enumerate(items, 1)]
    head = f"<b>{title}</b>"
    if total is not None and items:
        head += "\n" + position(page * size, len(items), total, locale, is_lower_bound)
    return head + "\n\n" + "\n\n".join(lines)


def position(
    offset: int, count: int, total: int, locale: str, is_lower_bound: bool = False
) -> str:
    """Where a page is in its list: "11–20 of 23"."""  # noqa: RUF002 - a range dash
    shown = format_decimal(total, locale=locale) + ("+" if is_lower_bound else "")
    return _("{first}–{last} of {total}").format(  # noqa: RUF001 - a range dash
        first=offset + 1, last=offset + count, total=shown
    )


def nothing_found(words: str) -> str:
    """No search results."""
    return _("Nothing matches “{words}”. Try other words, or share your location.").format(
        words=esc(words)
    )


def subscriptions(items: Sequence[SubscriptionRead], locale: str) -> str:
    """/subscriptions: numbered, matching the remove buttons."""
    if not items:
        return _(
            "You follow nothing yet. Open a project and press “Subscribe”, or share a location "
            "and ask to be notified about works in the area."
        )
    header = _("🔔 Your subscriptions")
    lines = [f"<b>{header}</b>"]
    for number, item in enumerate(items, start=1):
        if item.kind == "area" and item.lat is not None and item.lon is not None:
            what = _("works within {radius} of {lat}, {lon}").format(
                radius=formats.radius(round(item.radius_m or 0), locale),
                lat=f"{item.lat:.5f}",
                lon=f"{item.lon:.5f}",
            )
        else:
            what = esc(item.project_title or item.project_id)
        lines.append(f"{number}. {what}")
    return "\n".join(lines)


def subscribed_project() -> str:
    """After subscribing to a project."""
    return _("🔔 Subscribed: I will tell you when this project changes.")


def unsubscribed_project() -> str:
    """After unsubscribing from a project."""
    return _("🔕 Unsubscribed from this project.")


def subscribed_area(radius_m: int, locale: str) -> str:
    """After subscribing to an area."""
    return _("🔔 Subscribed: I will tell you about works within {radius} of this point.").format(
        radius=formats.radius(radius_m, locale)
    )


def removed() -> str:
    """After removing a subscription."""
    return _("Removed.")


def ask_location() -> str:
    """/near."""
    return _("Send me a location: press “📍 Share my location”, or attach any point on the map.")


def ask_words() -> str:
    """/search without words."""
    return _("What are you looking for? Send a few words: a street, a district, a kind of work.")


def still_waiting_location() -> str:
    """Text while a location is awaited."""
    return _("I am waiting for a location. Share one, or send /cancel.")


def cancelled() -> str:
    """/cancel."""
    return _("Cancelled. What next?")


def choose_language() -> str:
    """/language."""
    return _("Choose your language:")


def language_set() -> str:
    """After choosing a language (shown in the new language)."""
    return _("Language saved: English.")


def project_gone() -> str:
    """A card for a project that no longer exists."""
    return _("This project is no longer published.")


def list_expired() -> str:
    """A list button whose context is gone."""
    return _("This list has expired. Share your location or search again.")


def stale_button() -> str:
    """A button this bot no longer knows."""
    return _("This button is no longer active.")


def unknown_link() -> str:
    """A /start payload nobody handles."""
    return _("This link is not valid or has expired.")


def unsupported() -> str:
    """Stickers, photos and the like."""
    return _("I understand locations and words. Share your location or send me words to search.")


def too_long() -> str:
    """Search text longer than we accept."""
    return _("That is too long to search for. Send a few words.")
