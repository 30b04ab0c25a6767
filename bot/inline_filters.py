"""Await the bot's synchronous filters on the event loop instead of in a worker thread.

aiogram runs every synchronous filter through `asyncio.to_thread`. The bot's are magic filters
(`F.location`, `F.text == __("…")`) and conversation `State`s: attribute comparisons of a few
microseconds, while each trip to a thread costs a hand-off of the interpreter lock and a wake-up
of the loop. A shared location tried about seventeen of them before its handler matched.

`inline_sync_filters(dispatcher)` swaps those two kinds, and only those (they read the event and
nothing else), for an awaitable filter that calls them directly; any other synchronous filter is
left to aiogram. What each filter answers is unchanged.
"""

from __future__ import annotations

from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import FilterObject
from aiogram.filters import Filter
from aiogram.filters.logic import _AndFilter, _InvertFilter, _OrFilter
from aiogram.fsm.state import State
from magic_filter import MagicFilter


class InlineMagic(Filter):
    """A magic filter (`F.…`) resolved on the loop."""

    def __init__(self, magic: MagicFilter) -> None:
        self.magic = magic

    async def __call__(self, event: Any, **_: Any) -> Any:
        return self.magic.resolve(event)


class InlineState(Filter):
    """A conversation state (`Flow.location` as a filter) compared on the loop."""

    def __init__(self, state: State) -> None:
        self.state = state

    async def __call__(self, event: Any, raw_state: str | None = None, **_: Any) -> bool:
        return self.state(event, raw_state=raw_state)


def inline_sync_filters(root: Router) -> int:
    """Replace the pure synchronous filters of `root` and every router below it; how many."""
    replaced = 0
    for router in root.chain_tail:
        for observer in router.observers.values():
            # Router-wide filters (`router.message.filter(...)`) live on the observer's own
            # handler; aiogram gives no other way to read them back.
            for handler in (observer._handler, *observer.handlers):
                if handler.filters:
                    handler.filters, count = _inline_all(handler.filters)
                    replaced += count
    return replaced


def _inline_all(filters: list[FilterObject]) -> tuple[list[FilterObject], int]:
    done = [_inline(f) for f in filters]
    return [f for f, _ in done], sum(n for _, n in done)


def _inline(target: FilterObject) -> tuple[FilterObject, int]:
    callback = target.callback
    if isinstance(callback, _AndFilter | _OrFilter):
        inner, count = _inline_all(list(callback.targets))
        callback.targets = tuple(inner)
        return target, count
    if isinstance(callback, _InvertFilter):
        callback.target, count = _inline(callback.target)
        return target, count
    if target.awaitable:
        return target, 0
    if target.magic is not None:
        return FilterObject(InlineMagic(target.magic)), 1
    if isinstance(callback, State):
        return FilterObject(InlineState(callback)), 1
    return target, 0
