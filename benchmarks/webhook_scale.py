"""Webhook mode on PostgreSQL: does the bot's capacity grow with API processes? (issue 17)

Workload: the bot benchmark's (bot_load.py): 100,000 projects in PostgreSQL, 200 users sending
2,000 location queries around central Kyiv, closed loop (each user sends the next location as
soon as the reply arrives), so the figure is capacity in updates/s.

Processes, as in production (docs/operations.md, "Polling or webhook"): one `clearsite bot`
with BOT_MODE=webhook, which only registers the webhook and the command menus, and N
`clearsite api` with BOT_MODE=webhook, each on its own port, which receive and handle the
updates; all share the database and one Redis (REDIS_URL: conversation state and the per-chat
lock that webhook replicas need). The Bot API emulator posts the updates as Telegram does, up to
max_connections (40, what the bot registers) at once and one at a time per chat, and hands them
to the API processes in turn, as a round-robin load balancer in front of them would
(`webhook_upstreams`; the balancer itself costs no CPU here).

Runs, in this order on the same processes: a warm-up through all of them (not measured), then
the closed loop through 1 API process, then through all N (default 2); `--rounds` repeats the
pair. Each run has users of its own (new chats, as in the bot benchmark's runs). Printed: the
capacity of each run and their ratio (target: N=2 gives >= 1.7x one process), and where the CPU
went: per process from /proc (this process = emulator + simulated users; each API process; the
bot; this database's PostgreSQL backends; the Redis server), and the whole machine's busy time.

    .venv/bin/python benchmarks/webhook_scale.py [--quick] [--processes N] [--rounds R]
        [--database-url URL] [--redis-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import signal
import socket
import statistics
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

# The repository root goes first so that `import bot` (in bot_load) finds the package, not
# benchmarks/bot.py next to this file.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
import asyncpg  # type: ignore[import-untyped]
from bot_load import Points, cpu_seconds, load
from common import DEFAULT_PG_URL, asyncpg_dsn, now, run_context, summary_ms
from nearby import generate
from redis.asyncio import Redis

from botapi_emulator import BotApiEmulator, RecordedCall
from botapi_emulator.users import REPLY_METHODS
from core.runtime import freeze_startup_objects

TARGET_RATIO = 1.7
SECRET = "webhook-bench-secret"  # noqa: S105 - the emulator's and our processes' only
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/5"
Proc = asyncio.subprocess.Process
Cpu = dict[str, float]


class Replies:
    """Each user's next reply, read off the emulator's record by one watcher.

    `EmulatedUser.reply()` would have every waiting user wake on every call the emulator
    records; with hundreds of users that costs this process (which shares the cores with the
    bot) more than the emulator's own work."""

    def __init__(self, fake: BotApiEmulator) -> None:
        self._fake = fake
        self._waiting: dict[int, asyncio.Future[float]] = {}

    def expect(self, chat_id: int) -> asyncio.Future[float]:
        """The arrival time (emulator clock) of the next reply in this chat."""
        future = asyncio.get_running_loop().create_future()
        self._waiting[chat_id] = future
        return future

    def _see(self, call: RecordedCall) -> bool:
        if call.ok and call.method.lower() in REPLY_METHODS and isinstance(call.chat_id, int):
            future = self._waiting.pop(call.chat_id, None)
            if future is not None and not future.done():
                future.set_result(call.time)
        return False

    @asynccontextmanager
    async def watching(self) -> AsyncIterator[None]:
        """Watch the record while the body runs."""
        since = len(self._fake.calls)
        watcher = asyncio.create_task(
            self._fake.wait_for(self._see, count=1, timeout=10**6, since=since)
        )
        try:
            yield
        finally:
            watcher.cancel()
            await asyncio.gather(watcher, return_exceptions=True)


