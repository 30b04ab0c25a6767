"""Wage events -> outbox deliveries to the worker's linked chat, in the worker's language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.chats import recipients
from core.chats.models import Chat
from core.config import SUPPORTED_LOCALES
from core.db import insert_new_returning
from core.outbox.schemas import DeliveryIn
from core.projects import queries as project_queries
from core.projects.models import Project
from core.wages.models import WageEntry, WageEvent, WageSchedule, Worker
from core.wages.sync import EventKey, chunks

KINDS = {
    "funds_released": "wage_funds_released",
    "credited": "wage_credited",
    "partial": "wage_partial",
    "failed": "wage_failed",
    "overdue": "wage_overdue",
}
# A failed payment is news a worker must hear at once, quiet hours or not.
URGENT_EVENTS = frozenset({"failed"})


def money(amount: Decimal) -> str:
    """Money as a plain decimal string with two places (JSON-safe, exact)."""
    return str(amount.quantize(Decimal("0.01")))


def pick_locale(
    chat_locale: str | None, telegram_language: str | None, language: str | None, default: str
) -> str:
    """The language of everything a worker's chat gets about wages (alerts and /wages alike):
    the chat's as the bot answers it (chosen, else Telegram's when shipped), else the worker's
    language from payroll, else the default."""
    fallback = language if language in SUPPORTED_LOCALES else default
    return recipients.locale_of(chat_locale, telegram_language, fallback)


def dedup_key(event: EventKey, chat_id: int) -> str:
    """`wage:<entry>:<kind>:<chat>`, with the step for overdue and partial alerts."""
    entry_id, kind, step = event
    middle = f"{kind}:{step}" if kind in ("overdue", "partial") else kind
    return f"wage:{entry_id}:{middle}:{chat_id}"


async def build_alerts(
    session: AsyncSession,
    events: Sequence[EventKey],
    today: date,
    grace_days: int,
    default_locale: str,
) -> list[DeliveryIn]:
    """One delivery per event whose worker has a linked, reachable chat."""
    deliveries: list[DeliveryIn] = []
    for chunk in chunks(list(events), 1000):
        rows = await session.execute(_details([e[0] for e in chunk]))
        by_entry = {row.id: row for row in rows}
        for event in chunk:
            row = by_entry.get(event[0])
            if row is None:
                continue
            locale = pick_locale(
                row.chat_locale, row.telegram_language, row.language, default_locale
            )
            params = _params(row, event, today, grace_days, locale)
            deliveries.append(
                DeliveryIn(
                    dedup_key=dedup_key(event, row.chat_id),
                    chat_id=row.chat_id,
                    kind=KINDS[event[1]],
                    locale=locale,
                    params=params,
                    urgency="urgent" if event[1] in URGENT_EVENTS else "normal",
                )
            )
    return deliveries


def _details(entry_ids: list[str]) -> Any:
    return (
        select(
            WageEntry.id,
            WageEntry.project_id,
            WageEntry.amount_due,
            WageEntry.amount_paid,
            WageEntry.currency,
            WageEntry.due_date,
            WageEntry.paid_at,
            WageSchedule.period_start,
            WageSchedule.period_end,
            WageSchedule.employer_id,
            WageSchedule.employer_name,
            Worker.chat_id,
            Worker.language,
            Chat.locale.label("chat_locale"),
            Chat.telegram_language,
            Project.title,
            Project.titles,
            Project.public_authority_name,
        )
        .join(WageSchedule, WageSchedule.id == WageEntry.schedule_id)
        .join(Worker, Worker.id == WageEntry.worker_id)
        .join(Chat, Chat.id == Worker.chat_id)
        .outerjoin(Project, Project.id == WageEntry.project_id)
        .where(WageEntry.id.in_(entry_ids), Chat.is_active.is_(True))
    )


def _params(row: Any, event: EventKey, today: date, grace: int, locale: str) -> dict[str, Any]:
    title = row.project_id
    if row.title is not None:
        title = project_queries.localized(row.title, row.titles, locale) or row.project_id
    params: dict[str, Any] = {
        "entry_id": row.id,
        "project_id": row.project_id,
        "project_title": title,
        "employer_name": row.employer_name or row.employer_id,
        "period_start": row.period_start.isoformat(),
        "period_end": row.period_end.isoformat(),
        "due_date": row.due_date.isoformat(),
        "amount_due": money(row.amount_due),
        "amount_paid": money(row.amount_paid),
        "currency": row.currency,
    }
    if event[1] == "overdue":
        params["days_late"] = max((today - row.due_date).days - grace, 1)
        params["step"] = event[2]
        params["contact"] = row.public_authority_name
    return params


async def insert_events(session: AsyncSession, rows: list[dict[str, Any]]) -> list[Any]:
    """Insert events, skipping those already recorded; returns (entry, kind, step) of new ones."""
    return await insert_new_returning(
        session,
        WageEvent,
        rows,
        unique=["entry_id", "kind", "step"],
        returning=[WageEvent.entry_id, WageEvent.kind, WageEvent.step],
    )
