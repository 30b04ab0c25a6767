"""Quiet hours benchmark (issue 16): holding a broadcast through a quiet window, then releasing it.

Every recipient holds normal messages through quiet hours (QUIET_HOURS_DEFAULT, a window that
ends at the next minute boundary at least a lead time away, in LOCAL_TIMEZONE). A broadcast to
all of them is created inside the window; the real `clearsite notifier` (a child process, real
clock) claims the copies and holds them; when the window ends it releases them all at once.

- (a) 100,000 held copies released at 1,000/s (PAID_BROADCAST) against the Bot API emulator
  enforcing 1,000 msg/s overall and 1 msg/s per chat: achieved rate / configured pace, 429s
  served, duplicates, lost, sends inside the window (must be 0), how long holding took, and the
  delay from the window's end to the first send;
- (b) the default pace (25/s) against an emulator enforcing 30/s and 1/s per chat: 1,500 held
  copies (a minute's sending), rate / pace and 429s;
- (c) a pace equal to the limit: 1,500 held copies at 30/s (Telegram's free limit, the most
  SEND_RATE_PER_SEC allows without PAID_BROADCAST) against an emulator enforcing 30 msg/s:
  rate / pace and 429s.

Floor in the same run: the same audience and the same notifier, pace and limits, with no
quiet hours (the copies are sent as soon as they are written): the release's rate is reported
as a ratio of that one.

    .venv/bin/python benchmarks/quiet_release.py [--quick] [--engine sqlite|postgresql|both]
        [--runs abc]
"""

from __future__ import annotations

import asyncio
import logging
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from broadcast import notifier_env, start, stop
from common import base_parser, engines, migrated_database, now, run_context

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select, update

from botapi_emulator import BotApiEmulator
from core.broadcasts.schemas import BroadcastCreate
from core.chats.models import Chat
from core.db import SessionFactory, make_engine, make_session_factory
from core.outbox.models import Delivery
from core.uow import unit_of_work

ZONE = ZoneInfo("Europe/Kyiv")
TEXTS = {"en": "Water off tonight", "uk": "Вночі не буде води", "ko": "오늘 밤 단수"}


async def add_chats(factory: SessionFactory, first: int, n: int, hold: bool) -> None:
    """`n` active private chats from id `first`, holding through quiet hours or not; the
    chats of earlier runs are deactivated so a broadcast to all reaches only these."""
    seen = datetime.now(UTC)
    async with unit_of_work(factory) as svc:
        await svc.session.execute(update(Chat).values(is_active=False))
        rows = [
            {"id": first + i, "type": "private", "locale": ("en", "uk", "ko")[i % 3],
             "is_active": True, "first_seen_at": seen, "last_seen_at": seen, "quiet_hold": hold}
            for i in range(n)
        ]  # fmt: skip
        for at in range(0, n, 5000):
            await svc.session.execute(insert(Chat), rows[at : at + 5000])


async def broadcast(factory: SessionFactory, n: int) -> None:
    request = BroadcastCreate.model_validate(
        {"audience": {"kind": "all"}, "text": TEXTS, "sender": "Bench"}
    )
    async with unit_of_work(factory) as svc:
        made = await svc.broadcasts.create("bench", request)
    if made.recipients != n:
        raise SystemExit(f"expected {n} recipients, got {made.recipients}")


async def held_count(factory: SessionFactory) -> int:
    async with unit_of_work(factory) as svc:
        stmt = select(func.count()).where(
            Delivery.state == "pending", Delivery.held_until.is_not(None)
        )
        return int(await svc.session.scalar(stmt) or 0)


def window(lead_s: float) -> tuple[str, datetime]:
    """QUIET_HOURS_DEFAULT for a window we are in now, ending at the first minute boundary at
    least `lead_s` away; and that end (UTC)."""
    local = datetime.now(ZONE)
    end = (local + timedelta(seconds=lead_s + 60)).replace(second=0, microsecond=0)
    start_at = local - timedelta(minutes=2)
    return f"{start_at:%H:%M}-{end:%H:%M}", end.astimezone(UTC)


def peak_second(fake: BotApiEmulator) -> int:
    """The most sendMessage calls (any answer) that arrived within one second."""
    times = sorted(c.time for c in fake.calls_to("sendMessage"))
    peak, low = 0, 0
    for high, t in enumerate(times):
        while times[low] <= t - 1.0:
            low += 1
        peak = max(peak, high - low + 1)
    return peak


def rate_of(fake: BotApiEmulator) -> float:
    sent = fake.sent_messages()
    return len(sent) / max(1e-9, sent[-1].time - sent[0].time)


