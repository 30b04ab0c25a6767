# ruff: noqa: RUF001  (a range dash is meant)
"""/reports pages through all of a chat's reports, newest first, editing the list in place."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ui import report_callbacks as rcb
from botapi_emulator import BotApiEmulator, RecordedCall
from core.clock import fixed_clock
from core.context import DomainContext
from core.reports.schemas import ReportCreate
from core.uow import unit_of_work
from tests.bot.conftest import buttons, shown
from tests.conftest import NOW
from tests.factories import make_chat

CITIZEN = 731
FILED = 23


async def file_many(factory: async_sessionmaker[AsyncSession], count: int) -> list[str]:
    """`count` reports of the citizen, one an hour (under the hourly limit): newest first."""
    async with unit_of_work(factory, DomainContext(clock=fixed_clock(NOW))) as svc:
        await make_chat(svc, CITIZEN, "uk")
    references = []
    for n in range(count):
        when = NOW - timedelta(hours=count - n)
        async with unit_of_work(factory, DomainContext(clock=fixed_clock(when))) as svc:
            data = ReportCreate(chat_id=CITIZEN, category="other", text=f"Report number {n + 1}")
            references.append((await svc.reports.file(data)).reference)
    return references[::-1]


@pytest.fixture
async def filed(session_factory: async_sessionmaker[AsyncSession]) -> list[str]:
    """23 reports of the citizen, references newest first."""
    return await file_many(session_factory, FILED)


def opened(call: RecordedCall) -> list[str]:
    """The open buttons' payloads, in order."""
    return [d for d in call.callback_data if d.startswith(rcb.ReportOpen.__prefix__ + ":")]


def paging(call: RecordedCall) -> list[str]:
    """The paging buttons' payloads, in order."""
    return [d for d in call.callback_data if d.startswith(rcb.ReportsPage.__prefix__ + ":")]


async def test_reports_page_to_older_and_back(
    running: BotApiEmulator, filed: list[str], tr: Any
) -> None:
    citizen = running.user(CITIZEN, language_code="uk")
    newer, older = tr("uk", "◀ Newer"), tr("uk", "Older ▶")
    await citizen.send_command("/reports")
    first = await citizen.reply()
    assert first.method == "sendMessage"
    assert "1–10 з 23" in shown(first)
    assert all(ref in shown(first) for ref in filed[:10])
    assert filed[10] not in shown(first)
    assert len(opened(first)) == 10
    assert buttons(first)[0] == f"1. {filed[0]}"
    assert paging(first) == [rcb.ReportsPage(p=1).pack()]
    assert buttons(first)[-1] == older

    await citizen.press(rcb.ReportsPage(p=1).pack())
    second = await citizen.reply()
    assert (second.method, second.message_id) == ("editMessageText", first.message_id)
    assert "11–20 з 23" in shown(second)
    assert all(ref in shown(second) for ref in filed[10:20])
    assert buttons(second)[0] == f"11. {filed[10]}"
    assert paging(second) == [rcb.ReportsPage(p=0).pack(), rcb.ReportsPage(p=2).pack()]
    assert buttons(second)[-2:] == [newer, older]

    await citizen.press(rcb.ReportsPage(p=2).pack())
    last = await citizen.reply()
    assert (last.method, last.message_id) == ("editMessageText", first.message_id)
    assert "21–23 з 23" in shown(last)
    assert [b.split(" ")[-1] for b in buttons(last)[:-1]] == filed[20:]
    assert len(opened(last)) == 3
    assert paging(last) == [rcb.ReportsPage(p=1).pack()]
    assert buttons(last)[-1] == newer

    await citizen.press(rcb.ReportsPage(p=1).pack())
    assert "11–20 з 23" in shown(await citizen.reply())
    await citizen.press(rcb.ReportsPage(p=0).pack())
    back = await citizen.reply()
    assert (back.method, shown(back)) == ("editMessageText", shown(first))
    assert back.callback_data == first.callback_data


async def test_an_older_reports_button_opens_its_thread(
    running: BotApiEmulator, filed: list[str]
) -> None:
    citizen = running.user(CITIZEN, language_code="uk")
    await citizen.send_command("/reports")
    await citizen.reply()
    for number in (1, 2):
        await citizen.press(rcb.ReportsPage(p=number).pack())
        last = await citizen.reply()
    await citizen.press(opened(last)[-1])
    thread = await citizen.reply()
    assert filed[-1] in shown(thread)
    assert "Report number 1" in shown(thread)


async def test_the_reporter_may_reply_in_a_report_older_than_the_fiftieth(
    running: BotApiEmulator, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    oldest = (await file_many(session_factory, 51))[-1]
    citizen = running.user(CITIZEN, language_code="uk")
    await citizen.send_command(f"/start r_{oldest}")
    [_, thread] = await citizen.wait_replies(2)
    assert oldest in shown(thread)
    assert [d for d in thread.callback_data if d.startswith(rcb.ReportReply.__prefix__ + ":")]
