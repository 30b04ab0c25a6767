"""Photos and files through the emulator: users send them, the bot fetches and sends them."""

from __future__ import annotations

import io

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile, InputMediaDocument, InputMediaPhoto

from botapi_emulator import BotApiEmulator
from botapi_emulator.files import MAX_DOWNLOAD
from botapi_emulator.images import image_size, make_png

CHAT = 5151
# The smallest JPEG header the size reader needs: SOI, an APP0 segment, then SOF0 (480 x 640).
JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    b"\xff\xc0\x00\x11\x08\x02\x80\x01\xe0\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    b"\xff\xd9"
)


async def download(bot: Bot, file_id: str) -> bytes:
    buffer = io.BytesIO()
    await bot.download(file_id, destination=buffer)
    return buffer.getvalue()


def test_image_sizes_are_read_from_png_and_jpeg_headers() -> None:
    assert image_size(make_png(33, 21)) == (33, 21)
    assert image_size(JPEG) == (480, 640)
    assert image_size(b"not an image") is None


async def test_a_users_photo_is_fetched_with_get_file_and_downloaded(
    fake: BotApiEmulator, bot: Bot
) -> None:
    picture = make_png(40, 30, (10, 200, 10))
    await fake.user(CHAT).send_photo(picture, caption="pit")

    [update] = await bot.get_updates()
    assert update.message is not None
    assert update.message.photo is not None
    largest = update.message.photo[-1]
    assert (largest.width, largest.height, largest.file_size) == (40, 30, len(picture))
    assert update.message.caption == "pit"
    file = await bot.get_file(largest.file_id)
    assert file.file_path is not None
    assert file.file_path.startswith("photos/")
    assert await download(bot, largest.file_id) == picture


async def test_an_image_sent_as_a_file_keeps_its_name_type_and_bytes(
    fake: BotApiEmulator, bot: Bot
) -> None:
    await fake.user(CHAT).send_document(JPEG, "IMG_0001.JPG")

    [update] = await bot.get_updates()
    document = update.message.document if update.message else None
    assert document is not None
    assert (document.file_name, document.mime_type) == ("IMG_0001.JPG", "image/jpeg")
    assert await download(bot, document.file_id) == JPEG


async def test_voice_messages_arrive_as_voice(fake: BotApiEmulator, bot: Bot) -> None:
    await fake.user(CHAT).send_voice(seconds=4)

    [update] = await bot.get_updates()
    assert update.message is not None
    assert update.message.voice is not None
    assert update.message.voice.duration == 4


async def test_get_file_refuses_unknown_ids_and_files_over_20_mb(
    fake: BotApiEmulator, bot: Bot
) -> None:
    await fake.user(CHAT).send_document(bytes(MAX_DOWNLOAD + 1), "huge.bin")
    [update] = await bot.get_updates()
    assert update.message is not None
    assert update.message.document is not None

    with pytest.raises(TelegramBadRequest, match="file is too big"):
        await bot.get_file(update.message.document.file_id)
    with pytest.raises(TelegramBadRequest, match="invalid file_id"):
        await bot.get_file("no-such-file")


async def test_downloads_need_the_token_and_a_known_path(fake: BotApiEmulator, bot: Bot) -> None:
    await fake.user(CHAT).send_photo()
    [update] = await bot.get_updates()
    assert update.message is not None
    assert update.message.photo is not None
    file = await bot.get_file(update.message.photo[-1].file_id)

    async with aiohttp.ClientSession() as http:
        async with http.get(f"{fake.url}/file/bot1:wrong/{file.file_path}") as wrong_token:
            assert wrong_token.status == 401
        async with http.get(f"{fake.url}/file/bot{fake.token}/photos/nope.png") as missing:
            assert missing.status == 404
            assert (await missing.json())["ok"] is False
        async with http.get(f"{fake.url}/file/bot{fake.token}/{file.file_path}") as good:
            assert good.status == 200
            assert good.content_type == "image/png"


