"""Citizen bot under load (issue 3): location queries through the fake Bot API server.

Workload: 100,000 projects (the nearby benchmark's generator: 80 % uniform over Ukraine, 20 %
around the ten largest cities) in a SQLite file; 200 simulated users, each sending 10 locations
around central Kyiv one after another (2,000 queries), to the real bot long-polling the fake
server on loopback. Latency is from the update being queued on the fake to the bot's reply
arriving there; throughput is queries per second of wall time.

Users send closed-loop (next query after the reply), so with 200 users in flight the latency is
mostly queueing: p50 is about users / throughput. "One at a time" gives the unloaded latency.

Baselines in the same run: an echo bot (same aiogram, same fake, same users; answers "ok"
without touching the database) is the transport floor; the service call alone
(`svc.projects.find`, one unit of work each, sequential) is the database floor.

    .venv/bin/python benchmarks/bot.py [--quick]   (this module: benchmarks/bot_load.py)
"""

from __future__ import annotations

import asyncio
import logging
import random
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiogram import Dispatcher, F, Router
from aiogram.types import Message
from common import base_parser, now, peak_rss_mb, summary_ms
from nearby import generate, load_sqlite
from pydantic import SecretStr

from bot.config import BotSettings
from bot.runner import BotApp, make_bot, open_bot
from bot.ui.i18n import make_i18n
from core.config import DbSettings, TelegramSettings
from core.context import DomainContext
from core.db import make_engine, make_session_factory, unit_of_work
from core.projects.queries import ProjectQuery
from tests.fakes.telegram_server import FakeTelegramServer

TARGET_P99_MS = 50.0
Points = list[tuple[float, float]]


async def drive(fake: FakeTelegramServer, users: int, points: Points) -> tuple[list[float], float]:
    """Each user sends its share of points one after another; (latencies, wall seconds)."""
    per_user = len(points) // users
    latencies: list[float] = []

    async def one(index: int) -> None:
        user = fake.user(10_000 + index, language_code=random.choice(["en", "uk", "ko"]))
        for lat, lon in points[index * per_user : (index + 1) * per_user]:
            sent = fake.clock()
            await user.send_location(lat, lon)
            reply = await user.reply(timeout=60)
            latencies.append(reply.time - sent)

    start = now()
    await asyncio.gather(*(one(i) for i in range(users)))
    return latencies, now() - start


async def drive_one_at_a_time(
    fake: FakeTelegramServer, points: Points
) -> tuple[list[float], float]:
    """Unloaded latency: one query in flight at a time (each from a new user)."""
    latencies: list[float] = []
    start = now()
    for index, (lat, lon) in enumerate(points):
        user = fake.user(50_000 + index, language_code="uk")
        sent = fake.clock()
        await user.send_location(lat, lon)
        latencies.append((await user.reply(timeout=60)).time - sent)
    return latencies, now() - start


async def polled(
    app: BotApp, run: Callable[[], Awaitable[tuple[list[float], float]]]
) -> tuple[list[float], float]:
    """Run the workload while `app` long-polls."""
    polling = asyncio.create_task(
        app.dispatcher.start_polling(app.bot, handle_signals=False, close_bot_session=False)
    )
    try:
        return await run()
    finally:
        await app.dispatcher.stop_polling()
        await polling


def echo_app(settings: BotSettings) -> BotApp:
    """The transport floor: same Bot and fake, a handler that answers at once."""
    router = Router(name="echo")

    @router.message(F.location)
    async def echo(message: Message) -> None:
        await message.answer("ok")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return BotApp(make_bot(settings), dispatcher, make_i18n())


async def service_floor(url: str, points: Points) -> list[float]:
    """The nearby query alone, one unit of work each, as the bot issues it."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    times: list[float] = []
    try:
        for lat, lon in points:
            start = now()
            async with unit_of_work(factory, DomainContext()) as svc:
                await svc.projects.find(ProjectQuery(lat=lat, lon=lon, radius_m=1000, limit=5))
            times.append(now() - start)
    finally:
        await engine.dispose()
    return times


async def measure(url: str, users: int, points: Points) -> dict[str, tuple[list[float], float]]:
    """Echo floor, service floor, then the real bot, on one fake server."""
    results: dict[str, tuple[list[float], float]] = {}
    async with FakeTelegramServer() as fake:
        settings = BotSettings(
            db=DbSettings(database_url=url),
            telegram=TelegramSettings(
                telegram_bot_token=SecretStr(fake.token), telegram_api_url=fake.url
            ),
        )
        echo = echo_app(settings)
        try:
            results["echo bot (transport floor)"] = await polled(
                echo, lambda: drive(fake, users, points)
            )
        finally:
            await echo.bot.session.close()
        start = now()
        floor = await service_floor(url, points)
        results["service call only (db floor)"] = (floor, now() - start)
        async with open_bot(settings) as app:
            results["Clearsite bot, one at a time"] = await polled(
                app, lambda: drive_one_at_a_time(fake, points[: len(points) // 10])
            )
        async with open_bot(settings) as app:
            results["Clearsite bot"] = await polled(app, lambda: drive(fake, users, points))
    return results


def main() -> None:
    """Load, run, print figures with the baselines."""
    parser = base_parser("Citizen bot: location queries through the fake Bot API server")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    projects, users, queries = (10_000, 20, 200) if args.quick else (100_000, 200, 2_000)
    random.seed(args.seed)
    data = generate(projects, queries, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        start = now()
        url = load_sqlite(data, Path(tmp) / "bot-bench.db")
        print(f"loaded {projects:,} projects into SQLite in {now() - start:.1f} s")
        results = asyncio.run(measure(url, users, data.queries))
    print(f"{users} users, {queries:,} location queries (10 nearest-5 pages within 1 km)")
    print(f"{'run':32} {'updates/s':>10} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8}")
    for name, (times, wall) in results.items():
        s = summary_ms(times)
        rate = len(times) / wall
        print(f"{name:32} {rate:10.0f} {s['median']:8.2f} {s['p90']:8.2f} {s['p99']:8.2f}")
    bot_p99 = summary_ms(results["Clearsite bot"][0])["p99"]
    verdict = "meets" if bot_p99 <= TARGET_P99_MS else "MISSES"
    print(
        f"bot p99 {bot_p99:.1f} ms {verdict} the {TARGET_P99_MS:.0f} ms target; "
        f"peak RSS {peak_rss_mb():.0f} MiB"
    )


if __name__ == "__main__":
    main()
