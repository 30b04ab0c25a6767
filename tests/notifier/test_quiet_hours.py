"""Quiet hours, urgency and expiry: the engine against the Bot API emulator, on a moved clock."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from botapi_emulator import BotApiEmulator
from core.clock import ShiftedClock
from core.context import DomainContext
from core.outbox.wakeup import Waker
from core.uow import unit_of_work
from tests.conftest import UowFactory
from tests.notifier.conftest import Running, note, settled
from tests.outboxutil import add_chats, deliveries

KYIV = ZoneInfo("Europe/Kyiv")
NIGHT = datetime(2026, 11, 1, 23, 0, tzinfo=KYIV)  # inside 22:00-08:00
MORNING = datetime(2026, 11, 2, 8, 0, tzinfo=KYIV)


def night_ctx(clock: ShiftedClock, default: str = "off") -> DomainContext:
    return DomainContext(clock=clock, zone=KYIV, quiet_hours_default=default)


async def quiet_chat(uow: UowFactory, chat_id: int, *, hold: bool) -> None:
    async with uow() as svc:
        await add_chats(svc, [chat_id])
        await svc.notification_settings.set_quiet_hours(chat_id, "22:00-08:00")
        await svc.notification_settings.set_quiet_hold(chat_id, hold)


async def held_rows(uow: UowFactory, count: int = 1, timeout: float = 10.0) -> list[int]:  # noqa: ASYNC109
    """Wait until `count` rows are held (pending, `held_until` set); their ids."""
    deadline = time.monotonic() + timeout
    while True:
        async with uow() as svc:
            rows = await deliveries(svc, state="pending")
        held = [r.id for r in rows if r.held_until is not None]
        if len(held) >= count:
            return held
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(held)} of {count} rows held")
        await asyncio.sleep(0.05)


def sound(call: object) -> bool:
    return not getattr(call, "params", {}).get("disable_notification")


async def test_held_message_waits_for_the_window_end_then_goes_once_with_sound(
    uow: UowFactory, fake: BotApiEmulator, running: Running
) -> None:
    await quiet_chat(uow, 1, hold=True)
    async with uow() as svc:
        await svc.outbox.enqueue([note(1, 1)])
    clock, waker = ShiftedClock(NIGHT.astimezone(UTC)), Waker()
    async with running(ctx=night_ctx(clock), waker=waker):
        assert len(await held_rows(uow)) == 1
        await asyncio.sleep(0.3)  # several polls: still nothing
        assert fake.sent_messages() == []
        async with uow() as svc:
            (row,) = await deliveries(svc)
        assert row.held_until == MORNING.astimezone(UTC)
        assert (row.next_attempt_at, row.attempts) == (row.held_until, 0)
        clock.jump_to(MORNING.astimezone(UTC) + timedelta(seconds=1))
        waker.poke()
        counts = await settled(uow)
    assert counts.sent == 1
    (call,) = fake.sent_messages(1)
    assert sound(call)
    assert not fake.duplicates()


async def test_silent_mode_sends_at_once_without_sound(
    uow: UowFactory, fake: BotApiEmulator, running: Running
) -> None:
    await quiet_chat(uow, 1, hold=False)
    async with uow() as svc:
        await svc.outbox.enqueue([note(1, 1)])
    async with running(ctx=night_ctx(ShiftedClock(NIGHT.astimezone(UTC)))):
        counts = await settled(uow)
    assert counts.sent == 1
    (call,) = fake.sent_messages(1)
    assert call.params.get("disable_notification") in (True, "true")
    async with uow() as svc:
        (row,) = await deliveries(svc)
    assert row.silent


async def test_urgent_message_passes_quiet_hours_with_sound(
    uow: UowFactory, fake: BotApiEmulator, running: Running
) -> None:
    await quiet_chat(uow, 1, hold=True)
    async with uow() as svc:
        await svc.outbox.enqueue([note(1, 1, urgency="urgent")])
    async with running(ctx=night_ctx(ShiftedClock(NIGHT.astimezone(UTC)))):
        counts = await settled(uow)
    assert counts.sent == 1
    assert sound(fake.sent_messages(1)[0])


async def test_expired_copy_is_never_sent_and_counted_expired(
    uow: UowFactory, fake: BotApiEmulator, running: Running
) -> None:
    now = NIGHT.astimezone(UTC)
    async with uow() as svc:
        await add_chats(svc, [1, 2])
        await svc.outbox.enqueue([note(1, 1, expires_at=now - timedelta(minutes=1)), note(2, 2)])
    async with running(ctx=night_ctx(ShiftedClock(now))):
        counts = await settled(uow)
    assert (counts.sent, counts.expired) == (1, 1)
    assert fake.sent_messages(1) == []


async def test_held_message_expiring_inside_the_window_goes_out_silently_now(
    uow: UowFactory, fake: BotApiEmulator, running: Running
) -> None:
    await quiet_chat(uow, 1, hold=True)
    now = NIGHT.astimezone(UTC)
    async with uow() as svc:
        await svc.outbox.enqueue([note(1, 1, expires_at=now + timedelta(hours=2))])
    async with running(ctx=night_ctx(ShiftedClock(now))):
        counts = await settled(uow)
    assert counts.sent == 1
    assert not sound(fake.sent_messages(1)[0])


async def test_deployment_default_applies_to_chats_that_chose_nothing(
    uow: UowFactory, fake: BotApiEmulator, running: Running
) -> None:
    async with uow() as svc:
        await add_chats(svc, [1])
        await svc.outbox.enqueue([note(1, 1)])
        settings = await svc.notification_settings.get(1)
    assert (settings.quiet_hours, settings.quiet_is_default) == ("off", True)
    async with running(ctx=night_ctx(ShiftedClock(NIGHT.astimezone(UTC)), "22:00-07:00")):
        await settled(uow)
    assert not sound(fake.sent_messages(1)[0])


async def test_restart_and_a_second_engine_change_nothing_for_held_rows(
    uow: UowFactory, fake: BotApiEmulator, running: Running
) -> None:
    await quiet_chat(uow, 1, hold=True)
    async with uow() as svc:
        await add_chats(svc, range(2, 21))
        await svc.outbox.enqueue([note(n, n) for n in range(1, 21)])
        for chat_id in range(2, 21):
            await svc.notification_settings.set_quiet_hours(chat_id, "22:00-08:00")
            await svc.notification_settings.set_quiet_hold(chat_id, True)
    clock = ShiftedClock(NIGHT.astimezone(UTC))
    async with running(ctx=night_ctx(clock)):
        await held_rows(uow, 20)
    waker_a, waker_b = Waker(), Waker()
    async with (
        running(ctx=night_ctx(clock), waker=waker_a),
        running(ctx=night_ctx(clock), waker=waker_b),
    ):
        await asyncio.sleep(0.5)
        assert fake.sent_messages() == []
        clock.jump_to(MORNING.astimezone(UTC) + timedelta(seconds=1))
        waker_a.poke()
        waker_b.poke()
        counts = await settled(uow)
    assert counts.sent == 20
    assert len(fake.sent_messages()) == 20
    assert not fake.duplicates()


async def test_turning_quiet_hours_off_releases_held_messages(
    uow: UowFactory, fake: BotApiEmulator, running: Running, session_factory: object
) -> None:
    await quiet_chat(uow, 1, hold=True)
    async with uow() as svc:
        await svc.outbox.enqueue([note(1, 1)])
    ctx = night_ctx(ShiftedClock(NIGHT.astimezone(UTC)))
    async with running(ctx=ctx):
        await held_rows(uow)
        async with unit_of_work(session_factory, ctx) as svc:  # type: ignore[arg-type]
            await svc.notification_settings.set_quiet_hours(1, "off")
        counts = await settled(uow)
    assert counts.sent == 1
    assert sound(fake.sent_messages(1)[0])
