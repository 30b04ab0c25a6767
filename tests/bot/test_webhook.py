"""Webhook mode: registration with the secret, and the endpoint on the API's HTTP server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiogram import Dispatcher
from aiogram.types import Message
from fastapi import FastAPI
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.routing import Route

from api.config import ApiProcessSettings
from api.main import create_app
from bot.runner import BotApp, make_bot, run_bot
from bot.ui import texts
from bot.ui.i18n import make_i18n
from bot.webhook import SECRET_HEADER, make_endpoint, webhook_endpoint, webhook_path
from botapi_emulator import BotApiEmulator
from clearsite.serve import serve_api
from clearsite.settings import AllSettings
from core.config import ApiSettings, DbSettings, TelegramSettings
from core.context import DomainContext
from tests.bot.conftest import settings_for
from tests.cli.conftest import free_port

SECRET = "s3cret-Token_for_tests"


def help_update(user_id: int) -> dict[str, Any]:
    person = {"id": user_id, "is_bot": False, "first_name": "Test", "language_code": "en"}
    return {
        "update_id": 77,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": user_id, "type": "private", "first_name": "Test"},
            "from": person,
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }


@pytest.fixture
async def client(db_url: str, fake: BotApiEmulator) -> AsyncIterator[httpx.AsyncClient]:
    """The API app with the webhook mounted, as the composition root does in webhook mode."""
    app: FastAPI = create_app(ApiProcessSettings(db=DbSettings(database_url=db_url)))
    settings = settings_for(db_url, fake, bot_mode="webhook", webhook_secret=SecretStr(SECRET))
    async with webhook_endpoint(settings) as (path, endpoint), app.router.lifespan_context(app):
        app.router.add_route(path, endpoint, methods=["POST"], include_in_schema=False)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield http


async def test_update_with_the_right_secret_is_handled(
    client: httpx.AsyncClient, fake: BotApiEmulator, render: Any
) -> None:
    fake.user(701, language_code="en")
    answer = await client.post(
        "/telegram/webhook", json=help_update(701), headers={SECRET_HEADER: SECRET}
    )
    assert answer.status_code == 200
    assert fake.sent_texts(701) == [render("en", texts.help_text)]


@pytest.mark.parametrize("headers", [{SECRET_HEADER: "wrong"}, {}, {SECRET_HEADER: ""}])
async def test_update_without_the_right_secret_is_refused_and_dropped(
    client: httpx.AsyncClient, fake: BotApiEmulator, headers: dict[str, str]
) -> None:
    fake.user(702, language_code="en")
    answer = await client.post("/telegram/webhook", json=help_update(702), headers=headers)
    assert answer.status_code == 401
    assert fake.calls_to("sendMessage") == []


async def test_malformed_body_is_a_400(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        "/telegram/webhook", content=b"{not json", headers={SECRET_HEADER: SECRET}
    )
    assert answer.status_code == 400


async def test_webhook_conversation_through_a_real_server(
    db_url: str, fake: BotApiEmulator, ctx: DomainContext, render: Any
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/hooks/telegram"
    bot_telegram = settings_for(
        db_url, fake, bot_mode="webhook", webhook_url=url, webhook_secret=SecretStr(SECRET)
    ).telegram
    settings = AllSettings(
        db=DbSettings(database_url=db_url),
        api=ApiSettings(api_host="127.0.0.1", api_port=port),
        telegram=TelegramSettings(**bot_telegram.model_dump()),
    )
    stop = asyncio.Event()
    api = asyncio.create_task(serve_api(settings, stop))
    bot = asyncio.create_task(run_bot(settings.for_bot(), stop, ctx=ctx))
    try:
        await fake.wait_for(lambda c: c.method.lower() == "setwebhook")
        assert (fake.webhook_url, fake.webhook_secret) == (url, SECRET)
        user = fake.user(703, language_code="ko")
        await user.send_command("/help")
        assert (await user.reply(timeout=10)).text == render("ko", texts.help_text)

        fake.webhook_secret = "not-the-secret"
        await user.send_command("/help")
        deliveries = await fake.wait_webhook_deliveries(1 + fake.webhook_max_attempts)
        assert {d.status for d in deliveries[1:]} == {401}
        assert len(fake.sent_messages(703)) == 1
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(api, bot), 60)


@pytest.mark.parametrize("depth", [65, 100_000])
async def test_deeply_nested_update_is_a_400(
    client: httpx.AsyncClient, fake: BotApiEmulator, depth: int
) -> None:
    body = '{"update_id": 1, "message": ' + "[" * depth + "]" * depth + "}"
    answer = await client.post(
        "/telegram/webhook", content=body.encode(), headers={SECRET_HEADER: SECRET}
    )
    assert answer.status_code == 400
    assert fake.calls_to("sendMessage") == []


async def test_unexpected_error_is_logged_with_its_traceback(
    db_url: str, fake: BotApiEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    """A dispatcher with no errors router lets a handler's exception reach the endpoint."""
    settings = settings_for(db_url, fake, bot_mode="webhook", webhook_secret=SecretStr(SECRET))
    dispatcher = Dispatcher()
    words = "my home address"

    @dispatcher.message()
    async def explode(message: Message) -> None:
        raise LookupError(f"private words from {message.chat.id}: {words}")

    path = webhook_path(settings)
    bot = make_bot(settings)
    try:
        endpoint = make_endpoint(BotApp(bot, dispatcher, make_i18n()), SECRET)
        app = Starlette(routes=[Route(path, endpoint, methods=["POST"])])
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            answer = await http.post(path, json=help_update(704), headers={SECRET_HEADER: SECRET})
    finally:
        await bot.session.close()
    assert answer.status_code == 200
    assert "webhook: update 77 failed: LookupError" in caplog.text
    assert "in explode" in caplog.text  # the traceback's frames
    assert words not in caplog.text
