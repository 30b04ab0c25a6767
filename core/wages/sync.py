"""Upsert a validated wage package and detect each entry's state changes (events)."""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.wages.models import Employment, Worker
from core.wages.schemas import Counts, WorkerIn

logger = logging.getLogger(__name__)
CHUNK = 500
EventKey = tuple[str, str, int]


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    """Slices of at most `size` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def phone_hash(phone: str | None, key: bytes | None) -> str | None:
    """A keyed hash of the digits of a phone number; None without a key (nothing is kept)."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if not digits or key is None:
        return None
    return hmac.new(key, digits.encode(), hashlib.sha256).hexdigest()


async def upsert_workers(
    session: AsyncSession, workers: Sequence[WorkerIn], now: datetime, key: bytes | None
) -> Counts:
    """Create or update workers and replace their employments when those changed."""
    if key is None and any(w.phone for w in workers):
        logger.warning("PII_HASH_KEY is not set: phone numbers in this sync are not stored")
    created = updated = 0
    for chunk in chunks(workers):
        ids = [w.id for w in chunk]
        old = {r.id: r for r in await session.scalars(select(Worker).where(Worker.id.in_(ids)))}
        jobs: dict[str, set[tuple[Any, ...]]] = {i: set() for i in ids}
        for e in await session.scalars(select(Employment).where(Employment.worker_id.in_(ids))):
            jobs[e.worker_id].add(_job(e))
        fresh: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        replace: list[tuple[str, set[tuple[Any, ...]]]] = []
        for w in chunk:
            values = {
                "full_name": w.full_name,
                "language": w.language,
                "phone_hash": phone_hash(w.phone, key),
            }
            wanted = {_job(e) for e in w.employments}
            row = old.get(w.id)
            is_changed = row is not None and any(getattr(row, k) != v for k, v in values.items())
            if row is None:
                fresh.append({"id": w.id, **values, "created_at": now, "updated_at": now})
            elif is_changed:
                changed.append({"id": w.id, **values, "updated_at": now})
            if wanted != jobs[w.id]:
                replace.append((w.id, wanted))
            updated += row is not None and (is_changed or wanted != jobs[w.id])
        await _write_workers(session, fresh, changed, replace)
        created += len(fresh)
    return Counts(created=created, updated=updated, unchanged=len(workers) - created - updated)


def _job(e: Any) -> tuple[Any, ...]:
    return (e.project_id, e.employer_id, e.employer_name, e.role, e.start_date)


async def _write_workers(
    session: AsyncSession,
    fresh: list[dict[str, Any]],
    changed: list[dict[str, Any]],
    replace: list[tuple[str, set[tuple[Any, ...]]]],
) -> None:
    if fresh:
        await session.execute(insert(Worker), fresh)
    if changed:
        await session.execute(update(Worker), changed)
    if replace:
        await session.execute(
            delete(Employment).where(Employment.worker_id.in_([w for w, _ in replace]))
        )
        names = ("project_id", "employer_id", "employer_name", "role", "start_date")
        rows = [
            {"worker_id": w, **dict(zip(names, job, strict=True))}
            for w, jobs in replace
            for job in jobs
        ]
        if rows:
            await session.execute(insert(Employment), rows)
