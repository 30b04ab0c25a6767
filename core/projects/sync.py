"""Upsert validated records: create, update or leave alone, and report what changed."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import insert_ignoring_duplicates
from core.projects import changes as change_numbers
from core.projects.models import Party, Project, ProjectLocation, SearchTerm, SearchWord
from core.projects.schemas import ProjectChange, ProjectRecordIn, SyncResult

CHUNK = 500


async def upsert_records(
    session: AsyncSession, records: Sequence[ProjectRecordIn], now: datetime
) -> SyncResult:
    """Write every new or changed record; an unchanged record costs one read and no write."""
    created = updated = unchanged = 0
    changes: list[ProjectChange] = []
    for start in range(0, len(records), CHUNK):
        chunk = records[start : start + CHUNK]
        existing = await _existing(session, (r.id for r in chunk))
        fresh = [r for r in chunk if r.id not in existing]
        stale = [
            r for r in chunk if r.id in existing and existing[r.id].content_hash != r.content_hash
        ]
        unchanged += len(chunk) - len(fresh) - len(stale)
        if not fresh and not stale:
            continue
        seq = await change_numbers.reserve(session, len(fresh) + len(stale), now)
        if fresh:
            rows = [_columns(r, now, seq + i, created=now) for i, r in enumerate(fresh)]
            await _insert(session, Project, rows)
        seq += len(fresh)
        for offset, record in enumerate(stale):
            await session.execute(
                update(Project)
                .where(Project.id == record.id)
                .values(_columns(record, now, seq + offset))
            )
        if stale:
            stale_ids = [r.id for r in stale]
            await session.execute(
                delete(ProjectLocation).where(ProjectLocation.project_id.in_(stale_ids))
            )
            await session.execute(delete(Party).where(Party.project_id.in_(stale_ids)))
            await session.execute(delete(SearchTerm).where(SearchTerm.project_id.in_(stale_ids)))
        await _insert_children(session, [*fresh, *stale])
        created += len(fresh)
        updated += len(stale)
        changes += [ProjectChange(project_id=r.id, is_new=True) for r in fresh]
        changes += [c for r in stale if (c := _change(existing[r.id], r)) is not None]
    return SyncResult(
        created=created, updated=updated, unchanged=unchanged, changes=tuple(changes)
    )


async def _existing(session: AsyncSession, ids: Iterable[str]) -> dict[str, Any]:
    rows = await session.execute(
        select(
            Project.id,
            Project.content_hash,
            Project.status,
            Project.progress_pct,
            Project.planned_end_date,
            Project.completed_date,
        ).where(Project.id.in_(list(ids)))
    )
    return {row.id: row for row in rows}


def _columns(
    record: ProjectRecordIn, now: datetime, change_seq: int, created: datetime | None = None
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": record.id,
        "title": record.title,
        "titles": json.dumps(record.titles, ensure_ascii=False),
        "description": record.description,
        "descriptions": json.dumps(record.descriptions, ensure_ascii=False),
        "status": record.status,
        "type": record.type,
        "sectors": "|" + "".join(f"{s}|" for s in record.sectors),
        "budget_amount": record.budget_amount,
        "budget_currency": record.budget_currency,
        "planned_start_date": record.planned_start_date,
        "planned_end_date": record.planned_end_date,
        "completed_date": record.completed_date,
        "progress_pct": record.progress_pct,
        "progress_date": record.progress_date,
        "public_authority_id": record.public_authority_id,
        "public_authority_name": record.public_authority_name,
        "record_updated_at": record.record_updated_at,
        "search_text": record.search_text,
        "record": record.record_json,
        "content_hash": record.content_hash,
        "synced_at": now,
        "change_seq": change_seq,
    }
    if created is not None:
        values["created_at"] = created
    return values


async def _insert_children(session: AsyncSession, records: Sequence[ProjectRecordIn]) -> None:
    points = [
        {
            "project_id": r.id,
            "location_id": p.location_id,
            "geometry_type": p.geometry_type,
            "lat": p.lat,
            "lon": p.lon,
        }
        for r in records
        for p in r.points
    ]
    parties = [
        {
            "project_id": r.id,
            "party_id": p.party_id,
            "name": p.name,
            "contact_name": p.contact_name,
            "contact_email": p.contact_email,
            "contact_telephone": p.contact_telephone,
            "contact_url": p.contact_url,
            "roles": "|" + "".join(f"{x}|" for x in p.roles),
        }
        for r in records
        for p in _unique_parties(r)
    ]
    terms = [
        {"term": term, "project_id": r.id, "field": field}
        for r in records
        for term, field in r.search_terms
    ]
    await _insert(session, ProjectLocation, points)
    await _insert(session, Party, parties)
    await _insert(session, SearchTerm, terms)
    vocabulary = sorted({t for r in records for t, _ in r.search_terms})
    for start in range(0, len(vocabulary), CHUNK):
        words = [{"term": t} for t in vocabulary[start : start + CHUNK]]
        await insert_ignoring_duplicates(session, SearchWord, words, unique=["term"])


async def _insert(session: AsyncSession, table: Any, rows: list[dict[str, Any]]) -> None:
    """A plain executemany INSERT on the session's connection (no ORM bulk bookkeeping)."""
    if rows:
        connection = await session.connection()
        await connection.execute(insert(table), rows)


def _unique_parties(record: ProjectRecordIn) -> list[Any]:
    seen: dict[str, Any] = {}
    for party in record.parties:
        seen.setdefault(party.party_id, party)
    return list(seen.values())


def _change(old: Any, new: ProjectRecordIn) -> ProjectChange | None:
    """A change subscribers hear about, or None when only other fields moved."""
    status_moved = old.status != new.status
    step_crossed = _progress_step(old.progress_pct) != _progress_step(new.progress_pct)
    end_moved = old.planned_end_date != new.planned_end_date
    completion_added = old.completed_date is None and new.completed_date is not None
    if not (status_moved or step_crossed or end_moved or completion_added):
        return None
    return ProjectChange(
        project_id=new.id,
        is_new=False,
        old_status=old.status,
        new_status=new.status,
        old_progress_pct=old.progress_pct,
        new_progress_pct=new.progress_pct,
        old_planned_end_date=old.planned_end_date,
        new_planned_end_date=new.planned_end_date,
        completion_added=completion_added,
    )


def _progress_step(value: float | None) -> int:
    """Steps of 10 points; 100 % is its own step (99.9 % is not done)."""
    if value is None:
        return -1
    return 11 if value >= 100 else int(value // 10)
