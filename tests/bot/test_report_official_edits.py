"""An official's buttons edit the report's own message in place (its caption when the notice is a
photo, its text otherwise): the status line and the buttons follow the report; "Reject" asks
first. Through the Bot API emulator, the real bot and the real delivery engine."""

from __future__ import annotations

from typing import Any

import pytest

from bot.ui import report_callbacks as rcb
from bot.ui import report_official_texts as ot
from bot.ui import report_texts as rt
from botapi_emulator import BotApiEmulator, EmulatedUser, RecordedCall
from core.reports.schemas import ReportCreate, ReportRead
from tests.bot.conftest import settled
from tests.bot.test_reports_loop import (  # noqa: F401 - the fixtures are used by name
    CITIZEN,
    OFFICIAL,
    engine,
    file_with_photo,
    next_to,
    the_report,
    to_text_from_card,
    world,
)
from tests.conftest import UowFactory
from tests.factories import make_chat
from tests.reportutil import jpeg_with_gps

EDITS = ("editMessageCaption", "editMessageText")


async def edit_of(fake: BotApiEmulator, since: int, message_id: int | None) -> RecordedCall:
    """The next edit of that message after call `since`."""

    def match(call: RecordedCall) -> bool:
        return call.ok and call.method in EDITS and call.params.get("message_id") == message_id

    return (await fake.wait_for(match, since=since, timeout=10))[0]


def shown_of(call: RecordedCall) -> str:
    """The text or caption as the reader sees it after the edit."""
    result = call.result if isinstance(call.result, dict) else {}
    return str(result.get("caption") or result.get("text") or "")


def toasts(fake: BotApiEmulator, since: int) -> list[str]:
    """The texts of the button answers after call `since`."""
    calls = fake.calls[since:]
    return [str(c.params.get("text")) for c in calls if c.method == "answerCallbackQuery"]


def acts(report_id: int, *actions: str) -> list[str]:
    return [rcb.ReportAct(id=report_id, a=a).pack() for a in actions]


async def status_of(uow: UowFactory, report_id: int) -> tuple[str, str | None]:
    async with uow() as svc:
        report = await svc.reports.get(report_id)
    return report.status, report.close_reason


async def press(official: EmulatedUser, data: str, notice: RecordedCall) -> int:
    """Press a button of the notice; the index of the next call."""
    mark = len(official.server.calls)
    await official.press(data, notice.message_id)
    return mark


def sends_to(fake: BotApiEmulator, chat_id: int, since: int) -> list[RecordedCall]:
    return [c for c in fake.calls[since:] if c.chat_id == chat_id and c.method.startswith("send")]


@pytest.mark.usefixtures("world", "engine")
@pytest.mark.parametrize("locale", ["en", "uk", "ko"])
async def test_the_photo_notice_is_edited_in_place_step_by_step(
    running: BotApiEmulator, uow: UowFactory, render: Any, locale: str
) -> None:
    fake = running
    citizen = fake.user(CITIZEN, language_code="en")
    official = fake.user(OFFICIAL, language_code=locale)
    async with uow() as svc:
        await svc.chats.set_locale(OFFICIAL, locale)
    await file_with_photo(citizen)
    report = await the_report(uow)
    notice = await next_to(fake, OFFICIAL, 0, report.reference)
    assert notice.method == "sendPhoto"

    mark = await press(official, acts(report.id, rcb.ACK)[0], notice)
    edit = await edit_of(fake, mark, notice.message_id)
    assert edit.method == "editMessageCaption"
    assert render(locale, rt.status, "acknowledged") in shown_of(edit)
    assert "When does the bridge <reopen>?" in shown_of(edit)
    assert rcb.ReportAct(id=report.id, a=rcb.ACK).pack() not in edit.callback_data
    assert rcb.ReportAct(id=report.id, a=rcb.RESOLVE).pack() in edit.callback_data
    await settled(lambda: status_of(uow, report.id), ("acknowledged", None))
    changed = render(locale, ot.changed, report.reference, "acknowledged", None)
    assert toasts(fake, mark) == [changed.replace("<b>", "").replace("</b>", "")]

    mark = await press(official, acts(report.id, rcb.PROGRESS)[0], notice)
    days = await edit_of(fake, mark, notice.message_id)
    assert render(locale, ot.ask_expected) in shown_of(days)
    assert days.callback_data[-1] == acts(report.id, rcb.BACK)[0]
    mark = await press(official, acts(report.id, rcb.BACK)[0], notice)
    back = await edit_of(fake, mark, notice.message_id)
    assert back.callback_data == edit.callback_data
    mark = await press(official, acts(report.id, rcb.PROGRESS)[0], notice)
    await edit_of(fake, mark, notice.message_id)
    mark = await press(official, rcb.ReportExpected(id=report.id, d=7).pack(), notice)
    going = await edit_of(fake, mark, notice.message_id)
    assert render(locale, rt.status, "in_progress") in shown_of(going)
    assert "<b>" not in shown_of(going)

    mark = await press(official, acts(report.id, rcb.NOT_OURS)[0], notice)
    await official.reply()  # who is responsible?
    await official.send_text("Ask the water utility")
    [closed, said] = await official.wait_replies(2)
    assert (closed.method, closed.message_id) == ("editMessageCaption", notice.message_id)
    assert said.text == render(locale, ot.changed, report.reference, "closed", "not_responsible")
    assert render(locale, rt.status, "closed", "not_responsible") in shown_of(closed)
    assert closed.callback_data == acts(report.id, rcb.BLOCK)
    # The notice changed in place: apart from the two prompts and answers, nothing new came.
    assert [c.method for c in sends_to(fake, OFFICIAL, mark)] == ["sendMessage", "sendMessage"]


