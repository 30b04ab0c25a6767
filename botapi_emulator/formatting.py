"""Telegram's parse modes: check text as Telegram does, and render it safely for a browser."""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

# Telegram's HTML tags and the tag we show for each (synonyms collapse to one).
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
_MD2_PLAIN_RESERVED = frozenset(".!#+-={}")


class FormattingError(ValueError):
    """Text Telegram would refuse with "can't parse entities"."""


class UnsupportedParseMode(ValueError):
    """A parse_mode Telegram does not know."""


def utf16_len(text: str) -> int:
    """Telegram counts entity offsets and lengths in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


class _Renderer(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.stack: list[tuple[str, str]] = []  # (tag, what closes it in the safe HTML)
        self.plain: list[str] = []
        self.safe: list[str] = []
        self.error: str | None = None

    def _offset(self) -> int:
        line, column = self.getpos()
        lines = self.source.split("\n")
        prefix = "\n".join([*lines[: line - 1], lines[line - 1][:column]])
        return len(prefix.encode())

    def _fail(self, message: str) -> None:
        if self.error is None:
            self.error = f"{message} at byte offset {self._offset()}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        shown = _TAGS.get(tag)
        if shown is None or (tag == "span" and ("class", "tg-spoiler") not in attrs):
            self._fail(f'Unsupported start tag "{tag}"')
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
            self._fail(f'Unexpected end tag "{tag}"')
            return
        self.safe.append(self.stack.pop()[1])

    def handle_data(self, data: str) -> None:
        self.plain.append(data)
        self.safe.append(escape(data, quote=False))


def _render_html(text: str) -> tuple[str, str]:
    renderer = _Renderer(text)
    renderer.feed(text)
    renderer.close()
    if renderer.error is None and renderer.stack:
        renderer.error = (
            f'Can\'t find end tag corresponding to start tag "{renderer.stack[-1][0]}"'
        )
    if renderer.error is not None:
        raise FormattingError(renderer.error)
    return "".join(renderer.plain), "".join(renderer.safe)


def _unclosed(text: str, at: int) -> FormattingError:
    offset = len(text[:at].encode())
    return FormattingError(f"Can't find end of the entity starting at byte offset {offset}")


def _markdown_plain(text: str, v2: bool) -> str:  # noqa: PLR0912 - one pass, as Telegram reads
    # A deliberately small parser: it catches what breaks real bots (unescaped reserved
    # characters, unclosed entities) without modelling every MarkdownV2 rule.
    toggles = "*_~|" if v2 else "*_"
    plain: list[str] = []
    open_at: dict[str, int] = {}
    i, n, line_start = 0, len(text), True
    while i < n:
        ch = text[i]
        if ch == "\\" and v2 and i + 1 < n:
            plain.append(text[i + 1])
            i, line_start = i + 2, False
            continue
        if ch == "`" and "`" not in open_at:
            fence = "```" if text.startswith("```", i) else "`"
            end = text.find(fence, i + len(fence))
            if end < 0:
                raise _unclosed(text, i)
            code = text[i + len(fence) : end]
            if fence == "```" and "\n" in code:
                # The first line of a pre block names the language; it is not shown.
                code = code.split("\n", 1)[1]
            plain.append(code)
            i, line_start = end + len(fence), False
            continue
        if ch in toggles and (ch != "|" or text.startswith("||", i)):
            token = "||" if ch == "|" else ch
            if token in open_at:
                del open_at[token]
            else:
                open_at[token] = i
            i += len(token)
            line_start = False
            continue
        if ch == "[":
            open_at["["] = i
        elif ch == "]" and "[" in open_at:
            del open_at["["]
            if text.startswith("(", i + 1):
                end = text.find(")", i + 2)
                i = max(i, end)
        elif v2 and (ch in _MD2_PLAIN_RESERVED or ch in "()]|" or (ch == ">" and not line_start)):
            raise FormattingError(
                f"Character '{ch}' is reserved and must be escaped with the preceding '\\'"
            )
        elif ch != ">" or not v2:
            plain.append(ch)
        line_start = ch == "\n"
        i += 1
    if open_at:
        raise _unclosed(text, min(open_at.values()))
    return "".join(plain)


def render(text: str, parse_mode: object) -> tuple[str, str]:
    """(plain text Telegram would store, HTML safe to show); FormattingError for bad markup
    (UnsupportedParseMode for an unknown mode)."""
    mode = str(parse_mode or "").lower()
    if mode == "html":
        return _render_html(text)
    if mode in ("markdownv2", "markdown"):
        plain = _markdown_plain(text, v2=mode == "markdownv2")
        return plain, escape(plain, quote=False)
    if mode:
        raise UnsupportedParseMode(f"unsupported parse_mode {parse_mode!r}")
    return text, escape(text, quote=False)
