"""Project updates that wait: the daily area digest, and held updates edited instead of repeated.

Both are outbox rows not yet rendered. A new change for a chat that already has one is merged
into it (each project keeps its first "before" and its latest "after"), so the chat gets one
message with the latest figures, never two. The rows stay in the outbox with their time on
them, so a restart or a second notifier changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from core.chats import quiet
from core.outbox.schemas import DeliveryIn, UnsentRow
from core.outbox.service import OutboxService
from core.outbox.timing import TimingService

DIGEST_KIND = "project_digest"
MAX_DIGEST_ITEMS = 20
_PAIRS = ("status", "progress", "end")


def next_digest_at(now: datetime, hour: int, zone: ZoneInfo) -> datetime:
    """The next `hour`:00 local time strictly after `now` (UTC)."""
    return quiet.next_local(now, time(hour), zone)


def merge_item(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any] | None:
    """One project's changes since the first message: first "before", latest "after";
    None when the changes cancelled out."""
    merged: dict[str, Any] = {"id": new["id"], "new": bool(old.get("new") or new.get("new"))}
    merged["title"] = new.get("title") or old.get("title")
    for key in _PAIRS:
        first, last = old.get(key), new.get(key)
        pair = [first[0], last[1]] if first and last else first or last
        if pair and (merged["new"] or pair[0] != pair[1]):
            merged[key] = pair
    if old.get("completed") or new.get("completed"):
        merged["completed"] = True
    changed = merged["new"] or merged.get("completed") or any(k in merged for k in _PAIRS)
    return merged if changed else None


def merge_params(
    old: Mapping[str, Any], items: list[dict[str, Any]], limit: int
) -> dict[str, Any]:
    """The params of a waiting message with newer items merged in (by project id)."""
    by_id: dict[str, dict[str, Any]] = {i["id"]: i for i in old.get("projects") or []}
    for item in items:
        previous = by_id.pop(item["id"], None)
        merged = item if previous is None else merge_item(previous, item)
        if merged is not None:
            by_id[item["id"]] = merged
    listed = list(by_id.values())
    more = int(old.get("more") or 0) + max(0, len(listed) - limit)
    return {**old, "projects": listed[:limit], "more": more}


async def merge_into_waiting(
    timing: TimingService,
    kind: str,
    wanted: Mapping[int, tuple[list[dict[str, Any]], str | None]],
    limit: int,
) -> set[int]:
    """Merge each chat's items into its waiting row of `kind` (the one with that dedup key,
    or any held one when the key is None); the chats done."""
    rows = await timing.unsent(list(wanted), kind)
    done: set[int] = set()
    for row in rows:
        if row.chat_id in done or not _matches(row, wanted[row.chat_id][1]):
            continue
        params = merge_params(row.params, wanted[row.chat_id][0], limit)
        if await timing.replace_params(row.id, params):
            done.add(row.chat_id)
    return done


def _matches(row: UnsentRow, dedup_key: str | None) -> bool:
    return row.held if dedup_key is None else row.dedup_key == dedup_key


async def enqueue_digests(
    outbox: OutboxService,
    timing: TimingService,
    per_chat: Mapping[int, tuple[str, int, list[dict[str, Any]]]],
    now: datetime,
    zone: ZoneInfo,
) -> int:
    """Add each chat's area changes to its next daily digest (chat -> locale, hour, items)."""
    wanted: dict[int, tuple[list[dict[str, Any]], str | None]] = {}
    due: dict[int, datetime] = {}
    for chat_id, (_locale, hour, items) in per_chat.items():
        due[chat_id] = next_digest_at(now, hour, zone)
        wanted[chat_id] = (items, _digest_key(chat_id, due[chat_id], zone))
    merged = await merge_into_waiting(timing, DIGEST_KIND, wanted, MAX_DIGEST_ITEMS)
    # A digest taken for sending in this very moment: the change goes into the next one.
    taken = await timing.existing_keys(
        [key for chat_id, (_items, key) in wanted.items() if key and chat_id not in merged]
    )
    for chat_id, (items, key) in list(wanted.items()):
        if key in taken:
            due[chat_id] = next_digest_at(due[chat_id], per_chat[chat_id][1], zone)
            wanted[chat_id] = (items, _digest_key(chat_id, due[chat_id], zone))
    fresh = [
        DeliveryIn(
            dedup_key=wanted[chat_id][1] or "",
            chat_id=chat_id,
            kind=DIGEST_KIND,
            locale=locale,
            params=merge_params(
                {"date": due[chat_id].astimezone(zone).date().isoformat()},
                items,
                MAX_DIGEST_ITEMS,
            ),
            not_before=due[chat_id],
        )
        for chat_id, (locale, _hour, items) in per_chat.items()
        if chat_id not in merged
    ]
    return await outbox.enqueue(fresh)


def _digest_key(chat_id: int, due: datetime, zone: ZoneInfo) -> str:
    return f"pd:{chat_id}:{due.astimezone(zone):%Y-%m-%d}"
