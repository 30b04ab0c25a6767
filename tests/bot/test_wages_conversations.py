"""A worker's wage conversation through the fake Bot API server: link, /wages, report, privacy."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from babel.numbers import format_currency
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ui import texts, wage_texts
from bot.ui.notices.wages import ReportWage
from botapi_emulator import BotApiEmulator, RecordedCall
from core.wages.models import LinkAttempt
from tests.bot.conftest import deliver, settled, shown
from tests.conftest import NOW, UowFactory
from tests.factories import POLICY, entry, link_worker, schedule, sync_wages, worker
from tests.samples import KYIV, package, project

LANGUAGES = [("en", "en"), ("uk", "uk-UA"), ("ko", "ko-KR")]
ZONE = ZoneInfo("Europe/Kyiv")
TITLE = "Tunnel & <Bridge>"
TITLES = {"en": TITLE, "uk": "Тунель & <Міст>", "ko": "터널 & <다리>"}
SITE_PROJECT = project("site-1", *KYIV, title=TITLE, title_uk=TITLES["uk"], title_ko=TITLES["ko"])
EMPLOYMENT = {"project_id": "site-1", "employer_id": "emp-1", "employer_name": "Budova & Sons"}
WORKERS = [
    worker("wrk-1", full_name="Petro Ivanenko", employments=[EMPLOYMENT]),
    worker("wrk-2", full_name="Olena Kovalenko", phone="+380670000202", employments=[EMPLOYMENT]),
]
SITE = {"project_id": "site-1", "employer_name": "Budova & Sons"}
AUGUST = schedule(
    "sch-08", period_start="2026-08-01", period_end="2026-08-31", due_date="2026-09-10", **SITE
)
SEPTEMBER = schedule(
    "sch-09", period_start="2026-09-01", period_end="2026-09-30", due_date="2026-10-10", **SITE
)
OCTOBER = schedule("sch-10", funds_released_at="2026-10-30T09:00:00Z", **SITE)
PAID = entry(
    "ent-08",
    schedule_id="sch-08",
    amount_due="17250.00",
    amount_paid="17250.00",
    paid_at="2026-09-09T10:00:00Z",
)
PARTIAL = entry("ent-09", schedule_id="sch-09", amount_due="20000.00", amount_paid="12500.00")
RELEASED = entry("ent-10", schedule_id="sch-10", amount_due="18437.50")
OTHERS = entry("ent-20", schedule_id="sch-10", worker_id="wrk-2", amount_due="31999.99")
FIRST_WORKER_AMOUNTS = (17250, 20000, 12500, 18437.5)
FILED = (
    "📝 Report filed. Reference: <b>{reference}</b>. An official will follow up; "
    "quote the reference if you contact them."
)
ALREADY = "📝 You already reported this wage. Reference: <b>{reference}</b>."


@pytest.fixture
async def wages(uow: UowFactory) -> None:
    """Two workers on one site; the first has three pay periods, the second one."""
    async with uow() as svc:
        await svc.projects.import_package(package(SITE_PROJECT))
        await sync_wages(
            svc,
            workers=WORKERS,
            schedules=[AUGUST, SEPTEMBER, OCTOBER],
            entries=[PAID, PARTIAL, RELEASED, OTHERS],
        )


async def new_code(uow: UowFactory, worker_id: str = "wrk-1") -> str:
    async with uow() as svc:
        return (await svc.wages.create_link_code(worker_id, POLICY)).code


async def linked_worker(uow: UowFactory, chat_id: int) -> str | None:
    async with uow() as svc:
        mine = await svc.wages.my_wages(chat_id)
    return None if mine is None else mine.worker_id


async def attempts(uow: UowFactory, chat_id: int) -> int:
    async with uow() as svc:
        query = select(func.count()).select_from(LinkAttempt).where(LinkAttempt.chat_id == chat_id)
        return int(await svc.session.scalar(query) or 0)


async def open_reports(uow: UowFactory) -> int:
    async with uow() as svc:
        return (await svc.wages.overdue_summary(POLICY)).open_reports


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


async def toast(fake: BotApiEmulator, since: int) -> str:
    (call,) = await fake.wait_for(lambda c: c.method == "answerCallbackQuery", since=since)
    return str(call.params.get("text") or "")


@pytest.mark.usefixtures("wages")
@pytest.mark.parametrize(("locale", "telegram_code"), LANGUAGES)
async def test_deep_link_links_the_chat_with_first_name_and_projects(
    running: BotApiEmulator, uow: UowFactory, render: Any, locale: str, telegram_code: str
) -> None:
    user = running.user(601, language_code=telegram_code)
    await user.send_command(f"/start w_{await new_code(uow)}")
    reply = await user.reply()
    # The projects are named in the reader's language, escaped.
    assert reply.text == render(locale, wage_texts.linked, "Petro", (TITLES[locale],))
    assert html.escape(TITLES[locale], quote=False) in (reply.text or "")
    assert TITLES[locale] in shown(reply)
    assert "Ivanenko" not in shown(reply)
    if locale != "en":
        assert reply.text != render("en", wage_texts.linked, "Petro", (TITLE,))
    await settled(lambda: linked_worker(uow, 601), "wrk-1")


@pytest.mark.usefixtures("wages")
async def test_link_command_with_the_code_or_asked_for_it(
    running: BotApiEmulator, uow: UowFactory, render: Any
) -> None:
    user = running.user(602, language_code="uk")
    await user.send_command(f"/link {await new_code(uow)}")
    assert (await user.reply()).text == render("uk", wage_texts.linked, "Petro", (TITLES["uk"],))
    await settled(lambda: linked_worker(uow, 602), "wrk-1")

    await user.send_command("/link")
    assert (await user.reply()).text == render("uk", wage_texts.ask_code)
    await user.send_text(f"  {await new_code(uow, 'wrk-2')} ")
    assert (await user.reply()).text == render("uk", wage_texts.linked, "Olena", (TITLES["uk"],))
    await settled(lambda: linked_worker(uow, 602), "wrk-2")

    await user.send_command("/link")
    await user.reply()
    await user.send_command("/cancel")
    assert (await user.reply()).text == render("uk", texts.cancelled)
    await user.send_text("ABCDEFGHJK")
    assert (await user.reply()).text == render("uk", texts.nothing_found, "ABCDEFGHJK")
    assert await attempts(uow, 602) == 2


@pytest.mark.usefixtures("wages")
@pytest.mark.parametrize(("locale", "telegram_code"), LANGUAGES)
async def test_five_wrong_codes_lock_the_chat_out_for_an_hour(
    running: BotApiEmulator, uow: UowFactory, render: Any, locale: str, telegram_code: str
) -> None:
    user = running.user(603, language_code=telegram_code)
    for n in range(1, 5):
        await user.send_command("/link WRONGCODE2")
        assert (await user.reply()).text == render(locale, wage_texts.invalid_code)
        await settled(lambda: attempts(uow, 603), n)

    await user.send_command("/link WRONGCODE2")
    locked = await user.reply()
    until = NOW + timedelta(hours=1)
    assert locked.text == render(locale, wage_texts.locked, until, ZONE, locale)
    # 10:00 UTC is noon in Kyiv (EET) on 1 November 2026.
    noon = {"en": "12:00\N{NARROW NO-BREAK SPACE}PM", "uk": "12:00", "ko": "오후 12:00"}[locale]
    assert noon in shown(locked)
    await settled(lambda: attempts(uow, 603), 5)

    code = await new_code(uow)
    await user.send_command(f"/link {code}")
    assert (await user.reply()).text == locked.text
    assert await linked_worker(uow, 603) is None

    other = running.user(604, language_code=telegram_code)
    await other.send_command(f"/start w_{code}")
    linked = render(locale, wage_texts.linked, "Petro", (TITLES[locale],))
    assert (await other.reply()).text == linked


@pytest.mark.usefixtures("wages")
@pytest.mark.parametrize(("locale", "telegram_code"), LANGUAGES)
async def test_unlink_confirms_then_says_nothing_was_linked(
    running: BotApiEmulator, uow: UowFactory, render: Any, locale: str, telegram_code: str
) -> None:
    async with uow() as svc:
        await link_worker(svc, "wrk-1", 605)
    user = running.user(605, language_code=telegram_code)
    await user.send_command("/unlink")
    assert (await user.reply()).text == render(locale, wage_texts.unlinked, True)
    await settled(lambda: linked_worker(uow, 605), None)
    await user.send_command("/unlink")
    assert (await user.reply()).text == render(locale, wage_texts.unlinked, False)


@pytest.mark.usefixtures("wages")
@pytest.mark.parametrize(("locale", "telegram_code"), LANGUAGES)
async def test_wages_lists_the_linked_workers_periods_in_the_readers_locale(
    running: BotApiEmulator,
    uow: UowFactory,
    tr: Any,
    locale: str,
    telegram_code: str,
) -> None:
    async with uow() as svc:
        await link_worker(svc, "wrk-1", 606)
    user = running.user(606, language_code=telegram_code)
    await user.send_command("/wages")
    reply = await user.reply()
    text = shown(reply)

    def money(amount: float) -> str:
        return format_currency(amount, "UAH", locale=locale)

    assert tr(locale, "💰 <b>Your wages, {name}</b>").format(name="Petro") in (reply.text or "")
    assert tr(locale, "✅ Paid {amount}").format(amount=money(17250)) in text
    partial = tr(locale, "⚠️ Paid in part: {paid} of {due}")
    assert partial.format(paid=money(12500), due=money(20000)) in text
    released = tr(locale, "💼 Funds released to the employer: {amount}")
    assert released.format(amount=money(18437.5)) in text
    assert tr(locale, "{n} day late", "{n} days late", 22).format(n=22) in text
    due = {"en": "Oct 10, 2026", "uk": "10 жовт. 2026", "ko": "2026. 10. 10."}[locale]
    assert tr(locale, "due {date}").format(date="") + due in text
    assert "Budova & Sons" in text
    assert "Budova &amp; Sons" in (reply.text or "")
    # Newest period first; the other worker's pay never appears.
    assert text.index(money(18437.5)) < text.index(money(12500)) < text.index(money(17250))
    assert money(31999.99) not in text
    assert "Olena" not in text


@pytest.mark.usefixtures("wages")
@pytest.mark.parametrize(("locale", "telegram_code"), LANGUAGES)
async def test_wages_for_an_unlinked_chat_explains_linking_and_shows_no_figure(
    running: BotApiEmulator, render: Any, locale: str, telegram_code: str
) -> None:
    user = running.user(607, language_code=telegram_code)
    await user.send_command("/wages")
    reply = await user.reply()
    assert reply.text == render(locale, wage_texts.not_linked)
    assert digits(shown(reply)) == ""


@pytest.mark.usefixtures("wages")
async def test_wage_commands_in_a_group_are_refused(
    running: BotApiEmulator, uow: UowFactory, render: Any
) -> None:
    async with uow() as svc:
        # Linked by other means: even then a group never sees the wages.
        await link_worker(svc, "wrk-1", -1001234567890)
    group = running.user(608, language_code="en").in_group()
    for command in ("/wages", "/link ABCDEFGHJK", f"/start w_{await new_code(uow)}"):
        await group.send_command(command)
        reply = await group.reply()
        assert reply.text == render("en", wage_texts.private_only)
    assert await attempts(uow, -1001234567890) == 1  # the link above; no code was tried


async def alerted(
    fake: BotApiEmulator, factory: async_sessionmaker[AsyncSession], uow: UowFactory
) -> RecordedCall:
    """Link chats 610 and 611 to wrk-1 and wrk-2, sync a period each (partly paid for wrk-1),
    and deliver the alerts: 610's carries the report button."""
    async with uow() as svc:
        await svc.projects.import_package(package(project("site-1", *KYIV, title=TITLE)))
        await sync_wages(svc, workers=WORKERS, schedules=[], entries=[])
        await link_worker(svc, "wrk-1", 610)
        await link_worker(svc, "wrk-2", 611)
    async with uow() as svc:
        await sync_wages(
            svc, workers=[], schedules=[SEPTEMBER, OCTOBER], entries=[PARTIAL, OTHERS]
        )
    await deliver(fake, factory, uow)
    # Paid in part, and already 22 days late: both alerts carry the report button.
    partial, overdue = fake.sent_messages(610)
    assert partial.callback_data == overdue.callback_data == [ReportWage(e="ent-09").pack()]
    return partial


