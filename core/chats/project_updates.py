"""Project changes from a sync -> one grouped `project_update` delivery per following chat."""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import geo
from core.chats import digests, recipients
from core.chats import models as chat_models
from core.context import DomainContext
from core.outbox.schemas import DeliveryIn
from core.outbox.service import OutboxService
from core.outbox.timing import TimingService
from core.projects import models as project_models
from core.projects import queries as project_queries
from core.projects.schemas import ProjectChange

KIND = "project_update"
PER_PROJECT_QUERIES = 20  # above this many changed projects, match all areas in one pass
CELLS_PER_DEGREE = 20  # grid cells of 0.05 degrees for matching many projects at once
MAX_ITEMS = 10  # one message stays short; the rest is counted ("and N more")
CHUNK = 500


async def enqueue_project_updates(
    session: AsyncSession,
    changes: Sequence[ProjectChange],
    ctx: DomainContext,
    outbox: OutboxService,
    timing: TimingService,
) -> int:
    """Deliver one update per chat about every change it follows (area changes of chats that
    chose a daily digest go into their next digest); returns deliveries added."""
    if not changes:
        return 0
    now = ctx.clock()
    by_id = {c.project_id: c for c in changes}
    followers: dict[int, list[str]] = defaultdict(list)
    await _add_project_subscribers(session, [c for c in changes if not c.is_new], followers, now)
    area: dict[int, list[str]] = defaultdict(list)
    hours: dict[int, int | None] = {}
    await _add_area_subscribers(session, list(by_id), area, hours)
    digest_ids = _split(followers, area, hours)
    if not followers and not digest_ids:
        return 0
    projects = await _projects(session, list(by_id))
    locales = dict(await _locales(session, [*followers, *digest_ids], ctx.default_locale))

    def items_for(chat_id: int, ids: list[str]) -> list[dict[str, Any]]:
        unique = dict.fromkeys(ids)
        return [_item(by_id[pid], projects.get(pid), locales[chat_id]) for pid in unique]

    instant = {c: items_for(c, ids) for c, ids in followers.items() if c in locales}
    # A chat whose last update is still held gets that one update, with the latest figures.
    wanted = {chat_id: (items, None) for chat_id, items in instant.items()}
    edited = await digests.merge_into_waiting(timing, KIND, wanted, MAX_ITEMS)
    stamp = now.isoformat()
    deliveries = [
        _instant(chat_id, locales[chat_id], items, stamp)
        for chat_id, items in instant.items()
        if chat_id not in edited
    ]
    added = await outbox.enqueue(deliveries)
    per_chat = {
        chat_id: (locales[chat_id], hour, items_for(chat_id, digest_ids[chat_id]))
        for chat_id, hour in hours.items()
        if chat_id in digest_ids and chat_id in locales and hour is not None
    }
    return added + await digests.enqueue_digests(outbox, timing, per_chat, now, ctx.zone)


def _split(
    followers: dict[int, list[str]], area: dict[int, list[str]], hours: dict[int, int | None]
) -> dict[int, list[str]]:
    """Area matches go to the instant followers, or (digest chats) into the returned map;
    a project the chat also follows directly stays instant."""
    digest_ids: dict[int, list[str]] = {}
    for chat_id, ids in area.items():
        if hours.get(chat_id) is None:
            followers[chat_id].extend(ids)
            continue
        direct = set(followers.get(chat_id, ()))
        rest = [pid for pid in dict.fromkeys(ids) if pid not in direct]
        if rest:
            digest_ids[chat_id] = rest
    return digest_ids


def _instant(chat_id: int, locale: str, items: list[dict[str, Any]], stamp: str) -> DeliveryIn:
    params = {"projects": items[:MAX_ITEMS], "more": max(0, len(items) - MAX_ITEMS)}
    digest = hashlib.sha256(f"{stamp}|{json.dumps(items)}".encode()).hexdigest()[:24]
    return DeliveryIn(
        dedup_key=f"pu:{chat_id}:{digest}",
        chat_id=chat_id,
        kind=KIND,
        locale=locale,
        params=params,
    )


async def _add_project_subscribers(
    session: AsyncSession,
    changes: list[ProjectChange],
    followers: dict[int, list[str]],
    now: datetime,
) -> None:
    sub, chat = chat_models.Subscription, chat_models.Chat
    ids = [c.project_id for c in changes]
    for start in range(0, len(ids), CHUNK):
        rows = await session.execute(
            select(sub.chat_id, sub.project_id)
            .join(chat, chat.id == sub.chat_id)
            .where(
                sub.kind == "project",
                sub.project_id.in_(ids[start : start + CHUNK]),
                chat.is_active.is_(True),
                or_(sub.muted_until.is_(None), sub.muted_until <= now),
            )
            .order_by(sub.id)
        )
        for chat_id, project_id in rows:
            if project_id is not None:
                followers[chat_id].append(project_id)


