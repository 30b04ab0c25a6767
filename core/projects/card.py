"""The project card and the record as received."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound
from core.projects import photo_files, record_reads
from core.projects.models import Party, Project, ProjectLocation
from core.projects.queries import delay_days, localized
from core.projects.schemas import LocationRead, Money, PartyRead, ProjectCard

WageShare = Callable[[str, date], Awaitable[float | None]]
"""(project id, today) -> share of wages paid on time; the wages domain answers it."""


async def get_record(session: AsyncSession, project_id: str) -> str:
    """The OC4IDS record exactly as it was last synced (JSON text)."""
    record = await session.scalar(select(Project.record).where(Project.id == project_id))
    if record is None:
        raise NotFound(f"project {project_id!r} not found", code="project_not_found")
    return record


async def get_card(
    session: AsyncSession, project_id: str, lang: str | None, today: date, wage_share: WageShare
) -> ProjectCard:
    """Everything a citizen sees about one project, in `lang` where the record has it."""
    project = await session.get(Project, project_id)
    if project is None:
        raise NotFound(f"project {project_id!r} not found", code="project_not_found")
    parties = (await session.scalars(select(Party).where(Party.project_id == project_id))).all()
    points = (
        await session.execute(
            select(ProjectLocation.location_id, ProjectLocation.lat, ProjectLocation.lon)
            .where(ProjectLocation.project_id == project_id)
            .order_by(ProjectLocation.id)
        )
    ).all()
    record = json.loads(project.record)
    names = record_reads.party_names(record, lang)
    reads = [_party(p, names.get(p.party_id)) for p in parties]
    authority = next(
        (p for p in reads if p.id == project.public_authority_id or "publicAuthority" in p.roles),
        None,
    )
    budget = None
    if project.budget_amount is not None and project.budget_currency:
        budget = Money(amount=project.budget_amount, currency=project.budget_currency)
    return ProjectCard(
        id=project.id,
        title=localized(project.title, project.titles, lang),
        description=localized(project.description, project.descriptions, lang),
        status=project.status,
        type=project.type,
        sectors=tuple(s for s in project.sectors.split("|") if s),
        budget=budget,
        planned_start_date=project.planned_start_date,
        planned_end_date=project.planned_end_date,
        completed_date=project.completed_date,
        progress_pct=project.progress_pct,
        progress_date=project.progress_date,
        delay_days=delay_days(
            project.planned_end_date, project.completed_date, project.status, today
        ),
        public_authority=authority,
        suppliers=tuple(p for p in reads if "supplier" in p.roles),
        locations=tuple(_locations(record, points, lang)),
        updated_at=project.record_updated_at,
        synced_at=project.synced_at,
        # Only an aggregate, and none below a minimum count: see core.wages.reads.
        wages_paid_on_time_share=await wage_share(project_id, today),
        money=record_reads.money_chain(record),
        photos=tuple(await photo_files.with_file_ids(session, record_reads.photos(record, lang))),
        source_url=record_reads.source_url(record),
        record_path=f"/api/v1/projects/{quote(project.id, safe='')}/oc4ids",
    )


def _party(party: Party, localized_names: tuple[str, str | None] | None) -> PartyRead:
    name, contact = localized_names or (party.name, party.contact_name)
    return PartyRead(
        id=party.party_id,
        name=name or party.name,
        roles=tuple(r for r in party.roles.split("|") if r),
        contact_name=contact or party.contact_name,
        contact_email=party.contact_email,
        contact_telephone=party.contact_telephone,
        contact_url=party.contact_url,
    )


def _locations(record: dict[str, Any], points: Any, lang: str | None) -> list[LocationRead]:
    first_point: dict[str, tuple[float, float]] = {}
    for location_id, lat, lon in points:
        first_point.setdefault(location_id, (lat, lon))
    reads = []
    for index, location in enumerate(record.get("locations") or []):
        location_id = str(location.get("id") or index)
        address = location.get("address") or {}
        keys = ("streetAddress", "locality", "region", "countryName")
        parts = [record_reads.in_language(address, k, lang) for k in keys]
        lat, lon = first_point.get(location_id, (None, None))
        reads.append(
            LocationRead(
                id=location_id,
                description=record_reads.in_language(location, "description", lang),
                address=", ".join(p for p in parts if p) or None,
                geometry_type=(location.get("geometry") or {}).get("type"),
                lat=lat,
                lon=lon,
            )
        )
    return reads
