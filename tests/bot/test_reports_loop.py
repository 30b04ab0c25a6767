"""The whole loop through the Bot API emulator, the real bot and the real delivery engine: a
citizen files with a photo, the official gets it within a second, acknowledges, answers and
resolves; the citizen hears each step in their language and rates the answer."""

from __future__ import annotations

import asyncio
import html
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ui import report_callbacks as rcb
from bot.ui import report_texts as rt
from bot.ui import report_thread_texts as tt
from bot.ui.i18n import make_i18n
from botapi_emulator import BotApiEmulator, EmulatedUser, RecordedCall
from core.reports.schemas import ReportRead, StatusChange
from notifier.engine import DeliveryEngine, EngineConfig
from notifier.sender import TelegramSender
from tests.bot.conftest import settled, shown
from tests.conftest import UowFactory
from tests.factories import make_chat
from tests.reportutil import jpeg_with_gps
from tests.samples import KYIV, package, project

LANGUAGES = [("en", "en"), ("uk", "uk-UA"), ("ko", "ko-KR")]
CITIZEN, OFFICIAL = 701, 9101
ANSWER = "We will check <today> & report back"


@pytest.fixture
async def world(uow: UowFactory) -> None:
    async with uow() as svc:
        await svc.projects.import_package(package(project("P1", *KYIV)))
        await make_chat(svc, OFFICIAL, "en")
        await svc.officials.add(OFFICIAL, "Official")


@pytest.fixture
async def engine(
    running: BotApiEmulator, session_factory: async_sessionmaker[AsyncSession]
) -> AsyncIterator[None]:
    """The notifier's delivery engine, sending as the tests go."""
    bot = Bot(running.token, session=AiohttpSession(api=running.api))
    config = EngineConfig(rate_per_sec=200.0, poll_s=0.05, backoff_base_s=0.05)
    engine = DeliveryEngine(session_factory, TelegramSender(bot), make_i18n(), config)
    stop = asyncio.Event()
    task = asyncio.create_task(engine.run(stop))
    try:
        yield
    finally:
        # No short bound here: the engine's stop is bounded by its sends in flight and the last
        # flush, which a loaded machine can make take longer than a few seconds.
        stop.set()
        await task
        await bot.session.close()


async def the_report(uow: UowFactory) -> ReportRead:
    async def count() -> int:
        async with uow() as svc:
            return (await svc.reports.page_for_chat(CITIZEN)).total

    await settled(count, 1)
    async with uow() as svc:
        [item] = (await svc.reports.page_for_chat(CITIZEN)).items
        return await svc.reports.get(item.id)


def text_of(call: RecordedCall) -> str:
    return str(call.params.get("text") or call.params.get("caption") or "")


async def next_to(fake: BotApiEmulator, chat_id: int, since: int, needle: str) -> RecordedCall:
    """The first message to `chat_id` after call `since` whose text or caption has `needle`."""

    def match(call: RecordedCall) -> bool:
        return call.ok and call.chat_id == chat_id and needle in text_of(call)

    return (await fake.wait_for(match, since=since, timeout=10))[0]


async def to_text_from_card(user: EmulatedUser, category: str) -> None:
    """From project P1's card: "Ask or report", then the category; the bot asks for the text."""
    await user.send_command("/start p_P1")
    await user.wait_replies(2)
    await user.press(rcb.ReportNew(p="P1").pack())
    await user.reply()
    await user.press(rcb.ReportCategory(c=category).pack())
    await user.reply()


async def file_with_photo(user: EmulatedUser) -> RecordedCall:
    """From the card: question category, text, one photo, done; the "filed" answer."""
    await to_text_from_card(user, "question")
    await user.send_text("When does the bridge <reopen>?")
    await user.reply()
    await user.send_photo(jpeg_with_gps())
    await user.reply()
    await user.press(rcb.ReportPhotosDone().pack())
    return await user.reply()


def status_line(tr: Any, locale: str, reference: str, status: str) -> str:
    head: str = tr(locale, "🔔 <b>Report {reference}: {status}</b>")
    return head.format(reference=f"<code>{reference}</code>", status=tr(locale, status))


