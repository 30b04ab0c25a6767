"""The project card text (HTML)."""

from __future__ import annotations

import html
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _

from bot.ui import formats
from bot.ui.texts import delay, esc, status
from core.projects.schemas import Money, PartyRead, ProjectCard

SHORT_DESCRIPTION = 280


def _contact(party: PartyRead) -> str | None:
    parts = [party.contact_name, party.contact_telephone, party.contact_email, party.contact_url]
    found = [esc(p) for p in parts if p]
    return ", ".join(found) or None


def _progress(card: ProjectCard, locale: str) -> str | None:
    if card.progress_pct is None:
        return None
    line = f"{formats.bar(card.progress_pct)} {formats.percent(card.progress_pct, locale)}"
    if card.progress_date is not None:
        line += " " + _("(as of {date})").format(date=formats.day(card.progress_date, locale))
    return line


def _period(card: ProjectCard, locale: str) -> str | None:
    start, end = card.planned_start_date, card.planned_end_date
    if start is None and end is None:
        return None
    first = formats.day(start, locale) if start else "…"
    last = formats.day(end, locale) if end else "…"
    return f"{first} → {last}"


def map_link(card: ProjectCard) -> str | None:
    """An OpenStreetMap link to the project's first located point."""
    point = next((loc for loc in card.locations if loc.lat is not None), None)
    if point is None or point.lat is None or point.lon is None:
        return None
    lat, lon = f"{point.lat:.5f}", f"{point.lon:.5f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"


def short_description(card: ProjectCard) -> tuple[str, bool]:
    """The description cut at a word near SHORT_DESCRIPTION characters; True when cut."""
    text = " ".join(card.description.split())
    if len(text) <= SHORT_DESCRIPTION:
        return text, False
    cut = text[:SHORT_DESCRIPTION].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…", True


def _money_rows(card: ProjectCard, locale: str) -> list[tuple[str, str | None]]:
    """Money down the chain: only what the record gives."""
    chain = card.money
    if chain is None:
        return []
    paid = None
    if chain.paid is not None:
        paid = formats.money(chain.paid.amount, chain.paid.currency, locale)
        if chain.last_paid_date is not None:
            when = formats.day(chain.last_paid_date, locale)
            paid += " " + _("(last payment {date})").format(date=when)
    return [
        (_("Contract value"), _amount(chain.contract_value, locale)),
        (_("Paid to the contractor so far"), paid),
        (_("Final value"), _amount(chain.final_value, locale)),
    ]


def _amount(value: Money | None, locale: str) -> str | None:
    return formats.money(value.amount, value.currency, locale) if value is not None else None


def _schedule_rows(card: ProjectCard, locale: str) -> list[tuple[str, str | None]]:
    """Planned dates and delay; a cancelled project has none, a completed one its date."""
    if card.status == "cancelled":
        return []
    rows = [(_("Planned"), _period(card, locale))]
    if card.completed_date is not None:
        rows.append((_("Completed"), formats.day(card.completed_date, locale)))
    rows.append((_("Delay"), delay(card.delay_days)))
    return rows


def source_links(card: ProjectCard, api_url: str) -> list[str]:
    """Where the figures come from: the publisher's page and the record as received."""
    links = []
    if card.source_url:
        label = _("publisher")
        links.append(f'<a href="{html.escape(card.source_url)}">{label}</a>')
    if api_url and card.record_path:
        url = api_url.rstrip("/") + card.record_path
        label = _("OC4IDS record")
        links.append(f'<a href="{html.escape(url)}">{label}</a>')
    return links


def card_text(card: ProjectCard, locale: str, zone: ZoneInfo, api_url: str = "") -> str:
    """Everything a citizen sees about one project."""
    rows: list[tuple[str, str | None]] = [
        (_("Status"), status(card.status)),
        (_("Progress"), _progress(card, locale) if card.status != "cancelled" else None),
        (
            _("Budget"),
            formats.money(card.budget.amount, card.budget.currency, locale)
            if card.budget
            else None,
        ),
        (_("Contractor"), ", ".join(esc(s.name) for s in card.suppliers) or None),
        *_money_rows(card, locale),
    ]
    if card.public_authority is not None:
        rows.append((_("Public authority"), esc(card.public_authority.name)))
        rows.append((_("Official in charge"), _contact(card.public_authority)))
    rows += _schedule_rows(card, locale)
    if card.updated_at is not None:
        rows.append((_("Last update"), formats.moment(card.updated_at, zone, locale)))
    address = next((loc.address for loc in card.locations if loc.address), None)
    rows.append((_("Address"), esc(address) if address else None))
    lines = [f"<b>{esc(card.title)}</b>"]
    if card.status == "cancelled":
        lines.append("⛔ " + _("This project was cancelled."))
    if card.description:
        lines.append(f"<i>{esc(short_description(card)[0])}</i>")
    lines += [f"<b>{label}:</b> {value}" for label, value in rows if value]
    if (url := map_link(card)) is not None:
        label = _("Map (OpenStreetMap)")
        lines.append(f'🗺 <a href="{html.escape(url)}">{label}</a>')
    if links := source_links(card, api_url):
        lines.append("📄 " + _("Source: {links}").format(links=" · ".join(links)))
    return "\n".join(lines)
