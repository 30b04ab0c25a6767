"""An official's /broadcast through the fake Bot API server, delivered by the real engine."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ui import broadcast_texts as bt
from bot.ui import callbacks as cb
from bot.ui import texts
from bot.ui.notices.broadcast import broadcast as broadcast_notice
from bot.ui.notices.broadcast_done import broadcast_done
from botapi_emulator import BotApiEmulator, EmulatedUser, RecordedCall
from botapi_emulator.users import UserHost
from core.broadcasts.models import Broadcast
from core.broadcasts.schemas import BroadcastRead
from core.context import DomainContext
from notifier.jobs import complete_broadcasts
from tests.bot.conftest import buttons, deliver, settled, shown
from tests.conftest import UowFactory
from tests.factories import link_worker, sync_wages
from tests.samples import KYIV, package, project

LANGUAGES = [("en", "en"), ("uk", "uk-UA")]
OFFICIAL = 900
NAME = "Olena Petrenko <KMDA>"
TEXT = 'Road <b>closed</b> & "detour" via <i>Khreshchatyk</i>'
ESCAPED = (
    "Road &lt;b&gt;closed&lt;/b&gt; &amp; &quot;detour&quot; via &lt;i&gt;Khreshchatyk&lt;/i&gt;"
)


@pytest.fixture
async def official(uow: UowFactory) -> None:
    async with uow() as svc:
        await svc.officials.add(OFFICIAL, NAME)


async def all_broadcasts(uow: UowFactory) -> list[BroadcastRead]:
    async with uow() as svc:
        return await svc.broadcasts.list()


async def broadcast_count(uow: UowFactory) -> int:
    return len(await all_broadcasts(uow))


async def citizen(fake: BotApiEmulator, chat_id: int, language: str) -> EmulatedUser:
    """A citizen who has started the bot (so their chat is recorded)."""
    user = fake.user(chat_id, language_code=language)
    await user.send_command("/start")
    await user.reply()
    return user


async def finish(
    fake: BotApiEmulator,
    factory: async_sessionmaker[AsyncSession],
    uow: UowFactory,
    ctx: DomainContext,
) -> None:
    """Deliver the broadcast, run the completion job, deliver the author's report."""
    await deliver(fake, factory, uow)
    await complete_broadcasts(factory, ctx)
    await deliver(fake, factory, uow)


def sent_message(calls: list[RecordedCall]) -> RecordedCall:
    (call,) = [c for c in calls if c.method == "sendMessage"]
    return call


async def write_and_send(
    user: EmulatedUser, uow: UowFactory, render: Any, locale: str, audience: str, count: int
) -> BroadcastRead:
    """Write TEXT, check the preview, confirm; the broadcast written."""
    await user.send_text(TEXT)
    preview = await user.reply()
    notice = render(locale, lambda: broadcast_notice({"sender": NAME, "text": TEXT}, locale).text)
    assert preview.text == render(locale, bt.preview, audience, count, notice, locale)
    assert ESCAPED in (preview.text or "")
    assert TEXT in shown(preview)
    assert await all_broadcasts(uow) == []

    await user.press(cb.BcSend(go=True).pack())
    queued = sent_message(await user.wait_replies(2))
    await settled(lambda: broadcast_count(uow), 1)  # the reply may come before the commit
    made = (await all_broadcasts(uow))[0]
    assert queued.text == render(locale, bt.queued, made.id, count, locale)
    assert made.author == f"telegram:{OFFICIAL}"
    assert made.recipients == count
    # A second press finds no draft: the button is stale, nothing more is written.
    since = len(user.server.calls)
    await user.press(cb.BcSend(go=True).pack(), preview.message_id, strict=False)
    assert await toast(user.server, since) == render(locale, texts.stale_button)
    assert await broadcast_count(uow) == 1
    return made


async def toast(fake: UserHost, since: int) -> str:
    (call,) = await fake.wait_for(lambda c: c.method == "answerCallbackQuery", since=since)
    return str(call.params.get("text") or "")


def report(render: Any, locale: str, made: BroadcastRead, **counts: int) -> str:
    params = {"broadcast_id": made.id, "sent": 0, "failed": 0, "blocked": 0, **counts}
    return str(render(locale, lambda: broadcast_done(params, locale).text))


def received(fake: BotApiEmulator, chat_id: int, render: Any, locale: str) -> bool:
    expected = render(
        locale, lambda: broadcast_notice({"sender": NAME, "text": TEXT}, locale).text
    )
    return expected in fake.sent_texts(chat_id)


