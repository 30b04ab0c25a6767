"""Every text, keyboard, command and notice the bot shows, rendered in each language: uk and ko
show no English sentence, and no language shows doubled punctuation (a Ukrainian date, which
ends in an abbreviation's full stop, before another one; a space before a comma)."""

from __future__ import annotations

import html
import inspect
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiogram.types import BotCommand, InlineKeyboardMarkup, ReplyKeyboardMarkup
from babel.messages.pofile import read_po

from bot import commands
from bot.ui import broadcast_texts, card, keyboards, notices, settings_ui, texts, wage_texts
from bot.ui import callbacks as cb
from bot.ui.i18n import LOCALES_DIR, make_i18n
from core.projects.schemas import PROJECT_STATUSES
from tests.bot import translation_samples as sample

ZONE = ZoneInfo("Europe/Kyiv")
TAG = re.compile(r"<[^>]*>")
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
WORD = re.compile(r"(?<![/\w])[A-Za-z][A-Za-z']*")
DOUBLED = re.compile(r"\.\.|[,;:!?]\.|[^\S\n][.,;:!?](?!\w)|,,")
Render = Callable[[str], list[Any]]


def _english_words() -> frozenset[str]:
    """Every word of the English msgids (markup and placeholders removed)."""
    with (LOCALES_DIR / "messages.pot").open("rb") as handle:
        catalog = read_po(handle)
    words: set[str] = set()
    for message in catalog:
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            plain = PLACEHOLDER.sub(" ", TAG.sub(" ", str(msgid)))
            words.update(w.lower() for w in WORD.findall(plain))
    return frozenset(words)


ENGLISH = _english_words()


def english_runs(text: str) -> list[str]:
    """Runs of two or more English words from the msgids, with only spaces between them."""
    runs: list[str] = []
    run: list[re.Match[str]] = []
    for match in WORD.finditer(text):
        is_english = match.group().lower() in ENGLISH
        joined = bool(run) and not text[run[-1].end() : match.start()].strip()
        if is_english and joined:
            run.append(match)
            continue
        if len(run) >= 2:
            runs.append(text[run[0].start() : run[-1].end()])
        run = [match] if is_english else []
    if len(run) >= 2:
        runs.append(text[run[0].start() : run[-1].end()])
    return runs


def visible(item: Any) -> Iterator[str]:
    """The strings a reader sees in a rendered item (text, keyboard, notice, command)."""
    if item is None:
        return
    if isinstance(item, str):
        yield html.unescape(TAG.sub("", item))
    elif isinstance(item, notices.Rendered):
        yield from visible(item.text)
        yield from visible(item.reply_markup)
    elif isinstance(item, InlineKeyboardMarkup | ReplyKeyboardMarkup):
        rows = item.inline_keyboard if isinstance(item, InlineKeyboardMarkup) else item.keyboard
        yield from (button.text for row in rows for button in row)
    elif isinstance(item, BotCommand):
        yield item.description
    else:
        raise TypeError(f"cannot read {type(item).__name__}")


