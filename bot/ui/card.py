"""The project card text (HTML)."""

from __future__ import annotations

import html
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _

from bot.ui import formats
from bot.ui.texts import delay, esc, status
from core.projects.schemas import PartyRead, ProjectCard


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


def card_text(card: ProjectCard, locale: str, zone: ZoneInfo) -> str:
    """Everything a citizen sees about one project."""
    rows: list[tuple[str, str | None]] = [
        (_("Status"), status(card.status)),
        (_("Progress"), _progress(card, locale)),
        (
            _("Budget"),
            formats.money(card.budget.amount, card.budget.currency, locale)
            if card.budget
            else None,
        ),
        (_("Contractor"), ", ".join(esc(s.name) for s in card.suppliers) or None),
    ]
    if card.public_authority is not None:
        rows.append((_("Public authority"), esc(card.public_authority.name)))
        rows.append((_("Official in charge"), _contact(card.public_authority)))
    rows.append((_("Planned"), _period(card, locale)))
    rows.append((_("Delay"), delay(card.delay_days)))
    if card.updated_at is not None:
        rows.append((_("Last update"), formats.moment(card.updated_at, zone, locale)))
    address = next((loc.address for loc in card.locations if loc.address), None)
    rows.append((_("Address"), esc(address) if address else None))
    lines = [f"<b>{esc(card.title)}</b>"]
    lines += [f"<b>{label}:</b> {value}" for label, value in rows if value]
    if (url := map_link(card)) is not None:
        label = _("Map (OpenStreetMap)")
        lines.append(f'🗺 <a href="{html.escape(url)}">{label}</a>')
    return "\n".join(lines)
