"""Reply and inline keyboards; button texts from records are plain text (not HTML)."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from aiogram.utils.i18n import gettext as _

from bot.ui import callbacks as cb
from bot.ui import formats
from core.chats.schemas import SubscriptionRead
from core.projects.schemas import ProjectSummary

LANGUAGES = (("en", "English"), ("uk", "Українська"), ("ko", "한국어"))
BUTTON_TITLE_CHARS = 40


def main_menu() -> ReplyKeyboardMarkup:
    """Share location, search, subscriptions, ask or report, settings, language, help."""
    return ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=share_location_label(), request_location=True)],
            [KeyboardButton(text=search_label()), KeyboardButton(text=subscriptions_label())],
            [KeyboardButton(text=ask_or_report_label())],
            [
                KeyboardButton(text=settings_label()),
                KeyboardButton(text=language_label()),
                KeyboardButton(text=help_label()),
            ],
        ],
        resize_keyboard=True,
        is_persistent=True,
    )


def share_location_label() -> str:
    """The request_location button."""
    return _("📍 Share my location")


def ask_or_report_label() -> str:
    """The menu entry of citizen questions and reports."""
    return _("❓ Ask or report")


def search_label() -> str:
    """The search menu button."""
    return _("🔎 Search")


def subscriptions_label() -> str:
    """The subscriptions menu button."""
    return _("🔔 Subscriptions")


def settings_label() -> str:
    """The notification settings menu button."""
    return _("⚙️ Settings")


def language_label() -> str:
    """The language menu button."""
    return _("🌐 Language")


def help_label() -> str:
    """The help menu button."""
    return _("❓ Help")


def _item_buttons(items: Sequence[ProjectSummary], first: int) -> list[list[InlineKeyboardButton]]:
    rows = []
    for number, item in enumerate(items, start=first):
        title = item.title if len(item.title) <= BUTTON_TITLE_CHARS else item.title[:39] + "…"
        data = cb.OpenCard(id=item.id).pack()
        rows.append([InlineKeyboardButton(text=f"{number}. {title}", callback_data=data)])
    return rows


def pager(
    prev_data: str | None, next_data: str | None, labels: tuple[str, str] | None = None
) -> list[InlineKeyboardButton]:
    """The paging row of a list: back and on, each only where there is a page to go to."""
    prev_label, next_label = labels or (_("« Previous"), _("Next »"))
    row = []
    if prev_data is not None:
        row.append(InlineKeyboardButton(text=prev_label, callback_data=prev_data))
    if next_data is not None:
        row.append(InlineKeyboardButton(text=next_label, callback_data=next_data))
    return row


def nearby_list(
    items: Sequence[ProjectSummary], page: cb.NearPage, has_more: bool, locale: str, size: int
) -> InlineKeyboardMarkup:
    """Open buttons, paging, radius choice and the area subscription."""
    rows = _item_buttons(items, page.p * size + 1)
    prev_data = page.model_copy(update={"p": page.p - 1}).pack() if page.p > 0 else None
    next_data = page.model_copy(update={"p": page.p + 1}).pack() if has_more else None
    if paging := pager(prev_data, next_data):
        rows.append(paging)
    rows.append(
        [
            InlineKeyboardButton(
                text=("✓ " if r == page.r else "") + formats.radius(r, locale),
                callback_data=page.model_copy(update={"r": r, "p": 0}).pack(),
            )
            for r in cb.RADII_M
        ]
    )
    if items:
        area = cb.AreaSub(lat=page.lat, lon=page.lon, r=page.r).pack()
        label = _("🔔 Notify me about works in this area")
        rows.append([InlineKeyboardButton(text=label, callback_data=area)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def wider_radius(page: cb.NearPage, locale: str) -> InlineKeyboardMarkup | None:
    """One button for the next radius, or None at the widest."""
    wider = [r for r in cb.RADII_M if r > page.r]
    if not wider:
        return None
    data = page.model_copy(update={"r": wider[0], "p": 0}).pack()
    text = _("Search within {radius}").format(radius=formats.radius(wider[0], locale))
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=text, callback_data=data)]]
    )


def search_list(
    items: Sequence[ProjectSummary], page: int, has_more: bool, size: int
) -> InlineKeyboardMarkup:
    """Open buttons and paging for a text search."""
    rows = _item_buttons(items, page * size + 1)
    prev_data = cb.SearchPage(p=page - 1).pack() if page > 0 else None
    next_data = cb.SearchPage(p=page + 1).pack() if has_more else None
    if paging := pager(prev_data, next_data):
        rows.append(paging)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def card(
    project_id: str,
    is_subscribed: bool,
    area: cb.AreaSub | None,
    has_list: bool,
    has_more: bool = False,
    extra: list[list[InlineKeyboardButton]] | None = None,
) -> InlineKeyboardMarkup:
    """More of the description, subscribe or unsubscribe, area subscription, `extra` rows,
    back to the list."""
    label = _("🔕 Unsubscribe") if is_subscribed else _("🔔 Subscribe")
    toggle = cb.ProjectSub(id=project_id, on=not is_subscribed).pack()
    rows = []
    if has_more:
        more = cb.CardMore(id=project_id).pack()
        rows.append([InlineKeyboardButton(text=_("📖 More about the works"), callback_data=more)])
    rows.append([InlineKeyboardButton(text=label, callback_data=toggle)])
    if area is not None:
        text = _("📍 Notify me about works here")
        rows.append([InlineKeyboardButton(text=text, callback_data=area.pack())])
    rows += extra or []
    if has_list:
        back = cb.BackToList().pack()
        rows.append([InlineKeyboardButton(text=_("« Back to the list"), callback_data=back)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def subscriptions(items: Sequence[SubscriptionRead]) -> InlineKeyboardMarkup | None:
    """One remove button per subscription, numbered like the text."""
    if not items:
        return None
    rows = [
        [
            InlineKeyboardButton(
                text=_("✖ Remove {number}").format(number=number),
                callback_data=cb.RemoveSub(id=item.id).pack(),
            )
        ]
        for number, item in enumerate(items, start=1)
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def languages(current: str) -> InlineKeyboardMarkup:
    """The shipped languages, the current one ticked."""
    row = [
        InlineKeyboardButton(
            text=("✓ " if code == current else "") + name,
            callback_data=cb.SetLanguage(code=code).pack(),
        )
        for code, name in LANGUAGES
    ]
    return InlineKeyboardMarkup(inline_keyboard=[row])


def _cancel_row() -> list[InlineKeyboardButton]:
    data = cb.BcSend(go=False).pack()
    return [InlineKeyboardButton(text=_("✖ Cancel"), callback_data=data)]


def broadcast_audiences() -> InlineKeyboardMarkup:
    """/broadcast: the kinds of audience, and cancel."""
    choices = [
        ("p", _("🏗 A project's subscribers")),
        ("w", _("👷 A project's linked workers")),
        ("a", _("📍 Subscribers near a point")),
        ("all", _("📣 Everyone who uses the bot")),
    ]
    rows = [
        [InlineKeyboardButton(text=text, callback_data=cb.BcAudience(k=kind).pack())]
        for kind, text in choices
    ]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, _cancel_row()])


def broadcast_projects(titles: Sequence[str]) -> InlineKeyboardMarkup:
    """/broadcast: one button per project found, and cancel."""
    rows = [
        [
            InlineKeyboardButton(
                text=f"{n + 1}. {short(title)}", callback_data=cb.BcProject(n=n).pack()
            )
        ]
        for n, title in enumerate(titles)
    ]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, _cancel_row()])


def broadcast_radii(locale: str) -> InlineKeyboardMarkup:
    """/broadcast: 0.5 / 1 / 2 / 5 km around the shared point, and cancel."""
    row = [
        InlineKeyboardButton(text=formats.radius(r, locale), callback_data=cb.BcRadius(r=r).pack())
        for r in cb.RADII_M
    ]
    return InlineKeyboardMarkup(inline_keyboard=[row, _cancel_row()])


def broadcast_confirm(urgent: bool = False, expires_h: int = 0) -> InlineKeyboardMarkup:
    """/broadcast preview: send or cancel; urgency and expiry, the current choice ticked."""
    send = InlineKeyboardButton(text=_("✅ Send"), callback_data=cb.BcSend(go=True).pack())
    label = _("🚨 Urgent: yes") if urgent else _("🔔 Urgent: no")
    urgency = InlineKeyboardButton(text=label, callback_data=cb.BcUrgent(on=not urgent).pack())
    expiry = [
        InlineKeyboardButton(
            text=("✓ " if h == expires_h else "")
            + (_("⏳ {n} h").format(n=h) if h else _("No expiry")),
            callback_data=cb.BcExpiry(h=h).pack(),
        )
        for h in cb.EXPIRY_HOURS
    ]
    return InlineKeyboardMarkup(inline_keyboard=[[send, *_cancel_row()], [urgency], expiry])


def short(title: str) -> str:
    """A title cut to fit a button."""
    return title if len(title) <= BUTTON_TITLE_CHARS else title[: BUTTON_TITLE_CHARS - 1] + "…"
