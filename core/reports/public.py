"""What the public sees (Open311): only reports from `acknowledged` on, never rejected ones, and
nothing about who reported; public answers as `notes`, photos by their media key."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    String,
    bindparam,
    func,
    literal,
    literal_column,
    select,
    text,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from core import geo
from core.driver_query import DriverQuery
from core.errors import InvalidInput, NotFound
from core.projects.models import Project
from core.reports import categories
from core.reports.models import CitizenReport, ReportNote, ReportPhoto, ReportPhotoContent
from core.reports.schemas import OPEN_STATUSES, PublicNote, PublicRequest, RequestFilter

DEFAULT_WINDOW = timedelta(days=90)  # the specification's default when no date is given
DEFAULT_RADIUS_M = 1000.0
MAX_RADIUS_M = 50_000.0
MAX_PAGE_SIZE = 1000


def _conditions(f: RequestFilter, now: datetime) -> list[Any]:
    r = CitizenReport
    where: list[Any] = [r.is_public.is_(True)]
    if f.references:
        where.append(r.reference.in_([ref.upper() for ref in f.references]))
    if f.service_codes:
        where.append(r.category_code.in_(f.service_codes))
    if f.start is not None:
        where.append(r.created_at >= f.start)
    if f.end is not None:
        where.append(r.created_at <= f.end)
    if f.start is None and f.end is None and not f.references:
        where.append(r.created_at >= now - DEFAULT_WINDOW)
    if f.status == "open":
        where.append(r.status.in_(OPEN_STATUSES))
    elif f.status == "closed":
        where.append(r.status.in_(("resolved", "closed")))
    if f.project_id is not None:
        where.append(r.project_id == f.project_id)
    return where


def check(f: RequestFilter) -> None:
    """Refuse filters that make no sense, naming the parameter."""
    if (f.lat is None) != (f.lon is None):
        raise InvalidInput("lat and long come together", location="lat")
    if f.radius_m is not None and not 0 < f.radius_m <= MAX_RADIUS_M:
        raise InvalidInput(
            f"radius is in metres, 0 < radius <= {MAX_RADIUS_M:.0f}", location="radius"
        )
    if f.radius_m is not None and f.lat is None:
        raise InvalidInput("radius needs lat and long", location="radius")
    if not 1 <= f.page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(f"page_size is 1..{MAX_PAGE_SIZE}", location="page_size")
    if not 1 <= f.page <= 1_000_000:
        raise InvalidInput("page is 1..1000000", location="page")
    for code in f.service_codes:
        categories.get(code)


async def requests(session: AsyncSession, f: RequestFilter, now: datetime) -> list[PublicRequest]:
    """A page of public requests: nearest first around a point, else newest first."""
    check(f)
    r = CitizenReport
    where = _conditions(f, now)
    skip = (f.page - 1) * f.page_size
    if f.lat is None or f.lon is None:
        rows = await session.execute(
            _columns()
            .outerjoin(Project, Project.id == r.project_id)
            .where(*where)
            .order_by(r.created_at.desc(), r.id.desc())
            .limit(f.page_size)
            .offset(skip)
        )
        return await _public(session, list(rows))
    radius = f.radius_m or DEFAULT_RADIUS_M
    lat0, lon0 = f.lat, f.lon
    box = geo.bounding_box(lat0, lon0, radius)
    # One query: the box holds few public reports, so whole rows cost less than a second trip.
    found: Sequence[Any]
    if _plain_near(f):
        found = await _NEAR.rows(
            session,
            (box.min_lon is not None and box.max_lon is not None, f.status),
            since=now - DEFAULT_WINDOW,
            min_lat=box.min_lat,
            max_lat=box.max_lat,
            min_lon=box.min_lon,
            max_lon=box.max_lon,
        )
    else:
        where += [r.lat >= box.min_lat, r.lat <= box.max_lat]
        if box.min_lon is not None and box.max_lon is not None:
            where += [r.lon >= box.min_lon, r.lon <= box.max_lon]
        found = list(
            await session.execute(
                _columns().outerjoin(Project, Project.id == r.project_id).where(*where)
            )
        )
    ranked = []
    for row in found:
        lat, lon = row.lat, row.lon
        if lat is not None and lon is not None:
            distance = geo.haversine_m(lat0, lon0, lat, lon)
            if distance <= radius:
                ranked.append((distance, row.id, row))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return await _public(session, [row for _d, _id, row in ranked[skip : skip + f.page_size]])


def _plain_near(f: RequestFilter) -> bool:
    """Near a point with no filter but the status (what a map asks): the prepared shape."""
    return not (f.references or f.service_codes or f.start or f.end or f.project_id)


def _near_statement(key: tuple[bool, str | None]) -> Any:
    """`_conditions` of a plain filter near a point, with the box, as bound parameters."""
    has_lon, status = key
    r = CitizenReport
    where: list[Any] = [r.is_public.is_(True), r.created_at >= bindparam("since")]
    if status == "open":
        where.append(r.status.in_(OPEN_STATUSES))
    elif status == "closed":
        where.append(r.status.in_(("resolved", "closed")))
    where += [r.lat >= bindparam("min_lat"), r.lat <= bindparam("max_lat")]
    if has_lon:
        where += [r.lon >= bindparam("min_lon"), r.lon <= bindparam("max_lon")]
    return _columns().outerjoin(Project, Project.id == r.project_id).where(*where)


# Keyed by (whether the box bounds longitude, the status filter).
_NEAR = DriverQuery(_near_statement)


def _answers_and_photos(dialect: str) -> Any:
    """Answers and photo keys of the reports `ids` in one statement: (report, note id > 0, or
    0 for a photo, time, status, text or media key), by report then note."""
    n, p = ReportNote, ReportPhoto
    if dialect == "postgresql":
        listed: Any = select(func.unnest(bindparam("ids", type_=ARRAY(BigInteger))))
    else:
        listed = select(literal_column("value")).select_from(
            func.json_each(bindparam("ids", type_=String))
        )
    answers = select(n.report_id, n.id, n.created_at, n.status, n.text).where(
        n.report_id.in_(listed), n.author == "official", n.text != ""
    )
    photos = select(
        p.report_id,
        literal(0).label("id"),
        p.created_at,
        literal(None).label("status"),
        p.media_key,
    ).where(p.report_id.in_(listed), p.size > 0)
    return union_all(answers, photos).order_by(text("1"), text("2"))


# Keyed by dialect: the ids go in as one array (PostgreSQL) or one JSON list (SQLite).
_ANSWERS_AND_PHOTOS = DriverQuery(_answers_and_photos)


async def request(session: AsyncSession, reference: str) -> PublicRequest:
    """One public request by its reference, or NotFound (also for a report not yet public)."""
    r = CitizenReport
    rows = list(
        await session.execute(
            _columns()
            .outerjoin(Project, Project.id == r.project_id)
            .where(r.reference == reference.strip().upper(), r.is_public.is_(True))
        )
    )
    if not rows:
        raise NotFound("no such public request", code="report_not_found")
    (found,) = await _public(session, rows)
    return found


async def photo(session: AsyncSession, media_key: str) -> bytes:
    """A public report's photo (metadata-free JPEG), or NotFound."""
    content = await session.scalar(
        select(ReportPhotoContent.content)
        .join(ReportPhoto, ReportPhoto.id == ReportPhotoContent.photo_id)
        .join(CitizenReport, CitizenReport.id == ReportPhoto.report_id)
        .where(ReportPhoto.media_key == media_key, CitizenReport.is_public.is_(True))
    )
    if not content:
        raise NotFound("no such photo", code="photo_not_found")
    return content


