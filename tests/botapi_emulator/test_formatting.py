"""Telegram's HTML subset: accepted and shown safely; anything else refused, as Telegram does."""

from __future__ import annotations

import pytest

from botapi_emulator.formatting import FormattingError, render


def test_allowed_tags_are_kept_and_text_escaped() -> None:
    plain, safe = render("<b>a</b> <strong>&lt;b&gt;</strong> <code>x &amp; y</code>", "HTML")
    assert plain == "a <b> x & y"
    assert safe == "<b>a</b> <b>&lt;b&gt;</b> <code>x &amp; y</code>"


def test_links_open_safely_and_script_urls_are_dropped() -> None:
    _, safe = render(
        '<a href="https://x.test/?a=1&amp;b=2">ok</a><a href="javascript:1">no</a>', "HTML"
    )
    assert safe == (
        '<a href="https://x.test/?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">ok</a>'
        "<span>no</span>"
    )


def test_spoilers_and_quotes() -> None:
    _, safe = render(
        '<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler><blockquote>q</blockquote>',
        "HTML",
    )
    spoiler = '<span class="tg-spoiler">'
    assert safe == f"{spoiler}s</span>{spoiler}t</span><blockquote>q</blockquote>"


@pytest.mark.parametrize(
    "text",
    ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<b>open", "<b><i>x</b></i>"],
)
def test_markup_telegram_refuses_is_refused(text: str) -> None:
    with pytest.raises(FormattingError):
        render(text, "HTML")


def test_without_parse_mode_everything_is_text() -> None:
    assert render("<img src=x onerror=alert(1)>", None) == (
        "<img src=x onerror=alert(1)>",
        "&lt;img src=x onerror=alert(1)&gt;",
    )
