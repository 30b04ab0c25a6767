"""Every citizen feature in a group chat: answers, subscriptions and language belong to the
group (the chat the button is in), never to the private chat of whoever pressed it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.ui import callbacks as cb
from bot.ui import texts
from botapi_emulator import BotApiEmulator
from core.errors import NotFound
from tests.bot.conftest import buttons, settled, shown
from tests.conftest import UowFactory
from tests.samples import KYIV

GROUP = -4242  # a basic group ("group"); its members never opened a private chat with the bot
HERE = cb.NearPage(lat=cb.to_e5(KYIV[0]), lon=cb.to_e5(KYIV[1]), r=1000)
AREA = cb.AreaSub(lat=HERE.lat, lon=HERE.lon, r=1000)


@pytest.fixture
async def fake() -> AsyncIterator[BotApiEmulator]:
    # As live: a message to a chat that was never opened is "chat not found".
    async with BotApiEmulator(record=True, known_chats_only=True) as server:
        yield server


async def followed(uow: UowFactory, chat_id: int) -> list[str | None]:
    async with uow() as svc:
        return [s.project_id for s in await svc.subscriptions.list(chat_id)]


async def chat_locale(uow: UowFactory, chat_id: int) -> str | None:
    async with uow() as svc:
        return (await svc.chats.get(chat_id)).locale


def private_calls(fake: BotApiEmulator, *user_ids: int) -> list[str]:
    """Calls the bot made to the members' own chats (there should be none)."""
    return [c.method for c in fake.calls if c.chat_id in user_ids]


@pytest.mark.usefixtures("projects")
async def test_nearby_search_card_and_subscriptions_belong_to_the_group(
    running: BotApiEmulator, uow: UowFactory, tr: Any, render: Any
) -> None:
    alice = running.user(701, "Alice", language_code="en", group=GROUP)
    assert alice.chat["type"] == "group"

    await alice.send_location(*KYIV)
    listing = await alice.reply()
    assert shown(listing).count("\n    ") == 5
    await alice.press(cb.OpenCard(id="kyiv-1").pack())
    card = await alice.reply()
    assert (card.method, card.chat_id) == ("editMessageText", GROUP)
    assert tr("en", "🔔 Subscribe") in buttons(card)

    await alice.press(cb.ProjectSub(id="kyiv-1", on=True).pack())
    assert tr("en", "🔕 Unsubscribe") in buttons(await alice.reply())
    await settled(lambda: followed(uow, GROUP), ["kyiv-1"])

    await alice.press(AREA.pack())
    note = await alice.reply()
    assert note.text == render("en", texts.subscribed_area, 1000, "en")
    await settled(lambda: followed(uow, GROUP), ["kyiv-1", None])

    bob = running.user(702, "Bob", language_code="en", group=GROUP)
    await bob.send_command("/subscriptions")
    mine = await bob.reply()
    async with uow() as svc:
        project, area = await svc.subscriptions.list(GROUP)
    assert mine.callback_data == [cb.RemoveSub(id=s.id).pack() for s in (project, area)]
    await bob.press(cb.RemoveSub(id=area.id).pack())
    assert (await bob.reply()).callback_data == [cb.RemoveSub(id=project.id).pack()]
    await settled(lambda: followed(uow, GROUP), ["kyiv-1"])

    await bob.send_command("/search bridge deck")
    results = await bob.reply()
    assert cb.OpenCard(id="kyiv-1").pack() in results.callback_data
    await bob.press(cb.OpenCard(id="kyiv-1").pack())
    # Bob sees the group's subscription on the card, and can end it for the group.
    assert tr("en", "🔕 Unsubscribe") in buttons(await bob.reply())
    await bob.press(cb.ProjectSub(id="kyiv-1", on=False).pack())
    assert tr("en", "🔔 Subscribe") in buttons(await bob.reply())
    await settled(lambda: followed(uow, GROUP), [])

    assert await followed(uow, 701) == await followed(uow, 702) == []
    assert private_calls(running, 701, 702) == []


async def test_language_chosen_in_a_group_is_the_groups(
    running: BotApiEmulator, uow: UowFactory, tr: Any, render: Any
) -> None:
    alice = running.user(703, language_code="en", group=GROUP)
    await alice.send_command("/language")
    await alice.reply()
    await alice.press(cb.SetLanguage(code="uk").pack())
    saved, welcome = await alice.wait_replies(2)
    assert saved.text == tr("uk", "Language saved: English.")
    assert welcome.text == render("uk", texts.welcome)
    await settled(lambda: chat_locale(uow, GROUP), "uk")

    # Another member, whose Telegram is in Korean, reads the group's language.
    bob = running.user(704, language_code="ko", group=GROUP)
    await bob.send_command("/help")
    assert (await bob.reply()).text == render("uk", texts.help_text)
    async with uow() as svc:
        with pytest.raises(NotFound):
            await svc.chats.get(703)
    assert private_calls(running, 703, 704) == []


@pytest.mark.usefixtures("projects")
async def test_apology_for_a_failed_button_goes_to_the_group(
    running: BotApiEmulator, tr: Any
) -> None:
    alice = running.user(705, language_code="uk", group=GROUP)
    await alice.send_location(*KYIV)
    await alice.reply()
    running.fail_next(GROUP, "server_error")
    await alice.press(AREA.pack())
    apology = await alice.reply()
    assert apology.text == tr(
        "uk", "Sorry, something went wrong on our side. Please try again in a moment."
    )
    assert private_calls(running, 705) == []