async def closed_loop(
    fake: BotApiEmulator, replies: Replies, users: int, points: Points, first_id: int
) -> tuple[list[float], float]:
    """Each user sends its next point as soon as the reply to the last one arrives."""
    per_user = len(points) // users
    latencies: list[float] = []

    async def one(index: int) -> None:
        user = fake.user(first_id + index, language_code=("en", "uk", "ko")[index % 3])
        for lat, lon in points[index * per_user : (index + 1) * per_user]:
            answered = replies.expect(user.chat_id)
            sent = fake.clock()
            await user.send_location(lat, lon)
            async with asyncio.timeout(120):
                latencies.append(await answered - sent)

    start = now()
    await asyncio.gather(*(one(i) for i in range(users)))
    return latencies, now() - start


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def role_env(url: str, fake: BotApiEmulator, redis: tuple[str, str], hook: str) -> dict[str, str]:
    """The environment of every role: webhook mode, one database, one Redis."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    env.update(
        DATABASE_URL=url,
        TELEGRAM_BOT_TOKEN=fake.token,
        TELEGRAM_API_URL=fake.url,
        BOT_MODE="webhook",
        WEBHOOK_URL=hook,
        WEBHOOK_SECRET=SECRET,
        REDIS_URL=redis[0],
        REDIS_KEY_PREFIX=redis[1],
        API_HOST="127.0.0.1",
        LOG_LEVEL="WARNING",
    )
    return env


async def start_role(role: str, env: dict[str, str]) -> Proc:
    """`clearsite <role>` in its own process."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "clearsite", role, env=env, stdout=asyncio.subprocess.DEVNULL
    )


async def wait_ready(ports: list[int], procs: list[Proc]) -> None:
    """Until each API answers /ready (imports on a busy 2-core machine are slow)."""
    async with asyncio.timeout(180), aiohttp.ClientSession() as http:
        for port in ports:
            while True:
                if any(p.returncode is not None for p in procs):
                    raise RuntimeError("a clearsite process exited early")
                try:
                    async with http.get(f"http://127.0.0.1:{port}/ready") as answer:
                        if answer.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.2)


@asynccontextmanager
async def roles(
    url: str, fake: BotApiEmulator, redis: tuple[str, str], processes: int
) -> AsyncIterator[tuple[list[str], dict[str, int]]]:
    """One webhook-mode `clearsite bot` and `processes` `clearsite api`; yields the APIs' base
    URLs and the pid of each process by name."""
    ports = [free_port() for _ in range(processes)]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    # The URL the bot registers: the balancer's, which the emulator stands in for.
    env = role_env(url, fake, redis, f"{bases[0]}/telegram/webhook")
    procs = [await start_role("api", env | {"API_PORT": str(port)}) for port in ports]
    procs.append(await start_role("bot", env))
    try:
        await wait_ready(ports, procs)
        await fake.wait_for(lambda c: c.method.lower() == "setwebhook", timeout=180)
        pids = {f"api {n + 1}": p.pid for n, p in enumerate(procs[:-1])}
        pids["bot (registers the webhook)"] = procs[-1].pid
        yield bases, pids
    finally:
        for proc in procs:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            await proc.wait()


# A pure-Python busy loop for a given number of wall seconds; prints its iterations.
SPIN = (
    "import sys, time\n"
    "end = time.perf_counter() + float(sys.argv[1])\n"
    "n = 0\n"
    "while time.perf_counter() < end:\n"
    "    n += 1\n"
    "print(n)\n"
)


async def spin(processes: int, seconds: float = 2.0) -> int:
    """Iterations `processes` busy loops run side by side do in `seconds` (all together)."""
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", SPIN, str(seconds), stdout=asyncio.subprocess.PIPE
        )
        for _ in range(processes)
    ]
    outputs = [(await proc.communicate())[0] for proc in procs]
    return sum(int(out) for out in outputs)


async def parallelism(processes: int) -> float:
    """The floor of scaling: what `processes` busy processes do together, over one alone, on
    this machine right now (the cores free of other work)."""
    alone = await spin(1)
    return await spin(processes) / alone