def _texts(loc: str) -> dict[Callable[..., Any], Render]:
    names, items = sample.NAMES[loc], sample.summaries(loc)
    words, title = names["words"], names["title"]
    return {
        texts.welcome: lambda _: [texts.welcome()],
        texts.help_text: lambda _: [texts.help_text(), texts.help_text(official=True)],
        texts.status: lambda _: [texts.status(s) for s in (*PROJECT_STATUSES, None, "odd")],
        texts.delay: lambda _: [texts.delay(n) for n in (None, 0, 1, 2, 5, 21)],
        texts.summary_line: lambda _: [texts.summary_line(1, i, loc) for i in items],
        texts.nearby: lambda _: [texts.nearby(items, 1000, 1, 5, loc)],
        texts.nothing_nearby: lambda _: [
            texts.nothing_nearby(500, loc, False),
            texts.nothing_nearby(5000, loc, True),
        ],
        texts.search_results: lambda _: [
            texts.search_results(items, words, 0, 5, loc),
            texts.search_results(items, words, 1, 5, loc, 23),
            texts.search_results(items, words, 0, 5, loc, 1000, is_lower_bound=True),
        ],
        texts.position: lambda _: [texts.position(10, 10, 23, loc), texts.position(0, 5, 9, loc)],
        texts.nothing_found: lambda _: [texts.nothing_found(words)],
        texts.subscriptions: lambda _: [
            texts.subscriptions([], loc),
            texts.subscriptions(sample.subscriptions(loc), loc),
        ],
        texts.subscribed_project: lambda _: [texts.subscribed_project()],
        texts.unsubscribed_project: lambda _: [texts.unsubscribed_project()],
        texts.subscribed_area: lambda _: [texts.subscribed_area(r, loc) for r in cb.RADII_M],
        texts.removed: lambda _: [texts.removed()],
        texts.ask_location: lambda _: [texts.ask_location()],
        texts.ask_words: lambda _: [texts.ask_words()],
        texts.still_waiting_location: lambda _: [texts.still_waiting_location()],
        texts.cancelled: lambda _: [texts.cancelled()],
        texts.choose_language: lambda _: [texts.choose_language()],
        texts.language_set: lambda _: [texts.language_set()],
        texts.project_gone: lambda _: [texts.project_gone()],
        texts.list_expired: lambda _: [texts.list_expired()],
        texts.stale_button: lambda _: [texts.stale_button()],
        texts.unknown_link: lambda _: [texts.unknown_link()],
        texts.unsupported: lambda _: [texts.unsupported()],
        texts.too_long: lambda _: [texts.too_long()],
        texts.unknown_command: lambda _: [texts.unknown_command("/frobnicate")],
        card.card_text: lambda _: [
            card.card_text(sample.card(loc), loc, ZONE, "https://api.example.org"),
            card.card_text(sample.card(loc).model_copy(update={"status": "cancelled"}), loc, ZONE),
            card.card_text(
                sample.card(loc).model_copy(
                    update={"status": "completion", "completed_date": date(2026, 10, 20)}
                ),
                loc,
                ZONE,
            ),
        ],
        card.short_description: lambda _: [card.short_description(sample.card(loc))[0]],
        card.source_links: lambda _: card.source_links(
            sample.card(loc), "https://api.example.org"
        ),
        wage_texts.linked: lambda _: [
            wage_texts.linked(names["person"], ()),
            wage_texts.linked(names["person"], (title, title + " 2")),
        ],
        wage_texts.invalid_code: lambda _: [wage_texts.invalid_code()],
        wage_texts.locked: lambda _: [
            wage_texts.locked(None, ZONE, loc),
            wage_texts.locked(datetime(2026, 11, 20, 15, 5, tzinfo=UTC), ZONE, loc),
        ],
        wage_texts.ask_code: lambda _: [wage_texts.ask_code()],
        wage_texts.unlinked: lambda _: [wage_texts.unlinked(True), wage_texts.unlinked(False)],
        wage_texts.not_linked: lambda _: [wage_texts.not_linked()],
        wage_texts.private_only: lambda _: [wage_texts.private_only()],
        wage_texts.my_wages: lambda _: [
            wage_texts.my_wages(sample.wages(loc), loc),
            wage_texts.my_wages(sample.wages(loc).model_copy(update={"periods": ()}), loc),
        ],
        wage_texts.report_filed: lambda _: [
            wage_texts.report_filed(sample.report(True)),
            wage_texts.report_filed(sample.report(False)),
        ],
        wage_texts.report_refused: lambda _: [wage_texts.report_refused()],
    }


def _broadcast_texts(loc: str) -> dict[Callable[..., Any], Render]:
    names = sample.NAMES[loc]
    words, title = names["words"], names["title"]
    area: dict[str, Any] = {"kind": "area", "lat": 50.45, "lon": 30.52, "radius_m": 2000}
    kinds: list[dict[str, Any]] = [{"kind": "project"}, {"kind": "workers"}, area, {"kind": "all"}]
    bt = broadcast_texts

    def audience() -> str:
        return bt.audience(kinds[0], title, loc)

    return {
        bt.choose_audience: lambda _: [bt.choose_audience()],
        bt.ask_project_words: lambda _: [bt.ask_project_words()],
        bt.choose_project: lambda _: [bt.choose_project(words)],
        bt.no_project: lambda _: [bt.no_project(words)],
        bt.ask_location: lambda _: [bt.ask_location()],
        bt.still_waiting_location: lambda _: [bt.still_waiting_location()],
        bt.ask_radius: lambda _: [bt.ask_radius()],
        bt.use_buttons: lambda _: [bt.use_buttons()],
        bt.ask_text: lambda _: [bt.ask_text(audience())],
        bt.text_only: lambda _: [bt.text_only()],
        bt.too_long: lambda _: [bt.too_long()],
        bt.preview: lambda _: [
            *(bt.preview(audience(), n, title, loc) for n in (1, 2, 5, 1200)),
            *(bt.preview(audience(), 5, title, loc, True, h) for h in (1, 6, 24)),
        ],
        bt.nobody: lambda _: [bt.nobody(audience())],
        bt.queued: lambda _: [bt.queued(7, n, loc) for n in (1, 2, 5, 1200)],
        bt.cancelled: lambda _: [bt.cancelled()],
        bt.audience: lambda _: [bt.audience(k, title, loc) for k in kinds],
    }


