"""Renderers of the delivery engine's own kinds: broadcast and project_update."""

from __future__ import annotations

from aiogram.utils.i18n import I18n

from bot.ui import notices


def test_broadcast_escapes_the_officials_text_inside_a_localized_frame(i18n: I18n) -> None:
    params = {"text": "<b>Міст</b> & дорога", "sender": "КМДА"}
    out = notices.render("broadcast", params, "uk", i18n)
    assert out.text == "📢 <b>Оголошення від КМДА</b>\n\n&lt;b&gt;Міст&lt;/b&gt; &amp; дорога"
    assert out.reply_markup is None


def test_project_update_groups_changes_with_card_buttons(i18n: I18n) -> None:
    params = {
        "projects": [
            {
                "id": "p-1",
                "new": False,
                "title": "Bridge",
                "status": ["implementation", "completion"],
            },
            {"id": "p-2", "new": False, "title": "Road", "progress": [58.0, 61.0]},
        ],
        "more": 3,
    }
    out = notices.render("project_update", params, "en", i18n)
    assert out.text.startswith(
        "🏗 <b>Project updates</b>\n\n<b>Bridge</b>\nStatus: Under construction"
    )
    assert "Progress: 58% → 61%" in out.text
    assert out.text.endswith("…and 3 more projects")
    assert out.reply_markup is not None
    data = [b.callback_data for row in out.reply_markup.inline_keyboard for b in row]
    assert data == ["c:p-1", "c:p-2"]
