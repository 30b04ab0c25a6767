"""The pace against Telegram's limit: no 429, however the network bunches the requests."""

from __future__ import annotations

from botapi_emulator import BotApiEmulator
from tests.conftest import UowFactory
from tests.notifier.conftest import Running, note, settled
from tests.outboxutil import add_chats

RATE = 40
COPIES = 200


async def send_all(
    uow: UowFactory, fake: BotApiEmulator, running: Running, **config: float
) -> float:
    """COPIES notes to as many chats through an engine with `config`: all sent, none twice,
    no 429; the rate the emulator saw, first to last."""
    async with uow() as svc:
        await add_chats(svc, range(1, COPIES + 1))
        await svc.outbox.enqueue([note(n, n) for n in range(1, COPIES + 1)])
    async with running(**config):
        counts = await settled(uow, timeout=60.0)
    assert counts.sent == COPIES
    assert fake.rate_limited_count == 0
    sent = fake.sent_messages()
    assert len(sent) == COPIES
    assert not fake.duplicates()
    return (COPIES - 1) / (sent[-1].time - sent[0].time)


async def test_at_a_pace_equal_to_the_limit_the_server_answers_no_429(
    uow: UowFactory, fake: BotApiEmulator, running: Running
) -> None:
    # Each request reaches the emulator after a random delay of up to 0.3 s: evenly spaced
    # departures arrive bunched, and the emulator counts arrivals in a sliding second.
    fake.enforce_limits(global_per_sec=RATE, per_chat_per_sec=1)
    fake.network_jitter(0.3, seed=3)
    rate = await send_all(uow, fake, running, rate_per_sec=float(RATE))
    # The pace is kept, less the latency it must allow for (mean 0.15 s here).
    assert rate >= RATE / 1.3 * 0.9


async def test_the_default_pace_is_kept_below_the_free_limit_with_no_429(
    uow: UowFactory, fake: BotApiEmulator, running: Running
) -> None:
    # 25/s against Telegram's 30: the latency (mean 0.1 s here) comes out of the room between
    # them, so the pace itself is kept; counted against the pace it would be 25 / 1.1.
    fake.enforce_limits(global_per_sec=30, per_chat_per_sec=1)
    fake.network_jitter(0.2, seed=5)
    rate = await send_all(uow, fake, running, rate_per_sec=25.0, limit_per_sec=30.0)
    assert rate >= 25 * 0.96
