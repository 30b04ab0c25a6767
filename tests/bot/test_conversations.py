"""Whole conversations through the fake Bot API server, in each language."""

from __future__ import annotations

from typing import Any

import pytest
from babel.numbers import format_currency

from bot.ui import callbacks as cb
from bot.ui import texts
from botapi_emulator import BotApiEmulator
from tests.bot.conftest import buttons, settled, shown
from tests.conftest import UowFactory
from tests.samples import KYIV

LANGUAGES = [("en", "en"), ("uk", "uk-UA"), ("ko", "ko-KR")]
HERE = cb.NearPage(lat=cb.to_e5(KYIV[0]), lon=cb.to_e5(KYIV[1]), r=1000)


async def project_ids(uow: UowFactory, chat_id: int) -> list[str | None]:
    async with uow() as svc:
        return [s.project_id for s in await svc.subscriptions.list(chat_id)]


async def chat_locale(uow: UowFactory, chat_id: int) -> str | None:
    async with uow() as svc:
        return (await svc.chats.get(chat_id)).locale


def toast(fake: BotApiEmulator) -> str:
    return str(fake.calls_to("answerCallbackQuery")[-1].params.get("text") or "")


@pytest.mark.usefixtures("projects")
@pytest.mark.parametrize(("locale", "telegram_code"), LANGUAGES)
async def test_citizen_finds_opens_and_follows_a_project(
    running: BotApiEmulator,
    uow: UowFactory,
    tr: Any,
    render: Any,
    locale: str,
    telegram_code: str,
) -> None:
    user = running.user(501, language_code=telegram_code)

    await user.send_command("/start")
    welcome = await user.reply()
    assert welcome.text == render(locale, texts.welcome)
    if locale != "en":
        assert welcome.text != render("en", texts.welcome)
    keyboard = welcome.reply_markup["keyboard"]  # type: ignore[index]
    assert keyboard[0][0] == {"text": tr(locale, "📍 Share my location"), "request_location": True}

    await user.send_location(*KYIV)
    first_page = await user.reply()
    assert shown(first_page).count("\n    ") == 5
    assert tr(locale, "Next »") in buttons(first_page)
    assert tr(locale, "{n} day late", "{n} days late", 31).format(n=31) in shown(first_page)

    await user.press(HERE.model_copy(update={"p": 1}).pack())
    second_page = await user.reply()
    assert second_page.method == "editMessageText"
    assert shown(second_page).count("\n    ") == 2
    assert tr(locale, "« Previous") in buttons(second_page)

    await user.press(HERE.model_copy(update={"r": 2000}).pack())
    assert shown(await user.reply()).count("\n    ") == 5

    await user.press(cb.OpenCard(id="kyiv-1").pack())
    card = await user.reply()
    budget = format_currency(1500000.5, "UAH", locale=locale)
    assert budget in shown(card)
    assert "openstreetmap.org" in (card.text or "")
    assert "Budova LLC" in shown(card)

    await user.press(cb.ProjectSub(id="kyiv-1", on=True).pack())
    subscribed = await user.reply()
    assert toast(running) == tr(
        locale, "🔔 Subscribed: I will tell you when this project changes."
    )
    assert tr(locale, "🔕 Unsubscribe") in buttons(subscribed)
    await settled(lambda: project_ids(uow, 501), ["kyiv-1"])
    async with uow() as svc:
        assert (await svc.chats.get(501)).telegram_language == telegram_code

    await user.press(cb.BackToList().pack())
    assert tr(locale, "Next »") in buttons(await user.reply())

    await user.send_command("/search bridge deck")
    results = await user.reply()
    assert tr(locale, "🔎 Results for “{words}”").format(words="bridge deck") in shown(results)
    assert cb.OpenCard(id="kyiv-1").pack() in results.callback_data

    await user.press(cb.OpenCard(id="kyiv-1").pack())
    await user.reply()
    await user.press(cb.ProjectSub(id="kyiv-1", on=False).pack())
    assert tr(locale, "🔔 Subscribe") in buttons(await user.reply())
    await settled(lambda: project_ids(uow, 501), [])


