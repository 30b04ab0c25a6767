"""Editing sent messages on the emulator: a photo's caption with editMessageCaption, a text with
editMessageText, each refused on the other kind of message as Telegram refuses it."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup, Message

from botapi_emulator import BotApiEmulator
from botapi_emulator.images import make_png
from tests.botapi_emulator.test_emulator import CHAT


def keyboard(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=data, callback_data=data)]]
    )


async def a_photo(bot: Bot) -> Message:
    upload = BufferedInputFile(make_png(), "p.png")
    return await bot.send_photo(CHAT, upload, caption="<b>Old</b>", parse_mode="HTML")


async def test_a_caption_and_its_keyboard_are_edited_in_place(
    fake: BotApiEmulator, bot: Bot
) -> None:
    sent = await a_photo(bot)
    edited = await bot.edit_message_caption(
        chat_id=CHAT,
        message_id=sent.message_id,
        caption="<b>New</b> &amp; better",
        parse_mode="HTML",
        reply_markup=keyboard("go"),
    )
    assert isinstance(edited, Message)
    assert edited.caption == "New & better"
    assert edited.photo == sent.photo
    assert edited.edit_date is not None
    stored = fake.state.message(CHAT, sent.message_id)
    assert stored is not None
    assert stored["caption"] == "New & better"
    assert stored["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "go"


async def test_a_caption_left_out_is_removed(bot: Bot) -> None:
    sent = await a_photo(bot)
    edited = await bot.edit_message_caption(chat_id=CHAT, message_id=sent.message_id)
    assert isinstance(edited, Message)
    assert edited.caption is None


async def test_the_same_caption_and_keyboard_is_not_modified(bot: Bot) -> None:
    sent = await a_photo(bot)
    with pytest.raises(TelegramBadRequest, match="not modified"):
        await bot.edit_message_caption(
            chat_id=CHAT, message_id=sent.message_id, caption="<b>Old</b>", parse_mode="HTML"
        )


async def test_a_caption_over_1024_characters_is_refused(bot: Bot) -> None:
    sent = await a_photo(bot)
    with pytest.raises(TelegramBadRequest, match="caption is too long"):
        await bot.edit_message_caption(
            chat_id=CHAT, message_id=sent.message_id, caption="x" * 1025
        )


async def test_a_text_message_has_no_caption_and_a_photo_no_text(bot: Bot) -> None:
    text = await bot.send_message(CHAT, "plain")
    with pytest.raises(TelegramBadRequest, match="no caption"):
        await bot.edit_message_caption(chat_id=CHAT, message_id=text.message_id, caption="x")
    photo = await a_photo(bot)
    with pytest.raises(TelegramBadRequest, match="no text"):
        await bot.edit_message_text("x", chat_id=CHAT, message_id=photo.message_id)
    edited = await bot.edit_message_text("changed", chat_id=CHAT, message_id=text.message_id)
    assert isinstance(edited, Message)
    assert edited.text == "changed"
