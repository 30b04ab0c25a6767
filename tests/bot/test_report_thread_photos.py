"""The citizen's thread view shows the report's photos: an album under the thread, by Telegram's
file_id when known, the others uploaded from the stored bytes once and then sent by file_id."""

from __future__ import annotations

from typing import Any

import pytest

from bot.ui import report_callbacks as rcb
from botapi_emulator import BotApiEmulator, RecordedCall
from botapi_emulator.images import make_png
from tests.bot.conftest import settled
from tests.bot.test_reports_loop import (  # noqa: F401 - a fixture
    CITIZEN,
    the_report,
    to_text_from_card,
    world,
)
from tests.conftest import UowFactory
from tests.reportutil import jpeg_with_gps


def media_of(call: RecordedCall) -> list[str]:
    """What each album item was sent as: a file_id, or an upload ("attach://…")."""
    return [str(item["media"]) for item in call.params["media"]]


@pytest.mark.usefixtures("world")
async def test_the_thread_shows_the_photos_as_an_album_uploading_each_once(
    running: BotApiEmulator, uow: UowFactory
) -> None:
    fake = running
    citizen = fake.user(CITIZEN, language_code="uk")
    await to_text_from_card(citizen, "damage")
    await citizen.send_photo(jpeg_with_gps(), caption="The fence fell on my car")
    await citizen.reply()
    await citizen.send_document(make_png(40, 30), "scan.png")  # an image file: no file_id kept
    await citizen.reply()
    await citizen.press(rcb.ReportPhotosDone().pack())
    await citizen.reply()
    report = await the_report(uow)
    photo_id = report.photos[0].file_id
    assert photo_id is not None
    assert report.photos[1].file_id is None

    await citizen.send_command("/reports")
    await citizen.reply()
    await citizen.press(rcb.ReportOpen(id=report.id).pack())
    [thread, album] = await citizen.wait_replies(2)
    assert "The fence fell on my car" in str((thread.result or {}).get("text"))
    assert album.method == "sendMediaGroup"
    first = media_of(album)
    assert first[0] == photo_id
    assert first[1].startswith("attach://")
    sent: list[Any] = album.result
    assert len(sent) == 2
    assert all("photo" in message for message in sent)

    async def kept() -> str | None:
        async with uow() as svc:
            return (await svc.reports.get(report.id)).photos[1].file_id

    uploaded = sent[1]["photo"][-1]["file_id"]
    # The bot keeps the new file_id in its unit of work, a moment after the album is sent.
    await settled(kept, uploaded)

    await citizen.send_command(f"/start r_{report.reference}")
    [_, _, again] = await citizen.wait_replies(3)
    assert again.method == "sendMediaGroup"
    assert media_of(again) == [photo_id, uploaded]


@pytest.mark.usefixtures("world")
async def test_a_report_without_photos_sends_none(
    running: BotApiEmulator, uow: UowFactory
) -> None:
    fake = running
    citizen = fake.user(CITIZEN, language_code="en")
    await to_text_from_card(citizen, "noise")
    await citizen.send_text("Loud at night")
    await citizen.reply()
    await citizen.press(rcb.ReportPhotosDone().pack())
    filed = await citizen.reply()
    report = await the_report(uow)
    await citizen.press(rcb.ReportOpen(id=report.id).pack(), filed.message_id)
    await citizen.reply()
    await citizen.send_command("/reports")
    await citizen.reply()
    assert not [c for c in fake.calls if c.method in ("sendPhoto", "sendMediaGroup")]