@pytest.mark.usefixtures("world", "engine")
@pytest.mark.parametrize(("locale", "telegram_code"), LANGUAGES)
async def test_citizen_files_official_answers_and_resolves_citizen_rates(
    running: BotApiEmulator, uow: UowFactory, tr: Any, render: Any, locale: str, telegram_code: str
) -> None:
    fake = running
    citizen = fake.user(CITIZEN, language_code=telegram_code)
    official = fake.user(OFFICIAL, language_code="en")

    filed = await file_with_photo(citizen)
    report = await the_report(uow)
    assert shown(filed) == render(locale, rt.filed, report.reference).replace("<b>", "").replace(
        "</b>", ""
    )
    mark = len(fake.calls)
    notice = await next_to(fake, OFFICIAL, mark - 1, report.reference)
    assert notice.method == "sendPhoto"
    assert notice.time - filed.time < 1.0
    assert "When does the bridge &lt;reopen&gt;?" in text_of(notice)
    assert rcb.ReportAct(id=report.id, a=rcb.ACK).pack() in notice.callback_data

    await official.press(rcb.ReportAct(id=report.id, a=rcb.ACK).pack(), notice.message_id)
    step = await next_to(
        fake, CITIZEN, mark, status_line(tr, locale, report.reference, "acknowledged")
    )

    await official.press(rcb.ReportAct(id=report.id, a=rcb.REPLY).pack(), notice.message_id)
    await official.reply()
    await official.send_text(ANSWER)
    answer_head = tr(locale, "💬 <b>Answer to report {reference}</b>").format(
        reference=f"<code>{report.reference}</code>"
    )
    answered = await next_to(fake, CITIZEN, mark, answer_head)
    assert "We will check &lt;today&gt; &amp; report back" in text_of(answered)

    await official.press(rcb.ReportAct(id=report.id, a=rcb.RESOLVE).pack(), notice.message_id)
    resolved = await next_to(
        fake, CITIZEN, mark, status_line(tr, locale, report.reference, "resolved")
    )
    assert resolved.callback_data == [
        rcb.ReportFeedback(id=report.id, v=v).pack() for v in rcb.FEEDBACK
    ]
    assert step.time < answered.time < resolved.time

    await citizen.press(rcb.ReportFeedback(id=report.id, v="yes").pack(), resolved.message_id)
    rating = await citizen.reply()
    assert render(locale, tt.ask_rating) in shown(rating)
    await citizen.press(rcb.ReportRate(id=report.id, v="yes", n=5).pack())
    assert shown(await citizen.reply()) == render(locale, tt.rated, 5)

    async def rated() -> tuple[str | None, int | None]:
        async with uow() as svc:
            done = await svc.reports.get(report.id)
        return done.feedback, done.rating

    await settled(rated, ("yes", 5))
    feedback_head = tr("en", "⭐ <b>Feedback on {reference}</b>").format(
        reference=f"<code>{report.reference}</code>"
    )
    await next_to(fake, OFFICIAL, mark, feedback_head)


@pytest.mark.usefixtures("world", "engine")
async def test_not_solved_reopens_and_the_citizen_replies_in_the_thread(
    running: BotApiEmulator, uow: UowFactory, tr: Any, render: Any
) -> None:
    fake = running
    citizen = fake.user(CITIZEN, language_code="uk")
    official = fake.user(OFFICIAL, language_code="en")
    await file_with_photo(citizen)
    report = await the_report(uow)
    mark = len(fake.calls)
    notice = await next_to(fake, OFFICIAL, 0, report.reference)
    await official.press(rcb.ReportAct(id=report.id, a=rcb.RESOLVE).pack(), notice.message_id)
    resolved = await next_to(
        fake, CITIZEN, mark, status_line(tr, "uk", report.reference, "resolved")
    )

    await citizen.press(rcb.ReportFeedback(id=report.id, v="no").pack(), resolved.message_id)
    assert render("uk", tt.thanks, True, report.reference).replace("<b>", "").replace(
        "</b>", ""
    ) in shown(await citizen.reply())

    async def state() -> tuple[str, int]:
        async with uow() as svc:
            now = await svc.reports.get(report.id)
        return now.status, now.reopened_count

    await settled(state, ("in_progress", 1))
    await citizen.send_command(f"/start r_{report.reference}")
    [_, thread, photo] = await citizen.wait_replies(3)
    assert "When does the bridge <reopen>?" in shown(thread)
    assert photo.method == "sendPhoto"  # the report's one photo, under its thread
    await citizen.send_command("/reports")
    listing = await citizen.reply()
    assert report.reference in shown(listing)
    await citizen.press(rcb.ReportOpen(id=report.id).pack())
    [opened, _] = await citizen.wait_replies(2)  # the thread, then its photo
    assert rcb.ReportReply(id=report.id).pack() in opened.callback_data
    await citizen.press(rcb.ReportReply(id=report.id).pack())
    await citizen.reply()
    await citizen.send_text("Still closed today")
    assert shown(await citizen.reply()) == render("uk", tt.reply_sent)
    head = tr("en", "💬 <b>The reporter replied on {reference}</b>").format(
        reference=f"<code>{report.reference}</code>"
    )
    replied = await next_to(fake, OFFICIAL, mark, head)
    assert "Still closed today" in text_of(replied)


