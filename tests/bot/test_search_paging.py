# ruff: noqa: RUF001, RUF003  (Ukrainian letters and a range dash are meant)
"""Text search in the bot: inflected words find projects, and a page says where it is."""

from __future__ import annotations

import pytest

from bot.ui import callbacks as cb
from botapi_emulator import BotApiEmulator
from tests.bot.conftest import shown


@pytest.mark.usefixtures("projects")
async def test_search_pages_say_which_of_how_many(running: BotApiEmulator) -> None:
    user = running.user(701, language_code="uk")
    await user.send_text("об'єкти")  # plural of the titles' "Об'єкт"
    first = await user.reply()
    assert "1–5 з 7" in shown(first)
    await user.press(cb.SearchPage(p=1).pack())
    second = await user.reply()
    assert "6–7 з 7" in shown(second)


async def test_an_unknown_command_says_so_before_the_help(running: BotApiEmulator) -> None:
    user = running.user(702, language_code="en")
    await user.send_command("/frobnicate")
    text = shown(await user.reply())
    assert text.startswith("I do not know the command /frobnicate.")
    assert "What I can do" in text
