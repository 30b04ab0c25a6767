"""The emulator mounted in an ASGI app (as the sandbox mounts it), with the real aiogram Bot:
long polling, send, edit, callbacks, errors."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramBadRequest, TelegramUnauthorizedError
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from fastapi import FastAPI

from botapi_emulator import BotApiEmulator, EmulatedUser
from botapi_emulator.asgi import botapi_router
from botapi_emulator.images import make_png
from tests.sandbox.serving import serving

TOKEN = "1:emulated"
PREFIX = "/sandbox/botapi"
CITIZEN_ID = 700000001

PNG = make_png()


@dataclass
class Served:
    emulator: BotApiEmulator
    url: str
    bot: Bot

    def user(self) -> EmulatedUser:
        """The citizen; the chat is opened by their first message, as on Telegram."""
        return self.emulator.user(CITIZEN_ID, "Olena")


def _bot(url: str, token: str = TOKEN) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(url))
    return Bot(token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))


@pytest.fixture
async def served() -> AsyncIterator[Served]:
    emulator = BotApiEmulator(TOKEN, username="emulated_bot", known_chats_only=True)
    app = FastAPI()
    app.include_router(botapi_router(emulator), prefix=PREFIX)
    async with serving(app) as base:
        bot = _bot(base + PREFIX)
        try:
            yield Served(emulator, base + PREFIX, bot)
        finally:
            await emulator.stop()
            await bot.session.close()


KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[[InlineKeyboardButton(text="Open", callback_data="open:1")]]
)


async def test_long_poll_waits_for_the_user_and_returns_the_command(served: Served) -> None:
    polling = asyncio.create_task(served.bot.get_updates(timeout=5))
    await asyncio.sleep(0.3)
    assert not polling.done()
    await served.user().send_command("/start p_x")
    updates = await asyncio.wait_for(polling, 2)
    message = updates[0].message
    assert message is not None
    assert message.text == "/start p_x"
    assert message.entities is not None
    assert message.entities[0].type == "bot_command"
    assert message.from_user is not None
    assert message.from_user.language_code == "uk"
    again = await served.bot.get_updates(offset=updates[0].update_id + 1, timeout=0)
    assert again == []


async def test_send_and_edit_in_place_render_safe_html(served: Served) -> None:
    await served.user().send_text("hi")
    sent = await served.bot.send_message(CITIZEN_ID, "<b>A</b> &lt;x&gt;", reply_markup=KEYBOARD)
    assert sent.text == "A <x>"
    assert sent.message_id == 2  # ids are shared with the user's message, as on Telegram
    edited = await served.bot.edit_message_text(
        "<i>B</i>", chat_id=CITIZEN_ID, message_id=sent.message_id
    )
    assert not isinstance(edited, bool)
    assert edited.edit_date is not None
    entry = served.emulator.state.chats.find(CITIZEN_ID).entries[sent.message_id]
    assert entry.html == "<i>B</i>"
    assert "reply_markup" not in entry.message  # an edit without markup drops the keyboard
    with pytest.raises(TelegramBadRequest, match="not modified"):
        await served.bot.edit_message_text(
            "<i>B</i>", chat_id=CITIZEN_ID, message_id=sent.message_id
        )


async def test_callback_press_reaches_the_bot_and_is_answered_once(served: Served) -> None:
    await served.user().send_text("hi")
    sent = await served.bot.send_message(CITIZEN_ID, "pick", reply_markup=KEYBOARD)
    await served.user().press("open:1", sent.message_id)
    updates = await served.bot.get_updates(timeout=1)
    query = updates[-1].callback_query
    assert query is not None
    assert query.data == "open:1"
    assert await served.bot.answer_callback_query(query.id, text="ok")
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await served.bot.answer_callback_query(query.id)


async def test_refuses_what_telegram_refuses(served: Served) -> None:
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await served.bot.send_message(CITIZEN_ID, "nobody opened this chat")
    await served.user().send_text("hi")
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await served.bot.send_message(CITIZEN_ID, "<script>x</script>")
    stranger = _bot(served.url, "2:other")
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await stranger.get_me()
    finally:
        await stranger.session.close()


async def test_commands_location_delete_and_unmodelled_methods(served: Served) -> None:
    bot = served.bot
    assert (await bot.get_me()).username == "emulated_bot"
    commands = [BotCommand(command="start", description="Start")]
    assert await bot.set_my_commands(commands, language_code="uk")
    assert [c.command for c in await bot.get_my_commands(language_code="uk")] == ["start"]
    assert await bot.delete_my_commands(language_code="uk")
    assert await bot.get_my_commands(language_code="uk") == []
    await served.user().send_text("hi")
    where = await bot.send_location(CITIZEN_ID, latitude=50.45, longitude=30.52)
    assert where.location is not None
    assert await bot.delete_message(CITIZEN_ID, where.message_id)
    assert await bot.send_chat_action(CITIZEN_ID, "typing")
    assert await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""


async def test_json_bodies_are_read_too(served: Served) -> None:
    await served.user().send_text("hi")
    async with httpx.AsyncClient() as http:
        answer = await http.post(
            f"{served.url}/bot{TOKEN}/sendMessage",
            json={"chat_id": CITIZEN_ID, "text": "plain <not html>"},
        )
    assert answer.json()["result"]["text"] == "plain <not html>"
    entry = served.emulator.state.chats.find(CITIZEN_ID).entries[2]
    assert entry.html == "plain &lt;not html&gt;"


async def test_photo_uploads_are_sent_and_nothing_is_recorded_by_default(served: Served) -> None:
    await served.user().send_text("hi")
    photo = BufferedInputFile(PNG, filename="site.png")
    sent = await served.bot.send_photo(CITIZEN_ID, photo, caption="<b>Site</b>")
    assert sent.caption == "Site"
    assert sent.photo is not None
    entry = served.emulator.state.chats.find(CITIZEN_ID).entries[sent.message_id]
    assert entry.html == "<b>Site</b>"
    assert served.emulator.calls == []
    with pytest.raises(RuntimeError, match="no record"):
        await served.emulator.wait_sent(timeout=0.1)


async def test_mounted_emulator_serves_file_downloads_under_its_prefix(served: Served) -> None:
    await served.user().send_photo(PNG)
    [update] = await served.bot.get_updates()
    assert update.message is not None
    assert update.message.photo is not None
    buffer = io.BytesIO()
    await served.bot.download(update.message.photo[-1].file_id, destination=buffer)
    assert buffer.getvalue() == PNG
    async with httpx.AsyncClient() as http:
        missing = await http.get(f"{served.url}/file/bot{TOKEN}/photos/none.png")
    assert missing.status_code == 404
