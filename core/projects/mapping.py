"""Map one schema-valid OC4IDS project record to the columns we query."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from core.projects import search
from core.projects.schemas import PartyIn, ProjectRecordIn, SearchPoint

_VARIANT = re.compile(r"^(title|description)_([a-z]{2,3}(?:[_-][A-Za-z]{2,4})?)$")
PROGRESS_METRIC = "physicalProgress"


def map_record(project: dict[str, Any]) -> ProjectRecordIn:
    """The searchable fields of a record; raises ValueError for values we cannot read."""
    titles, descriptions = _variants(project)
    period = project.get("period") or {}
    amount = ((project.get("budget") or {}).get("amount")) or {}
    authority = project.get("publicAuthority") or {}
    progress, progress_date = _progress(project)
    parties = tuple(_party(p) for p in project.get("parties") or [] if p.get("id"))
    points = tuple(_points(project))
    record_json = json.dumps(project, ensure_ascii=False, separators=(",", ":"))
    canonical = json.dumps(project, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return ProjectRecordIn(
        id=project["id"],
        title=project.get("title") or "",
        titles=titles,
        description=project.get("description") or "",
        descriptions=descriptions,
        status=project.get("status"),
        type=project.get("type"),
        sectors=tuple(project.get("sector") or ()),
        budget_amount=_decimal(amount.get("amount"), "budget/amount/amount"),
        budget_currency=amount.get("currency"),
        planned_start_date=_date(period.get("startDate"), "period/startDate"),
        planned_end_date=_date(period.get("endDate"), "period/endDate"),
        completed_date=_date((project.get("completion") or {}).get("endDate"), "completion"),
        progress_pct=progress,
        progress_date=progress_date,
        public_authority_id=authority.get("id"),
        public_authority_name=authority.get("name"),
        record_updated_at=_datetime(project.get("updated"), "updated"),
        points=points,
        parties=parties,
        search_text=_search_text(project, titles, descriptions, parties),
        search_terms=tuple(record_terms(project).items()),
        record_json=record_json,
        content_hash=hashlib.sha256(canonical.encode()).hexdigest(),
    )


def _variants(project: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    found: dict[str, dict[str, str]] = {"title": {}, "description": {}}
    for key, value in project.items():
        match = _VARIANT.match(key)
        if match and isinstance(value, str) and value.strip():
            language = match.group(2).replace("_", "-").split("-")[0].lower()
            found[match.group(1)][language] = value
    return found["title"], found["description"]


def _decimal(value: Any, field: str) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"field {field}: {value!r} is not a number") from exc
    if not number.is_finite():
        raise ValueError(f"field {field}: {value!r} is not a finite number")
    return number


def _datetime(value: Any, field: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"field {field}: {value!r} is not an ISO 8601 date-time") from exc
    try:
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except OverflowError as exc:
        raise ValueError(f"field {field}: {value!r} is out of range once in UTC") from exc


def _date(value: Any, field: str) -> date | None:
    if value is None:
        return None
    text = str(value)
    try:
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise ValueError(f"field {field}: {value!r} is not an ISO 8601 date") from exc


def _progress(project: dict[str, Any]) -> tuple[float | None, date | None]:
    """The latest physical-progress observation, in percent."""
    best: tuple[date, int, float] | None = None
    for metric in project.get("metrics") or []:
        if metric.get("id") != PROGRESS_METRIC:
            continue
        for order, obs in enumerate(metric.get("observations") or []):
            if obs.get("measure") is None:
                continue
            value = float(_decimal(obs["measure"], "metrics/observations/measure") or 0)
            if not 0 <= value <= 100:
                raise ValueError(f"field metrics/{PROGRESS_METRIC}: {value} is not a percentage")
            period = obs.get("period") or {}
            when = _date(period.get("endDate") or period.get("startDate"), "observation period")
            key = (when or date.min, order, value)
            if best is None or key[:2] >= best[:2]:
                best = key
    if best is None:
        return None, None
    return best[2], (best[0] if best[0] != date.min else None)


def _party(party: dict[str, Any]) -> PartyIn:
    contact = party.get("contactPoint") or {}
    return PartyIn(
        party_id=str(party["id"]),
        name=party.get("name") or "",
        roles=tuple(party.get("roles") or ()),
        contact_name=contact.get("name"),
        contact_email=contact.get("email"),
        contact_telephone=contact.get("telephone"),
        contact_url=contact.get("url"),
    )


def _points(project: dict[str, Any]) -> list[SearchPoint]:
    """Points: a Point as is, every vertex of a line, the centroid of each polygon ring."""
    points: list[SearchPoint] = []
    for index, location in enumerate(project.get("locations") or []):
        geometry = location.get("geometry") or {}
        kind, coords = geometry.get("type"), geometry.get("coordinates")
        if not kind or coords is None:
            continue
        location_id = str(location.get("id") or index)
        for lon, lat in _positions(kind, coords):
            points.append(
                SearchPoint(location_id=location_id, geometry_type=kind, lat=lat, lon=lon)
            )
    return points


def _positions(kind: str, coords: Any) -> list[tuple[float, float]]:
    if kind == "Point":
        return [(float(coords[0]), float(coords[1]))]
    if kind in ("MultiPoint", "LineString"):
        return [(float(c[0]), float(c[1])) for c in coords]
    if kind == "MultiLineString":
        return [(float(c[0]), float(c[1])) for line in coords for c in line]
    if kind == "Polygon":
        return [_centroid(coords[0])]
    return [_centroid(polygon[0]) for polygon in coords]


def _centroid(ring: list[list[float]]) -> tuple[float, float]:
    """Area centroid of a ring (vertex mean when the ring has no area).

    Computed relative to the first vertex: small rings far from (0, 0) would otherwise lose
    their area to cancellation in the cross products.
    """
    ox, oy = float(ring[0][0]), float(ring[0][1])
    pts = [(float(p[0]) - ox, float(p[1]) - oy) for p in ring]
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-18:
        return (ox + sum(p[0] for p in pts) / len(pts), oy + sum(p[1] for p in pts) / len(pts))
    return (ox + cx / (3 * area), oy + cy / (3 * area))


def _search_text(
    project: dict[str, Any],
    titles: dict[str, str],
    descriptions: dict[str, str],
    parties: tuple[PartyIn, ...],
) -> str:
    parts = [project.get("title") or "", project.get("description") or ""]
    parts += [*titles.values(), *descriptions.values(), *(p.name for p in parties)]
    for location in project.get("locations") or []:
        parts.append(location.get("description") or "")
        address = location.get("address") or {}
        parts += [str(v) for v in address.values() if isinstance(v, str)]
    return " ".join(" ".join(p.split()) for p in parts if p).casefold()


def _texts(item: dict[str, Any], key: str) -> list[str]:
    """`key` and its language variants (`key_uk`, `key_ko`, …) in one object."""
    return [
        v
        for k, v in item.items()
        if isinstance(v, str)
        and (k == key or (k.startswith(key + "_") and len(k) <= len(key) + 7))
    ]


def record_terms(project: dict[str, Any]) -> dict[str, int]:
    """The term index rows: every stored language of titles, descriptions, addresses, parties."""
    titles, descriptions = _variants(project)
    addresses: list[str] = []
    for location in project.get("locations") or []:
        addresses += _texts(location, "description")
        address = location.get("address") or {}
        addresses += [v for k, v in address.items() if isinstance(v, str) and k != "postalCode"]
    parties = [name for p in project.get("parties") or [] for name in _texts(p, "name")]
    return search.project_terms(
        [project.get("title") or "", *titles.values()],
        [project.get("description") or "", *descriptions.values()],
        addresses,
        parties,
    )
