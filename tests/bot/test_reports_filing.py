"""Filing a question or report through the Bot API emulator: the steps, limits and refusals."""

from __future__ import annotations

import html
import io
from typing import Any

import pytest
from PIL import Image

from bot.ui import report_callbacks as rcb
from bot.ui import report_texts as rt
from botapi_emulator import BotApiEmulator, EmulatedUser
from botapi_emulator.images import make_png
from core.reports.schemas import ReportCreate, ReportRead, StatusChange
from tests.bot.conftest import buttons, settled, shown
from tests.conftest import UowFactory
from tests.reportutil import drafts_of, jpeg_with_gps
from tests.samples import KYIV, package, project

CITIZEN = 601


@pytest.fixture
async def site(uow: UowFactory) -> None:
    async with uow() as svc:
        await svc.projects.import_package(package(project("P1", *KYIV, title_uk="Міст")))


async def reports_of(uow: UowFactory, chat_id: int, count: int = 1) -> list[ReportRead]:
    """The chat's reports, each with its photos, once `count` are committed."""
    await settled(lambda: count_of(uow, chat_id), count)
    async with uow() as svc:
        page = await svc.reports.page_for_chat(chat_id, limit=50)
        return [await svc.reports.get(r.id) for r in page.items]


async def count_of(uow: UowFactory, chat_id: int) -> int:
    async with uow() as svc:
        return (await svc.reports.page_for_chat(chat_id)).total


async def to_text_step(user: EmulatedUser, category: str = "noise") -> None:
    """/report, share the place, pick the project, the category."""
    await user.send_command("/report")
    await user.reply()
    await user.send_location(*KYIV)
    places = await user.reply()
    assert rcb.ReportPlace(n=0).pack() in places.callback_data
    await user.press(rcb.ReportPlace(n=0).pack())
    await user.reply()
    await user.press(rcb.ReportCategory(c=category).pack())
    await user.reply()


@pytest.mark.usefixtures("site")
async def test_a_report_with_two_photos_is_filed_with_its_reference(
    running: BotApiEmulator, uow: UowFactory, render: Any
) -> None:
    user = running.user(CITIZEN, language_code="en")
    await to_text_step(user)
    await user.send_text("Drilling at 6 am <every> day")
    assert "photos" in shown(await user.reply())
    await user.send_photo(jpeg_with_gps())
    assert "1 of 5" in shown(await user.reply())
    await user.send_document(make_png(30, 20), "scan.png")
    await user.reply()
    await user.press(rcb.ReportPhotosDone().pack())
    filed = await user.reply()

    [report] = await reports_of(uow, CITIZEN)
    assert report.reference in shown(filed)
    assert shown(filed).startswith("✅")
    assert (report.category, report.project_id, report.text) == (
        "noise",
        "P1",
        "Drilling at 6 am <every> day",
    )
    assert len(report.photos) == 2
    assert rcb.ReportOpen(id=report.id).pack() in filed.callback_data


@pytest.mark.usefixtures("site")
async def test_the_card_button_starts_a_report_about_that_project(
    running: BotApiEmulator, uow: UowFactory
) -> None:
    user = running.user(CITIZEN, language_code="en")
    await user.send_command("/start p_P1")
    card = (await user.wait_replies(2))[-1]
    assert rcb.ReportNew(p="P1").pack() in card.callback_data
    await user.press(rcb.ReportNew(p="P1").pack())
    categories = await user.reply()
    assert rcb.ReportCategory(c="question").pack() in categories.callback_data
    await user.press(rcb.ReportCategory(c="question").pack())
    await user.reply()
    await user.send_text("When will the bridge open?")
    await user.reply()
    await user.press(rcb.ReportPhotosDone().pack())
    await user.reply()
    [report] = await reports_of(uow, CITIZEN)
    assert (report.category, report.project_id, report.photos) == ("question", "P1", ())


@pytest.mark.usefixtures("site")
async def test_text_limits_and_media_refusals_leave_the_draft_intact(
    running: BotApiEmulator, uow: UowFactory, render: Any
) -> None:
    user = running.user(CITIZEN, language_code="en")
    await to_text_step(user)
    await user.send_text("x" * 4001)
    assert shown(await user.reply()) == render("en", rt.text_too_long, 4001)
    await user.send_voice()
    assert shown(await user.reply()) == render("en", rt.refused_media)
    await user.send_text("y" * 4000)
    await user.reply()
    await user.send_sticker()
    assert shown(await user.reply()) == render("en", rt.not_a_photo)
    await user.send_document(bytes(11 * 1024 * 1024), "huge.jpg", "image/jpeg")
    assert shown(await user.reply()) == render("en", rt.photo_too_big)
    await user.send_document(b"%PDF-1.4", "plan.pdf", "application/pdf")
    assert shown(await user.reply()) == render("en", rt.not_a_photo)
    for _ in range(5):
        await user.send_photo()
        await user.reply()
    filed = await user.reply()  # the fifth photo files at once
    [report] = await reports_of(uow, CITIZEN)
    assert report.reference in shown(filed)
    assert (len(report.text), len(report.photos)) == (4000, 5)


