"""/settings through the Bot API emulator: quiet hours, silent or held, digests, mutes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.ui import callbacks as cb
from botapi_emulator import BotApiEmulator
from core.chats.schemas import NotificationSettingsRead
from tests.bot.conftest import buttons, settled, shown
from tests.conftest import NOW, UowFactory

ANSWERED = ("answerCallbackQuery", "sendMessage")
LANGUAGES = [("en", "en"), ("uk", "uk-UA"), ("ko", "ko-KR")]


async def settings_of(uow: UowFactory, chat_id: int) -> NotificationSettingsRead:
    async with uow() as svc:
        return await svc.notification_settings.get(chat_id)


async def digest_hour(uow: UowFactory, chat_id: int) -> int | None:
    return (await settings_of(uow, chat_id)).digest_hour


async def muted_until(uow: UowFactory, chat_id: int) -> datetime | None:
    return (await settings_of(uow, chat_id)).projects[0].muted_until


def toast(fake: BotApiEmulator) -> str:
    return str(fake.calls_to("answerCallbackQuery")[-1].params.get("text") or "")


@pytest.mark.usefixtures("projects")
@pytest.mark.parametrize(("locale", "telegram_code"), LANGUAGES)
async def test_citizen_sets_quiet_hours_digest_and_mutes_a_project(
    running: BotApiEmulator, uow: UowFactory, tr: Any, locale: str, telegram_code: str
) -> None:
    user = running.user(601, language_code=telegram_code)
    await user.send_command("/start")
    menu = (await user.reply()).reply_markup["keyboard"]  # type: ignore[index]
    assert {"text": tr(locale, "⚙️ Settings")} in menu[3]
    await user.send_text(tr(locale, "⚙️ Settings"))
    first = await user.reply()
    assert tr(locale, "⚙️ <b>Notification settings</b>") in (first.text or "")
    assert "Europe/Kyiv" in shown(first)

    await user.press(cb.SetQuiet(v="2200-0800").pack())
    edited = await user.reply()
    assert edited.method == "editMessageText"
    assert toast(running) == tr(locale, "Saved.")
    assert "✓ 22:00\N{EN DASH}08:00" in buttons(edited)
    await user.press(cb.SetQuietHold(on=True).pack())
    held = await user.reply()
    assert tr(locale, "During them, messages are held until they end.") in shown(held)
    await user.press(cb.SetDigest(h=19).pack())
    await user.reply()
    # The answer may come before the handler's unit of work commits.
    await settled(lambda: digest_hour(uow, 601), 19)
    current = await settings_of(uow, 601)
    assert (current.quiet_hours, current.quiet_is_default) == ("22:00-08:00", False)
    assert (current.quiet_hold, current.digest_hour) == (True, 19)

    await user.press(cb.OpenCard(id="kyiv-1").pack(), strict=False)
    await user.reply()
    await user.press(cb.ProjectSub(id="kyiv-1", on=True).pack())
    await user.reply()
    await user.send_command("/settings")
    listed = await user.reply()
    mute = tr(locale, "🔇 Mute {n} for a week").format(n=1)
    assert mute in buttons(listed)
    await user.press(cb.MuteProject(id="kyiv-1", on=True).pack())
    muted = await user.reply()
    assert tr(locale, "🔔 Unmute {n}").format(n=1) in buttons(muted)
    await settled(lambda: muted_until(uow, 601), NOW + timedelta(days=7))
    await user.press(cb.MuteProject(id="kyiv-1", on=False).pack())
    await user.reply()
    await settled(lambda: muted_until(uow, 601), None)


@pytest.mark.usefixtures("projects")
async def test_forged_settings_buttons_change_nothing(
    running: BotApiEmulator, uow: UowFactory
) -> None:
    user = running.user(602, language_code="en")
    await user.send_command("/settings")
    await user.reply()
    for data in ("sq:0000-0000", "sq:2500-0800", "sd:24", "mp:kyiv-1:1"):
        since = len(running.calls)
        await user.press(data, strict=False)
        # A stale-button toast, or (muting a project not followed) a polite reply.
        await running.wait_for(lambda c: c.method in ANSWERED, since=since)
    current = await settings_of(uow, 602)
    assert (current.quiet_hours, current.quiet_is_default, current.digest_hour) == (
        "off",
        True,
        None,
    )
