"""Webhook delivery as Telegram does it: up to max_connections at once, one at a time per chat."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiohttp import web

from botapi_emulator import BotApiEmulator
from botapi_emulator.webhook import update_chat


class HeldHook:
    """A webhook server that keeps each request open until the test releases it."""

    def __init__(self) -> None:
        self.arrived: list[dict[str, Any]] = []
        self.answered: set[int] = set()
        self.paths: list[str] = []
        self.fail: set[int] = set()  # update ids answered 500 once
        self._gates: dict[int, asyncio.Event] = {}
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        update = await request.json()
        update_id = int(update["update_id"])
        self.paths.append(request.path)
        self.arrived.append(update)
        gate = self._gates.setdefault(update_id, asyncio.Event())
        await gate.wait()
        gate.clear()
        self.answered.add(update_id)
        if update_id in self.fail:
            self.fail.discard(update_id)
            return web.Response(status=500)
        return web.json_response({})

    def release(self, update_id: int) -> None:
        self._gates.setdefault(update_id, asyncio.Event()).set()

    def release_all(self) -> None:
        for update in self.arrived:
            self.release(int(update["update_id"]))

    @property
    def ids(self) -> list[int]:
        return [int(u["update_id"]) for u in self.arrived]

    @property
    def open(self) -> int:
        """Requests received and not yet answered."""
        return sum(1 for i in self.ids if i not in self.answered)

    async def wait(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Until `condition` holds; it may read the emulator's state too, so this polls."""
        async with asyncio.timeout(timeout):
            while not condition():  # noqa: ASYNC110 - the emulator's queue has no event
                await asyncio.sleep(0.005)


