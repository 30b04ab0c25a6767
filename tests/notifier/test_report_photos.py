"""Report notices with photos go out through the emulator as sendPhoto (one, with the text as
caption) or sendMediaGroup and then the text; uploaded photos keep Telegram's file_id."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from botapi_emulator import BotApiEmulator
from core.reports.models import ReportPhoto
from core.reports.schemas import PhotoIn
from tests.conftest import UowFactory
from tests.notifier.conftest import Running, settled
from tests.reportutil import OFFICIAL, OFFICIAL_2, jpeg_with_gps, new_report, setup_world

# The emulator learns sendPhoto/sendMediaGroup in the bot work; until then these tests wait.
pytest.importorskip("botapi_emulator.media")


async def _file(uow: UowFactory, photos: int) -> None:
    async with uow() as svc:
        await setup_world(svc)
        shots = [PhotoIn(content=jpeg_with_gps()) for _ in range(photos)]
        await svc.reports.file(new_report(photos=shots))


async def test_one_photo_carries_the_notice_as_caption(
    uow: UowFactory, running: Running, fake: BotApiEmulator
) -> None:
    await _file(uow, 1)
    async with running():
        counts = await settled(uow)
    assert counts.sent == 2
    for chat in (OFFICIAL, OFFICIAL_2):
        (call,) = fake.calls_to("sendPhoto", chat)
        assert call.ok
        assert fake.calls_to("sendMessage", chat) == []
    async with uow() as svc:
        ids = list(await svc.session.scalars(select(ReportPhoto.telegram_file_id)))
    assert ids[0]


async def test_several_photos_go_as_an_album_then_the_text(
    uow: UowFactory, running: Running, fake: BotApiEmulator
) -> None:
    await _file(uow, 3)
    async with running():
        counts = await settled(uow)
    assert counts.sent == 2
    for chat in (OFFICIAL, OFFICIAL_2):
        assert [c.ok for c in fake.calls_to("sendMediaGroup", chat)] == [True]
        assert len(fake.sent_messages(chat)) == 1
