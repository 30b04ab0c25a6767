"""Wage notices render in en, uk and ko, with money and dates per locale, buttons where needed."""

from __future__ import annotations

from typing import Any

import pytest

from bot.ui.i18n import make_i18n
from bot.ui.notices import render
from bot.ui.notices.wages import ReportWage

ALERT: dict[str, Any] = {
    "entry_id": "ent-1",
    "project_id": "p-1",
    "project_title": "Bridge <repair>",
    "employer_name": "Budova & Co",
    "period_start": "2026-10-01",
    "period_end": "2026-10-31",
    "due_date": "2026-11-10",
    "amount_due": "18437.50",
    "amount_paid": "10000.00",
    "currency": "UAH",
    "days_late": 3,
    "step": 3,
    "contact": "Kyiv City State Administration",
}
DIGEST: dict[str, Any] = {
    "as_of": "2026-11-20",
    "grace_days": 0,
    "entries": 2,
    "workers": 2,
    "unpaid": [{"currency": "UAH", "amount": "1500.00"}],
    "open_reports": 1,
    "groups": [
        {
            "employer_id": "emp-1",
            "employer_name": "Budova LLC",
            "project_id": "p-1",
            "project_title": "Bridge",
            "entries": 2,
            "workers": 2,
            "max_days_late": 10,
            "unpaid": [{"currency": "UAH", "amount": "1500.00"}],
            "open_reports": 1,
        }
    ],
    "more_groups": 0,
}
KINDS = ["wage_funds_released", "wage_credited", "wage_partial", "wage_failed", "wage_overdue"]
# How each locale writes 18,437.50 UAH and 10 November 2026 (Babel, CLDR).
MONEY = {
    "en": "UAH18,437.50",
    "uk": "18\N{NO-BREAK SPACE}437,50\N{NO-BREAK SPACE}",
    "ko": "18,437.50",
}
DUE = {"en": "Nov 10, 2026", "uk": "10 лист. 2026", "ko": "2026. 11. 10."}


@pytest.mark.parametrize("locale", ["en", "uk", "ko"])
@pytest.mark.parametrize("kind", KINDS)
def test_each_alert_renders_escaped_in_each_language(kind: str, locale: str) -> None:
    rendered = render(kind, ALERT, locale, make_i18n())
    assert "Bridge &lt;repair&gt;" in rendered.text
    assert "Budova &amp; Co" in rendered.text
    assert "<repair>" not in rendered.text
    has_button = kind in ("wage_partial", "wage_failed", "wage_overdue")
    assert (rendered.reply_markup is not None) == has_button
    if rendered.reply_markup is not None:
        button = rendered.reply_markup.inline_keyboard[0][0]
        assert button.callback_data == ReportWage(e="ent-1").pack() == "wr:ent-1"


@pytest.mark.parametrize("locale", ["en", "uk", "ko"])
def test_money_and_dates_follow_the_locale(locale: str) -> None:
    text = render("wage_funds_released", ALERT, locale, make_i18n()).text
    due = render("wage_failed", ALERT, locale, make_i18n()).text
    assert DUE[locale] in text
    assert MONEY[locale] in due


def test_texts_are_translated() -> None:
    i18n = make_i18n()
    texts = {loc: render("wage_overdue", ALERT, loc, i18n).text for loc in ("en", "uk", "ko")}
    assert "3 days late" in texts["en"]
    assert "3 дні" in texts["uk"]
    assert "3일" in texts["ko"]


@pytest.mark.parametrize("locale", ["en", "uk", "ko"])
def test_digest_renders_groups_and_totals(locale: str) -> None:
    text = render("wage_digest", DIGEST, locale, make_i18n()).text
    assert "Budova LLC" in text
    assert "Bridge" in text
    assert "1" in text


def test_overlong_entry_id_gets_no_button() -> None:
    rendered = render("wage_failed", {**ALERT, "entry_id": "x" * 64}, "en", make_i18n())
    assert rendered.reply_markup is None
