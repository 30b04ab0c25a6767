"""What the card reads straight from the record as received: money down the chain, site
photos, the publisher's link, and names in the reader's language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from core.projects.schemas import Money, MoneyChain, PhotoRead

PHOTO_TYPES = ("illustration",)
SOURCE_TYPES = ("projectWebsite", "x_publisherRecord")
MAX_PHOTOS = 10  # a Telegram album holds at most ten


def in_language(item: dict[str, Any], key: str, lang: str | None) -> Any:
    """`key_<lang>` when the object has it (OCDS language variations), else `key`."""
    if lang:
        value = item.get(f"{key}_{lang}")
        if isinstance(value, str) and value.strip():
            return value
    return item.get(key)


def _money(value: Any) -> Money | None:
    if not isinstance(value, dict) or value.get("amount") is None or not value.get("currency"):
        return None
    try:
        amount = Decimal(str(value["amount"]))
    except InvalidOperation:
        return None
    return Money(amount=amount, currency=str(value["currency"])) if amount.is_finite() else None


def _day(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def money_chain(record: dict[str, Any]) -> MoneyChain | None:
    """Contract value, paid so far and when, from contracting processes; None without any."""
    contracted: list[Money] = []
    paid: list[tuple[date | None, Money]] = []
    finals: list[Money] = []
    for process in record.get("contractingProcesses") or []:
        summary = process.get("summary") or {}
        if (value := _money(summary.get("contractValue"))) is not None:
            contracted.append(value)
        if (final := _money(summary.get("finalValue"))) is not None:
            finals.append(final)
        for transaction in summary.get("transactions") or []:
            if (amount := _money(transaction.get("value"))) is not None:
                paid.append((_day(transaction.get("date")), amount))
    contract_value = _sum(contracted)
    paid_value = _sum([m for _, m in paid])
    final = _money((record.get("completion") or {}).get("finalValue")) or _sum(finals)
    if contract_value is None and paid_value is None and final is None:
        return None
    dates = [d for d, _ in paid if d is not None]
    return MoneyChain(
        contract_value=contract_value,
        paid=paid_value,
        last_paid_date=max(dates) if dates else None,
        payments=len(paid),
        final_value=final,
    )


def _sum(values: list[Money]) -> Money | None:
    """The total when every amount is in one currency; None otherwise (never mixed)."""
    if not values or len({m.currency for m in values}) != 1:
        return None
    return Money(amount=sum((m.amount for m in values), Decimal(0)), currency=values[0].currency)


def photos(record: dict[str, Any], lang: str | None) -> list[PhotoRead]:
    """Images among the record's documents (and its contracting processes')."""
    documents = list(record.get("documents") or [])
    for process in record.get("contractingProcesses") or []:
        documents += (process.get("summary") or {}).get("documents") or []
    found: list[PhotoRead] = []
    for document in documents:
        kind = str(document.get("documentType") or "")
        fmt = str(document.get("format") or "")
        url = document.get("url")
        if isinstance(url, str) and (kind.startswith(PHOTO_TYPES) or fmt.startswith("image/")):
            title = in_language(document, "title", lang)
            found.append(PhotoRead(url=url, title=title if isinstance(title, str) else None))
    return found[:MAX_PHOTOS]


def source_url(record: dict[str, Any]) -> str | None:
    """The publisher's page for the project, when the record links one."""
    for document in record.get("documents") or []:
        if document.get("documentType") in SOURCE_TYPES and isinstance(document.get("url"), str):
            return str(document["url"])
    return None


def party_names(record: dict[str, Any], lang: str | None) -> dict[str, tuple[str, str | None]]:
    """party id -> (name, contact name) in `lang` where the record has them."""
    found: dict[str, tuple[str, str | None]] = {}
    for party in record.get("parties") or []:
        contact = party.get("contactPoint") or {}
        name = in_language(party, "name", lang)
        person = in_language(contact, "name", lang)
        found[str(party.get("id"))] = (
            str(name or ""),
            person if isinstance(person, str) else None,
        )
    return found
