"""Delivery policy against the fake Bot API: each Telegram answer and what the engine does."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from botapi_emulator import BotApiEmulator
from core.context import DomainContext
from core.outbox.wakeup import Waker
from core.uow import unit_of_work
from tests.cli.conftest import free_port
from tests.conftest import UowFactory
from tests.notifier.conftest import Running, note, settled
from tests.outboxutil import add_chats, chat, deliveries


async def test_sends_rendered_text_once_and_keeps_it(
    uow: UowFactory, fake: BotApiEmulator, running: Running
) -> None:
    async with uow() as svc:
        await add_chats(svc, [1, 2])
        await svc.outbox.enqueue([note(1, 1, "Road <closed>"), note(2, 2)])
        await svc.outbox.enqueue([note(1, 1, "Road <closed>").model_copy(update={"locale": "uk"})])
    async with running():
        counts = await settled(uow)
    assert (counts.sent, counts.failed) == (2, 0)
    texts = fake.sent_texts(1)
    assert texts == ["📢 <b>Announcement from Test office</b>\n\nRoad &lt;closed&gt;"]
    async with uow() as svc:
        rows = await deliveries(svc)
    assert rows[0].text == texts[0]
    assert all(r.telegram_message_id for r in rows)
    assert not fake.duplicates()


async def test_429_pauses_every_send_until_retry_after(
    uow: UowFactory, fake: BotApiEmulator, running: Running
) -> None:
    async with uow() as svc:
        await add_chats(svc, range(1, 21))
        await svc.outbox.enqueue([note(n, n) for n in range(1, 21)])
    fake.fail_next(None, "retry_after", retry_after=1)
    async with running():
        counts = await settled(uow)
    assert counts.sent == 20
    assert fake.violations == []
    flood = next(c for c in fake.calls if c.status == 429)
    # Only sends already in flight when the 429 went out may land inside the pause.
    late = [c.time - flood.time for c in fake.sent_messages() if c.time > flood.time]
    assert all(t < fake.flood_grace or t >= 1.0 for t in late)
    (retried,) = fake.sent_messages(flood.chat_id)
    assert retried.time - flood.time >= 1.0
    assert len(fake.sent_messages()) == 20
    assert not fake.duplicates()


async def test_403_blocked_silences_the_chat_and_cancels_its_queue(
    uow: UowFactory, fake: BotApiEmulator, running: Running
) -> None:
    async with uow() as svc:
        await add_chats(svc, [1, 2])
        await svc.outbox.enqueue([note(1, 1), note(2, 1), note(3, 2)])
    fake.block(1)
    async with running(concurrency=1):
        counts = await settled(uow)
    async with uow() as svc:
        rows = await deliveries(svc, chat_id=1)
        blocked = await chat(svc, 1)
    assert sorted(r.state for r in rows) in (["blocked", "cancelled"], ["blocked", "blocked"])
    assert blocked is not None
    assert (blocked.is_active, blocked.inactive_reason) == (False, "blocked")
    assert counts.sent == 1


async def test_400_chat_not_found_fails_without_retry(
    uow: UowFactory, fake: BotApiEmulator, running: Running
) -> None:
    async with uow() as svc:
        await add_chats(svc, [1])
        await svc.outbox.enqueue([note(1, 1)])
    fake.chat_not_found(1)
    async with running():
        counts = await settled(uow)
    async with uow() as svc:
        (row,) = await deliveries(svc)
    assert (counts.failed, row.attempts) == (1, 1)
    assert row.last_error is not None
    assert "chat not found" in row.last_error
    assert len(fake.calls_to("sendMessage")) == 1


async def test_5xx_is_retried_with_backoff_then_sent(
    uow: UowFactory, fake: BotApiEmulator, running: Running
) -> None:
    async with uow() as svc:
        await add_chats(svc, [1])
        await svc.outbox.enqueue([note(1, 1)])
    fake.fail_next(1, "server_error", times=2, status=502)
    async with running():
        counts = await settled(uow)
    async with uow() as svc:
        (row,) = await deliveries(svc)
    assert (counts.sent, row.attempts) == (1, 3)
    assert len(fake.sent_messages()) == 1


async def test_persistent_5xx_gives_up_after_max_attempts(
    uow: UowFactory, fake: BotApiEmulator, running: Running
) -> None:
    async with uow() as svc:
        await add_chats(svc, [1])
        await svc.outbox.enqueue([note(1, 1)])
    fake.fail_next(1, "server_error", times=10)
    async with running(max_attempts=3):
        counts = await settled(uow)
    async with uow() as svc:
        (row,) = await deliveries(svc)
    assert (counts.failed, row.attempts, row.state) == (1, 3, "failed")


async def test_timeout_is_retried(uow: UowFactory, fake: BotApiEmulator, running: Running) -> None:
    async with uow() as svc:
        await add_chats(svc, [1])
        await svc.outbox.enqueue([note(1, 1)])
    fake.fail_next(1, "timeout", hold=3.0)
    async with running(send_timeout=1.0):
        counts = await settled(uow)
    async with uow() as svc:
        (row,) = await deliveries(svc)
    assert (counts.sent, row.attempts) == (1, 2)
    assert row.last_error is None


async def test_connection_refused_retries_then_fails(uow: UowFactory, running: Running) -> None:
    async with uow() as svc:
        await add_chats(svc, [1])
        await svc.outbox.enqueue([note(1, 1)])
    async with running(api_url=f"http://127.0.0.1:{free_port()}", max_attempts=3):
        counts = await settled(uow)
    async with uow() as svc:
        (row,) = await deliveries(svc)
    assert (counts.failed, row.attempts) == (1, 3)
    assert row.last_error is not None
    assert "TelegramNetworkError" in row.last_error


async def test_one_message_per_second_per_chat(
    uow: UowFactory, fake: BotApiEmulator, running: Running
) -> None:
    fake.enforce_limits(global_per_sec=30, per_chat_per_sec=1)
    async with uow() as svc:
        await add_chats(svc, [1, 2])
        await svc.outbox.enqueue([note(1, 1), note(2, 1), note(3, 2)])
    async with running():
        await settled(uow)
    times = [c.time for c in fake.sent_messages(1)]
    assert len(times) == 2
    assert times[1] - times[0] >= 1.0
    assert fake.rate_limited_count == 0


async def test_a_commit_wakes_the_idle_engine_at_once(
    uow: UowFactory,
    session_factory: async_sessionmaker[AsyncSession],
    fake: BotApiEmulator,
    running: Running,
) -> None:
    waker = ParkedWaker()
    async with uow() as svc:
        await add_chats(svc, [1])
    # The enqueueing unit of work shares the engine's waker: its after-commit hook pokes it.
    ctx = DomainContext(waker=waker)
    async with running(waker=waker, poll_s=30.0):
        await asyncio.wait_for(waker.parked.wait(), timeout=10)  # idle, next poll in 30 s
        async with unit_of_work(session_factory, ctx) as svc:
            await svc.outbox.enqueue([note(1, 1)])
            await asyncio.sleep(0.3)
            assert fake.sent_messages() == []  # not before the commit
        started = time.monotonic()
        await fake.wait_sent(1, timeout=2.0)
        assert time.monotonic() - started < 1.0


class ParkedWaker(Waker):
    """A waker that tells when the engine first parks on it (idle, nothing due)."""

    def __init__(self) -> None:
        super().__init__()
        self.parked = asyncio.Event()

    async def wait(self, timeout: float) -> bool:  # noqa: ASYNC109 - the poll interval
        """Note the engine is parked, then wait as usual."""
        self.parked.set()
        return await super().wait(timeout)
