"""Filing a report: reference, photos without metadata, officials told in the same transaction,
routing by assignment, and the hourly limit and blocks."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import fixed_clock
from core.context import DomainContext
from core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from core.reports.filing import APP_PER_HOUR
from core.reports.models import CitizenReport, ReportPhoto
from core.reports.schemas import ReportCreate, StatusChange
from core.uow import unit_of_work
from tests.conftest import NOW, UowFactory
from tests.reportutil import (
    OFFICIAL,
    OFFICIAL_2,
    OTHER,
    REPORTER,
    deliveries,
    jpeg_with_gps,
    new_report,
    notices_refused,
    params,
    setup_world,
    with_photo,
)
from tests.samples import package, project


async def test_filing_writes_report_photos_and_every_officials_notice(uow: UowFactory) -> None:
    async with uow() as svc:
        await setup_world(svc)
    async with uow() as svc:
        filed = await svc.reports.file(new_report(photos=with_photo()))
    assert re.fullmatch(r"CR-[A-HJ-NP-Z2-9]{8}", filed.reference)
    assert filed.officials_notified == 2
    async with uow() as svc:
        rows = await deliveries(svc, "report_filed")
        report = await svc.reports.get(filed.id)
    assert sorted(r.chat_id for r in rows) == [OFFICIAL, OFFICIAL_2]
    assert {r.locale for r in rows} == {"en"}
    sent = params(rows[0])
    assert sent["report"]["reference"] == filed.reference
    assert sent["report"]["project_title"] == "Project P1"
    assert sent["photos"] == [{"id": report.photos[0].id, "file_id": "AgAD-file-1"}]
    assert (report.status, report.is_public, report.lat) == ("new", False, 50.4501)


async def test_stored_photo_has_no_exif_or_gps(uow: UowFactory) -> None:
    assert b"SecretPhone" in jpeg_with_gps()
    async with uow() as svc:
        await setup_world(svc)
        filed = await svc.reports.file(new_report(photos=with_photo()))
    async with uow() as svc:
        content = await svc.reports.photo_content((await svc.reports.get(filed.id)).photos[0].id)
        assert content is not None
    assert b"SecretPhone" not in content
    assert b"Exif" not in content
    with Image.open(io.BytesIO(content)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert image.size == (64, 48)


async def test_a_failed_filing_leaves_neither_report_nor_notice(uow: UowFactory) -> None:
    async with uow() as svc:
        await setup_world(svc)
    bad = new_report(photos=[{"content": b"not an image"}])
    with pytest.raises(InvalidInput):
        async with uow() as svc:
            await svc.reports.file(bad)
    async with uow() as svc:
        assert await deliveries(svc) == []
        assert list((await svc.reports.page_for_chat(REPORTER)).items) == []


async def test_routing_prefers_project_then_sector_then_everyone(uow: UowFactory) -> None:
    async with uow() as svc:
        await setup_world(svc)
        assert await svc.reports.responsible_officials("P1") == [OFFICIAL, OFFICIAL_2]
        await svc.reports.assign(OFFICIAL_2, sector="transport")
        assert await svc.reports.responsible_officials("P1") == [OFFICIAL_2]
        await svc.reports.assign(OFFICIAL, project_id="P1")
        assert await svc.reports.responsible_officials("P1") == [OFFICIAL]
        assert await svc.reports.responsible_officials(None) == [OFFICIAL, OFFICIAL_2]
        with pytest.raises(NotFound):
            await svc.reports.assign(OFFICIAL, project_id="nope")
        with pytest.raises(InvalidInput):
            await svc.reports.assign(OFFICIAL)


async def test_five_reports_an_hour_then_a_refusal(uow: UowFactory) -> None:
    async with uow() as svc:
        await setup_world(svc)
        for _ in range(5):
            await svc.reports.file(new_report())
        with pytest.raises(Conflict) as refused:
            await svc.reports.file(new_report())
        assert refused.value.code == "report_limit_reached"
        await svc.reports.file(new_report(chat_id=OTHER))


async def test_a_blocked_chat_is_told_why_and_cannot_file(uow: UowFactory) -> None:
    async with uow() as svc:
        await setup_world(svc)
        filed = await svc.reports.file(new_report())
        assert await svc.reports.block_reporter(filed.id, "Spam <again>", OFFICIAL)
        with pytest.raises(PermissionDenied) as refused:
            await svc.reports.file(new_report())
        assert (refused.value.code, refused.value.detail) == ("reporting_blocked", "Spam <again>")
        told = await deliveries(svc, "report_blocked")
        assert [(d.chat_id, params(d)["reason"]) for d in told] == [(REPORTER, "Spam <again>")]
        assert await svc.reports.unblock_chat(REPORTER)
        await svc.reports.check_may_file(REPORTER)


@pytest.mark.parametrize(
    "overrides",
    [
        {"text": ""},
        {"text": "x" * 4001},
        {"text": "nul\x00"},
        {"lat": 50.0},
        {"lat": float("nan"), "lon": 30.0},
        {"lat": 91.0, "lon": 30.0},
        {"photos": [{"file_id": "a"}] * 6},
        {"photos": [{}]},
        {"chat_id": 2**63},
    ],
)
def test_bad_input_is_refused_at_the_edge(overrides: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        new_report(**overrides)


async def test_unknown_category_or_project_is_refused(uow: UowFactory) -> None:
    async with uow() as svc:
        await setup_world(svc)
        with pytest.raises(InvalidInput):
            await svc.reports.file(new_report(category="graffiti"))
        with pytest.raises(NotFound):
            await svc.reports.file(new_report(project_id="P404"))
        assert await svc.session.get(CitizenReport, 1) is None


async def test_nearby_open_reports_show_public_ones_and_the_chats_own(uow: UowFactory) -> None:
    async with uow() as svc:
        await setup_world(svc)
        mine = await svc.reports.file(new_report(lat=50.4501, lon=30.5234, project_id=None))
        other = await svc.reports.file(new_report(chat_id=OTHER, lat=50.4502, lon=30.5235))
        far = await svc.reports.file(
            new_report(chat_id=OTHER, lat=50.46, lon=30.53, project_id=None)
        )
        near = await svc.reports.nearby_open("noise", lat=50.4501, lon=30.5234, chat_id=REPORTER)
        assert [n.id for n in near] == [mine.id]
        await svc.reports.change_status(other.id, StatusChange(status="acknowledged"))
        await svc.reports.change_status(far.id, StatusChange(status="acknowledged"))
        near = await svc.reports.nearby_open("noise", lat=50.4501, lon=30.5234, chat_id=REPORTER)
        assert [n.id for n in near] == [mine.id, other.id]
        on_project = await svc.reports.nearby_open("noise", project_id="P1", chat_id=OTHER)
        assert [n.id for n in on_project] == [other.id]
        assert await svc.reports.nearby_open("dust", lat=50.4501, lon=30.5234) == []
        assert await svc.reports.follow(other.id, REPORTER)
        assert not await svc.reports.follow(other.id, REPORTER)


async def test_a_notice_that_cannot_be_written_takes_the_report_with_it(
    uow: UowFactory, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with uow() as svc:
        await setup_world(svc)
        dialect = svc.session.get_bind().dialect.name
    async with notices_refused(session_factory, dialect):
        with pytest.raises(DBAPIError):
            async with uow() as svc:
                await svc.reports.file(new_report(photos=with_photo()))
    async with uow() as svc:
        assert await svc.session.scalar(select(func.count()).select_from(CitizenReport)) == 0
        assert await svc.session.scalar(select(func.count()).select_from(ReportPhoto)) == 0
        assert await deliveries(svc) == []


async def test_an_app_files_300_reports_an_hour_then_is_refused(
    uow: UowFactory, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    def by_app(key_id: int) -> ReportCreate:
        # No project and no official: nothing but the reports themselves to write.
        return new_report(chat_id=None, project_id=None, source="open311", app_key_id=key_id)

    async with uow() as svc:
        for _ in range(APP_PER_HOUR):
            await svc.reports.file(by_app(77))
        with pytest.raises(Conflict) as refused:
            await svc.reports.file(by_app(77))
        assert refused.value.code == "report_limit_reached"
        await svc.reports.file(by_app(78))  # another app's key has its own count
    later = DomainContext(clock=fixed_clock(NOW + timedelta(hours=1, minutes=1)))
    async with unit_of_work(session_factory, later) as svc:
        await svc.reports.file(by_app(77))


async def test_every_notice_names_the_project_in_its_readers_language(uow: UowFactory) -> None:
    async with uow() as svc:
        await setup_world(svc)
        titled = project("P2", 50.45, 30.52, title_uk="Ремонт мосту", title_ko="다리 보수")
        await svc.projects.import_package(package(titled))
        await svc.chats.set_locale(OFFICIAL_2, "uk")
    async with uow() as svc:
        filed = await svc.reports.file(new_report(project_id="P2"))
    async with uow() as svc:
        await svc.reports.change_status(filed.id, StatusChange(status="acknowledged"))
        await svc.reports.follow(filed.id, OTHER)
        await svc.reports.change_status(filed.id, StatusChange(status="resolved"))
    async with uow() as svc:
        told = await deliveries(svc, "report_filed") + await deliveries(svc, "report_status")
    titles = {(r.kind, r.chat_id): params(r)["report"]["project_title"] for r in told}
    assert titles == {
        ("report_filed", OFFICIAL): "Project P2",
        ("report_filed", OFFICIAL_2): "Ремонт мосту",
        ("report_status", REPORTER): "Ремонт мосту",
        ("report_status", OTHER): "다리 보수",
    }
    assert all("project_titles" not in params(r)["report"] for r in told)
    async with uow() as svc:
        thread = await svc.reports.thread_for_chat(filed.id, REPORTER, "uk")
        [mine] = (await svc.reports.page_for_chat(REPORTER, lang="uk")).items
        seen_by_other = await svc.reports.thread_for_chat(filed.id, OTHER, "ko")
        as_official = await svc.reports.get(filed.id)
    assert thread.report.project_title == mine.project_title == "Ремонт мосту"
    assert seen_by_other.report.project_title == "다리 보수"
    assert as_official.project_title == "Project P2"
