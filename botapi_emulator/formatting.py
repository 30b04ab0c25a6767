"""Telegram's HTML parse mode: check it as Telegram does, and render it safely for a browser."""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

# Telegram's tags and the tag we show for each (synonyms collapse to one).
_TAGS = {
    "b": "b",
    "strong": "b",
    "i": "i",
    "em": "i",
    "u": "u",
    "ins": "u",
    "s": "s",
    "strike": "s",
    "del": "s",
    "tg-spoiler": "tg-spoiler",
    "span": "tg-spoiler",
    "a": "a",
    "tg-emoji": "span",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_LINK_SCHEMES = ("http://", "https://", "tg://", "mailto:")


class HtmlError(ValueError):
    """Text Telegram would refuse with "can't parse entities"."""


class _Renderer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []  # (tag, what closes it in the safe HTML)
        self.plain: list[str] = []
        self.safe: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        shown = _TAGS.get(tag)
        if shown is None or (tag == "span" and ("class", "tg-spoiler") not in attrs):
            self.error = self.error or f'Unsupported start tag "{tag}"'
            shown = "span"
        href = dict(attrs).get("href") or ""
        if shown == "a" and href.startswith(_LINK_SCHEMES):
            opening = f'<a href="{escape(href)}" target="_blank" rel="noopener noreferrer">'
        elif shown == "tg-spoiler":
            opening = '<span class="tg-spoiler">'
        elif shown == "a":
            opening, shown = "<span>", "span"
        else:
            opening = f"<{shown}>"
        closer = "</span>" if shown == "tg-spoiler" else f"</{shown}>"
        self.stack.append((tag, closer))
        self.safe.append(opening)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1][0] != tag:
            self.error = self.error or f'Unexpected end tag "{tag}"'
            return
        self.safe.append(self.stack.pop()[1])

    def handle_data(self, data: str) -> None:
        self.plain.append(data)
        self.safe.append(escape(data, quote=False))


def render(text: str, parse_mode: object) -> tuple[str, str]:
    """(plain text Telegram would store, HTML safe to show); HtmlError for bad markup."""
    if str(parse_mode or "").lower() != "html":
        return text, escape(text, quote=False)
    renderer = _Renderer()
    renderer.feed(text)
    renderer.close()
    if renderer.error is None and renderer.stack:
        renderer.error = (
            f'Can\'t find end tag corresponding to start tag "{renderer.stack[-1][0]}"'
        )
    if renderer.error is not None:
        raise HtmlError(renderer.error)
    return "".join(renderer.plain), "".join(renderer.safe)