@pytest.mark.usefixtures("world", "engine")
async def test_an_official_blocks_the_sender_who_is_told_the_reason(
    running: BotApiEmulator, uow: UowFactory, render: Any
) -> None:
    fake = running
    citizen = fake.user(CITIZEN, language_code="en")
    official = fake.user(OFFICIAL, language_code="en")
    await file_with_photo(citizen)
    report = await the_report(uow)
    notice = await next_to(fake, OFFICIAL, 0, report.reference)
    mark = len(fake.calls)
    await official.press(rcb.ReportAct(id=report.id, a=rcb.BLOCK).pack(), notice.message_id)
    await official.reply()
    await official.send_text("Abusive <language>")
    await official.reply()
    told = await next_to(fake, CITIZEN, mark, "Abusive &lt;language&gt;")
    assert "🚫" in text_of(told)

    await citizen.send_command("/report")
    refusal = render("en", rt.blocked, "Abusive <language>")
    assert shown(await citizen.reply()) == html.unescape(refusal)


@pytest.mark.usefixtures("world", "engine")
async def test_official_steps_in_progress_duplicate_and_not_ours(
    running: BotApiEmulator, uow: UowFactory, tr: Any
) -> None:
    fake = running
    citizen = fake.user(CITIZEN, language_code="en")
    official = fake.user(OFFICIAL, language_code="en")
    await file_with_photo(citizen)
    report = await the_report(uow)
    notice = await next_to(fake, OFFICIAL, 0, report.reference)
    mark = len(fake.calls)
    await official.press(rcb.ReportAct(id=report.id, a=rcb.PROGRESS).pack(), notice.message_id)
    days = await official.reply()
    await official.press(rcb.ReportExpected(id=report.id, d=7).pack(), days.message_id)
    await next_to(fake, CITIZEN, mark, status_line(tr, "en", report.reference, "in progress"))

    await official.press(rcb.ReportAct(id=report.id, a=rcb.DUPLICATE).pack(), notice.message_id)
    await official.reply()
    await official.send_text("CR-ZZZZZZZZ")
    assert "CR-AB12CD34" in shown(await official.reply())  # unknown: asked again
    await official.send_text("/cancel")
    await official.wait_replies(1)

    await official.press(rcb.ReportAct(id=report.id, a=rcb.NOT_OURS).pack(), notice.message_id)
    await official.reply()
    await official.send_text("Ask the water utility")
    closed = await next_to(fake, CITIZEN, mark, "Ask the water utility")
    assert "not our responsibility" in text_of(closed)
    async with uow() as svc:
        done = await svc.reports.get(report.id)
    assert (done.status, done.close_reason) == ("closed", "not_responsible")


@pytest.mark.usefixtures("world", "engine")
async def test_the_card_counts_public_reports_and_lists_them_with_answers(
    running: BotApiEmulator, uow: UowFactory, tr: Any
) -> None:
    fake = running
    citizen = fake.user(CITIZEN, language_code="en")
    await file_with_photo(citizen)
    report = await the_report(uow)
    async with uow() as svc:
        await svc.reports.change_status(report.id, StatusChange(status="acknowledged"))
        await svc.reports.answer(report.id, "Opens in May", OFFICIAL)
    other = fake.user(CITIZEN + 5, language_code="en")
    await other.send_command("/start p_P1")
    card = (await other.wait_replies(2))[-1]
    line = tr("en", "💬 Questions and reports: {open} open · {answered} answered")
    assert line.format(open=1, answered=1) in shown(card)
    await other.press(rcb.ReportPublic(p="P1").pack(), card.message_id)
    listing = await other.reply()
    assert report.reference in shown(listing)
    assert "Opens in May" in shown(listing)
    assert str(CITIZEN) not in str(listing.params)