@pytest.mark.usefixtures("projects")
@pytest.mark.parametrize(("locale", "telegram_code"), LANGUAGES)
async def test_area_subscription_listed_and_removed(
    running: BotApiEmulator,
    uow: UowFactory,
    tr: Any,
    render: Any,
    locale: str,
    telegram_code: str,
) -> None:
    user = running.user(502, language_code=telegram_code)
    await user.send_location(*KYIV)
    await user.reply()

    await user.press(cb.AreaSub(lat=HERE.lat, lon=HERE.lon, r=1000).pack())
    note = await user.reply()
    assert note.text == tr(
        locale, "🔔 Subscribed: I will tell you about works within {radius} of this point."
    ).format(radius=tr(locale, "{n} km").format(n="1"))

    await user.send_command("/subscriptions")
    listing = await user.reply()
    await settled(lambda: project_ids(uow, 502), [None])
    async with uow() as svc:
        (area,) = await svc.subscriptions.list(502)
    assert area.kind == "area"
    assert (area.lat, area.lon, area.radius_m) == (50.4501, 30.5234, 1000.0)
    assert listing.callback_data == [cb.RemoveSub(id=area.id).pack()]

    await user.press(cb.RemoveSub(id=area.id).pack())
    emptied = await user.reply()
    assert emptied.text == render(locale, texts.subscriptions, [], locale)
    await settled(lambda: project_ids(uow, 502), [])


@pytest.mark.usefixtures("projects")
@pytest.mark.parametrize(("locale", "telegram_code"), LANGUAGES)
async def test_nothing_nearby_offers_the_next_radius_then_says_so_plainly(
    running: BotApiEmulator, tr: Any, locale: str, telegram_code: str
) -> None:
    user = running.user(503, language_code=telegram_code)
    lviv = cb.NearPage(lat=cb.to_e5(49.8397), lon=cb.to_e5(24.0297), r=1000)
    await user.send_location(49.8397, 24.0297)
    empty = await user.reply()
    assert empty.callback_data == [lviv.model_copy(update={"r": 2000}).pack()]

    await user.press(lviv.model_copy(update={"r": 2000}).pack())
    await user.reply()
    await user.press(lviv.model_copy(update={"r": 5000}).pack())
    widest = await user.reply()
    five_km = tr(locale, "{n} km").format(n="5")
    expected = tr(locale, "Nothing is being built within {radius} of this point.")
    assert widest.text == expected.format(radius=five_km)
    assert widest.callback_data == []


@pytest.mark.usefixtures("projects")
@pytest.mark.parametrize(("locale", "telegram_code"), LANGUAGES)
async def test_site_board_deep_link_opens_the_card(
    running: BotApiEmulator, render: Any, locale: str, telegram_code: str
) -> None:
    user = running.user(504, language_code=telegram_code)
    await user.send_command("/start p_kyiv-2")
    welcome, card = await user.wait_replies(2)
    assert welcome.text == render(locale, texts.welcome)
    title = {"en": "Project kyiv-2", "uk": "Об'єкт 2", "ko": "공사 2"}[locale]  # noqa: RUF001 - Ukrainian
    assert shown(card).startswith(title)
    assert cb.ProjectSub(id="kyiv-2", on=True).pack() in card.callback_data


@pytest.mark.parametrize(("locale", "telegram_code"), LANGUAGES)
async def test_language_is_chosen_stored_and_used(
    running: BotApiEmulator,
    uow: UowFactory,
    tr: Any,
    render: Any,
    locale: str,
    telegram_code: str,
) -> None:
    user = running.user(505, language_code="de")
    await user.send_command("/language")
    choice = await user.reply()
    assert choice.text == "Choose your language:"

    await user.press(cb.SetLanguage(code=locale).pack())
    saved, welcome = await user.wait_replies(2)
    assert saved.text == tr(locale, "Language saved: English.")
    assert welcome.text == render(locale, texts.welcome)
    await settled(lambda: chat_locale(uow, 505), locale)

    await user.send_command("/help")
    assert (await user.reply()).text == render(locale, texts.help_text)