@pytest.mark.usefixtures("site")
async def test_the_sixth_report_in_an_hour_is_refused_politely(
    running: BotApiEmulator, uow: UowFactory, render: Any
) -> None:
    user = running.user(CITIZEN, language_code="en")
    await to_text_step(user)
    async with uow() as svc:
        for n in range(5):
            await svc.reports.file(ReportCreate(chat_id=CITIZEN, category="other", text=f"r{n}"))
    await user.send_text("one too many")
    await user.reply()
    await user.press(rcb.ReportPhotosDone().pack())
    assert shown(await user.reply()) == render("en", rt.limit_reached)
    await user.send_command("/report")
    assert shown(await user.reply()) == render("en", rt.limit_reached)
    assert await count_of(uow, CITIZEN) == 5


@pytest.mark.usefixtures("site")
async def test_one_of_these_offers_follow_instead_of_a_second_report(
    running: BotApiEmulator, uow: UowFactory
) -> None:
    first = running.user(CITIZEN, language_code="en")
    await to_text_step(first, "dust")
    await first.send_text("Dust everywhere")
    await first.reply()
    await first.press(rcb.ReportPhotosDone().pack())
    await first.reply()
    [report] = await reports_of(uow, CITIZEN)
    async with uow() as svc:
        await svc.reports.change_status(report.id, StatusChange(status="acknowledged"))

    other = running.user(CITIZEN + 1, language_code="en")
    await to_text_step(other, "dust")
    await other.send_text("So much dust")
    await other.reply()
    await other.press(rcb.ReportPhotosDone().pack())
    offer = await other.reply()
    assert report.reference in shown(offer)
    assert any(report.reference in label for label in buttons(offer))
    await other.press(rcb.ReportFollow(id=report.id).pack())
    followed = await other.reply()
    assert report.reference in shown(followed)
    assert await reports_of(uow, CITIZEN + 1, 0) == []


@pytest.mark.usefixtures("site")
@pytest.mark.parametrize("locale", ["en", "uk", "ko"])
async def test_a_captioned_photo_for_the_text_gives_the_text_and_the_first_photo(
    running: BotApiEmulator, uow: UowFactory, render: Any, locale: str
) -> None:
    user = running.user(CITIZEN, language_code=locale)
    await to_text_step(user)
    await user.send_photo(jpeg_with_gps(), caption="  Pit <open> at night ")
    assert shown(await user.reply()) == render(locale, rt.photo_added, 1)
    await user.send_photo(caption="Seen from the corner")
    added = shown(await user.reply())
    assert added == f"{render(locale, rt.photo_added, 2)}\n{render(locale, rt.caption_added)}"
    await user.press(rcb.ReportPhotosDone().pack())
    await user.reply()
    [report] = await reports_of(uow, CITIZEN)
    assert report.text == "Pit <open> at night\n\nSeen from the corner"
    assert len(report.photos) == 2


@pytest.mark.usefixtures("site")
async def test_a_photo_before_the_text_is_kept_and_the_text_still_asked_for(
    running: BotApiEmulator, uow: UowFactory, render: Any
) -> None:
    user = running.user(CITIZEN, language_code="uk")
    await to_text_step(user)
    await user.send_document(make_png(30, 20), "scan.png")
    kept = await user.reply()
    assert shown(kept) == render("uk", rt.photo_kept)
    assert rcb.ReportCancel().pack() in kept.callback_data
    await user.send_text("Dust on the road")
    assert shown(await user.reply()) == render("uk", rt.photo_added, 1)
    await user.press(rcb.ReportPhotosDone().pack())
    await user.reply()
    [report] = await reports_of(uow, CITIZEN)
    assert (report.text, len(report.photos)) == ("Dust on the road", 1)


@pytest.mark.usefixtures("site")
async def test_a_caption_that_would_pass_the_limit_is_left_out(
    running: BotApiEmulator, uow: UowFactory, render: Any
) -> None:
    user = running.user(CITIZEN, language_code="ko")
    await to_text_step(user)
    await user.send_text("z" * 3990)
    await user.reply()
    await user.send_photo(caption="this would not fit")
    said = shown(await user.reply())
    assert said == f"{render('ko', rt.photo_added, 1)}\n{render('ko', rt.caption_left_out)}"
    await user.press(rcb.ReportPhotosDone().pack())
    await user.reply()
    [report] = await reports_of(uow, CITIZEN)
    assert (report.text, len(report.photos)) == ("z" * 3990, 1)


