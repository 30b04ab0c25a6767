"""Link codes: format, single use, expiry, lockout after five wrong tries, unlink, one-to-one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.clock import fixed_clock
from core.context import DomainContext
from core.errors import NotFound
from core.uow import unit_of_work
from core.wages.linking import ALPHABET
from core.wages.policy import WagePolicy
from tests.conftest import NOW, UowFactory
from tests.factories import POLICY, link_worker, sync_wages, worker

Factory = async_sessionmaker[AsyncSession]


async def _setup(uow: UowFactory) -> str:
    async with uow() as svc:
        await sync_wages(svc, workers=[worker("wrk-1"), worker("wrk-2")], entries=[])
        return (await svc.wages.create_link_code("wrk-1", POLICY)).code


async def test_code_is_long_random_unambiguous_and_has_a_deep_link(uow: UowFactory) -> None:
    await _setup(uow)
    async with uow() as svc:
        created = await svc.wages.create_link_code(
            "wrk-1", WagePolicy(bot_username="clearsite_bot")
        )
        other = await svc.wages.create_link_code("wrk-1", POLICY)
    assert len(created.code) >= 8
    assert set(created.code) <= set(ALPHABET)
    assert created.code != other.code
    assert created.deep_link == f"https://t.me/clearsite_bot?start=w_{created.code}"
    assert other.deep_link is None
    assert created.expires_at == NOW + timedelta(hours=72)


async def test_unknown_worker_has_no_code(uow: UowFactory) -> None:
    with pytest.raises(NotFound):
        async with uow() as svc:
            await svc.wages.create_link_code("ghost", POLICY)


async def test_code_links_once_with_first_name(uow: UowFactory) -> None:
    code = await _setup(uow)
    async with uow() as svc:
        first = await svc.wages.redeem_code(100, code.lower())
    async with uow() as svc:
        again = await svc.wages.redeem_code(101, code)
    assert (first.status, first.worker_id, first.first_name) == ("linked", "wrk-1", "Petro")
    assert first.project_titles == ("p-1",)
    assert again.status == "invalid"


async def test_expired_code_is_refused(uow: UowFactory, session_factory: Factory) -> None:
    code = await _setup(uow)
    later = DomainContext(clock=fixed_clock(NOW + timedelta(hours=73)))
    async with unit_of_work(session_factory, later) as svc:
        result = await svc.wages.redeem_code(100, code)
    assert result.status == "invalid"


async def test_five_wrong_codes_in_an_hour_lock_the_chat_for_an_hour(
    uow: UowFactory, session_factory: Factory
) -> None:
    code = await _setup(uow)
    for minute in range(5):
        ctx = DomainContext(clock=fixed_clock(NOW + timedelta(minutes=minute)))
        async with unit_of_work(session_factory, ctx) as svc:
            result = await svc.wages.redeem_code(100, "WRONGCODE1")
    assert result.status == "locked"
    assert result.locked_until == NOW + timedelta(minutes=4, hours=1)
    ctx = DomainContext(clock=fixed_clock(NOW + timedelta(minutes=30)))
    async with unit_of_work(session_factory, ctx) as svc:
        assert (await svc.wages.redeem_code(100, code)).status == "locked"
        assert (await svc.wages.redeem_code(200, code)).status == "linked"


async def test_lock_ends_after_an_hour(uow: UowFactory, session_factory: Factory) -> None:
    code = await _setup(uow)
    for minute in range(5):
        ctx = DomainContext(clock=fixed_clock(NOW + timedelta(minutes=minute)))
        async with unit_of_work(session_factory, ctx) as svc:
            await svc.wages.redeem_code(100, "WRONGCODE1")
    ctx = DomainContext(clock=fixed_clock(NOW + timedelta(minutes=65)))
    async with unit_of_work(session_factory, ctx) as svc:
        assert (await svc.wages.redeem_code(100, code)).status == "linked"


async def test_one_chat_links_one_worker_and_unlink_removes_it(uow: UowFactory) -> None:
    await _setup(uow)
    async with uow() as svc:
        await link_worker(svc, "wrk-1", 100)
        await link_worker(svc, "wrk-2", 100)
        mine = await svc.wages.my_wages(100)
    async with uow() as svc:
        was_linked = await svc.wages.unlink(100)
        after = await svc.wages.my_wages(100)
        twice = await svc.wages.unlink(100)
    assert mine is not None
    assert mine.worker_id == "wrk-2"
    assert (was_linked, after, twice) == (True, None, False)
