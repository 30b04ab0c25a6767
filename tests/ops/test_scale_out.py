"""Two of each role on one database and one Redis: state survives hops, nothing doubles or drops.

Runs on both engines: on SQLite the processes share one WAL file (advisory locks are not
needed there), on PostgreSQL they share the server, `SKIP LOCKED` claims and advisory locks.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from bot.ui import wage_texts
from bot.ui.i18n import make_i18n
from botapi_emulator import BotApiEmulator
from tests.cli.conftest import free_port
from tests.conftest import UowFactory
from tests.notifier.conftest import settled
from tests.ops.forwarder import RoundRobin
from tests.outboxutil import add_chats

pytestmark = pytest.mark.slow

SECRET = "scale-out-secret_1"
USERS = 12
CHATS = 300
Proc = asyncio.subprocess.Process


def _env(db_url: str, fake: BotApiEmulator, redis: tuple[str, str], front: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update(
        DATABASE_URL=db_url,
        TELEGRAM_BOT_TOKEN=fake.token,
        TELEGRAM_API_URL=fake.url,
        BOT_MODE="webhook",
        WEBHOOK_URL=f"{front}/telegram/webhook",
        WEBHOOK_SECRET=SECRET,
        REDIS_URL=redis[0],
        REDIS_KEY_PREFIX=redis[1],
        SEND_RATE_PER_SEC="1000",
        PAID_BROADCAST="true",
        LOG_LEVEL="WARNING",
    )
    return env


@asynccontextmanager
async def processes(env: dict[str, str], ports: list[int]) -> AsyncIterator[list[Proc]]:
    """Two `clearsite api`, two `clearsite bot` (webhook), two `clearsite notifier`."""
    roles = [("api", {"API_PORT": str(p)}) for p in ports]
    roles += [("bot", {}), ("bot", {}), ("notifier", {}), ("notifier", {})]
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "clearsite",
            role,
            env=env | extra,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        for role, extra in roles
    ]
    try:
        yield procs
    finally:
        for proc in procs:
            if proc.returncode is None:
                proc.terminate()
        async with asyncio.timeout(30):
            codes = [await proc.wait() for proc in procs]
        assert codes == [0] * len(procs)


async def _ready(ports: list[int], fake: BotApiEmulator, procs: list[Proc]) -> None:
    # Generous: four processes start at once, and on a busy 2-core machine each import is slow.
    deadline = time.monotonic() + 180
    async with httpx.AsyncClient() as http:
        for port in ports:
            while True:
                assert all(p.returncode is None for p in procs), "a role exited early"
                assert time.monotonic() < deadline, "the APIs never became ready"
                try:
                    if (await http.get(f"http://127.0.0.1:{port}/ready")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.2)
    await fake.wait_for(lambda c: c.method.lower() == "setwebhook", count=2, timeout=180)


async def _converse(fake: BotApiEmulator, front: RoundRobin) -> None:
    """/link, then a code: two steps of one conversation, each on a different API process."""
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale("en"):
        ask, refused = wage_texts.ask_code(), wage_texts.invalid_code()
    for n in range(USERS):
        user = fake.user(9000 + n, language_code="en")
        first = await user.send_command("/link")
        assert (await user.reply(timeout=15)).params["text"] == ask
        second = await user.send_text("ZZZZ2222ZZ")
        # Without shared state the second process would take the code for a search.
        assert (await user.reply(timeout=15)).params["text"] == refused
        assert front.routed_updates[first] != front.routed_updates[second]


async def _broadcast(uow: UowFactory, front: RoundRobin) -> int:
    async with uow() as svc:
        await add_chats(svc, range(1, CHATS + 1))
        key = (await svc.api_keys.create("Scale-out QA", "official")).key
    body = {"audience": {"kind": "all"}, "text": {"en": "Scale-out"}, "sender": "QA"}
    async with httpx.AsyncClient(base_url=front.url) as http:
        answer = await http.post(
            "/api/v1/broadcasts", json=body, headers={"Authorization": f"Bearer {key}"}
        )
    assert answer.status_code == 202, answer.text
    recipients: int = answer.json()["recipients"]
    return recipients


async def test_two_apis_bots_and_notifiers_share_state_and_the_outbox(
    uow: UowFactory, db_url: str, fake: BotApiEmulator, redis_url: tuple[str, str]
) -> None:
    ports = [free_port(), free_port()]
    async with RoundRobin([f"http://127.0.0.1:{p}" for p in ports]) as front:
        env = _env(db_url, fake, redis_url, front.url)
        async with processes(env, ports) as procs:
            await _ready(ports, fake, procs)
            await _converse(fake, front)
            recipients = await _broadcast(uow, front)
            counts = await settled(uow, timeout=60)
    assert recipients == CHATS + USERS
    assert counts.sent == recipients
    assert fake.duplicates() == {}
    texts = [c for c in fake.sent_messages() if "Scale-out" in str(c.params.get("text"))]
    assert sorted(c.params["chat_id"] for c in texts) == sorted(
        [*range(1, CHATS + 1), *range(9000, 9000 + USERS)]
    )
    assert set(front.routed_updates.values()) == {0, 1}
