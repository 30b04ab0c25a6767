"""Every report text and keyboard, rendered in each language: uk and ko show no English
sentence, no language shows doubled punctuation, and every public function has a sample."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiogram.types import InlineKeyboardMarkup as Markup

from bot.ui import report_keyboards as rk
from bot.ui import report_official_texts as ot
from bot.ui import report_texts as rt
from bot.ui import report_thread_texts as tt
from bot.ui.i18n import make_i18n
from tests.bot import report_samples as sample
from tests.bot.test_translations import DOUBLED, english_runs, public_functions, visible
from tests.bot.translation_samples import NAMES

ZONE = ZoneInfo("Europe/Kyiv")
Render = Callable[[str], list[Any]]
NOT_TEXTS = {rt.excerpt, rt.category_name}


def _texts(loc: str) -> dict[Callable[..., Any], Render]:
    cats, title = sample.categories(), NAMES[loc]["title"]
    ref = "CR-ABCD2345"
    statuses = ["new", "acknowledged", "in_progress", "resolved"]
    return {
        rt.status: lambda _: (
            [rt.status(s) for s in statuses]
            + [rt.status("closed", r) for r in (None, "duplicate", "not_responsible", "rejected")]
        ),
        rt.start: lambda _: [rt.start()],
        rt.pick_place: lambda _: [rt.pick_place(True), rt.pick_place(False)],
        rt.just_this_place: lambda _: [rt.just_this_place()],
        rt.choose_category: lambda _: [rt.choose_category(None), rt.choose_category(title)],
        rt.ask_text: lambda _: [rt.ask_text(rt.category_name(cats["noise"], loc))],
        rt.text_too_long: lambda _: [rt.text_too_long(4001)],
        rt.text_only: lambda _: [rt.text_only()],
        rt.ask_photos: lambda _: [rt.ask_photos()],
        rt.photo_added: lambda _: [rt.photo_added(n) for n in (1, 4)],
        rt.photos_full: lambda _: [rt.photos_full()],
        rt.photo_kept: lambda _: [rt.photo_kept()],
        rt.caption_added: lambda _: [rt.caption_added()],
        rt.caption_left_out: lambda _: [rt.caption_left_out()],
        rt.photo_too_big: lambda _: [rt.photo_too_big()],
        rt.bad_photo: lambda _: [rt.bad_photo()],
        rt.not_a_photo: lambda _: [rt.not_a_photo()],
        rt.refused_media: lambda _: [rt.refused_media()],
        rt.similar: lambda _: [rt.similar(sample.nearby(loc), cats, loc)],
        rt.follow_button: lambda _: [rt.follow_button(ref)],
        rt.file_mine: lambda _: [rt.file_mine()],
        rt.following: lambda _: [rt.following(ref)],
        rt.already_following: lambda _: [rt.already_following(ref)],
        rt.filed: lambda _: [rt.filed(ref)],
        rt.blocked: lambda _: [rt.blocked(sample.WORDS[loc])],
        rt.limit_reached: lambda _: [rt.limit_reached()],
        rt.project_gone: lambda _: [rt.project_gone()],
        rt.cancelled: lambda _: [rt.cancelled()],
        tt.mine: lambda _: (
            [tt.mine(sample.page([], 0), cats, loc)]
            + [tt.mine(sample.page(sample.reports(loc), n), cats, loc) for n in (0, 1)]
        ),
        tt.thread: lambda _: [tt.thread(sample.thread(loc), cats, loc, ZONE)],
        tt.not_found: lambda _: [tt.not_found()],
        tt.opening: lambda _: [tt.opening()],
        tt.cannot_reply: lambda _: [tt.cannot_reply()],
        tt.feedback_closed: lambda _: [tt.feedback_closed()],
        tt.rated: lambda _: [tt.rated(n) for n in (1, 5)],
        tt.ask_reply: lambda _: [tt.ask_reply(ref)],
        tt.reply_sent: lambda _: [tt.reply_sent()],
        tt.feedback_labels: lambda _: list(tt.feedback_labels().values()),
        tt.ask_rating: lambda _: [tt.ask_rating()],
        tt.thanks: lambda _: [tt.thanks(True, ref), tt.thanks(False, ref)],
        tt.public_list: lambda _: [
            tt.public_list([], title),
            tt.public_list(sample.public(loc), None),
        ],
        tt.card_line: lambda _: [tt.card_line(2, 7)],
        tt.card_figures: lambda _: [tt.card_figures(sample.card_reports(), loc)],
    }


def _official(loc: str) -> dict[Callable[..., Any], Render]:
    ref, cats = "CR-ABCD2345", sample.categories()
    return {
        ot.action_labels: lambda _: list(ot.action_labels().values()),
        ot.report: lambda _: [ot.report(r, cats["noise"], loc, ZONE) for r in sample.reports(loc)],
        ot.ask_expected: lambda _: [ot.ask_expected()],
        ot.days: lambda _: [ot.days(n) for n in (1, 3, 14, 30)],
        ot.ask_referral: lambda _: [ot.ask_referral(ref)],
        ot.ask_duplicate: lambda _: [ot.ask_duplicate(ref)],
        ot.ask_answer: lambda _: [ot.ask_answer(ref)],
        ot.ask_block_reason: lambda _: [ot.ask_block_reason(ref)],
        ot.changed: lambda _: [ot.changed(ref, "closed", "duplicate"), ot.changed(ref, "new")],
        ot.answer_sent: lambda _: [ot.answer_sent(ref)],
        ot.confirm_reject: lambda _: [ot.confirm_reject(ref)],
        ot.reject_yes: lambda _: [ot.reject_yes()],
        ot.sender_blocked: lambda _: [ot.sender_blocked(ref)],
        ot.no_sender: lambda _: [ot.no_sender(ref)],
        ot.wrong_step: lambda _: [ot.wrong_step(ref, "resolved")],
        ot.unknown_reference: lambda _: [ot.unknown_reference()],
        ot.text_expected: lambda _: [ot.text_expected()],
    }


def _keyboards(loc: str) -> dict[Callable[..., Any], Render]:
    cats, reports = sample.categories(), sample.reports(loc)
    return {
        rk.places: lambda _: [rk.places([NAMES[loc]["title"]]), rk.places([])],
        rk.categories: lambda _: [rk.categories(list(cats.values()), loc)],
        rk.cancel_only: lambda _: [rk.cancel_only()],
        rk.photos: lambda _: [rk.photos(0), rk.photos(2)],
        rk.similar: lambda _: [rk.similar(sample.nearby(loc))],
        rk.filed: lambda _: [rk.filed(7)],
        rk.mine: lambda _: [rk.mine(sample.page(reports, 1), 1)],
        rk.thread: lambda _: [rk.thread(r, True) for r in reports],
        rk.feedback_row: lambda _: [Markup(inline_keyboard=[rk.feedback_row(7)])],
        rk.rating: lambda _: [rk.rating(7, "yes")],
        rk.card_rows: lambda _: [Markup(inline_keyboard=rk.card_rows("p-1", (2, 7)))],
        rk.official_actions: lambda _: [rk.official_actions(r) for r in reports],
        rk.expected_days: lambda _: [rk.expected_days(7)],
        rk.confirm_reject: lambda _: [rk.confirm_reject(7)],
    }


def samples(loc: str) -> dict[Callable[..., Any], Render]:
    """A rendering of every public function of the report text and keyboard modules."""
    return {**_texts(loc), **_official(loc), **_keyboards(loc)}


def rendered(loc: str) -> Iterator[tuple[str, str]]:
    """(what, visible string) for everything the report screens can show in `loc`."""
    i18n = make_i18n()
    with i18n.context(), i18n.use_locale(loc):
        for fn, render in samples(loc).items():
            for item in render(loc):
                if item is not None:
                    yield from ((fn.__qualname__, s) for s in visible(item))


def test_every_report_text_and_keyboard_has_a_sample() -> None:
    covered = set(samples("en"))
    for module in (rt, tt, ot, rk):
        missing = public_functions(module) - covered - NOT_TEXTS
        assert not missing, f"add samples for {sorted(f.__name__ for f in missing)}"


@pytest.mark.parametrize("loc", ["uk", "ko"])
def test_no_report_screen_is_left_in_english(loc: str) -> None:
    found = [(what, run) for what, text in rendered(loc) for run in english_runs(text)]
    assert not found, f"{loc}: English left in {found}"


@pytest.mark.parametrize("loc", ["en", "uk", "ko"])
def test_no_doubled_punctuation_in_report_screens(loc: str) -> None:
    found = [(what, text) for what, text in rendered(loc) if DOUBLED.search(text)]
    assert not found, f"{loc}: doubled punctuation in {found}"
