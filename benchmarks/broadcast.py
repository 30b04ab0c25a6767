"""Delivery engine benchmark (issue 4): broadcast pace, rate-limit safety, enqueue time, latency.

Workloads (BENCHMARKS.md): an audience of 100,000 active chats (5 % answer 403 blocked, 1 % 400
chat not found), one broadcast with texts in en/uk/ko, against the fake Bot API server on
loopback; the notifier is the real `clearsite notifier` in a child process.

- (a) pace 1,000/s with PAID_BROADCAST against an unlimited fake: achieved rate / pace, peak RSS
  of the notifier process, duplicates, lost;
- (b) the default pace (25/s) against a fake enforcing 30 msg/s and 1 msg/s per chat: 429s
  served (3,000 recipients: 100,000 at 25/s would take 67 minutes);
- (c) time to enqueue the 100,000-recipient broadcast (one unit of work, INSERT … SELECT);
- latency: 200 single alerts committed one by one at random intervals into an idle queue,
  commit -> fake receives, p50/p99.

Baselines in the same run: raw aiogram sends to the same fake (64 concurrent, no database); the
peak RSS of a process that only imports aiogram, with aiogram's own eager build of its types and
with ours on first use (bot/ui/lazy_types.py); the notifier's peak RSS with the eager build
(10,000 alerts at 1,000/s).

    .venv/bin/python benchmarks/broadcast.py [--quick] [--engine sqlite|postgresql]
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import subprocess
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from common import (
    base_parser,
    engines,
    migrated_database,
    now,
    run_context,
    summary_ms,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from sqlalchemy import insert

from botapi_emulator import BotApiEmulator
from core.broadcasts.schemas import BroadcastCreate
from core.chats.models import Chat
from core.db import SessionFactory, make_engine, make_session_factory
from core.outbox.schemas import DeliveryIn
from core.services import Services
from core.uow import unit_of_work


async def add_chats(svc: Services, ids: Iterable[int], *, locale: str | None = None) -> None:
    """Active chats, written straight to the table in batches (the broadcast's audience)."""
    seen = datetime.now(UTC)
    rows = [
        {"id": chat_id, "type": "private" if chat_id > 0 else "group", "locale": locale,
         "is_active": True, "first_seen_at": seen, "last_seen_at": seen}
        for chat_id in ids
    ]  # fmt: skip
    for start in range(0, len(rows), 5000):
        await svc.session.execute(insert(Chat), rows[start : start + 5000])


TEXTS = {"en": "Bridge closed tonight", "uk": "Міст закрито вночі", "ko": "오늘 밤 다리 통제"}


def notifier_env(url: str, fake: BotApiEmulator, rate: int, paid: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update(
        DATABASE_URL=url, TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_URL=fake.url,
        SEND_RATE_PER_SEC=str(rate), PAID_BROADCAST="true" if paid else "false",
        LOG_LEVEL="ERROR",
    )  # fmt: skip
    return env


# `clearsite notifier` in a process that imported aiogram first, so aiogram builds every type
# at import as it does on its own: the baseline for the notifier's memory.
EAGER_NOTIFIER = (
    "import sys, aiogram; from clearsite.cli import main; sys.exit(main(['notifier']))"
)


async def start(env: dict[str, str], *, eager: bool = False) -> asyncio.subprocess.Process:
    command = ("-c", EAGER_NOTIFIER) if eager else ("-m", "clearsite", "notifier")
    return await asyncio.create_subprocess_exec(
        sys.executable, *command, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip


def peak_rss_of(pid: int) -> float:
    """VmHWM (peak RSS) of a live process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def stop(proc: asyncio.subprocess.Process) -> None:
    proc.terminate()
    await proc.wait()


async def wait_calls(fake: BotApiEmulator, count: int, timeout: float) -> None:  # noqa: ASYNC109
    """Wait until the fake has answered `count` sendMessage calls (any status)."""
    await fake.wait_for(lambda c: c.method.lower() == "sendmessage", count=count, timeout=timeout)


async def enqueue_broadcast(factory: SessionFactory, chats: int) -> float:
    """(c): seconds to create a broadcast to every active chat (a third each en/uk/ko)."""
    async with unit_of_work(factory) as svc:
        for offset, locale in enumerate(("en", "uk", "ko")):
            await add_chats(svc, range(1 + offset, chats + 1, 3), locale=locale)
    request = BroadcastCreate.model_validate(
        {"audience": {"kind": "all"}, "text": TEXTS, "sender": "Bench"}
    )
    started = now()
    async with unit_of_work(factory) as svc:
        made = await svc.broadcasts.create("bench", request)
    elapsed = now() - started
    if made.recipients != chats:
        raise SystemExit(f"expected {chats} recipients, got {made.recipients}")
    return elapsed


async def paced_run(url: str, fake: BotApiEmulator, chats: int) -> dict[str, float]:
    """(a): 1,000/s paid against the unlimited fake."""
    for chat_id in range(1, chats + 1):
        if chat_id % 20 == 0:
            fake.block(chat_id)
        elif chat_id % 100 == 1:
            fake.chat_not_found(chat_id)
    proc = await start(notifier_env(url, fake, 1000, paid=True))
    await wait_calls(fake, chats, timeout=chats / 100 + 60)
    rss = peak_rss_of(proc.pid)
    await stop(proc)
    calls = fake.calls_to("sendMessage")
    span = calls[-1].time - calls[0].time
    reachable = [c for c in range(1, chats + 1) if c % 20 and c % 100 != 1]
    got = {c.chat_id for c in fake.sent_messages()}
    return {
        "rate": len(calls) / span,
        "rss": rss,
        "duplicates": sum(n - 1 for n in fake.duplicates().values()),
        "lost": sum(1 for c in reachable if c not in got),
        "429s": fake.rate_limited_count,
    }


async def limited_run(
    url: str, factory: SessionFactory, fake: BotApiEmulator, n: int
) -> dict[str, float]:
    """(b): the default pace against a fake enforcing 30/s and 1/s per chat."""
    fake.clear_records()
    fake.enforce_limits(global_per_sec=30, per_chat_per_sec=1)
    base = 1_000_000
    async with unit_of_work(factory) as svc:
        await add_chats(svc, range(base, base + n))
        await svc.outbox.enqueue([_alert(f"b:{i}", base + i, "limited") for i in range(n)])
    proc = await start(notifier_env(url, fake, 25, paid=False))
    await fake.wait_sent(n, timeout=n / 20 + 60)
    await stop(proc)
    fake.unlimited()
    sent = fake.sent_messages()
    return {"rate": len(sent) / (sent[-1].time - sent[0].time), "429s": fake.rate_limited_count}


async def eager_run(url: str, factory: SessionFactory, fake: BotApiEmulator, n: int) -> float:
    """Baseline: peak RSS of the same notifier with aiogram's eager build, n alerts at 1,000/s."""
    fake.clear_records()
    base = 4_000_000
    async with unit_of_work(factory) as svc:
        await add_chats(svc, range(base, base + n))
        await svc.outbox.enqueue([_alert(f"e:{i}", base + i, "eager") for i in range(n)])
    proc = await start(notifier_env(url, fake, 1000, paid=True), eager=True)
    await fake.wait_sent(n, timeout=n / 100 + 60)
    rss = peak_rss_of(proc.pid)
    await stop(proc)
    return rss


def _alert(key: str, chat_id: int, text: str) -> DeliveryIn:
    return DeliveryIn(
        dedup_key=key, chat_id=chat_id, kind="broadcast", locale="en",
        params={"text": text, "sender": "Bench"},
    )  # fmt: skip


async def latency_run(
    url: str, factory: SessionFactory, fake: BotApiEmulator, n: int
) -> list[float]:
    """Single alerts into an idle queue: commit -> the fake receives it."""
    fake.clear_records()
    base = 2_000_000
    async with unit_of_work(factory) as svc:
        await add_chats(svc, range(base, base + n))
    proc = await start(notifier_env(url, fake, 25, paid=False))
    async with unit_of_work(factory) as svc:
        await add_chats(svc, [base - 1])
        await svc.outbox.enqueue([_alert("l:warm", base - 1, "warm-up")])
    await fake.wait_sent(1, chat_id=base - 1, timeout=60)  # the child is up and idle
    latencies = []
    for i in range(n):
        await asyncio.sleep(random.uniform(0.05, 0.3))
        async with unit_of_work(factory) as svc:
            await svc.outbox.enqueue([_alert(f"l:{i}", base + i, f"alert {i}")])
        committed = fake.clock()
        (call,) = await fake.wait_sent(1, chat_id=base + i, timeout=10)
        latencies.append(call.time - committed)
    await stop(proc)
    return latencies


async def baseline(fake: BotApiEmulator, n: int) -> float:
    """Raw aiogram sends, 64 at a time, no database: the transport's own rate."""
    fake.clear_records()
    bot = Bot(fake.token, session=AiohttpSession(api=fake.api))
    slots = asyncio.Semaphore(64)

    async def one(i: int) -> None:
        async with slots:
            await bot.send_message(3_000_000 + i, "baseline")

    started = now()
    await asyncio.gather(*(one(i) for i in range(n)))
    elapsed = now() - started
    await bot.session.close()
    return n / elapsed


IMPORT_ONLY = {
    "eager": "import aiogram",
    "lazy": "from bot.ui.lazy_types import import_aiogram; import_aiogram()",
}


def import_footprint(how: str) -> float:
    """Peak RSS (MiB) of a fresh interpreter that imports aiogram and nothing else."""
    # VmHWM, not ru_maxrss: a child's ru_maxrss starts from this (large) process's at the fork.
    peak = "print(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])"
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", f"{IMPORT_ONLY[how]}\n{peak}"],
        cwd=root, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return int(out.stdout) / 1024


async def run(engine_name: str, url: str, quick: bool) -> None:
    chats, limited, alerts = (3000, 200, 20) if quick else (100_000, 3000, 200)
    db = make_engine(url)
    factory = make_session_factory(db)
    async with BotApiEmulator(record=True) as fake:
        base_rate = await baseline(fake, min(chats, 20_000))
        fake.clear_records()
        enqueue_s = await enqueue_broadcast(factory, chats)
        paced = await paced_run(url, fake, chats)
        capped = await limited_run(url, factory, fake, limited)
        latencies = await latency_run(url, factory, fake, alerts)
        eager_rss = await eager_run(url, factory, fake, min(chats, 10_000))
    await db.dispose()
    lat = summary_ms(latencies)
    print(f"== broadcast benchmark on {engine_name} ({chats:,} recipients) ==")
    print(f"baseline: raw aiogram -> fake {base_rate:,.0f} msg/s")
    eager, lazy = import_footprint("eager"), import_footprint("lazy")
    print(
        f"baseline: importing aiogram alone: peak RSS {eager:.0f} MiB eager, {lazy:.0f} MiB lazy"
    )
    print(f"baseline: the notifier with aiogram's eager build: peak RSS {eager_rss:.0f} MiB")
    print(f"(c) enqueue {chats:,}-recipient broadcast: {enqueue_s:.2f} s")
    print(
        f"(a) pace 1,000/s paid: achieved {paced['rate']:,.0f} msg/s "
        f"({paced['rate'] / 1000:.1%} of pace, {paced['rate'] / base_rate:.2f}x baseline), "
        f"peak RSS notifier {paced['rss']:.0f} MiB, duplicates {paced['duplicates']:.0f}, "
        f"lost {paced['lost']:.0f}, 429s {paced['429s']:.0f}"
    )
    print(
        f"(b) default pace vs 30/s + 1/s/chat limits ({limited:,} msgs): "
        f"{capped['rate']:.1f} msg/s, 429s served {capped['429s']:.0f}"
    )
    print(
        f"latency ({alerts} single alerts, idle queue): p50 {lat['median']:.0f} ms, "
        f"p99 {lat['p99']:.0f} ms (goal p99 <= 1000 ms)"
    )


def main() -> None:
    parser = base_parser(__doc__ or "")
    args = parser.parse_args()
    run_context(args)
    random.seed(args.seed)
    logging.basicConfig(level=logging.ERROR)
    for name in engines(args.engine):
        with migrated_database(name, args.database_url) as url:
            asyncio.run(run(name, url, args.quick))


if __name__ == "__main__":
    main()