@pytest.mark.usefixtures("projects", "official")
@pytest.mark.parametrize(("locale", "telegram_code"), LANGUAGES)
async def test_official_broadcasts_to_a_project_found_by_words(
    running: BotApiEmulator,
    uow: UowFactory,
    session_factory: async_sessionmaker[AsyncSession],
    ctx: DomainContext,
    render: Any,
    tr: Any,
    locale: str,
    telegram_code: str,
) -> None:
    for chat_id, code in ((701, "uk-UA"), (702, "en"), (703, "en"), (704, "en")):
        await citizen(running, chat_id, code)
    async with uow() as svc:
        for chat_id in (701, 702, 703):
            await svc.subscriptions.subscribe_project(chat_id, "kyiv-1")
    user = running.user(OFFICIAL, language_code=telegram_code)

    await user.send_command("/start")
    await user.reply()
    menu = running.state.commands({"type": "chat", "chat_id": OFFICIAL})
    assert {
        "command": "broadcast",
        "description": tr(locale, "Send an announcement (officials)"),
    } in menu

    await user.send_command("/broadcast")
    start = await user.reply()
    assert start.text == render(locale, bt.choose_audience)
    assert tr(locale, "🏗 A project's subscribers") in buttons(start)
    await user.press(cb.BcAudience(k="p").pack())
    assert (await user.reply()).text == render(locale, bt.ask_project_words)
    await user.send_text("Podil bridge")
    found = await user.reply()
    assert found.text == render(locale, bt.choose_project, "Podil bridge")
    title = buttons(found)[0].removeprefix("1. ")
    await user.press(cb.BcProject(n=0).pack())
    audience = render(locale, bt.audience, {"kind": "project"}, title, locale)
    assert (await user.reply()).text == render(locale, bt.ask_text, audience)

    made = await write_and_send(user, uow, render, locale, audience, 3)
    assert made.audience == {"kind": "project", "project_id": "kyiv-1"}
    running.block(703)
    await finish(running, session_factory, uow, ctx)

    assert received(running, 701, render, "uk")
    assert received(running, 702, render, "en")
    assert not received(running, 704, render, "en")
    assert running.sent_texts(OFFICIAL)[-1] == report(render, locale, made, sent=2, blocked=1)


@pytest.mark.usefixtures("official")
@pytest.mark.parametrize(("locale", "telegram_code"), LANGUAGES)
async def test_official_broadcasts_to_an_area_by_location_and_radius(
    running: BotApiEmulator,
    uow: UowFactory,
    session_factory: async_sessionmaker[AsyncSession],
    ctx: DomainContext,
    render: Any,
    locale: str,
    telegram_code: str,
) -> None:
    for chat_id in (711, 712, 713):
        await citizen(running, chat_id, "uk-UA")
    async with uow() as svc:
        await svc.subscriptions.subscribe_area(711, KYIV[0] + 0.01, KYIV[1], 500)  # ~1.1 km
        await svc.subscriptions.subscribe_area(712, 49.8397, 24.0297, 1000)  # Lviv
    user = running.user(OFFICIAL, language_code=telegram_code)

    await user.send_command("/broadcast")
    await user.reply()
    await user.press(cb.BcAudience(k="a").pack())
    assert (await user.reply()).text == render(locale, bt.ask_location)
    await user.send_text("Kyiv")
    assert (await user.reply()).text == render(locale, bt.still_waiting_location)
    await user.send_location(*KYIV)
    radii = await user.reply()
    assert radii.text == render(locale, bt.ask_radius)
    await user.press(cb.BcRadius(r=1000).pack())
    area = {"kind": "area", "lat": KYIV[0], "lon": KYIV[1], "radius_m": 1000}
    audience = render(locale, bt.audience, area, None, locale)
    assert (await user.reply()).text == render(locale, bt.ask_text, audience)

    made = await write_and_send(user, uow, render, locale, audience, 1)
    await finish(running, session_factory, uow, ctx)

    assert received(running, 711, render, "uk")
    assert not received(running, 712, render, "uk")
    assert not received(running, 713, render, "uk")
    assert running.sent_texts(OFFICIAL)[-1] == report(render, locale, made, sent=1)


