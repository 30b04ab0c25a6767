"""The Bot API emulator on its own loopback port, driven by an unmodified aiogram Bot."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.filters import CommandObject, CommandStart
from aiogram.methods import SendMessage
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    LinkPreviewOptions,
    Message,
    ReplyKeyboardMarkup,
)
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from botapi_emulator import SECRET_HEADER, BotApiEmulator, FaultKind
from botapi_emulator.images import make_png
from tests.botapi_emulator.conftest import close

CHAT = 4242

PNG = make_png()


def keyboard(*data: str) -> InlineKeyboardMarkup:
    buttons = [InlineKeyboardButton(text=d.upper(), callback_data=d) for d in data]
    return InlineKeyboardMarkup(inline_keyboard=[buttons])


async def test_get_me_returns_the_test_bot(bot: Bot) -> None:
    me = await bot.get_me()

    assert me.is_bot
    assert me.username == "clearsite_test_bot"
    assert me.id == bot.id


async def test_unknown_token_is_unauthorized(fake: BotApiEmulator) -> None:
    other = Bot("987654321:AAWrongToken", session=AiohttpSession(api=fake.api))
    try:
        with pytest.raises(TelegramUnauthorizedError, match="Unauthorized"):
            await other.get_me()
    finally:
        await close(other)
    assert fake.calls[-1].status == 401


async def test_long_polling_returns_injected_update_and_honours_offset(
    fake: BotApiEmulator, bot: Bot
) -> None:
    user = fake.user(7, "Olena")
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await fake.wait_polling()
    assert not poll.done()

    first = await user.send_command("/start p_x")
    updates = await poll

    assert [u.update_id for u in updates] == [first]
    message = updates[0].message
    assert message is not None
    assert message.text == "/start p_x"
    assert message.chat.id == 7
    assert message.from_user is not None
    assert message.from_user.language_code == "uk"
    assert message.entities is not None
    assert message.entities[0].type == "bot_command"
    assert message.entities[0].length == len("/start")

    second = await user.send_location(50.45, 30.52)
    assert second > first
    again = await bot.get_updates(offset=first + 1, timeout=1)
    assert [u.update_id for u in again] == [second]
    assert again[0].message is not None
    assert again[0].message.location is not None

    assert await bot.get_updates(offset=second + 1, timeout=0) == []
    assert fake.pending_updates == []


async def test_get_updates_respects_limit_and_parses_odd_updates(
    fake: BotApiEmulator, bot: Bot
) -> None:
    user = fake.user(8)
    await user.send_sticker()
    await user.send_photo(caption="site photo")
    text_update = await user.send_text("hello")
    await user.edit_text(3, "hello, edited")

    first_two = await bot.get_updates(limit=2)
    rest = await bot.get_updates(offset=first_two[-1].update_id + 1)

    assert len(first_two) == 2
    assert first_two[0].message is not None
    assert first_two[0].message.sticker is not None
    assert first_two[1].message is not None
    assert first_two[1].message.caption == "site photo"
    assert rest[0].update_id == text_update
    assert rest[1].edited_message is not None
    assert rest[1].edited_message.text == "hello, edited"


async def test_newer_get_updates_ends_older_one_with_conflict(
    fake: BotApiEmulator, bot: Bot
) -> None:
    older = asyncio.create_task(bot.get_updates(timeout=5))
    await fake.wait_polling()
    newer = asyncio.create_task(bot.get_updates(timeout=5))

    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates"):
        await older
    await fake.user(9).send_text("hi")
    assert len(await newer) == 1


async def test_send_message_with_inline_keyboard_is_recorded_and_echoed(
    fake: BotApiEmulator, bot: Bot
) -> None:
    sent = await bot.send_message(
        CHAT,
        "Project <b>Bridge</b> is 40 % done",
        parse_mode="HTML",
        reply_markup=keyboard("sub:1", "unsub:1"),
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    second = await bot.send_message(CHAT, "plain", allow_paid_broadcast=True)

    assert sent.text == "Project Bridge is 40 % done"
    assert sent.chat.id == CHAT
    assert sent.from_user is not None
    assert sent.from_user.id == bot.id
    assert sent.reply_markup is not None
    assert sent.reply_markup.inline_keyboard[0][1].callback_data == "unsub:1"
    assert second.message_id == sent.message_id + 1
    [call, _] = fake.sent_messages(CHAT)
    assert call.text == "Project <b>Bridge</b> is 40 % done"
    assert call.params["parse_mode"] == "HTML"
    assert call.params["link_preview_options"] == {"is_disabled": True}
    assert call.callback_data == ["sub:1", "unsub:1"]
    assert call.message_id == sent.message_id
    assert fake.sent_messages(CHAT)[1].params["allow_paid_broadcast"] is True


async def test_reply_keyboard_is_recorded_but_not_part_of_the_message(
    fake: BotApiEmulator, bot: Bot
) -> None:
    markup = ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text="Share location", request_location=True)]],
        resize_keyboard=True,
    )
    sent = await bot.send_message(CHAT, "Where are you?", reply_markup=markup)

    assert sent.reply_markup is None
    recorded = fake.sent_messages(CHAT)[0].reply_markup
    assert recorded is not None
    assert recorded["keyboard"][0][0]["request_location"] is True


async def test_invalid_markup_and_formatting_are_rejected_like_telegram(bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(CHAT, "<b>open", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match=r"Character '\.' is reserved"):
        await bot.send_message(CHAT, "Done.", parse_mode="MarkdownV2")
    assert (await bot.send_message(CHAT, "Done\\.", parse_mode="MarkdownV2")).text == "Done."
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(CHAT, "x", reply_markup=keyboard("x" * 65))
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(CHAT, " ")


async def test_edit_delete_and_not_modified(fake: BotApiEmulator, bot: Bot) -> None:
    sent = await bot.send_message(CHAT, "v1", reply_markup=keyboard("a"))

    edited = await bot.edit_message_text(
        text="v2", chat_id=CHAT, message_id=sent.message_id, reply_markup=keyboard("b")
    )
    assert isinstance(edited, Message)
    assert edited.text == "v2"
    assert edited.edit_date is not None
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            text="v2", chat_id=CHAT, message_id=sent.message_id, reply_markup=keyboard("b")
        )
    bare = await bot.edit_message_reply_markup(chat_id=CHAT, message_id=sent.message_id)
    assert isinstance(bare, Message)
    assert bare.reply_markup is None
    assert await bot.delete_message(CHAT, sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(CHAT, sent.message_id)


async def test_multipart_upload_decodes_json_fields(fake: BotApiEmulator, bot: Bot) -> None:
    photo = BufferedInputFile(PNG, filename="site.png")
    sent = await bot.send_photo(CHAT, photo, caption="Site", reply_markup=keyboard("ok"))

    assert sent.caption == "Site"
    [call] = fake.calls_to("sendPhoto")
    assert call.callback_data == ["ok"]
    uploaded = next(v for v in call.params.values() if hasattr(v, "data"))
    assert uploaded.data == PNG
    assert fake.received(CHAT, "Site") == 1


async def test_json_and_query_string_requests(fake: BotApiEmulator) -> None:
    base = f"{fake.url}/bot{fake.token}"
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{base}/sendMessage", json={"chat_id": 5, "text": "1"}) as resp:
            body = await resp.json()
        async with http.get(f"{base}/getMe") as resp:
            me = await resp.json()

    assert body["ok"] is True
    assert body["result"]["text"] == "1"
    assert fake.sent_messages(5)[0].params == {"chat_id": 5, "text": "1"}
    assert me["result"]["username"] == "clearsite_test_bot"


async def test_scripted_retry_after_raises_telegram_retry_after(
    fake: BotApiEmulator, bot: Bot
) -> None:
    fake.fail_next(CHAT, "retry_after", retry_after=7)

    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(CHAT, "alert")
    assert caught.value.retry_after == 7
    assert fake.calls[-1].status == 429
    assert (await bot.send_message(CHAT + 1, "other chat")).text == "other chat"
    assert fake.received(CHAT, "alert") == 0


async def test_flood_wait_violations_are_recorded(fake: BotApiEmulator, bot: Bot) -> None:
    fake.flood_grace = 0.0
    fake.fail_next(CHAT, "retry_after", retry_after=30)
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(CHAT, "first")

    await bot.send_message(CHAT + 1, "too early")

    [violation] = fake.violations
    assert violation.chat_id == CHAT + 1
    assert 0 < violation.remaining <= 30


@pytest.mark.parametrize(
    ("kind", "error", "text"),
    [
        ("blocked", TelegramForbiddenError, "bot was blocked by the user"),
        ("deactivated", TelegramForbiddenError, "user is deactivated"),
        ("chat_not_found", TelegramBadRequest, "chat not found"),
        ("server_error", TelegramServerError, "Internal Server Error"),
    ],
)
async def test_scripted_errors_map_to_aiogram_exceptions(
    fake: BotApiEmulator, bot: Bot, kind: FaultKind, error: type[Exception], text: str
) -> None:
    fake.fail_next(CHAT, kind)

    with pytest.raises(error, match=text):
        await bot.send_message(CHAT, "alert")
    assert (await bot.send_message(CHAT, "alert")).text == "alert"
    assert fake.received(CHAT, "alert") == 1


async def test_bad_gateway_and_permanent_block(fake: BotApiEmulator, bot: Bot) -> None:
    fake.fail_next(CHAT, "server_error", status=502)
    with pytest.raises(TelegramServerError, match="Bad Gateway"):
        await bot.send_message(CHAT, "x")
    assert fake.calls[-1].status == 502

    fake.block(CHAT)
    for _ in range(2):
        with pytest.raises(TelegramForbiddenError):
            await bot.send_message(CHAT, "x")
    fake.restore(CHAT)
    await bot.send_message(CHAT, "x")

    fake.chat_not_found(CHAT + 1)
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(CHAT + 1, "x")


async def test_timeout_and_disconnect_are_network_errors(fake: BotApiEmulator) -> None:
    bot = Bot(fake.token, session=AiohttpSession(api=fake.api, timeout=0.2))
    try:
        fake.fail_next(CHAT, "timeout", hold=0.5)
        with pytest.raises(TelegramNetworkError, match="timeout"):
            await bot.send_message(CHAT, "slow")
        fake.fail_next(CHAT, "disconnect", delivered=True)
        with pytest.raises(TelegramNetworkError):
            await bot.send_message(CHAT, "lost reply")
        assert (await bot.send_message(CHAT, "fine")).text == "fine"
    finally:
        await close(bot)

    await fake.wait_for(lambda c: c.text == "slow")
    assert fake.received(CHAT, "slow") == 0
    assert fake.received(CHAT, "lost reply") == 1
    statuses = {c.text: c.status for c in fake.calls_to("sendMessage")}
    assert statuses == {"slow": 504, "lost reply": 0, "fine": 200}


async def test_enforce_limits_returns_429_when_exceeded(fake: BotApiEmulator, bot: Bot) -> None:
    fake.enforce_limits(global_per_sec=3, per_chat_per_sec=1)

    await bot.send_message(1, "a")
    with pytest.raises(TelegramRetryAfter) as per_chat:
        await bot.send_message(1, "b")
    await bot.send_message(2, "c")
    await bot.send_message(3, "d")
    with pytest.raises(TelegramRetryAfter) as global_limit:
        await bot.send_message(4, "e")

    assert per_chat.value.retry_after == 1
    assert global_limit.value.retry_after == 1
    assert fake.rate_limited_count == 2
    fake.unlimited()
    await bot.send_message(1, "b")
    assert fake.duplicates() == {}
    assert sorted(fake.message_counts) == [(1, "a"), (1, "b"), (2, "c"), (3, "d")]


async def test_duplicates_are_counted(fake: BotApiEmulator, bot: Bot) -> None:
    for _ in range(2):
        await bot.send_message(CHAT, "wage credited")
    await bot.send_message(CHAT, "other")

    assert fake.duplicates() == {(CHAT, "wage credited"): 2}
    assert fake.received(CHAT, "other") == 1


async def test_webhook_delivery_posts_with_secret_header(fake: BotApiEmulator, bot: Bot) -> None:
    seen: list[tuple[str | None, dict[str, Any]]] = []
    statuses = [500, 200]

    async def hook(request: web.Request) -> web.Response:
        seen.append((request.headers.get(SECRET_HEADER), await request.json()))
        status = statuses.pop(0) if statuses else 200
        if status != 200:
            return web.Response(status=status)
        # Answering with a method, as aiogram's webhook handler may do.
        return web.json_response({"method": "sendMessage", "chat_id": 11, "text": "pong"})

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        url = f"http://127.0.0.1:{port}/hook"
        assert await bot.set_webhook(url, secret_token="s3cret-token")
        with pytest.raises(TelegramConflictError, match="webhook is active"):
            await bot.get_updates()

        update_id = await fake.user(11).send_text("ping")
        deliveries = await fake.wait_webhook_deliveries(2)
        await fake.wait_sent(chat_id=11)
        info = await bot.get_webhook_info()
    finally:
        await runner.cleanup()

    assert [d.status for d in deliveries] == [500, 200]
    assert seen[1] == (
        "s3cret-token",
        {"update_id": update_id, "message": seen[1][1]["message"]},
    )
    assert seen[1][1]["message"]["text"] == "ping"
    assert fake.sent_texts(11) == ["pong"]
    assert info.url == url
    assert info.pending_update_count == 0
    assert info.last_error_message is not None
    assert await bot.delete_webhook()
    assert await bot.get_updates() == []


async def test_aiogram_webhook_handler_answers_in_the_response(
    fake: BotApiEmulator, bot: Bot
) -> None:
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> SendMessage:
        return message.answer(f"echo: {message.text}", reply_markup=keyboard("again"))

    app = web.Application()
    SimpleRequestHandler(
        dp, bot, secret_token="right-secret", handle_in_background=False
    ).register(app, path="/tg")
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/tg"
        fake.webhook_max_attempts = 1  # drop the rejected update instead of retrying it
        await bot.set_webhook(url, secret_token="wrong-secret")
        await fake.user(12).send_text("one")
        [rejected] = await fake.wait_webhook_deliveries(1)

        await bot.set_webhook(url, secret_token="right-secret")
        await fake.user(12).send_text("two")
        [reply] = await fake.wait_sent(chat_id=12)
    finally:
        await runner.cleanup()

    assert rejected.status == 401
    assert reply.text == "echo: two"
    assert reply.callback_data == ["again"]


async def test_dispatcher_polling_end_to_end(fake: BotApiEmulator, bot: Bot) -> None:
    dp = Dispatcher()

    @dp.message(CommandStart())
    async def start(message: Message, command: CommandObject) -> None:
        await message.answer(f"hi {command.args}", reply_markup=keyboard("yes", "no"))

    @dp.callback_query(F.data == "yes")
    async def yes(query: CallbackQuery) -> None:
        await query.answer()
        assert isinstance(query.message, Message)
        await query.message.edit_text("confirmed")

    polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=5))
    try:
        user = fake.user(21, "Taras")
        await user.send_command("/start p_bridge")
        greeting = await user.reply()
        assert greeting.text == "hi p_bridge"

        await user.press("yes", greeting.message_id)
        edit = await user.reply()
        assert edit.method == "editMessageText"
        assert edit.text == "confirmed"
        assert fake.calls_to("answerCallbackQuery")[0].ok
        with pytest.raises(ValueError, match="no button"):
            await user.press("maybe", greeting.message_id)

        group = user.in_group(-1001000000001)
        await group.send_command("/start group")
        assert (await group.reply()).chat_id == -1001000000001
    finally:
        await dp.stop_polling()
        await polling


async def test_commands_per_scope_and_language(fake: BotApiEmulator, bot: Bot) -> None:
    scope = BotCommandScopeAllPrivateChats()
    await bot.set_my_commands([BotCommand(command="start", description="Start")], scope=scope)
    await bot.set_my_commands(
        [BotCommand(command="start", description="Почати")], scope=scope, language_code="uk"
    )

    assert [c.description for c in await bot.get_my_commands(scope=scope)] == ["Start"]
    uk = await bot.get_my_commands(scope=scope, language_code="uk")
    assert [c.description for c in uk] == ["Почати"]
    assert await bot.get_my_commands() == []
    assert await bot.delete_my_commands(scope=scope, language_code="uk")
    assert fake.state.commands({"type": "all_private_chats"}, "uk") == []
    assert await bot.set_chat_menu_button()
    assert await bot.log_out()
    assert fake.calls_to("logOut")[0].ok


async def test_wait_for_times_out_with_a_useful_message(fake: BotApiEmulator) -> None:
    with pytest.raises(TimeoutError, match="0 of 1 matching calls"):
        await fake.wait_sent(timeout=0.05)