@asynccontextmanager
async def held_hook(path: str = "/hook") -> AsyncIterator[HeldHook]:
    hook = HeldHook()
    app = web.Application()
    app.router.add_post(path, hook.handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    hook.url = f"http://127.0.0.1:{runner.addresses[0][1]}{path}"
    try:
        yield hook
    finally:
        hook.release_all()
        await runner.cleanup()


async def settle() -> None:
    """Long enough for a delivery the emulator wrongly started to reach the hook (loopback)."""
    await asyncio.sleep(0.2)


async def test_up_to_max_connections_updates_are_in_flight_at_once(
    fake: BotApiEmulator, bot: Bot
) -> None:
    async with held_hook() as hook:
        assert await bot.set_webhook(hook.url, max_connections=3)
        ids = [await fake.user(100 + n).send_text(f"hi {n}") for n in range(5)]
        await hook.wait(lambda: len(hook.arrived) == 3)
        await settle()
        assert hook.ids == ids[:3]
        assert hook.open == 3
        info = await bot.get_webhook_info()

        hook.release(ids[1])
        await hook.wait(lambda: len(hook.arrived) == 4)
        await settle()
        assert hook.ids == [*ids[:3], ids[3]]
        assert hook.open == 3

        hook.release_all()
        await hook.wait(lambda: len(hook.arrived) == 5)
        hook.release_all()
        await hook.wait(lambda: not fake.pending_updates)

    assert info.max_connections == 3
    assert info.pending_update_count == 5


async def test_forty_connections_by_default(fake: BotApiEmulator, bot: Bot) -> None:
    async with held_hook() as hook:
        assert await bot.set_webhook(hook.url)
        for n in range(45):
            await fake.user(200 + n).send_text("hi")
        await hook.wait(lambda: len(hook.arrived) == 40)
        await settle()
        assert hook.open == 40
        assert (await bot.get_webhook_info()).max_connections == 40
        hook.release_all()
        await hook.wait(lambda: len(hook.arrived) == 45)
        hook.release_all()
        await hook.wait(lambda: not fake.pending_updates)


async def test_one_update_of_a_chat_at_a_time_in_order(fake: BotApiEmulator, bot: Bot) -> None:
    anna, boris = fake.user(301), fake.user(302)
    async with held_hook() as hook:
        assert await bot.set_webhook(hook.url, max_connections=10)
        first = await anna.send_text("one")
        second = await anna.send_text("two")
        other = await boris.send_text("hello")
        third = await anna.send_location(50.45, 30.52)
        await hook.wait(lambda: len(hook.arrived) == 2)
        await settle()
        # Anna's second update waits for her first; Boris's goes past it.
        assert hook.ids == [first, other]

        hook.release(first)
        await hook.wait(lambda: len(hook.arrived) == 3)
        await settle()
        assert hook.ids == [first, other, second]

        hook.release(second)
        await hook.wait(lambda: len(hook.arrived) == 4)
        hook.release_all()
        await hook.wait(lambda: not fake.pending_updates)

    assert hook.ids == [first, other, second, third]


async def test_a_retried_update_holds_its_chat(fake: BotApiEmulator, bot: Bot) -> None:
    anna, boris = fake.user(401), fake.user(402)
    fake.webhook_retry_delay = 0.3
    async with held_hook() as hook:
        assert await bot.set_webhook(hook.url, max_connections=5)
        failing = await anna.send_text("one")
        hook.fail.add(failing)
        hook.release(failing)
        await hook.wait(lambda: failing in hook.answered)
        later = await anna.send_text("two")
        other = await boris.send_text("hello")
        await hook.wait(lambda: other in hook.ids)
        # Anna's second update is not sent while her first waits for its retry.
        assert later not in hook.ids
        await hook.wait(lambda: hook.ids.count(failing) == 2)
        hook.release_all()
        await hook.wait(lambda: later in hook.ids)
        hook.release_all()
        await hook.wait(lambda: not fake.pending_updates)

    assert hook.ids == [failing, other, failing, later]
    assert [d.status for d in fake.webhook_deliveries if d.update_id == failing] == [500, 200]


@pytest.mark.parametrize("connections", [0, 101])
async def test_max_connections_outside_1_to_100_is_refused(
    fake: BotApiEmulator, bot: Bot, connections: int
) -> None:
    with pytest.raises(TelegramBadRequest, match="max_connections"):
        await bot.set_webhook("http://127.0.0.1:9/hook", max_connections=connections)

    assert fake.webhook_url is None


async def test_upstreams_take_deliveries_in_turn_at_the_webhook_path(
    fake: BotApiEmulator, bot: Bot
) -> None:
    async with held_hook("/tg/hook") as first, held_hook("/tg/hook") as second:
        fake.webhook_upstreams = [h.url.removesuffix("/tg/hook") for h in (first, second)]
        assert await bot.set_webhook("https://bot.example.org/tg/hook", max_connections=1)
        ids = [await fake.user(500 + n).send_text("hi") for n in range(4)]
        for update_id in ids:
            first.release(update_id)
            second.release(update_id)
        await first.wait(lambda: not fake.pending_updates)

    assert first.ids == [ids[0], ids[2]]
    assert second.ids == [ids[1], ids[3]]
    assert first.paths == second.paths == ["/tg/hook", "/tg/hook"]


def test_the_chat_of_an_update() -> None:
    user = {"id": 7, "is_bot": False, "first_name": "A"}
    group = {"id": -42, "type": "group", "title": "G"}
    message = {"message_id": 1, "date": 0, "chat": group, "from": user}

    assert update_chat({"update_id": 1, "message": message}) == -42
    assert update_chat({"update_id": 2, "edited_message": message}) == -42
    callback = {"id": "c", "from": user, "message": message, "chat_instance": "x", "data": "d"}
    assert update_chat({"update_id": 3, "callback_query": callback}) == -42
    inline = {"id": "q", "from": user, "query": "", "offset": ""}
    assert update_chat({"update_id": 4, "inline_query": inline}) == 7
    assert update_chat({"update_id": 5, "poll": {"id": "p", "question": "?"}}) is None