def _columns() -> Any:
    """Plain columns (no ORM objects): what a public request shows, and nothing else."""
    r = CitizenReport
    return select(
        r.id,
        r.reference,
        r.status,
        r.close_reason,
        r.category_code,
        r.text,
        r.created_at,
        r.updated_at,
        r.expected_at,
        r.address,
        r.lat,
        r.lon,
        r.project_id,
        Project.public_authority_name.label("agency"),
    )


async def _public(session: AsyncSession, rows: list[Any]) -> list[PublicRequest]:
    ids = [row.id for row in rows]
    notes: dict[int, list[PublicNote]] = defaultdict(list)
    keys: dict[int, list[str]] = defaultdict(list)
    if ids:
        dialect = session.get_bind().dialect.name
        found = await _ANSWERS_AND_PHOTOS.rows(
            session, dialect, ids=ids if dialect == "postgresql" else json.dumps(ids)
        )
        for report_id, note_id, at, status, value in found:
            if note_id > 0:
                notes[report_id].append(PublicNote(datetime=at, status=status, description=value))
            else:
                keys[report_id].append(value)
    return [_one(row, notes[row.id], keys[row.id]) for row in rows]


def _one(r: Any, notes: list[PublicNote], keys: list[str]) -> PublicRequest:
    status_notes = next((n.description for n in reversed(notes) if n.status), None)
    category = categories.BY_CODE.get(r.category_code)
    return PublicRequest(
        service_request_id=r.reference,
        status="open" if r.status in OPEN_STATUSES else "closed",
        detailed_status=r.status if r.status != "closed" else f"closed:{r.close_reason}",
        status_notes=status_notes,
        service_code=r.category_code,
        service_name=category.name("en") if category else r.category_code,
        description=r.text,
        agency_responsible=r.agency,
        requested_datetime=r.created_at,
        updated_datetime=r.updated_at,
        expected_datetime=r.expected_at,
        address=r.address,
        lat=r.lat,
        long=r.lon,
        project_id=r.project_id,
        media_keys=tuple(keys),
        notes=tuple(notes),
    )