@pytest.mark.usefixtures("site")
@pytest.mark.parametrize("locale", ["uk", "ko"])
async def test_the_menu_button_starts_a_report_about_just_the_shared_place(
    running: BotApiEmulator, uow: UowFactory, tr: Any, render: Any, locale: str
) -> None:
    user = running.user(CITIZEN, language_code=locale)
    await user.send_text(tr(locale, "❓ Ask or report"))
    assert shown(await user.reply()) == html.unescape(
        render(locale, rt.start).replace("<b>", "").replace("</b>", "")
    )
    far = (KYIV[0] + 0.05, KYIV[1])  # no project within 300 m
    await user.send_location(*far)
    places = await user.reply()
    assert shown(places) == render(locale, rt.pick_place, False)
    await user.press(rcb.ReportPlace(n=-1).pack())
    await user.reply()
    await user.press(rcb.ReportCategory(c="safety").pack())
    await user.reply()
    await user.send_text("Open pit, no fence")
    await user.reply()
    await user.press(rcb.ReportPhotosDone().pack())
    await user.reply()
    [report] = await reports_of(uow, CITIZEN)
    assert (report.project_id, report.category) == (None, "safety")
    assert (report.lat, report.lon) == pytest.approx(far)


def huge_png() -> bytes:
    """A small file of 42 megapixels (more than a report's photo may have)."""
    out = io.BytesIO()
    Image.new("1", (7000, 6000)).save(out, "PNG")
    return out.getvalue()


async def draft_count(uow: UowFactory, chat_id: int, count: int) -> None:
    """Wait until the chat has `count` draft photos (some steps, such as Follow instead, answer
    before their commit)."""

    async def read() -> int:
        return len(await drafts_of(uow, chat_id))

    await settled(read, count)


async def at_the_photos_step(running: BotApiEmulator) -> EmulatedUser:
    """A citizen who has given the text and is asked for photos."""
    user = running.user(CITIZEN, language_code="en")
    await to_text_step(user)
    await user.send_text("Dust all over the playground")
    await user.reply()
    return user


@pytest.mark.usefixtures("site")
async def test_a_photo_is_stored_cleaned_when_it_arrives_and_attached_at_filing(
    running: BotApiEmulator, uow: UowFactory
) -> None:
    user = await at_the_photos_step(running)
    await user.send_photo(jpeg_with_gps())
    await user.reply()
    await draft_count(uow, CITIZEN, 1)
    [draft] = await drafts_of(uow, CITIZEN)
    async with uow() as svc:
        content = await svc.reports.photo_content(draft.id)
    assert content is not None
    assert b"SecretPhone" not in content
    with Image.open(io.BytesIO(content)) as image:
        assert not image.getexif()
    assert await count_of(uow, CITIZEN) == 0
    await user.press(rcb.ReportPhotosDone().pack())
    await user.reply()
    [report] = await reports_of(uow, CITIZEN)
    assert [p.id for p in report.photos] == [draft.id]  # the same row, attached
    assert report.photos[0].file_id is not None
    await draft_count(uow, CITIZEN, 0)


@pytest.mark.usefixtures("site")
async def test_the_answer_to_a_photo_leaves_once_the_photo_is_committed(
    running: BotApiEmulator, uow: UowFactory
) -> None:
    # The answer takes 3 s to reach Telegram: the photo is committed before it leaves, so
    # other chats' writes do not wait behind that round trip (on SQLite a transaction open
    # across it held the database's write lock).
    user = await at_the_photos_step(running)
    answered = len(running.sent_messages(CITIZEN))
    running.fail_next(CITIZEN, "timeout", hold=3.0, delivered=True)
    await user.send_photo(jpeg_with_gps())
    await draft_count(uow, CITIZEN, 1)
    assert len(running.sent_messages(CITIZEN)) == answered  # still on its way
    assert "1 of 5" in shown(await user.reply())


@pytest.mark.usefixtures("site")
@pytest.mark.parametrize("content", [huge_png(), b"not an image at all"], ids=["pixels", "bytes"])
async def test_an_unreadable_photo_is_refused_at_once_keeping_the_words(
    running: BotApiEmulator, uow: UowFactory, render: Any, content: bytes
) -> None:
    user = running.user(CITIZEN, language_code="uk")
    await to_text_step(user)
    await user.send_text("Crack in the wall")
    await user.reply()
    await user.send_photo(jpeg_with_gps())
    await user.reply()
    await draft_count(uow, CITIZEN, 1)
    await user.send_document(content, "plan.png", mime_type="image/png")
    refused = await user.reply()
    assert shown(refused) == render("uk", rt.bad_photo)
    assert rcb.ReportPhotosDone().pack() in refused.callback_data
    # As the words say, none of the photos were kept: the one before is gone too.
    await draft_count(uow, CITIZEN, 0)
    assert await count_of(uow, CITIZEN) == 0
    await user.send_photo(jpeg_with_gps())
    assert "1 " in shown(await user.reply())
    await user.press(rcb.ReportPhotosDone().pack())
    await user.reply()
    [report] = await reports_of(uow, CITIZEN)
    assert (report.text, len(report.photos)) == ("Crack in the wall", 1)


