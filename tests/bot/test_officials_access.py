"""/broadcast: leaving at every step writes nothing; anyone but an official gets nothing.
Officials' /help and command menu (in their language)."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest

from bot.ui import broadcast_texts as bt
from bot.ui import callbacks as cb
from bot.ui import texts
from botapi_emulator import BotApiEmulator, EmulatedUser
from tests.bot.conftest import settled
from tests.conftest import UowFactory
from tests.samples import KYIV

OFFICIAL = 910
STEPS = ["audience", "words", "project", "location", "radius", "text", "confirm"]
WITH_BUTTONS = ["audience", "project", "radius", "confirm"]


@pytest.fixture
async def official(uow: UowFactory) -> None:
    async with uow() as svc:
        await svc.officials.add(OFFICIAL, "Roads department")


async def written(uow: UowFactory) -> tuple[int, int]:
    """(broadcasts, deliveries) in the database."""
    async with uow() as svc:
        counts = await svc.outbox.counts()
        return len(await svc.broadcasts.list()), sum(counts.model_dump().values())


async def reach(user: EmulatedUser, step: str) -> None:
    """Drive the official's /broadcast to `step`."""
    await user.send_command("/broadcast")
    await user.reply()
    if step == "audience":
        return
    kind = {"words": "p", "project": "p", "location": "a", "radius": "a"}.get(step, "all")
    await user.press(cb.BcAudience(k=kind).pack())
    await user.reply()
    if step in ("project", "confirm"):
        await user.send_text("Podil bridge" if step == "project" else "Water is off on Monday")
        await user.reply()
    elif step == "radius":
        await user.send_location(*KYIV)
        await user.reply()


async def toast(fake: BotApiEmulator, since: int) -> str:
    (call,) = await fake.wait_for(lambda c: c.method == "answerCallbackQuery", since=since)
    return str(call.params.get("text") or "")


@pytest.mark.usefixtures("projects", "official")
@pytest.mark.parametrize("step", STEPS)
async def test_cancel_command_at_each_step_writes_nothing(
    running: BotApiEmulator, uow: UowFactory, render: Any, step: str
) -> None:
    await running.user(920, language_code="uk").send_command("/start")  # someone to reach
    user = running.user(OFFICIAL, language_code="uk")
    await reach(user, step)

    await user.send_command("/cancel")
    assert (await user.reply()).text == render("uk", texts.cancelled)
    # The flow is over: text is a search again, not a broadcast.
    await user.send_text("zzzz")
    assert (await user.reply()).text == render("uk", texts.nothing_found, "zzzz")
    assert await written(uow) == (0, 0)


@pytest.mark.usefixtures("projects", "official")
@pytest.mark.parametrize("step", WITH_BUTTONS)
async def test_cancel_button_at_each_step_writes_nothing(
    running: BotApiEmulator, uow: UowFactory, render: Any, step: str
) -> None:
    await running.user(921, language_code="en").send_command("/start")
    user = running.user(OFFICIAL, language_code="en")
    await reach(user, step)
    await user.press(cb.BcSend(go=False).pack())
    cancelled = await user.reply()
    assert cancelled.text == render("en", bt.cancelled)
    if step == "confirm":
        since = len(running.calls)
        await user.press(cb.BcSend(go=True).pack(), cancelled.message_id, strict=False)
        assert await toast(running, since) == render("en", texts.stale_button)
    assert await written(uow) == (0, 0)


@pytest.mark.usefixtures("official")
async def test_an_empty_audience_ends_the_flow_with_nothing_written(
    running: BotApiEmulator, uow: UowFactory, render: Any
) -> None:
    user = running.user(OFFICIAL, language_code="uk")
    await reach(user, "radius")
    await user.press(cb.BcRadius(r=500).pack())
    area = {"kind": "area", "lat": KYIV[0], "lon": KYIV[1], "radius_m": 500}
    audience = render("uk", bt.audience, area, None, "uk")
    # Said as soon as the area is chosen, before the official writes anything.
    assert (await user.reply()).text == render("uk", bt.nobody, audience)
    await user.send_text("Water is off on Monday")  # the flow has ended: a plain search now
    assert (await user.reply()).text == render("uk", texts.nothing_found, "Water is off on Monday")
    assert await written(uow) == (0, 0)


@pytest.mark.usefixtures("official")
async def test_non_official_gets_no_broadcast_command_menu_or_flow(
    running: BotApiEmulator, uow: UowFactory, render: Any
) -> None:
    citizen = running.user(930, language_code="uk")
    await citizen.send_command("/start")
    welcome = await citizen.reply()
    assert running.state.commands({"type": "chat", "chat_id": 930}) == []
    for locale in ("", "en", "uk", "ko"):
        listed = running.state.commands(language_code=locale)
        assert "broadcast" not in [c["command"] for c in listed]

    await citizen.send_command("/broadcast")
    unknown = render("uk", texts.unknown_command, "/broadcast")
    assert (await citizen.reply()).text == unknown + "\n\n" + render("uk", texts.help_text)
    for data in (cb.BcAudience(k="all"), cb.BcRadius(r=500), cb.BcSend(go=True)):
        since = len(running.calls)
        await citizen.press(data.pack(), welcome.message_id, strict=False)
        assert await toast(running, since) == render("uk", texts.stale_button)
    await citizen.send_text("Water is off on Monday")
    assert (await citizen.reply()).text == render(
        "uk", texts.nothing_found, "Water is off on Monday"
    )
    assert await written(uow) == (0, 0)

    await citizen.send_command("/help")
    assert (await citizen.reply()).text == render("uk", texts.help_text)
    await citizen.send_command("/language")
    await citizen.reply()
    await citizen.press(cb.SetLanguage(code="en").pack())
    await citizen.wait_replies(2)
    assert running.state.commands({"type": "chat", "chat_id": 930}) == []


@pytest.mark.usefixtures("official")
async def test_official_help_names_broadcast_and_the_menu_follows_the_language(
    running: BotApiEmulator, render: Any, tr: Any
) -> None:
    official_help = partial(texts.help_text, official=True)
    user = running.user(OFFICIAL, language_code="en")
    await user.send_command("/help")
    assert (await user.reply()).text == render("en", official_help)
    assert "/broadcast" in render("uk", official_help)
    assert "/broadcast" not in render("uk", texts.help_text)

    await user.send_command("/language")
    await user.reply()
    await user.press(cb.SetLanguage(code="uk").pack())
    saved, _welcome = await user.wait_replies(2)
    assert saved.text == tr("uk", "Language saved: English.")
    menu = running.state.commands({"type": "chat", "chat_id": OFFICIAL})
    described = {
        "command": "broadcast",
        "description": tr("uk", "Send an announcement (officials)"),
    }
    assert described in menu
    await user.send_text(tr("uk", "❓ Help"))
    assert (await user.reply()).text == render("uk", official_help)


@pytest.mark.usefixtures("official")
async def test_official_in_a_group_gets_the_ordinary_answer(
    running: BotApiEmulator, uow: UowFactory, render: Any
) -> None:
    group = running.user(OFFICIAL, language_code="en").in_group()
    await group.send_command("/broadcast")
    unknown = render("en", texts.unknown_command, "/broadcast")
    assert (await group.reply()).text == unknown + "\n\n" + render("en", texts.help_text)
    await settled(lambda: written(uow), (0, 0))