@pytest.mark.usefixtures("official")
@pytest.mark.parametrize(("locale", "telegram_code"), LANGUAGES)
async def test_official_broadcasts_to_everyone_in_one_language(
    running: BotApiEmulator,
    uow: UowFactory,
    session_factory: async_sessionmaker[AsyncSession],
    ctx: DomainContext,
    render: Any,
    locale: str,
    telegram_code: str,
) -> None:
    await citizen(running, 721, "uk-UA")
    await citizen(running, 722, "ko-KR")
    user = running.user(OFFICIAL, language_code=telegram_code)
    await user.send_command("/start")
    await user.reply()

    await user.send_command("/broadcast")
    await user.reply()
    await user.press(cb.BcAudience(k="all").pack())
    audience = render(locale, bt.audience, {"kind": "all"}, None, locale)
    assert (await user.reply()).text == render(locale, bt.ask_text, audience)
    made = await write_and_send(user, uow, render, locale, audience, 3)
    async with uow() as svc:
        stored = await svc.session.get_one(Broadcast, made.id)
    assert json.loads(stored.texts) == {locale: TEXT}

    await finish(running, session_factory, uow, ctx)
    # The one text reaches every language, in each reader's frame.
    assert received(running, 721, render, "uk")
    assert received(running, 722, render, "ko")
    assert received(running, OFFICIAL, render, locale)
    assert running.sent_texts(OFFICIAL)[-1] == report(render, locale, made, sent=3)


@pytest.mark.usefixtures("official")
async def test_official_broadcasts_to_a_projects_linked_workers(
    running: BotApiEmulator,
    uow: UowFactory,
    session_factory: async_sessionmaker[AsyncSession],
    ctx: DomainContext,
    render: Any,
) -> None:
    await citizen(running, 741, "uk-UA")
    await citizen(running, 742, "uk-UA")
    async with uow() as svc:
        await svc.projects.import_package(package(project("p-1", *KYIV, title="Metro depot")))
        await sync_wages(svc)
        await link_worker(svc, "wrk-1", 741)
        await svc.subscriptions.subscribe_project(742, "p-1")
    user = running.user(OFFICIAL, language_code="uk")

    await user.send_command("/broadcast")
    await user.reply()
    await user.press(cb.BcAudience(k="w").pack())
    await user.reply()
    await user.send_text("Metro depot")
    await user.reply()
    await user.press(cb.BcProject(n=0).pack())
    audience = render("uk", bt.audience, {"kind": "workers"}, "Metro depot", "uk")
    assert (await user.reply()).text == render("uk", bt.ask_text, audience)

    made = await write_and_send(user, uow, render, "uk", audience, 1)
    assert made.audience == {"kind": "workers", "project_id": "p-1"}
    await finish(running, session_factory, uow, ctx)
    assert received(running, 741, render, "uk")
    assert not received(running, 742, render, "uk")
    assert running.sent_texts(OFFICIAL)[-1] == report(render, "uk", made, sent=1)


@pytest.mark.usefixtures("projects", "official")
async def test_official_marks_a_broadcast_urgent_and_expiring_from_the_preview(
    running: BotApiEmulator, uow: UowFactory, ctx: DomainContext, render: Any
) -> None:
    await citizen(running, 721, "uk-UA")
    user = running.user(OFFICIAL, language_code="en")
    await user.send_command("/broadcast")
    await user.reply()
    await user.press(cb.BcAudience(k="all").pack())
    await user.reply()
    await user.send_text(TEXT)
    preview = await user.reply()
    assert "🔔 Urgent: no" in buttons(preview)
    notice = render("en", lambda: broadcast_notice({"sender": NAME, "text": TEXT}, "en").text)
    audience = render("en", bt.audience, {"kind": "all"}, None, "en")
    await user.press(cb.BcUrgent(on=True).pack())
    edited = await user.reply()
    assert edited.text == render("en", bt.preview, audience, 2, notice, "en", True, 0)
    assert "🚨 Urgent: yes" in buttons(edited)
    await user.press(cb.BcExpiry(h=6).pack())
    edited = await user.reply()
    assert edited.text == render("en", bt.preview, audience, 2, notice, "en", True, 6)
    assert "✓ ⏳ 6 h" in buttons(edited)
    await user.press(cb.BcSend(go=True).pack())
    await settled(lambda: broadcast_count(uow), 1)
    (made,) = await all_broadcasts(uow)
    assert made.urgency == "urgent"
    assert made.expires_at == ctx.clock() + timedelta(hours=6)
