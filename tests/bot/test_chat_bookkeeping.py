"""What the bot records about a chat on each update, and what it reads back from that row."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram.dispatcher.event.handler import FilterObject
from aiogram.filters.logic import _AndFilter, _InvertFilter, _OrFilter
from aiogram.fsm.state import State

from bot.dispatcher import build_dispatcher
from bot.ui import texts
from bot.ui.i18n import make_i18n
from botapi_emulator import BotApiEmulator
from tests.conftest import UowFactory


async def test_a_blocked_chat_that_writes_again_is_reachable_again(
    running: BotApiEmulator, uow: UowFactory, render: Any
) -> None:
    user = running.user(701, language_code="uk")
    await user.send_sticker()
    assert (await user.reply()).text == render("uk", texts.unsupported)
    async with uow() as svc:
        await svc.chats.mark_unreachable({701: "blocked"})

    await user.send_sticker()
    assert (await user.reply()).text == render("uk", texts.unsupported)
    async with uow() as svc:
        chat = await svc.chats.get(701)
    assert chat.is_active


async def test_the_chosen_language_and_a_new_telegram_language_are_both_kept(
    running: BotApiEmulator, uow: UowFactory, render: Any
) -> None:
    user = running.user(702, language_code="en")
    await user.send_sticker()
    assert (await user.reply()).text == render("en", texts.unsupported)
    async with uow() as svc:
        await svc.chats.set_locale(702, "ko")

    await user.send_sticker()
    assert (await user.reply()).text == render("ko", texts.unsupported)
    renamed = running.user(702, language_code="uk")
    await renamed.send_sticker()
    assert (await renamed.reply()).text == render("ko", texts.unsupported)
    async with uow() as svc:
        chat = await svc.chats.get(702)
    assert (chat.locale, chat.telegram_language) == ("ko", "uk")


def _sync_pure_filters(filters: list[FilterObject]) -> list[Any]:
    found: list[Any] = []
    for target in filters:
        callback = target.callback
        if isinstance(callback, _AndFilter | _OrFilter):
            found += _sync_pure_filters(list(callback.targets))
        elif isinstance(callback, _InvertFilter):
            found += _sync_pure_filters([callback.target])
        elif not target.awaitable and (target.magic is not None or isinstance(callback, State)):
            found.append(target.magic or callback)
    return found


@pytest.mark.parametrize("builds", [1, 2])
def test_no_magic_or_state_filter_is_left_to_a_worker_thread(
    uow: UowFactory, ctx: Any, builds: int
) -> None:
    for _ in range(builds):  # handler routers are module-level: a second build reuses them
        dispatcher = build_dispatcher(uow, make_i18n(), zone=ctx.zone)
    left: list[Any] = []
    for router in dispatcher.chain_tail:
        for observer in router.observers.values():
            for handler in (observer._handler, *observer.handlers):
                left += _sync_pure_filters(handler.filters or [])
    assert left == []
