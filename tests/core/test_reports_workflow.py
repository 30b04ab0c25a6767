"""The report's life: status changes and answers reach reporter and followers in their language,
feedback reopens, overdue reminders go once, the morning digest lists them, figures add up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import fixed_clock
from core.context import DomainContext
from core.errors import Conflict, InvalidInput, PermissionDenied
from core.reports.schemas import StatusChange
from core.uow import unit_of_work
from core.wages.policy import WagePolicy
from tests.conftest import NOW, UowFactory
from tests.reportutil import OFFICIAL, OTHER, REPORTER, deliveries, new_report, params, setup_world

Factory = async_sessionmaker[AsyncSession]


def _at(factory: Factory, hours: float) -> UowFactory:
    ctx = DomainContext(clock=fixed_clock(NOW + timedelta(hours=hours)))
    return lambda: unit_of_work(factory, ctx)


async def _filed(uow: UowFactory) -> int:
    async with uow() as svc:
        await setup_world(svc)
        return (await svc.reports.file(new_report())).id


async def test_status_and_answer_reach_reporter_and_followers_in_their_language(
    uow: UowFactory,
) -> None:
    rid = await _filed(uow)
    async with uow() as svc:
        await svc.reports.change_status(rid, StatusChange(status="acknowledged", note="Seen"))
        assert await svc.reports.follow(rid, OTHER)
        await svc.reports.answer(rid, "We <will> check", OFFICIAL)
    async with uow() as svc:
        status = await deliveries(svc, "report_status")
        answers = await deliveries(svc, "report_answer")
        thread = await svc.reports.thread_for_chat(rid, OTHER)
    assert [(d.chat_id, d.locale) for d in status] == [(REPORTER, "uk")]
    assert [(d.chat_id, d.locale) for d in answers] == [(REPORTER, "uk"), (OTHER, "ko")]
    assert params(answers[0])["text"] == "We <will> check"
    assert thread.report.is_public
    assert [(n.author, n.kind, n.text) for n in thread.notes] == [
        ("official", "status", "Seen"),
        ("official", "answer", "We <will> check"),
    ]
    assert thread.followers == 1
    async with uow() as svc:
        await svc.reports.reply(rid, REPORTER, "My flat is no. 5")
        seen_by_follower = await svc.reports.thread_for_chat(rid, OTHER)
        seen_by_reporter = await svc.reports.thread_for_chat(rid, REPORTER)
    assert "My flat is no. 5" not in [n.text for n in seen_by_follower.notes]
    assert seen_by_reporter.notes[-1].text == "My flat is no. 5"


async def test_resolved_then_no_within_14_days_reopens(uow: UowFactory) -> None:
    rid = await _filed(uow)
    async with uow() as svc:
        await svc.reports.change_status(rid, StatusChange(status="resolved"))
        resolved = await deliveries(svc, "report_status")
        assert params(resolved[-1])["ask_feedback"] is True
        with pytest.raises(PermissionDenied):
            await svc.reports.feedback(rid, OTHER, "no")
        report = await svc.reports.feedback(rid, REPORTER, "no", 2)
        assert (report.status, report.reopened_count, report.rating) == ("in_progress", 1, 2)
        told = await deliveries(svc, "report_feedback")
        assert params(told[0])["reopened"] is True


async def test_partly_keeps_it_resolved_and_tells_the_officials(uow: UowFactory) -> None:
    rid = await _filed(uow)
    async with uow() as svc:
        await svc.reports.change_status(rid, StatusChange(status="resolved"))
        report = await svc.reports.feedback(rid, REPORTER, "partly", 3)
        assert (report.status, report.reopened_count) == ("resolved", 0)
        assert (report.feedback, report.rating) == ("partly", 3)
        told = await deliveries(svc, "report_feedback")
        assert (params(told[0])["value"], params(told[0])["rating"]) == ("partly", 3)
        assert not params(told[0]).get("reopened")


async def test_no_after_14_days_does_not_reopen(uow: UowFactory, session_factory: Factory) -> None:
    rid = await _filed(uow)
    async with uow() as svc:
        await svc.reports.change_status(rid, StatusChange(status="resolved"))
    async with _at(session_factory, 15 * 24)() as svc:
        report = await svc.reports.feedback(rid, REPORTER, "no")
        assert (report.status, report.feedback) == ("resolved", "no")
        assert (await svc.reports.feedback(rid, REPORTER, "no", 1)).rating == 1


async def test_transitions_and_status_input_are_checked(uow: UowFactory) -> None:
    rid = await _filed(uow)
    with pytest.raises(ValidationError):
        StatusChange(status="closed")
    with pytest.raises(ValidationError):
        StatusChange(status="closed", reason="duplicate")
    with pytest.raises(ValidationError):
        StatusChange(status="resolved", expected_at=NOW)
    async with uow() as svc:
        with pytest.raises(InvalidInput):
            await svc.reports.change_status(
                rid, StatusChange(status="in_progress", expected_at=NOW - timedelta(days=1))
            )
        rejected = StatusChange(status="closed", reason="rejected", note="spam")
        report = await svc.reports.change_status(rid, rejected)
        assert (report.status, report.is_public) == ("closed", False)
        with pytest.raises(Conflict):
            await svc.reports.change_status(rid, StatusChange(status="acknowledged"))
        with pytest.raises(Conflict):
            await svc.reports.answer(rid, "no")


async def test_duplicate_names_the_original(uow: UowFactory) -> None:
    first = await _filed(uow)
    async with uow() as svc:
        original = await svc.reports.get(first)
        second = (await svc.reports.file(new_report(chat_id=OTHER, locale="ko"))).id
        change = StatusChange(status="closed", reason="duplicate", duplicate_of=original.reference)
        report = await svc.reports.change_status(second, change)
        assert report.duplicate_of == original.reference
        told = await deliveries(svc, "report_status")
        assert params(told[-1])["duplicate_of"] == original.reference


async def test_reply_goes_to_the_officials(uow: UowFactory) -> None:
    rid = await _filed(uow)
    async with uow() as svc:
        await svc.reports.reply(rid, REPORTER, "Still drilling")
        with pytest.raises(PermissionDenied):
            await svc.reports.reply(rid, OTHER, "me too")
        replies = await deliveries(svc, "report_reply")
    assert sorted(d.chat_id for d in replies) == [OFFICIAL, OFFICIAL + 1]


async def test_overdue_reminder_goes_once_and_the_digest_lists_it(
    uow: UowFactory, session_factory: Factory
) -> None:
    rid = await _filed(uow)
    async with _at(session_factory, 47)() as svc:
        assert await svc.reports.scan_overdue() == 0
        assert await svc.reports.list_for_officials(overdue=True) == []
    async with _at(session_factory, 49)() as svc:
        assert await svc.reports.scan_overdue() == 2
        assert await svc.reports.scan_overdue() == 0
        assert [r.id for r in await svc.reports.list_for_officials(overdue=True)] == [rid]
        sent = await svc.send_morning_digest(WagePolicy())
        assert sent == 2
        digest = await deliveries(svc, "wage_digest")
        assert params(digest[0])["reports_overdue"][0]["why"] == "not_acknowledged"
        assert params(digest[0])["reports_overdue_total"] == 1
    async with _at(session_factory, 50)() as svc:
        expected = NOW + timedelta(hours=60)
        change = StatusChange(status="in_progress", expected_at=expected)
        await svc.reports.change_status(rid, change)
        assert await svc.reports.list_for_officials(overdue=True) == []
    async with _at(session_factory, 61)() as svc:
        assert await svc.reports.scan_overdue() == 2
        (item,) = await svc.reports.overdue()
        assert item.why == "past_expected"


async def test_card_counts_and_accountability_use_public_reports(
    uow: UowFactory, session_factory: Factory
) -> None:
    rid = await _filed(uow)
    async with uow() as svc:
        hidden = (await svc.reports.file(new_report())).id
        assert await svc.reports.card_counts("P1") == (0, 0)
        await svc.reports.change_status(hidden, StatusChange(status="closed", reason="rejected"))
    async with _at(session_factory, 2)() as svc:
        await svc.reports.change_status(rid, StatusChange(status="acknowledged"))
        await svc.reports.answer(rid, "On it")
    async with _at(session_factory, 10)() as svc:
        await svc.reports.change_status(rid, StatusChange(status="resolved"))
        await svc.reports.feedback(rid, REPORTER, "yes", 4)
        assert await svc.reports.card_counts("P1") == (0, 1)
        figures = await svc.reports.accountability(project_id="P1")
        by_authority = await svc.reports.accountability(authority_id="UA-KMDA")
    assert figures == by_authority
    assert (figures.reports, figures.answered, figures.median_hours_to_first_answer) == (1, 1, 2)
    assert (figures.resolved_within_target_share, figures.reopened_share) == (1.0, 0.0)
    assert (figures.average_rating, figures.ratings) == (4.0, 1)


async def test_target_hours_come_from_the_settings(session_factory: Factory) -> None:
    ctx = DomainContext(clock=fixed_clock(NOW), report_target_hours=72)
    async with unit_of_work(session_factory, ctx) as svc:
        await setup_world(svc)
        noise = await svc.reports.file(new_report())
        safety = await svc.reports.file(new_report(category="safety"))
        assert (await svc.reports.get(noise.id)).due_at == NOW + timedelta(hours=72)
        assert (await svc.reports.get(safety.id)).due_at == NOW + timedelta(hours=24)
        assert svc.reports.category("noise").target_hours == 72