@pytest.mark.usefixtures("site")
async def test_an_unreadable_photo_before_the_text_is_refused_and_the_text_still_asked_for(
    running: BotApiEmulator, uow: UowFactory, render: Any
) -> None:
    user = running.user(CITIZEN, language_code="ko")
    await to_text_step(user)
    await user.send_document(b"GIF89a but not really", "scan.gif", mime_type="image/gif")
    refused = await user.reply()
    assert shown(refused) == render("ko", rt.bad_photo)
    assert rcb.ReportCancel().pack() in refused.callback_data
    await user.send_text("Dust on the road")
    assert shown(await user.reply()) == render("ko", rt.ask_photos)
    await draft_count(uow, CITIZEN, 0)
    await user.press(rcb.ReportPhotosDone().pack())
    await user.reply()
    [report] = await reports_of(uow, CITIZEN)
    assert (report.text, report.photos) == ("Dust on the road", ())


@pytest.mark.usefixtures("site")
async def test_following_instead_leaves_no_draft_photo_behind(
    running: BotApiEmulator, uow: UowFactory
) -> None:
    other = running.user(CITIZEN + 1, language_code="en")
    await to_text_step(other)
    await other.send_text("Drills")
    await other.reply()
    await other.press(rcb.ReportPhotosDone().pack())
    await other.reply()
    [first] = await reports_of(uow, CITIZEN + 1)
    async with uow() as svc:
        await svc.reports.change_status(first.id, StatusChange(status="acknowledged"))
    user = running.user(CITIZEN, language_code="en")
    await to_text_step(user)
    await user.send_text("Drilling again")
    await user.reply()
    await user.send_photo(jpeg_with_gps())
    await user.reply()
    await draft_count(uow, CITIZEN, 1)
    await user.press(rcb.ReportPhotosDone().pack())
    offer = await user.reply()
    assert rcb.ReportFollow(id=first.id).pack() in offer.callback_data
    await user.press(rcb.ReportFollow(id=first.id).pack())
    await user.reply()
    await draft_count(uow, CITIZEN, 0)
    assert await count_of(uow, CITIZEN) == 0  # nothing filed: followed instead


def noisy_jpeg() -> bytes:
    """A 2,560 x 1,920 photo of noise: tens of milliseconds to decode and re-encode."""
    out = io.BytesIO()
    Image.effect_noise((2560, 1920), 60).convert("RGB").save(out, "JPEG", quality=95)
    return out.getvalue()


@pytest.mark.usefixtures("site")
async def test_done_pressed_while_a_photo_is_still_being_stored_waits_for_it(
    running: BotApiEmulator, uow: UowFactory, render: Any
) -> None:
    user = running.user(CITIZEN, language_code="en")
    await to_text_step(user)
    await user.send_text("Dust on the cars")
    asked = await user.reply()
    # Done follows at once, while the photo is still being fetched and cleaned: a chat's
    # updates are handled one at a time, so Done waits for the photo.
    await user.send_photo(noisy_jpeg())
    await user.press(rcb.ReportPhotosDone().pack(), asked.message_id)
    said = [shown(r) for r in await user.wait_replies(2)]
    assert said[0] == render("en", rt.photo_added, 1)
    assert said[1].startswith("✅")
    [report] = await reports_of(uow, CITIZEN)
    assert len(report.photos) == 1
    await draft_count(uow, CITIZEN, 0)


@pytest.mark.usefixtures("site")
async def test_an_album_sent_at_once_keeps_every_photo_and_the_first_caption(
    running: BotApiEmulator, uow: UowFactory, render: Any
) -> None:
    user = running.user(CITIZEN, language_code="en")
    await to_text_step(user)
    # Telegram sends an album as one message per photo, in one batch of updates; only the
    # first carries the caption. The bot takes them at the same time.
    await user.send_photo(make_png(10, 10), caption="Cracks, three views")
    await user.send_photo(make_png(11, 10))
    await user.send_photo(make_png(12, 10))
    answers = [shown(c) for c in await user.wait_replies(3)]
    assert answers == [render("en", rt.photo_added, n) for n in (1, 2, 3)]
    await user.press(rcb.ReportPhotosDone().pack())
    await user.reply()
    [report] = await reports_of(uow, CITIZEN)
    assert (report.text, len(report.photos)) == ("Cracks, three views", 3)
