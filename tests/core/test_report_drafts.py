"""Draft photos: cleaned and stored when they arrive in the bot, attached to the report in the
filing transaction, refused at once when unreadable, deleted when never filed."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image
from pydantic import ValidationError
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import fixed_clock
from core.context import DomainContext
from core.errors import InvalidInput
from core.reports.models import CitizenReport, ReportPhoto, ReportPhotoContent
from core.reports.schemas import PhotoIn
from core.uow import unit_of_work
from notifier import report_jobs
from tests.conftest import NOW, UowFactory
from tests.reportutil import (
    OTHER,
    REPORTER,
    deliveries,
    drafts_of,
    jpeg_with_gps,
    new_report,
    notices_refused,
    params,
    setup_world,
    with_photo,
)


async def test_a_draft_photo_is_stored_cleaned_before_any_report(uow: UowFactory) -> None:
    async with uow() as svc:
        await setup_world(svc)
        draft = await svc.reports.add_draft_photo(REPORTER, jpeg_with_gps(), "AgAD-draft")
    [row] = await drafts_of(uow, REPORTER)
    assert (row.media_key, row.telegram_file_id, row.width, row.height) == (
        draft,
        "AgAD-draft",
        64,
        48,
    )
    async with uow() as svc:
        content = await svc.reports.photo_content(row.id)
    assert content is not None
    assert row.size == len(content)
    assert b"SecretPhone" not in content
    assert b"Exif" not in content
    with Image.open(io.BytesIO(content)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
    async with uow() as svc:
        assert await svc.session.scalar(select(func.count()).select_from(CitizenReport)) == 0


async def test_filing_attaches_the_drafts_in_order_and_the_notice_carries_them(
    uow: UowFactory,
) -> None:
    async with uow() as svc:
        await setup_world(svc)
        first = await svc.reports.add_draft_photo(REPORTER, jpeg_with_gps(), "AgAD-1")
        second = await svc.reports.add_draft_photo(REPORTER, jpeg_with_gps(80, 60), None)
    async with uow() as svc:
        filed = await svc.reports.file(new_report(draft_photos=[second, first]))
    async with uow() as svc:
        report = await svc.reports.get(filed.id)
        [notice, *_] = await deliveries(svc, "report_filed")
    assert [(p.media_key, p.position, p.file_id) for p in report.photos] == [
        (second, 0, None),
        (first, 1, "AgAD-1"),
    ]
    assert params(notice)["photos"] == [
        {"id": report.photos[0].id, "file_id": None},
        {"id": report.photos[1].id, "file_id": "AgAD-1"},
    ]
    assert await drafts_of(uow, REPORTER) == []


async def test_attaching_a_draft_leaves_its_bytes_row_alone(
    uow: UowFactory, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """Filing updates only the draft's small row: no statement names the bytes' table, and on
    PostgreSQL the bytes' row version (xmin) is the same before and after."""
    async with uow() as svc:
        await setup_world(svc)
        draft = await svc.reports.add_draft_photo(REPORTER, jpeg_with_gps(), None)
    [row] = await drafts_of(uow, REPORTER)
    postgres = session_factory.kw["bind"].dialect.name == "postgresql"
    version = text("SELECT xmin::text FROM report_photo_content WHERE photo_id = :id")
    if postgres:
        async with session_factory() as session:
            before = await session.scalar(version, {"id": row.id})
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement.lower())

    engine = session_factory.kw["bind"].sync_engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        async with uow() as svc:
            await svc.reports.file(new_report(draft_photos=[draft]))
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert any(s.startswith("update report_photo ") for s in statements)
    assert not [s for s in statements if "report_photo_content" in s or "content" in s.split()]
    if postgres:
        async with session_factory() as session:
            assert await session.scalar(version, {"id": row.id}) == before


async def test_photos_as_bytes_come_first_then_the_drafts(uow: UowFactory) -> None:
    async with uow() as svc:
        await setup_world(svc)
        draft = await svc.reports.add_draft_photo(REPORTER, jpeg_with_gps(), None)
        filed = await svc.reports.file(new_report(photos=with_photo(), draft_photos=[draft]))
        report = await svc.reports.get(filed.id)
    assert [p.position for p in report.photos] == [0, 1]
    assert report.photos[1].media_key == draft
    assert report.photos[0].file_id == "AgAD-file-1"


