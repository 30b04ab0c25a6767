"""Bot API calls without a file go as one JSON body, with the fields aiogram's form sends."""

from __future__ import annotations

import json

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.enums import ParseMode
from aiogram.methods import SendMessage, SendPhoto
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
)

from bot.api_session import JsonBodySession
from botapi_emulator import BotApiEmulator
from tests.reportutil import jpeg_with_gps

HTML = DefaultBotProperties(parse_mode=ParseMode.HTML)


def reply(chat_id: int) -> SendMessage:
    """A reply as the handlers send one: markup, a keyboard, a false flag, a nested object."""
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="1 km", callback_data="near:5045:3052:1000")]]
    )
    return SendMessage(
        chat_id=chat_id,
        text="<b>Works</b> near you & more",
        reply_markup=keyboard,
        disable_notification=False,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )


async def test_a_reply_goes_as_json_with_the_fields_of_the_form(fake: BotApiEmulator) -> None:
    user = fake.user(4242)
    form_bot = Bot(fake.token, session=AiohttpSession(api=fake.api), default=HTML)
    json_session = JsonBodySession(api=fake.api)
    json_bot = Bot(fake.token, session=json_session, default=HTML)
    try:
        body = json_session.json_body(json_bot, reply(user.chat_id))
        await form_bot(reply(user.chat_id))
        await json_bot(reply(user.chat_id))
    finally:
        await form_bot.session.close()
        await json_bot.session.close()
    assert body is not None
    as_form, as_json = fake.calls_to("sendMessage", user.chat_id)
    # What the emulator decoded from each request is the same, and the JSON one is the body.
    assert as_json.params == as_form.params
    assert json.loads(body) == as_json.params
    assert as_json.params["parse_mode"] == "HTML"
    assert as_json.params["disable_notification"] is False
    assert as_json.params["reply_markup"]["inline_keyboard"][0][0]["text"] == "1 km"


async def test_an_upload_still_goes_as_a_form(fake: BotApiEmulator) -> None:
    user = fake.user(4343)
    session = JsonBodySession(api=fake.api)
    bot = Bot(fake.token, session=session, default=HTML)
    photo = SendPhoto(
        chat_id=user.chat_id,
        photo=BufferedInputFile(jpeg_with_gps(), filename="site.jpg"),
        caption="<i>site</i>",
    )
    try:
        assert session.json_body(bot, photo) is None
        sent = await bot(photo)
    finally:
        await bot.session.close()
    assert sent.photo
    (call,) = fake.calls_to("sendPhoto", user.chat_id)
    assert call.params["caption"] == "<i>site</i>"
    assert call.params["parse_mode"] == "HTML"