async def file_without_photo(user: EmulatedUser) -> None:
    await to_text_from_card(user, "other")
    await user.send_text("Buy cheap watches")
    await user.reply()
    await user.press(rcb.ReportPhotosDone().pack())
    await user.reply()


# Fits a caption in the notice, but not under the longer frame of the edit plus the question.
LONG_TEXT = "Dust over the yard every day. " * 27 + "Still dusty"


@pytest.mark.usefixtures("world", "engine")
async def test_a_long_text_is_shortened_to_keep_the_photo_notice_a_caption(
    running: BotApiEmulator, uow: UowFactory, render: Any
) -> None:
    fake = running
    citizen = fake.user(CITIZEN, language_code="en")
    official = fake.user(OFFICIAL, language_code="en")
    await to_text_from_card(citizen, "dust")
    await citizen.send_text(LONG_TEXT)
    await citizen.reply()
    await citizen.send_photo(jpeg_with_gps())
    await citizen.reply()
    await citizen.press(rcb.ReportPhotosDone().pack())
    await citizen.reply()
    report = await the_report(uow)
    notice = await next_to(fake, OFFICIAL, 0, report.reference)
    assert notice.method == "sendPhoto"
    assert "Still dusty" in str((notice.result or {}).get("caption"))

    start = await press(official, acts(report.id, rcb.REJECT)[0], notice)
    ask = await edit_of(fake, start, notice.message_id)
    assert ask.method == "editMessageCaption"
    question = render("en", ot.confirm_reject, report.reference)
    caption = shown_of(ask)
    assert caption.endswith(question.replace("<b>", "").replace("</b>", ""))
    assert len(caption) <= 1024
    assert LONG_TEXT[:200] in caption
    assert "Still dusty" not in caption
    assert "…" in caption

    mark = await press(official, acts(report.id, rcb.BACK)[0], notice)
    whole = await edit_of(fake, mark, notice.message_id)
    assert whole.method == "editMessageCaption"
    assert shown_of(whole).endswith("Still dusty")
    assert sends_to(fake, OFFICIAL, start) == []  # no new message instead of a failed edit


