"""Notice renderers: the engine's own kinds, and one for every kind the domain enqueues."""

from __future__ import annotations

import pytest
from aiogram.utils.i18n import I18n

from bot.ui import notices
from core.services import delivery_kinds


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


def test_every_kind_the_domain_enqueues_has_a_renderer() -> None:
    notices.require(delivery_kinds())
    assert {"broadcast", "project_update", "wage_overdue", "wage_digest", "report_filed"} <= (
        delivery_kinds()
    )


def test_a_kind_without_a_renderer_is_refused_by_name() -> None:
    with pytest.raises(notices.UnknownKind, match="no notice renderer for: zz_new, zz_other"):
        notices.require({*delivery_kinds(), "zz_new", "zz_other"})