async def test_another_chats_draft_or_a_filed_one_is_not_attached(uow: UowFactory) -> None:
    async with uow() as svc:
        await setup_world(svc)
        theirs = await svc.reports.add_draft_photo(OTHER, jpeg_with_gps(), None)
        mine = await svc.reports.add_draft_photo(REPORTER, jpeg_with_gps(), None)
        first = await svc.reports.file(new_report(draft_photos=[theirs, mine]))
        again = await svc.reports.file(new_report(draft_photos=[mine]))
        assert [p.media_key for p in (await svc.reports.get(first.id)).photos] == [mine]
        assert (await svc.reports.get(again.id)).photos == ()
    assert [r.media_key for r in await drafts_of(uow, OTHER)] == [theirs]


@pytest.mark.parametrize(
    "content", [b"not an image", b"\xff\xd8\xff\xe0 cut short", b""], ids=["text", "cut", "empty"]
)
async def test_an_unreadable_photo_is_refused_and_nothing_stored(
    uow: UowFactory, content: bytes
) -> None:
    async with uow() as svc:
        await setup_world(svc)
    with pytest.raises(InvalidInput) as refused:
        async with uow() as svc:
            await svc.reports.add_draft_photo(REPORTER, content, None)
    assert refused.value.code == "bad_photo"
    assert await drafts_of(uow, REPORTER) == []


def test_drafts_need_a_chat_and_count_towards_the_five() -> None:
    with pytest.raises(ValidationError):
        new_report(chat_id=None, source="open311", app_key_id=1, draft_photos=["k1"])
    with pytest.raises(ValidationError):
        new_report(
            photos=[PhotoIn(file_id=f"f{n}") for n in range(3)], draft_photos=["a", "b", "c"]
        )
    assert len(new_report(draft_photos=list("abcde")).draft_photos) == 5


async def test_a_filing_that_fails_leaves_its_drafts_as_drafts(
    uow: UowFactory, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with uow() as svc:
        await setup_world(svc)
        draft = await svc.reports.add_draft_photo(REPORTER, jpeg_with_gps(), None)
        dialect = svc.session.get_bind().dialect.name
    # The notices cannot be written: the whole filing, the attachment included, goes.
    async with notices_refused(session_factory, dialect):
        with pytest.raises(DBAPIError):
            async with uow() as svc:
                await svc.reports.file(new_report(draft_photos=[draft]))
    async with uow() as svc:
        assert await svc.session.scalar(select(func.count()).select_from(CitizenReport)) == 0
    assert [r.media_key for r in await drafts_of(uow, REPORTER)] == [draft]


async def test_drafts_never_filed_are_deleted_after_a_day_by_the_job(
    uow: UowFactory, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with uow() as svc:
        await setup_world(svc)
        old = await svc.reports.add_draft_photo(REPORTER, jpeg_with_gps(), None)
        filed_draft = await svc.reports.add_draft_photo(REPORTER, jpeg_with_gps(), None)
        await svc.reports.file(new_report(draft_photos=[filed_draft]))
    later = DomainContext(clock=fixed_clock(NOW + timedelta(hours=12)))
    async with unit_of_work(session_factory, later) as svc:
        recent = await svc.reports.add_draft_photo(REPORTER, jpeg_with_gps(), None)
    day_on = DomainContext(clock=fixed_clock(NOW + timedelta(days=1, minutes=1)))
    assert await report_jobs.purge_draft_photos(session_factory, day_on) == 1
    assert [r.media_key for r in await drafts_of(uow, REPORTER)] == [recent]
    async with uow() as svc:
        keys = await svc.session.scalars(
            select(ReportPhoto.media_key).where(ReportPhoto.report_id.is_not(None))
        )
        assert list(keys) == [filed_draft]
        gone = select(ReportPhoto).where(ReportPhoto.media_key == old)
        assert (await svc.session.scalars(gone)).first() is None
        # The purged draft's bytes went with it (the foreign key cascades on both engines).
        kept = select(func.count()).select_from(ReportPhotoContent)
        assert await svc.session.scalar(kept) == 2
    assert await report_jobs.purge_draft_photos(session_factory, day_on) == 0