async def test_the_bot_uploads_a_photo_then_sends_it_again_by_file_id(
    fake: BotApiEmulator, bot: Bot
) -> None:
    picture = make_png(20, 10)
    first = await bot.send_photo(
        CHAT, BufferedInputFile(picture, "a.png"), caption="<b>A</b>", parse_mode="HTML"
    )
    assert first.photo is not None
    assert first.caption == "A"
    file_id = first.photo[-1].file_id

    again = await bot.send_photo(CHAT + 1, file_id, caption="again")

    assert again.photo is not None
    assert again.photo[-1].file_unique_id == first.photo[-1].file_unique_id
    assert await download(bot, file_id) == picture
    assert fake.received(CHAT + 1, "again") == 1


async def test_a_users_photo_can_be_forwarded_by_file_id(fake: BotApiEmulator, bot: Bot) -> None:
    await fake.user(CHAT).send_photo(make_png(8, 8))
    [update] = await bot.get_updates()
    assert update.message is not None
    assert update.message.photo is not None

    sent = await bot.send_photo(CHAT + 2, update.message.photo[-1].file_id)

    assert sent.photo is not None
    assert (sent.photo[-1].width, sent.photo[-1].height) == (8, 8)


async def test_photo_uploads_that_are_not_images_or_unknown_ids_are_refused(
    fake: BotApiEmulator, bot: Bot
) -> None:
    with pytest.raises(TelegramBadRequest, match="IMAGE_PROCESS_FAILED"):
        await bot.send_photo(CHAT, BufferedInputFile(b"plain text", "x.png"))
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_photo(CHAT, "photo-999-unknown")
    await fake.user(CHAT).send_document(make_png(), "image.png")
    [update] = await bot.get_updates()
    assert update.message is not None
    assert update.message.document is not None
    with pytest.raises(TelegramBadRequest, match="type Document as Photo"):
        await bot.send_photo(CHAT, update.message.document.file_id)
    assert fake.state.chats.find(CHAT).last_id == 1  # the user's document only


async def test_documents_upload_and_resend_by_file_id(fake: BotApiEmulator, bot: Bot) -> None:
    sent = await bot.send_document(CHAT, BufferedInputFile(b"%PDF-1.4 x", "report.pdf"))
    assert sent.document is not None
    assert sent.document.file_name == "report.pdf"

    again = await bot.send_document(CHAT, sent.document.file_id, caption="copy")

    assert again.document is not None
    assert again.document.file_unique_id == sent.document.file_unique_id


async def test_an_album_mixes_uploads_and_file_ids_under_one_group(
    fake: BotApiEmulator, bot: Bot
) -> None:
    await fake.user(CHAT).send_photo(make_png(5, 5))
    [update] = await bot.get_updates()
    assert update.message is not None
    assert update.message.photo is not None
    known = update.message.photo[-1].file_id

    album = await bot.send_media_group(
        CHAT,
        [
            InputMediaPhoto(
                media=BufferedInputFile(make_png(7, 3), "n.png"),
                caption="<i>1</i>",
                parse_mode="HTML",
            ),
            InputMediaPhoto(media=known),
        ],
    )

    assert len(album) == 2
    assert album[0].media_group_id is not None
    assert album[0].media_group_id == album[1].media_group_id
    assert album[0].caption == "1"
    assert album[1].caption is None
    assert album[0].photo is not None
    assert album[0].photo[-1].width == 7
    assert [c.method for c in fake.calls_to("sendMediaGroup")] == ["sendMediaGroup"]


async def test_bad_albums_send_nothing(fake: BotApiEmulator, bot: Bot) -> None:
    photo = InputMediaPhoto(media=BufferedInputFile(make_png(), "p.png"))
    document = InputMediaDocument(media=BufferedInputFile(b"doc", "d.txt"))
    with pytest.raises(TelegramBadRequest, match="must be 2-10"):
        await bot.send_media_group(CHAT, [photo])
    with pytest.raises(TelegramBadRequest, match="can't be mixed"):
        await bot.send_media_group(CHAT, [photo, document])
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_media_group(CHAT, [photo, InputMediaPhoto(media="unknown-id")])
    assert fake.state.chats.find(CHAT).last_id == 0