class CpuMeter:
    """CPU seconds so far of each process that serves the benchmark, and of the machine."""

    def __init__(self, pids: dict[str, int], db: asyncpg.Connection) -> None:
        self.pids = pids
        self.db = db
        self.redis = _pids_named("redis-server")

    async def sample(self) -> dict[str, float | dict[int, float]]:
        """A reading: per process (seconds), backends by pid, and the machine's busy time."""
        rows = await self.db.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        )
        backends = {r["pid"]: c for r in rows if (c := _cpu_or_none(r["pid"])) is not None}
        reading: dict[str, float | dict[int, float]] = {
            "benchmark (emulator, users)": cpu_seconds()
        }
        reading |= {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        reading["PostgreSQL backends"] = backends
        reading["Redis server"] = sum(_cpu_or_none(p) or 0.0 for p in self.redis)
        reading["machine busy"] = machine_busy_seconds()
        return reading


def used(
    before: dict[str, float | dict[int, float]], after: dict[str, float | dict[int, float]]
) -> Cpu:
    """CPU seconds each part used between two readings; a backend that appeared counts whole."""
    spent: Cpu = {}
    for name, value in after.items():
        old = before[name]
        if isinstance(value, dict):
            assert isinstance(old, dict)  # noqa: S101 - same reading shape
            spent[name] = sum(v - old.get(pid, 0.0) for pid, v in value.items())
        else:
            assert isinstance(old, float)  # noqa: S101
            spent[name] = value - old
    return spent


def _pids_named(name: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _cpu_or_none(pid: int) -> float | None:
    try:
        return cpu_seconds(pid)
    except OSError:
        return None


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent not idle since boot (Linux /proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields) - idle) / os.sysconf("SC_CLK_TCK")


Run = tuple[str, list[float], float, Cpu]


async def measure(
    url: str, redis: tuple[str, str], processes: int, users: int, points: Points, rounds: int
) -> tuple[list[Run], list[float]]:
    """Warm-up, then per round: the parallelism floor, and the closed loop through 1 API
    process and through all of them; the runs and the floors."""
    runs: list[Run] = []
    floors: list[float] = []
    async with BotApiEmulator(record=True) as fake:
        replies = Replies(fake)
        db = await asyncpg.connect(asyncpg_dsn(url))
        try:
            async with roles(url, fake, redis, processes) as (bases, pids), replies.watching():
                meter = CpuMeter(pids, db)
                fake.webhook_upstreams = bases
                warm = min(len(points), 40 * processes)
                await closed_loop(fake, replies, min(users, warm), points[:warm], 900_000)
                for round_ in range(rounds):
                    floors.append(await parallelism(processes))
                    print(f"  {processes} busy loops: {floors[-1]:.2f}x one", flush=True)
                    # 1, N, then N, 1, ...: a load that drifts during the run favours neither.
                    order = (1, processes) if round_ % 2 == 0 else (processes, 1)
                    for count in order:
                        fake.webhook_upstreams = bases[:count]
                        first_id = 1_000_000 * (round_ + 1) + 100_000 * count
                        before = await meter.sample()
                        latencies, wall = await closed_loop(fake, replies, users, points, first_id)
                        cpu = used(before, await meter.sample())
                        label = f"{count} API process{'es' if count > 1 else ''}"
                        runs.append((label, latencies, wall, cpu))
                        print(f"  {label}: {len(latencies) / wall:.0f} updates/s", flush=True)
        finally:
            await db.close()
        # Only the bot role registers; the API processes just serve the path.
        print(f"  setWebhook calls: {len(fake.calls_to('setWebhook'))} (expected 1)")
    return runs, floors


def report(runs: list[Run], floors: list[float], processes: int) -> None:
    """Each run's capacity and latency, where the CPU went, and the ratio."""
    cores = os.cpu_count() or 1
    print(
        f"\n{'run':22} {'updates/s':>10} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8}"
        f" {'cores busy':>11}"
    )
    for label, times, wall, cpu in runs:
        s = summary_ms(times)
        print(
            f"{label:22} {len(times) / wall:10.0f} {s['median']:8.1f} {s['p90']:8.1f}"
            f" {s['p99']:8.1f} {cpu['machine busy'] / wall:8.2f}/{cores}"
        )
    print("\nCPU per update, ms (and share of one core)")
    names = [n for n in runs[0][3] if n != "machine busy"]
    print(f"{'':34}" + "".join(f" {label:>22}" for label, *_ in runs))
    for name in [*names, "sum of the above", "rest of the machine", "machine busy"]:
        cells = []
        for _, times, wall, cpu in runs:
            known = sum(cpu[n] for n in names)
            value = {
                "sum of the above": known,
                "rest of the machine": cpu["machine busy"] - known,
            }.get(name, cpu.get(name, 0.0))
            cells.append(f"{value * 1000 / len(times):8.2f} ({value / wall:4.0%})")
        print(f"{name:34}" + "".join(f" {c:>22}" for c in cells))
    # The most this machine allows, from the one-process runs' CPU per update (median): one API
    # process runs one event loop, so it uses one core at most; all cores at the CPU per update
    # of every process the benchmark needs (API, emulator, PostgreSQL, Redis) bound N processes.
    singles = [(t, cpu) for label, t, _, cpu in runs if label.startswith("1 ")]
    api = statistics.median(
        sum(v for n, v in cpu.items() if n.startswith("api ")) / len(t) for t, cpu in singles
    )
    each = statistics.median(sum(cpu[n] for n in names) / len(t) for t, cpu in singles)
    ceiling = min(float(processes), cores * api / each)
    print(
        f"\nceiling of this machine: one API process at one core, {api * 1000:.2f} ms each, "
        f"reaches at most {1 / api:.0f} updates/s; {cores} cores at "
        f"{each * 1000:.2f} ms each (all of the benchmark's processes) at most "
        f"{cores / each:.0f} updates/s: at most {ceiling:.2f}x with "
        f"{processes} API processes, even with nothing else running"
    )
    print(
        f"floor of scaling in this run: {processes} busy loops do "
        f"{statistics.median(floors):.2f}x one (median of {len(floors)}; "
        f"{min(cores, processes)}.00 on free cores)"
    )
    one = [len(t) / w for label, t, w, _ in runs if label.startswith("1 ")]
    many = [len(t) / w for label, t, w, _ in runs if not label.startswith("1 ")]
    ratio = statistics.median(many) / statistics.median(one)
    verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
    print(
        f"\nwebhook mode, PostgreSQL: capacity with {processes} API processes "
        f"{statistics.median(many):.0f} updates/s = {ratio:.2f}x one process "
        f"({statistics.median(one):.0f} updates/s); target >= {TARGET_RATIO}x with 2: {verdict}"
    )


async def redis_prefix(url: str) -> tuple[str, str]:
    """(REDIS_URL, a key prefix of this run), after checking that Redis answers."""
    client = Redis.from_url(url)
    try:
        await client.ping()
    finally:
        await client.aclose()
    return url, f"whbench-{uuid.uuid4().hex[:12]}"


async def forget_keys(redis: tuple[str, str]) -> None:
    """Delete the keys this run made."""
    client = Redis.from_url(redis[0])
    try:
        keys = [key async for key in client.scan_iter(match=f"{redis[1]}:*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


def parse_args() -> argparse.Namespace:
    """--quick, --processes, --rounds, --database-url, --redis-url, --seed."""
    parser = argparse.ArgumentParser(
        description="Webhook mode: capacity with 1 and N API processes"
    )
    parser.add_argument("--quick", action="store_true", help="small version, runs in seconds")
    parser.add_argument("--processes", type=int, default=2, help="API processes (>= 2)")
    parser.add_argument(
        "--rounds", type=int, default=1, help="pairs of runs (1 then N, N then 1, ...)"
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_PG_URL,
        help="PostgreSQL URL (its public schema is dropped and recreated)",
    )
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="keys under a run prefix")
    parser.add_argument("--seed", type=int, default=20261129, help="random seed")
    args = parser.parse_args()
    if args.processes < 2 or args.rounds < 1:
        parser.error("--processes must be at least 2 and --rounds at least 1")
    if not args.database_url.startswith("postgresql"):
        parser.error("webhook scaling is measured on PostgreSQL (a postgresql+asyncpg URL)")
    return args


def main() -> None:
    """Load, run, print figures."""
    args = parse_args()
    run_context(args)
    logging.basicConfig(level=logging.WARNING)
    projects, users, queries = (10_000, 20, 200) if args.quick else (100_000, 200, 2_000)
    random.seed(args.seed)
    data = generate(projects, queries, args.seed)
    redis = asyncio.run(redis_prefix(args.redis_url))
    with tempfile.TemporaryDirectory() as tmp:
        start = now()
        url = load("postgresql", data, Path(tmp), args.database_url)
        print(f"[postgresql] loaded {projects:,} projects in {now() - start:.1f} s", flush=True)
    freeze_startup_objects()  # the dataset and the fake Telegram's heap: no full collections
    try:
        runs, floors = asyncio.run(
            measure(url, redis, args.processes, users, data.queries, args.rounds)
        )
    finally:
        asyncio.run(forget_keys(redis))
    print(f"{users} users per run, {queries:,} location queries (10 nearest-5 pages within 1 km)")
    report(runs, floors, args.processes)


if __name__ == "__main__":
    main()