@pytest.mark.usefixtures("world", "engine")
async def test_reject_asks_first_and_cancel_changes_nothing(
    running: BotApiEmulator, uow: UowFactory, render: Any
) -> None:
    fake = running
    citizen = fake.user(CITIZEN, language_code="en")
    official = fake.user(OFFICIAL, language_code="en")
    await file_without_photo(citizen)
    report: ReportRead = await the_report(uow)
    notice = await next_to(fake, OFFICIAL, 0, report.reference)
    assert notice.method == "sendMessage"

    mark = await press(official, acts(report.id, rcb.REJECT)[0], notice)
    ask = await edit_of(fake, mark, notice.message_id)
    assert ask.method == "editMessageText"
    question = render("en", ot.confirm_reject, report.reference)
    assert question.replace("<b>", "").replace("</b>", "") in shown_of(ask)
    assert ask.callback_data == acts(report.id, rcb.REJECT_CONFIRMED, rcb.BACK)
    assert await status_of(uow, report.id) == ("new", None)

    mark = await press(official, acts(report.id, rcb.BACK)[0], notice)
    kept = await edit_of(fake, mark, notice.message_id)
    assert question.replace("<b>", "").replace("</b>", "") not in shown_of(kept)
    assert acts(report.id, rcb.ACK, rcb.REJECT)[1] in kept.callback_data
    assert await status_of(uow, report.id) == ("new", None)

    mark = await press(official, acts(report.id, rcb.REJECT)[0], notice)
    await edit_of(fake, mark, notice.message_id)
    mark = await press(official, acts(report.id, rcb.REJECT_CONFIRMED)[0], notice)
    rejected = await edit_of(fake, mark, notice.message_id)
    assert render("en", rt.status, "closed", "rejected") in shown_of(rejected)
    assert rejected.callback_data == acts(report.id, rcb.BLOCK)
    await settled(lambda: status_of(uow, report.id), ("closed", "rejected"))
    assert sends_to(fake, OFFICIAL, mark) == []


@pytest.mark.usefixtures("world", "engine")
async def test_duplicate_of_a_reference_written_in_any_case_closes_it_in_place(
    running: BotApiEmulator, uow: UowFactory, render: Any
) -> None:
    fake = running
    async with uow() as svc:
        await make_chat(svc, CITIZEN + 1, "en")
        original = await svc.reports.file(
            ReportCreate(chat_id=CITIZEN + 1, category="other", text="Seen first")
        )
    citizen = fake.user(CITIZEN, language_code="en")
    official = fake.user(OFFICIAL, language_code="en")
    await file_without_photo(citizen)
    report = await the_report(uow)
    notice = await next_to(fake, OFFICIAL, 0, report.reference)
    await press(official, acts(report.id, rcb.DUPLICATE)[0], notice)
    await official.reply()
    await official.send_text(f"same as {original.reference.lower()}, thanks")
    [closed, said] = await official.wait_replies(2)
    assert (closed.method, closed.message_id) == ("editMessageText", notice.message_id)
    assert render("en", rt.status, "closed", "duplicate") in shown_of(closed)
    assert said.text == render("en", ot.changed, report.reference, "closed", "duplicate")
    await settled(lambda: status_of(uow, report.id), ("closed", "duplicate"))


@pytest.mark.usefixtures("world", "engine")
async def test_on_another_notice_only_the_buttons_change_and_its_words_stay(
    running: BotApiEmulator, uow: UowFactory, render: Any
) -> None:
    fake = running
    citizen = fake.user(CITIZEN, language_code="en")
    official = fake.user(OFFICIAL, language_code="en")
    await file_without_photo(citizen)
    report = await the_report(uow)
    mark = len(fake.calls)
    await citizen.press(rcb.ReportOpen(id=report.id).pack())
    await citizen.reply()
    await citizen.press(rcb.ReportReply(id=report.id).pack())
    await citizen.reply()
    await citizen.send_text("It is <still> there")
    await citizen.reply()
    replied = await next_to(fake, OFFICIAL, mark, "It is &lt;still&gt; there")
    words = str((replied.result or {}).get("text"))

    mark = await press(official, acts(report.id, rcb.ACK)[0], replied)
    edit = (await fake.wait_for(lambda c: c.method == "editMessageReplyMarkup", since=mark))[0]
    assert edit.message_id == replied.message_id
    assert acts(report.id, rcb.ACK)[0] not in edit.callback_data
    assert acts(report.id, rcb.RESOLVE)[0] in edit.callback_data
    assert replied.message_id is not None
    stored = fake.state.message(OFFICIAL, replied.message_id)
    assert stored is not None
    assert stored["text"] == words
    await settled(lambda: status_of(uow, report.id), ("acknowledged", None))

    mark = await press(official, acts(report.id, rcb.REJECT)[0], replied)
    ask = (await fake.wait_for(lambda c: c.method == "editMessageReplyMarkup", since=mark))[0]
    assert ask.callback_data == acts(report.id, rcb.REJECT_CONFIRMED, rcb.BACK)
    assert render("en", ot.reject_yes) in str(ask.reply_markup)