def _keyboards(loc: str) -> dict[Callable[..., Any], Render]:
    items, kb = sample.summaries(loc), keyboards
    page = cb.NearPage(lat=5045010, lon=3052340, r=1000, p=1)
    area = cb.AreaSub(lat=page.lat, lon=page.lon, r=page.r)
    return {
        kb.main_menu: lambda _: [kb.main_menu()],
        kb.share_location_label: lambda _: [kb.share_location_label()],
        kb.search_label: lambda _: [kb.search_label()],
        kb.subscriptions_label: lambda _: [kb.subscriptions_label()],
        kb.language_label: lambda _: [kb.language_label()],
        kb.help_label: lambda _: [kb.help_label()],
        kb.ask_or_report_label: lambda _: [kb.ask_or_report_label()],
        kb.nearby_list: lambda _: [kb.nearby_list(items, page, True, loc, 5)],
        kb.wider_radius: lambda _: [kb.wider_radius(page, loc)],
        kb.search_list: lambda _: [kb.search_list(items, 1, True, 5)],
        kb.pager: lambda _: [InlineKeyboardMarkup(inline_keyboard=[kb.pager("q:0", "q:2")])],
        kb.card: lambda _: [kb.card("p-1", s, area, True) for s in (True, False)],
        kb.subscriptions: lambda _: [kb.subscriptions(sample.subscriptions(loc))],
        kb.languages: lambda _: [kb.languages(loc)],
        kb.broadcast_audiences: lambda _: [kb.broadcast_audiences()],
        kb.broadcast_projects: lambda _: [kb.broadcast_projects([sample.NAMES[loc]["title"]])],
        kb.broadcast_radii: lambda _: [kb.broadcast_radii(loc)],
        kb.broadcast_confirm: lambda _: [kb.broadcast_confirm(), kb.broadcast_confirm(True, 6)],
        kb.settings_label: lambda _: [kb.settings_label()],
    }


def _settings(loc: str) -> dict[Callable[..., Any], Render]:
    ui, now = settings_ui, sample.NOW
    variants = sample.notification_settings(loc)
    return {
        ui.window_text: lambda _: [ui.window_text("off"), ui.window_text("22:00-08:00")],
        ui.settings_text: lambda _: [ui.settings_text(s, ZONE, loc, now) for s in variants],
        ui.settings_keyboard: lambda _: [ui.settings_keyboard(s, now) for s in variants],
        ui.saved: lambda _: [ui.saved()],
    }


# Helpers in these modules that render no words of their own.
NOT_TEXTS = {texts.esc, card.map_link, keyboards.short, settings_ui.quiet_value}
MODULES = (texts, wage_texts, broadcast_texts, card, keyboards, settings_ui)


def samples(loc: str) -> dict[Callable[..., Any], Render]:
    """A rendering of every public function of the text modules."""
    return {**_texts(loc), **_broadcast_texts(loc), **_keyboards(loc), **_settings(loc)}


def public_functions(module: ModuleType) -> set[Callable[..., Any]]:
    """Functions defined (not imported) in a module, without a leading underscore."""
    return {
        fn
        for name, fn in inspect.getmembers(module, inspect.isfunction)
        if fn.__module__ == module.__name__ and not name.startswith("_")
    }


def rendered(loc: str) -> Iterator[tuple[str, str]]:
    """(what, visible string) for everything the bot can show in `loc`."""
    i18n = make_i18n()
    with i18n.context(), i18n.use_locale(loc):
        for fn, render in samples(loc).items():
            for item in render(loc):
                yield from ((fn.__qualname__, s) for s in visible(item))
    for kind, variants in sample.notices(loc).items():
        for params in variants:
            for text in visible(notices.render(kind, params, loc, i18n)):
                yield kind, text
    for command in commands.official_command_list(i18n, loc):
        yield f"/{command.command}", command.description


def test_every_text_keyboard_and_notice_has_a_sample() -> None:
    covered = set(samples("en"))
    for module in MODULES:
        missing = public_functions(module) - covered - NOT_TEXTS
        assert not missing, f"add samples for {sorted(f.__name__ for f in missing)}"
    assert sorted(sample.notices("en")) == notices.kinds()


@pytest.mark.parametrize("loc", ["uk", "ko"])
def test_nothing_the_bot_shows_is_left_in_english(loc: str) -> None:
    found = [(what, run) for what, text in rendered(loc) for run in english_runs(text)]
    assert not found, f"{loc}: English left in {found}"


@pytest.mark.parametrize("loc", ["en", "uk", "ko"])
def test_no_doubled_punctuation(loc: str) -> None:
    found = [(what, text) for what, text in rendered(loc) if DOUBLED.search(text)]
    assert not found, f"{loc}: doubled punctuation in {found}"


@pytest.mark.parametrize("loc", ["uk", "ko"])
def test_no_translation_in_the_catalog_is_english(loc: str) -> None:
    with (LOCALES_DIR / loc / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=loc)
    found = []
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            plain = html.unescape(PLACEHOLDER.sub(" ", TAG.sub("", str(text))))
            found += [(message.id, run) for run in english_runs(plain)]
    assert not found, f"{loc}: English in translations {found}"


def test_the_checks_catch_what_they_are_for() -> None:
    assert english_runs("🔔 Your subscriptions\n1. Міст") == ["Your subscriptions"]
    assert english_runs("Надішліть /link з кодом; OpenStreetMap; WR-7QK3M9XP") == []
    year = "2026 \N{CYRILLIC SMALL LETTER ER}."
    assert DOUBLED.search(f"до 10 лист. {year}.")
    assert DOUBLED.search(f"до 10 лист. {year} , далі")
    assert not DOUBLED.search(f"до 10 лист. {year}, далі… 2026. 11. 10.")