async def plain(
    url: str, factory: SessionFactory, fake: BotApiEmulator, n: int, pace: int, first: int
) -> float:
    """The floor: the same audience without quiet hours, sent as soon as it is written."""
    fake.clear_records()
    await add_chats(factory, first, n, hold=False)
    proc = await start(notifier_env(url, fake, pace, paid=pace > 30))
    try:
        await broadcast(factory, n)
        await fake.wait_sent(n, timeout=n / (pace / 3) + 120)
    finally:
        await stop(proc)  # never leave a notifier behind on this database
    return rate_of(fake)


async def held(
    url: str, factory: SessionFactory, fake: BotApiEmulator, n: int, pace: int, first: int
) -> dict[str, float]:
    """Hold `n` copies through the window, then release them when it ends."""
    fake.clear_records()
    await add_chats(factory, first, n, hold=True)
    # Lead: the broadcast's fan-out and the notifier's holding at a conservative 500 copies/s
    # (a real window lasts hours; this one only has to outlast the holding).
    quiet, end = window(lead_s=max(20.0, n / 500))
    end_mono = fake.clock() + (end - datetime.now(UTC)).total_seconds()
    env = {**notifier_env(url, fake, pace, paid=pace > 30), "QUIET_HOURS_DEFAULT": quiet}
    proc = await start(env)
    try:
        started = now()
        await broadcast(factory, n)
        written_s = now() - started
        while True:  # until every copy is held (polled every 0.2 s), or the window has ended
            if await held_count(factory) >= n or datetime.now(UTC) >= end:
                break
            await asyncio.sleep(0.2)
        hold_s = now() - started
        held_before_end = await held_count(factory)
        left_s = (end - datetime.now(UTC)).total_seconds()
        await fake.wait_sent(n, timeout=left_s + n / (pace / 3) + 120)
    finally:
        await stop(proc)
    sent = fake.sent_messages()
    inside = sum(1 for c in fake.calls_to("sendMessage") if c.time < end_mono)
    got = {c.chat_id for c in sent}
    return {
        "rate": rate_of(fake),
        "429s": fake.rate_limited_count,
        "duplicates": sum(k - 1 for k in fake.duplicates().values()),
        "lost": sum(1 for c in range(first, first + n) if c not in got),
        "inside": inside,
        "hold_s": hold_s,
        "written_s": written_s,
        "held": float(held_before_end),
        "first_after_s": sent[0].time - end_mono,
        "peak_1s": float(peak_second(fake)),
        "first_429_s": min(
            (c.time - end_mono for c in fake.calls_to("sendMessage") if c.status == 429),
            default=float("nan"),
        ),
    }


# (label, pace, limit the emulator enforces, copies full / quick, first chat id of the floor)
CASES = {
    "a": ("(a) paid", 1000, 1000, (100_000, 3000), 1),
    "b": ("(b) default", 25, 30, (1500, 200), 20_000_000),
    "c": ("(c) pace = limit", 30, 30, (1500, 300), 40_000_000),
}


async def run(engine_name: str, url: str, quick: bool, runs: str) -> None:
    db = make_engine(url)
    factory = make_session_factory(db)
    results = []
    async with BotApiEmulator(record=True) as fake:
        for key in runs:
            label, pace, limit, sizes, first = CASES[key]
            n = sizes[1] if quick else sizes[0]
            paid = pace > 30
            fake.enforce_limits(
                global_per_sec=30 if paid else limit, per_chat_per_sec=1, paid_per_sec=limit
            )
            floor = await plain(url, factory, fake, n, pace, first)
            got = await held(url, factory, fake, n, pace, first + 10_000_000)
            results.append((label, pace, limit, n, floor, got))
    await db.dispose()
    print(f"== quiet hours release on {engine_name} ==")
    for label, pace, limit, n, floor, got in results:
        print(
            f"{label}: {got['held']:,.0f} of {n:,} copies held in {got['hold_s']:.1f} s (written "
            f"in {got['written_s']:.1f} s of it; sent inside the window: {got['inside']:.0f}); "
            f"released at {got['rate']:,.1f} msg/s = {got['rate'] / pace:.1%} of the {pace}/s "
            f"pace (limit {limit}/s), {got['rate'] / floor:.2f}x the floor ({floor:,.1f} msg/s "
            f"unheld); 429s {got['429s']:.0f}, duplicates {got['duplicates']:.0f}, lost "
            f"{got['lost']:.0f}; first send {got['first_after_s']:.2f} s after the window's end; "
            f"busiest second {got['peak_1s']:.0f} calls; first 429 at {got['first_429_s']:.1f} s"
        )


def main() -> None:
    parser = base_parser(__doc__ or "")
    parser.add_argument("--runs", default="abc", help="which of the cases a, b, c to run")
    args = parser.parse_args()
    run_context(args)
    random.seed(args.seed)
    logging.basicConfig(level=logging.ERROR)
    for name in engines(args.engine):
        with migrated_database(name, args.database_url) as url:
            asyncio.run(run(name, url, args.quick, args.runs))


if __name__ == "__main__":
    main()