@pytest.mark.parametrize(("locale", "telegram_code"), LANGUAGES)
async def test_report_button_files_once_and_repeats_the_reference(
    running: BotApiEmulator,
    uow: UowFactory,
    session_factory: async_sessionmaker[AsyncSession],
    render: Any,
    tr: Any,
    locale: str,
    telegram_code: str,
) -> None:
    await alerted(running, session_factory, uow)
    user = running.user(610, language_code=telegram_code)

    await user.press(ReportWage(e="ent-09").pack())
    filed = await user.reply()
    reference = re.search(r"WR-[A-Z0-9]{8}", shown(filed))
    assert reference is not None
    assert filed.text == tr(locale, FILED).format(reference=reference.group())
    await settled(lambda: open_reports(uow), 1)

    await user.press(ReportWage(e="ent-09").pack())
    again = await user.reply()
    assert again.text == tr(locale, ALREADY).format(reference=reference.group())
    assert await open_reports(uow) == 1


async def test_the_reference_leaves_once_the_report_is_committed(
    running: BotApiEmulator, uow: UowFactory, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    # The answer takes 3 s to reach Telegram; the report is committed before it leaves.
    await alerted(running, session_factory, uow)
    user = running.user(610, language_code="en")
    answered = len(running.sent_messages(610))
    running.fail_next(610, "timeout", hold=3.0, delivered=True)
    await user.press(ReportWage(e="ent-09").pack())
    await settled(lambda: open_reports(uow), 1)
    assert len(running.sent_messages(610)) == answered  # still on its way
    assert re.search(r"WR-[A-Z0-9]{8}", shown(await user.reply()))


async def test_report_from_another_chat_is_refused_without_data(
    running: BotApiEmulator,
    uow: UowFactory,
    session_factory: async_sessionmaker[AsyncSession],
    render: Any,
) -> None:
    await alerted(running, session_factory, uow)
    other = running.user(611, language_code="en")
    await other.send_command("/wages")
    own = await other.reply()
    assert format_currency(31999.99, "UAH", locale="en") in shown(own)

    for entry_id in ("ent-09", "no-such-entry"):
        mark = len(running.calls)
        await other.press(ReportWage(e=entry_id).pack(), own.message_id, strict=False)
        assert await toast(running, mark) == render("en", wage_texts.report_refused)
        assert other.replies() == []
    assert await open_reports(uow) == 0
    texts_to_other = " ".join(running.sent_texts(611))
    assert "WR-" not in texts_to_other
    assert "Petro" not in texts_to_other
    for amount in FIRST_WORKER_AMOUNTS:
        assert format_currency(amount, "UAH", locale="en") not in texts_to_other


@pytest.mark.parametrize(
    ("telegram_code", "payroll_language", "expected"),
    [("de", "uk", "uk"), ("ko-KR", "uk", "ko"), ("de", None, "en")],
)
async def test_wage_alert_and_wages_answer_are_in_one_language(
    running: BotApiEmulator,
    uow: UowFactory,
    session_factory: async_sessionmaker[AsyncSession],
    tr: Any,
    telegram_code: str,
    payroll_language: str | None,
    expected: str,
) -> None:
    petro = worker("wrk-1", full_name="Petro Ivanenko", employments=[EMPLOYMENT])
    petro["language"] = payroll_language
    async with uow() as svc:
        await svc.projects.import_package(package(SITE_PROJECT))
        await sync_wages(svc, workers=[petro], schedules=[SEPTEMBER], entries=[])
    user = running.user(620, language_code=telegram_code)
    await user.send_command(f"/link {await new_code(uow)}")
    await user.reply()
    await settled(lambda: linked_worker(uow, 620), "wrk-1")

    async with uow() as svc:
        await sync_wages(svc, workers=[], schedules=[], entries=[PARTIAL])
    await deliver(running, session_factory, uow)
    partial, overdue = running.sent_messages(620)[1:]
    hint = "If the rest is not paid soon, report it and an official will follow up."
    assert tr(expected, hint) in shown(partial)
    late = tr(
        expected, "⏰ <b>Your wage is {n} day late</b>", "⏰ <b>Your wage is {n} days late</b>", 22
    )
    assert late.format(n=22) in (overdue.text or "")
    assert TITLES[expected] in shown(partial)
    assert TITLES[expected] in shown(overdue)

    await user.send_command("/wages")
    answer = await user.reply()
    head = tr(expected, "💰 <b>Your wages, {name}</b>").format(name="Petro")
    assert head in (answer.text or "")
    assert TITLES[expected] in shown(answer)