async def _add_area_subscribers(
    session: AsyncSession,
    project_ids: list[str],
    followers: dict[int, list[str]],
    hours: dict[int, int | None],
) -> None:
    """Area subscribers whose circle contains one of a changed project's locations."""
    if not await session.scalar(select(exists().where(chat_models.Subscription.kind == "area"))):
        return
    points = await _points(session, project_ids)
    if len(points) > PER_PROJECT_QUERIES:
        await _match_all_areas(session, points, followers, hours)
        return
    for project_id, where in points.items():
        lat, lon = where[0]
        cover = max(geo.haversine_m(lat, lon, a, b) for a, b in where)
        async for page in recipients.area_candidates(session, lat, lon, cover):
            for sub in page:
                if any(recipients.overlaps(sub, a, b, 0.0) for a, b in where):
                    followers[sub.chat_id].append(project_id)
                    hours[sub.chat_id] = sub.digest_hour


async def _points(
    session: AsyncSession, project_ids: list[str]
) -> dict[str, list[tuple[float, float]]]:
    loc = project_models.ProjectLocation
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for start in range(0, len(project_ids), CHUNK):
        rows = await session.execute(
            select(loc.project_id, loc.lat, loc.lon).where(
                loc.project_id.in_(project_ids[start : start + CHUNK])
            )
        )
        for project_id, lat, lon in rows:
            points[project_id].append((lat, lon))
    return points


async def _match_all_areas(
    session: AsyncSession,
    points: dict[str, list[tuple[float, float]]],
    followers: dict[int, list[str]],
    hours: dict[int, int | None],
) -> None:
    """Many changed projects (a big sync): stream every area subscription once against a grid
    of the changed points, instead of one subscription query per project."""
    grid: dict[tuple[int, int], list[tuple[str, float, float]]] = defaultdict(list)
    for project_id, where in points.items():
        for lat, lon in where:
            grid[_cell(lat, lon)].append((project_id, lat, lon))
    everything = [p for cell in grid.values() for p in cell]
    async for page in recipients.area_candidates(session, 0.0, 0.0, math.pi * geo.EARTH_RADIUS_M):
        for sub in page:
            matched = {
                project_id
                for project_id, lat, lon in _near(grid, everything, sub)
                if recipients.overlaps(sub, lat, lon, 0.0)
            }
            if matched:
                followers[sub.chat_id].extend(sorted(matched))
                hours[sub.chat_id] = sub.digest_hour


def _near(
    grid: dict[tuple[int, int], list[tuple[str, float, float]]],
    everything: list[tuple[str, float, float]],
    sub: Any,
) -> list[tuple[str, float, float]]:
    """The changed points in the grid cells that a subscription's bounding box touches."""
    box = geo.bounding_box(sub.lat, sub.lon, float(sub.radius_m or 0))
    if box.min_lon is None or box.max_lon is None:
        return everything  # a circle around a pole or across the antimeridian: check all
    low, high = _cell(box.min_lat, box.min_lon), _cell(box.max_lat, box.max_lon)
    return [
        point
        for row in range(low[0], high[0] + 1)
        for col in range(low[1], high[1] + 1)
        for point in grid.get((row, col), ())
    ]


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat * CELLS_PER_DEGREE), math.floor(lon * CELLS_PER_DEGREE)


async def _projects(session: AsyncSession, project_ids: list[str]) -> dict[str, Any]:
    project = project_models.Project
    found: dict[str, Any] = {}
    for start in range(0, len(project_ids), CHUNK):
        rows = await session.execute(
            select(project.id, project.title, project.titles, project.status).where(
                project.id.in_(project_ids[start : start + CHUNK])
            )
        )
        found.update({row.id: row for row in rows})
    return found


async def _locales(
    session: AsyncSession, chat_ids: list[int], default: str
) -> list[tuple[int, str]]:
    chat = chat_models.Chat
    out: list[tuple[int, str]] = []
    for start in range(0, len(chat_ids), CHUNK):
        rows = await session.execute(
            select(chat.id, chat.locale, chat.telegram_language)
            .where(chat.id.in_(chat_ids[start : start + CHUNK]), chat.is_active.is_(True))
            .order_by(chat.id)
        )
        out += [(cid, recipients.locale_of(loc, lang, default)) for cid, loc, lang in rows]
    return out


def _item(change: ProjectChange, project: Any, locale: str) -> dict[str, Any]:
    """What changed, as data: the renderer turns it into sentences."""
    item: dict[str, Any] = {"id": change.project_id, "new": change.is_new}
    if project is None:
        item["title"] = change.project_id
    else:
        item["title"] = project_queries.localized(project.title, project.titles, locale)
    if change.is_new:
        item["status"] = [None, project.status if project is not None else None]
        return item
    if change.old_status != change.new_status:
        item["status"] = [change.old_status, change.new_status]
    if change.old_progress_pct != change.new_progress_pct:
        item["progress"] = [change.old_progress_pct, change.new_progress_pct]
    if change.old_planned_end_date != change.new_planned_end_date:
        old, new = change.old_planned_end_date, change.new_planned_end_date
        item["end"] = [old.isoformat() if old else None, new.isoformat() if new else None]
    if change.completion_added:
        item["completed"] = True
    return item
