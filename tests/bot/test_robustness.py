"""Odd updates, HTML safety, flood control and errors: the bot answers and never crashes."""

from __future__ import annotations

from typing import Any

import pytest

from bot.ui import callbacks as cb
from bot.ui import texts
from botapi_emulator import BotApiEmulator
from tests.bot.conftest import shown
from tests.conftest import UowFactory
from tests.samples import KYIV, package, project

TRICKY = '<b>Tunnel & "Bridge"</b>'


async def test_odd_updates_get_polite_answers_and_the_bot_keeps_going(
    running: BotApiEmulator, render: Any
) -> None:
    user = running.user(601, language_code="en")
    await user.send_sticker()
    assert (await user.reply()).text == render("en", texts.unsupported)
    await user.send_photo(caption="look")
    assert (await user.reply()).text == render("en", texts.unsupported)
    await user.send_text("")
    assert (await user.reply()).text == render("en", texts.unsupported)
    await user.send_text("x" * 4096)
    assert (await user.reply()).text == render("en", texts.too_long)

    await user.send_text("nothing like this")
    answered = await user.reply()
    assert answered.message_id is not None
    # Message ids are shared by both sides of a chat: the user's text came just before.
    await user.edit_text(answered.message_id - 1, "edited")
    await user.send_command("/frobnicate")
    unknown = render("en", texts.unknown_command, "/frobnicate")
    assert (await user.reply()).text == unknown + "\n\n" + render("en", texts.help_text)

    await user.press("zz:unknown", strict=False, message_id=99999)
    await running.wait_for(lambda c: c.method == "answerCallbackQuery")
    await user.press(cb.OpenCard(id="gone").pack(), strict=False, message_id=99998)
    assert (await user.reply()).text == render("en", texts.project_gone)

    await user.send_command("/start x_ABC123")
    assert (await user.reply()).text == render("en", texts.unknown_link)
    await user.send_command("/help")
    assert (await user.reply()).text == render("en", texts.help_text)


async def test_titles_and_words_from_outside_are_shown_literally(
    running: BotApiEmulator, uow: UowFactory
) -> None:
    async with uow() as svc:
        await svc.projects.import_package(package(project("odd", *KYIV, title=TRICKY)))
    user = running.user(602, language_code="en")

    await user.send_location(*KYIV)
    listing = await user.reply()
    assert TRICKY in shown(listing)
    await user.press(cb.OpenCard(id="odd").pack())
    assert shown(await user.reply()).startswith(TRICKY)

    await user.send_text("<i>Tunnel</i> & <b>")
    assert "“<i>Tunnel</i> & <b>”" in shown(await user.reply())


async def test_a_flooding_user_is_slowed_down_once_and_others_are_not(
    running: BotApiEmulator, tr: Any
) -> None:
    flooder = running.user(603, language_code="uk")
    for n in range(25):
        await flooder.send_text(f"word{n}")
    slow = tr("uk", "You are sending messages very fast. Please wait a few seconds.")
    await running.wait_for(lambda c: c.text == slow)
    await running.wait_sent(21, chat_id=603)
    other = running.user(604, language_code="en")
    await other.send_command("/help")
    await other.reply()
    assert running.received(603, slow) == 1
    assert len(running.sent_messages(603)) == 21


@pytest.mark.parametrize(("locale", "telegram_code"), [("en", "en"), ("uk", "uk"), ("ko", "ko")])
async def test_unexpected_error_gets_an_apology_in_the_users_language(
    running: BotApiEmulator, tr: Any, locale: str, telegram_code: str
) -> None:
    user = running.user(605, language_code=telegram_code)
    running.fail_next(605, "server_error")
    await user.send_command("/help")
    apology = await user.reply()
    assert apology.text == tr(
        locale, "Sorry, something went wrong on our side. Please try again in a moment."
    )
    await user.send_command("/help")
    await user.reply()


async def test_commands_are_registered_for_each_language(running: BotApiEmulator, tr: Any) -> None:
    default = running.state.commands()
    assert [c["command"] for c in default] == [
        "start",
        "near",
        "search",
        "subscriptions",
        "report",
        "reports",
        "settings",
        "wages",
        "link",
        "unlink",
        "language",
        "help",
        "cancel",
    ]
    for locale in ("en", "uk", "ko"):
        listed = running.state.commands(language_code=locale)
        assert listed[-1]["description"] == tr(locale, "Leave the current step")
        report = next(c for c in listed if c["command"] == "report")
        assert report["description"] == tr(locale, "Ask a question or report a problem")
