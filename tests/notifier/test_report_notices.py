# ruff: noqa: RUF001 - the Ukrainian texts are Cyrillic on purpose
"""Report notices: each kind in the reader's language, the citizen's and official's words
escaped inside the frame, and buttons the bot's handlers understand."""

from __future__ import annotations

from typing import Any

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n

from bot.ui import notices

REPORT = {
    "id": 7,
    "reference": "CR-ABCD2345",
    "category": "noise",
    "project_id": "P1",
    "project_title": "Bridge <north>",
    "status": "new",
}


def _data(markup: InlineKeyboardMarkup | None) -> list[str | None]:
    assert markup is not None
    return [b.callback_data for row in markup.inline_keyboard for b in row]


def test_new_report_to_officials_has_place_quote_and_action_buttons(i18n: I18n) -> None:
    params: dict[str, Any] = {
        "report": REPORT,
        "text": "Drilling <b>at 6</b> & on",
        "lat": 50.4501,
        "lon": 30.5234,
        "photos": [{"id": 1, "file_id": None}],
    }
    out = notices.render("report_filed", params, "uk", i18n)
    assert out.text.startswith("📨 <b>Нове звернення <code>CR-ABCD2345</code></b>")
    assert "Категорія: Шум або години роботи" in out.text
    assert "Проєкт: Bridge &lt;north&gt;" in out.text
    assert "Місце: 50.45010, 30.52340" in out.text
    assert "<blockquote>Drilling &lt;b&gt;at 6&lt;/b&gt; &amp; on</blockquote>" in out.text
    assert _data(out.reply_markup) == [
        f"ra:7:{a}" for a in ("ack", "prog", "res", "nours", "dup", "rej", "reply", "block")
    ]


def test_resolved_asks_the_reporter_is_it_solved(i18n: I18n) -> None:
    params = {
        "report": {**REPORT, "status": "resolved"},
        "status": "resolved",
        "note": "Fixed <now>",
        "ask_feedback": True,
    }
    out = notices.render("report_status", params, "ko", i18n)
    assert "🔔 <b>민원 <code>CR-ABCD2345</code>: 해결됨</b>" in out.text
    assert "<blockquote>Fixed &lt;now&gt;</blockquote>" in out.text
    assert "<b>해결되었나요?</b>" in out.text
    assert _data(out.reply_markup) == ["rb:7:yes", "rb:7:partly", "rb:7:no"]


def test_status_for_followers_shows_expected_date_and_thread_buttons(i18n: I18n) -> None:
    params = {
        "report": REPORT,
        "status": "in_progress",
        "expected_date": "2026-11-20",
    }
    out = notices.render("report_status", params, "en", i18n)
    assert out.text.startswith("🔔 <b>Report <code>CR-ABCD2345</code>: in progress</b>")
    assert "Expected to be done by Nov 20, 2026" in out.text
    assert _data(out.reply_markup) == ["rr:7", "ro:7"]


def test_closed_reasons_are_named(i18n: I18n) -> None:
    for reason, label in (
        ("duplicate", "closed as a duplicate"),
        ("not_responsible", "closed: not our responsibility"),
        ("rejected", "rejected"),
    ):
        params = {"report": REPORT, "status": "closed", "reason": reason, "duplicate_of": None}
        assert label in notices.render("report_status", params, "en", i18n).text


def test_answer_reply_feedback_overdue_and_block(i18n: I18n) -> None:
    answer = notices.render("report_answer", {"report": REPORT, "text": "<i>Soon</i>"}, "uk", i18n)
    assert "💬 <b>Відповідь на звернення" in answer.text
    assert "&lt;i&gt;Soon&lt;/i&gt;" in answer.text
    reply = notices.render("report_reply", {"report": REPORT, "text": "Still loud"}, "en", i18n)
    assert "The reporter replied" in reply.text
    assert "Still loud" in reply.text
    fb = {"report": REPORT, "value": "no", "rating": 2, "reopened": True}
    feedback = notices.render("report_feedback", fb, "en", i18n)
    assert "Is it solved? no" in feedback.text
    assert "Rating: 2 of 5" in feedback.text
    assert "open again" in feedback.text
    od = {"report": REPORT, "why": "not_acknowledged", "since_date": "2026-11-03"}
    overdue = notices.render("report_overdue", od, "en", i18n)
    assert "is overdue" in overdue.text
    assert "acknowledged by Nov 3, 2026" in overdue.text
    blocked = notices.render("report_blocked", {"reason": "Spam & <abuse>"}, "ko", i18n)
    assert "Spam &amp; &lt;abuse&gt;" in blocked.text
    assert blocked.text.startswith("🚫 <b>이 봇으로")


def test_morning_digest_carries_overdue_reports_even_without_wages(i18n: I18n) -> None:
    item = {
        "reference": "CR-ABCD2345",
        "category": "safety",
        "project_id": "P1",
        "project_title": "Bridge",
        "why": "not_acknowledged",
        "since_date": "2026-10-30",
    }
    params: dict[str, Any] = {
        "as_of": "2026-11-01",
        "groups": [],
        "reports_overdue": [item],
        "reports_overdue_total": 3,
    }
    out = notices.render("wage_digest", params, "uk", i18n)
    assert out.text.startswith("📋 <b>Ранкове зведення,")
    assert "⏰ <b>Прострочені звернення громадян: 3</b>" in out.text
    assert "<code>CR-ABCD2345</code> Загроза безпеці — Bridge" in out.text
    assert "…" in out.text
