"""Notices: how the notifier turns an outbox row (kind + params) into a Telegram message.

Each kind has one renderer, registered with `@register(kind)` in a submodule listed in
`SUBMODULES`. The notifier calls `render` just before the first send and stores the result,
so a retry sends exactly the same bytes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n

SUBMODULES = ("broadcast", "broadcast_done", "digest", "projects", "reports", "wages")

Renderer = Callable[[dict[str, Any], str], "Rendered"]
_RENDERERS: dict[str, Renderer] = {}


@dataclass(frozen=True)
class Rendered:
    """A message ready to send: HTML text and an optional inline keyboard."""

    text: str
    reply_markup: InlineKeyboardMarkup | None = None


class UnknownKind(LookupError):
    """No renderer is registered for a delivery kind."""


def register(kind: str) -> Callable[[Renderer], Renderer]:
    """Register `fn(params, locale) -> Rendered` as the renderer of `kind`."""

    def _decorator(fn: Renderer) -> Renderer:
        _RENDERERS[kind] = fn
        return fn

    return _decorator


def _load() -> dict[str, Renderer]:
    for name in SUBMODULES:
        importlib.import_module(f"{__name__}.{name}")
    return _RENDERERS


def kinds() -> list[str]:
    """Every registered kind."""
    return sorted(_load())


def require(needed: Iterable[str]) -> None:
    """Raise UnknownKind naming every kind without a renderer: a process that sends checks
    at start-up, so a missing renderer stops it there instead of failing deliveries later."""
    missing = sorted(set(needed) - set(_load()))
    if missing:
        raise UnknownKind(f"no notice renderer for: {', '.join(missing)}")


def render(kind: str, params: dict[str, Any], locale: str, i18n: I18n) -> Rendered:
    """Render one notice in `locale` (gettext through `i18n`)."""
    renderer = _load().get(kind)
    if renderer is None:
        raise UnknownKind(kind)
    with i18n.context(), i18n.use_locale(locale):
        return renderer(params, locale)
