"""Builders for report tests: a project, chats, officials and photos made in code."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from PIL import Image
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.outbox.models import Delivery
from core.reports.models import ReportPhoto
from core.reports.schemas import PhotoIn, ReportCreate
from core.services import Services
from tests.conftest import UowFactory
from tests.factories import make_chat
from tests.samples import KYIV, package, project

REPORTER = 7_770_001
OTHER = 7_770_002
OFFICIAL = 9001
OFFICIAL_2 = 9002


def jpeg_with_gps(width: int = 64, height: int = 48) -> bytes:
    """A JPEG carrying EXIF with a camera model and GPS coordinates."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0110] = "SecretPhone 12"  # Model
    exif[0x8825] = {1: "N", 2: (50.0, 27.0, 0.0), 3: "E", 4: (30.0, 31.0, 0.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


async def setup_world(svc: Services, *, officials: bool = True) -> None:
    """One Kyiv project P1, a reporter (uk), another citizen (ko) and two officials (en)."""
    await svc.projects.import_package(package(project("P1", *KYIV)))
    await make_chat(svc, REPORTER, "uk")
    await make_chat(svc, OTHER, "ko")
    if officials:
        for oid in (OFFICIAL, OFFICIAL_2):
            await make_chat(svc, oid, "en")
            await svc.officials.add(oid, f"Official {oid}")


def new_report(**overrides: Any) -> ReportCreate:
    """A noise report on P1 from the reporter."""
    values: dict[str, Any] = {
        "chat_id": REPORTER,
        "category": "noise",
        "text": "Drilling at 6 am <every> day",
        "project_id": "P1",
        "locale": "uk",
    }
    values.update(overrides)
    return ReportCreate(**values)


def with_photo() -> list[PhotoIn]:
    """One photo with EXIF/GPS, given as bytes and a file_id."""
    return [PhotoIn(content=jpeg_with_gps(), file_id="AgAD-file-1")]


async def deliveries(svc: Services, kind: str | None = None) -> list[Delivery]:
    """Outbox rows (optionally of one kind), oldest first."""
    stmt = select(Delivery).order_by(Delivery.id)
    if kind is not None:
        stmt = stmt.where(Delivery.kind == kind)
    return list(await svc.session.scalars(stmt))


def params(row: Delivery) -> dict[str, Any]:
    """A delivery's params as data."""
    loaded: dict[str, Any] = json.loads(row.params)
    return loaded


async def drafts_of(uow: UowFactory, chat_id: int) -> list[ReportPhoto]:
    """The chat's photos stored for a report not yet filed."""
    async with uow() as svc:
        return list(
            await svc.session.scalars(
                select(ReportPhoto)
                .where(ReportPhoto.draft_chat_id == chat_id, ReportPhoto.report_id.is_(None))
                .order_by(ReportPhoto.id)
            )
        )


_REFUSE = {  # (create, drop): a trigger that makes every insert into the outbox fail
    "sqlite": (
        [
            "CREATE TRIGGER refuse_delivery BEFORE INSERT ON delivery "
            "BEGIN SELECT RAISE(ABORT, 'delivery refused'); END"
        ],
        ["DROP TRIGGER IF EXISTS refuse_delivery"],
    ),
    "postgresql": (
        [
            "CREATE FUNCTION refuse_delivery() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'delivery refused'; END $$",
            "CREATE TRIGGER refuse_delivery BEFORE INSERT ON delivery "
            "FOR EACH ROW EXECUTE FUNCTION refuse_delivery()",
        ],
        [
            "DROP TRIGGER IF EXISTS refuse_delivery ON delivery",
            "DROP FUNCTION IF EXISTS refuse_delivery()",
        ],
    ),
}


@asynccontextmanager
async def notices_refused(
    session_factory: async_sessionmaker[AsyncSession], dialect: str
) -> AsyncIterator[None]:
    """Inside: no notice (no outbox row) can be written, so a filing must fail whole."""
    create, drop = _REFUSE[dialect]
    async with session_factory.begin() as session:
        for statement in create:
            await session.execute(text(statement))
    try:
        yield
    finally:
        async with session_factory.begin() as session:
            for statement in drop:
                await session.execute(text(statement))
