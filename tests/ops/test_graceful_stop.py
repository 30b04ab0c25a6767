"""SIGTERM mid-broadcast: in-flight sends finish, unsent rows go back at once, restart resumes."""

from __future__ import annotations

import asyncio
import signal
import time

import pytest

from botapi_emulator import BotApiEmulator
from tests.conftest import UowFactory
from tests.notifier.conftest import settled
from tests.notifier.procs import broadcast_to_all, notifier_env, start_notifier, stop_notifier
from tests.ops.leases import held_leases

CHATS = 60


@pytest.mark.slow
async def test_sigterm_releases_leases_at_once_and_a_restart_sends_each_message_once(
    uow: UowFactory, db_url: str, fake: BotApiEmulator
) -> None:
    await broadcast_to_all(uow, CHATS)
    # A slow pace and a long lease: a row left `sending` would sit there for 10 minutes.
    slow = notifier_env(db_url, fake, lease_s=600) | {"SEND_RATE_PER_SEC": "4"}
    first = await start_notifier(slow)
    await fake.wait_sent(5, timeout=30)
    started = time.monotonic()
    code = await stop_notifier(first, signal.SIGTERM)
    took = time.monotonic() - started
    sent_before = len(fake.sent_messages())
    async with uow() as svc:
        counts = await svc.outbox.counts()
    assert code == 0
    assert took < 5, f"SIGTERM took {took:.1f}s"
    assert counts.sending == 0
    assert await held_leases(uow) == 0
    assert counts.sent == sent_before < CHATS
    assert counts.pending == CHATS - sent_before

    second = await start_notifier(notifier_env(db_url, fake, lease_s=600))
    try:
        counts = await settled(uow, timeout=30)
    finally:
        assert await stop_notifier(second) == 0
    await asyncio.sleep(0)
    assert counts.sent == CHATS
    assert fake.duplicates() == {}
    assert {call.params["chat_id"] for call in fake.sent_messages()} == set(range(1, CHATS + 1))
