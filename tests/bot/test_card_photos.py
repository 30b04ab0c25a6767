"""The card a citizen opens: photos as an album (file_id kept), money, source, "more"."""

from __future__ import annotations

from typing import Any

from babel.numbers import format_currency

from bot.ui import callbacks as cb
from botapi_emulator import BotApiEmulator
from core.projects.photo_files import DEMO_PHOTO_BASE
from tests.bot.conftest import buttons, shown
from tests.conftest import UowFactory
from tests.samples import KYIV, package, project

LONG = "Reconstruction of the school building and its sports ground. " * 8


def _site() -> dict[str, Any]:
    record = project("site-1", *KYIV, description=LONG)
    record["documents"] = [
        {"id": "1", "documentType": "illustration", "url": f"{DEMO_PHOTO_BASE}kyiv-school.png",
         "title": "North side"},
        {"id": "2", "documentType": "illustration", "url": f"{DEMO_PHOTO_BASE}kyiv-hospital.png"},
        {"id": "3", "documentType": "projectWebsite", "url": "https://kyivcity.example.org/p/1"},
    ]  # fmt: skip
    record["contractingProcesses"] = [
        {"id": "cp", "summary": {
            "contractValue": {"amount": 1400000, "currency": "UAH"},
            "transactions": [{"id": "t", "date": "2026-09-01T00:00:00Z",
                              "value": {"amount": 500000, "currency": "UAH"}}]}}
    ]  # fmt: skip
    return record


async def test_card_opens_with_its_album_then_sends_it_on_by_file_id(
    running: BotApiEmulator, uow: UowFactory
) -> None:
    async with uow() as svc:
        await svc.projects.import_package(package(_site()))
    user = running.user(601, language_code="en")

    await user.send_command("/start p_site-1")
    _welcome, album, card = await user.wait_replies(3)
    assert album.method == "sendMediaGroup"
    [upload] = running.calls_to("sendMediaGroup")
    assert all(str(m["media"]).startswith("attach://") for m in upload.params["media"])
    text = shown(card)
    assert format_currency(1400000, "UAH", locale="en") in text
    assert format_currency(500000, "UAH", locale="en") in text
    assert "kyivcity.example.org/p/1" in (card.text or "")
    assert "/api/v1/projects/site-1/oc4ids" not in (card.text or "")  # no public URL set
    assert LONG.strip() not in text  # shortened

    await user.send_command("/start p_site-1")
    *_, card = await user.wait_replies(3)
    again = running.calls_to("sendMediaGroup")[-1]
    ids = [str(m["media"]) for m in again.params["media"]]
    # Sent on by the file_ids Telegram gave the first upload: no new upload.
    assert len(set(ids)) == 2
    assert all(i.startswith("photo-") for i in ids)

    assert "📖 More about the works" in buttons(card)
    await user.press(cb.CardMore(id="site-1").pack())
    more = await user.reply()
    assert LONG.strip() in shown(more)


async def test_a_cancelled_card_says_so_without_a_planned_end(
    running: BotApiEmulator, uow: UowFactory
) -> None:
    async with uow() as svc:
        await svc.projects.import_package(package(project("gone", *KYIV, status="cancelled")))
    user = running.user(602, language_code="en")
    await user.send_command("/start p_gone")
    _, card = await user.wait_replies(2)
    assert "This project was cancelled." in shown(card)
    assert "Planned:" not in shown(card)
