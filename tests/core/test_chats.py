"""ChatService and SubscriptionService on both engines."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.chats.models import Chat
from core.chats.service import TOUCH_INTERVAL
from core.context import DomainContext
from core.errors import InvalidInput, NotFound
from tests.conftest import NOW, UowFactory
from tests.samples import KYIV, package, project


async def test_a_chat_is_recorded_once_and_refreshed(uow: UowFactory, ctx: DomainContext) -> None:
    async with uow() as svc:
        first = await svc.chats.touch(42, "private", "uk-UA")
        again = await svc.chats.touch(42, "private", "uk-UA")
    assert first == again
    assert (first.first_seen_at, first.telegram_language, first.locale) == (NOW, "uk-UA", None)

    later = DomainContext(clock=lambda: NOW + TOUCH_INTERVAL + timedelta(seconds=1), zone=ctx.zone)
    async with uow() as svc:
        svc.chats._clock = later.clock
        seen = await svc.chats.touch(42, "private", "ko")
        chosen = await svc.chats.set_locale(42, "ko")
    assert seen.last_seen_at > first.last_seen_at
    assert seen.first_seen_at == NOW
    assert (chosen.locale, chosen.telegram_language) == ("ko", "ko")


async def test_unknown_locale_and_unknown_chat_are_refused(uow: UowFactory) -> None:
    async with uow() as svc:
        await svc.chats.touch(43, "private", None)
        with pytest.raises(InvalidInput):
            await svc.chats.set_locale(43, "de")
        with pytest.raises(NotFound):
            await svc.chats.get(44)


async def test_subscriptions_are_idempotent_and_scoped_to_their_chat(uow: UowFactory) -> None:
    async with uow() as svc:
        await svc.projects.import_package(package(project("p1", *KYIV, title_uk="Міст")))
        for chat in (1, 2):
            await svc.chats.touch(chat, "private", None)
        one = await svc.subscriptions.subscribe_project(1, "p1")
        assert await svc.subscriptions.subscribe_project(1, "p1") == one
        area = await svc.subscriptions.subscribe_area(1, 50.450123456, 30.52341, 2000)
        assert await svc.subscriptions.subscribe_area(1, 50.45012, 30.52341, 2000) == area
        with pytest.raises(NotFound):
            await svc.subscriptions.subscribe_project(1, "nope")
        with pytest.raises(InvalidInput):
            await svc.subscriptions.subscribe_area(1, 95.0, 0.0, 1000)

    async with uow() as svc:
        listed = await svc.subscriptions.list(1, "uk")
        assert [(s.kind, s.project_title, s.radius_m) for s in listed] == [
            ("project", "Міст", None),
            ("area", None, 2000.0),
        ]
        assert await svc.subscriptions.list(2) == []
        with pytest.raises(NotFound):
            await svc.subscriptions.remove(2, area.id)
        await svc.subscriptions.remove(1, area.id)
        assert await svc.subscriptions.is_subscribed(1, "p1")
        assert await svc.subscriptions.unsubscribe_project(1, "p1")
        assert not await svc.subscriptions.unsubscribe_project(1, "p1")
        assert await svc.subscriptions.list(1) == []


async def test_seen_reads_a_chat_only_while_touch_has_nothing_to_write(
    uow: UowFactory, ctx: DomainContext
) -> None:
    async with uow() as svc:
        assert await svc.chats.seen(45, "uk") is None  # never seen: touch creates it
        touched = await svc.chats.touch(45, "private", "uk")
        assert await svc.chats.seen(45, "uk") == touched
        assert await svc.chats.seen(45, None) == touched  # no language_code: nothing to change
        assert await svc.chats.seen(45, "ko") is None  # a new language is written by touch
        await svc.chats.mark_unreachable({45: "blocked"})
    async with uow() as svc:
        assert await svc.chats.seen(45, "uk") is None  # blocked: touch reactivates it
        again = await svc.chats.touch(45, "private", "uk")
        assert again.is_active
        assert await svc.chats.seen(45, "uk") == again
        svc.chats._clock = lambda: NOW + TOUCH_INTERVAL
        assert await svc.chats.seen(45, "uk") is None  # last seen too long ago


async def test_touch_keeps_what_the_update_does_not_say_and_two_first_updates_make_one_chat(
    uow: UowFactory, ctx: DomainContext
) -> None:
    async def first_update() -> str | None:
        async with uow() as svc:
            return (await svc.chats.touch(46, "private", "uk")).telegram_language

    assert list(await asyncio.gather(first_update(), first_update())) == ["uk", "uk"]
    async with uow() as svc:
        await svc.chats.set_locale(46, "en")
        await svc.chats.mark_unreachable({46: "blocked"})
    later = NOW + timedelta(minutes=1)
    async with uow() as svc:
        svc.chats._clock = lambda: later
        chat = await svc.chats.touch(46, "group", None)  # no language_code in this update
        count = await svc.session.scalar(select(func.count()).select_from(Chat))
    assert count == 1
    assert (chat.telegram_language, chat.locale, chat.type) == ("uk", "en", "private")
    assert (chat.is_active, chat.first_seen_at, chat.last_seen_at) == (True, NOW, later)
