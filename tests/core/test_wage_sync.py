"""Wage sync: validated, all or nothing, idempotent, phones kept only as keyed hashes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.errors import InvalidInput
from core.wages.models import Employment, WageEntry, WageEvent, Worker
from core.wages.policy import WagePolicy
from core.wages.sync import phone_hash
from tests.conftest import UowFactory
from tests.factories import POLICY, entry, schedule, sync_wages, wage_package, worker


async def test_first_sync_creates_and_resync_changes_nothing(uow: UowFactory) -> None:
    async with uow() as svc:
        first = await sync_wages(svc)
    async with uow() as svc:
        again = await sync_wages(svc)
        events = await svc.session.scalar(select(func.count()).select_from(WageEvent))
    assert (first.workers.created, first.schedules.created, first.entries.created) == (1, 1, 1)
    assert (again.workers.unchanged, again.schedules.unchanged, again.entries.unchanged) == (
        1,
        1,
        1,
    )
    assert (again.events, again.alerts, events) == (0, 0, 0)


async def test_status_follows_from_amounts_and_released_funds(uow: UowFactory) -> None:
    released = schedule(funds_released_at="2026-11-05T09:00:00Z")
    entries = [
        entry("e-0"),
        entry("e-half", amount_paid="100.00"),
        entry("e-full", amount_paid="18437.50", paid_at="2026-11-09T10:00:00Z"),
        entry("e-fail", status="failed"),
    ]
    async with uow() as svc:
        await sync_wages(svc, schedules=[released], entries=entries)
        rows = dict((await svc.session.execute(select(WageEntry.id, WageEntry.status))).all())
        on_time = await svc.session.scalar(
            select(WageEntry.is_paid_on_time).where(WageEntry.id == "e-full")
        )
    assert rows == {
        "e-0": "funds_released",
        "e-half": "partial",
        "e-full": "credited",
        "e-fail": "failed",
    }
    assert on_time is True


async def test_phone_is_stored_only_as_keyed_hash(uow: UowFactory) -> None:
    async with uow() as svc:
        await sync_wages(svc)
        stored = await svc.session.get(Worker, "wrk-1")
    assert stored is not None
    assert stored.phone_hash == phone_hash("+38 067 000 0101", POLICY.pii_key)
    assert "380670000101" not in (stored.phone_hash or "")


async def test_without_a_key_no_phone_is_kept(uow: UowFactory) -> None:
    async with uow() as svc:
        await svc.wages.sync_json(wage_package(), WagePolicy(pii_key=None))
        stored = await svc.session.get(Worker, "wrk-1")
    assert stored is not None
    assert stored.phone_hash is None


async def test_changed_employments_replace_the_old_ones(uow: UowFactory) -> None:
    async with uow() as svc:
        await sync_wages(svc)
    moved = worker(employments=[{"project_id": "p-2", "employer_id": "emp-2"}])
    async with uow() as svc:
        result = await sync_wages(svc, workers=[moved], schedules=[], entries=[])
        projects = list(await svc.session.scalars(select(Employment.project_id)))
    assert result.workers.updated == 1
    assert projects == ["p-2"]


@pytest.mark.parametrize(
    ("package", "where"),
    [
        (wage_package(entries=[entry(worker_id="nobody")]), "entries[0].worker_id"),
        (wage_package(entries=[entry(schedule_id="nope")]), "entries[0].schedule_id"),
        (wage_package(entries=[entry(amount_due="-5")]), "entries[0].amount_due"),
        (wage_package(entries=[entry(amount_due="lots")]), "entries[0].amount_due"),
        (wage_package(entries=[entry(currency="XXY")]), "entries[0].currency"),
        (wage_package(entries=[entry(currency="USD")]), "entries[0].currency"),
        (wage_package(entries=[entry(amount_paid="20000")]), "entries[0].amount_paid"),
        (wage_package(entries=[entry(status="credited")]), "entries[0].status"),
        (wage_package(schedules=[schedule(period_end="2026-09-01")]), "schedules[0].period_end"),
        (wage_package(schedules=[schedule(due_date="2026-09-01")]), "schedules[0].due_date"),
        (wage_package(schedules=[schedule(currency="ZZZ")]), "schedules[0].currency"),
        (wage_package(workers=[worker(), worker()]), "workers[1].id"),
        (wage_package(entries=[entry(paid_at="2026-11-09T10:00:00")]), "entries[0].paid_at"),
    ],
)
async def test_bad_data_is_refused_naming_record_and_field_and_nothing_is_written(
    uow: UowFactory, package: dict[str, object], where: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        async with uow() as svc:
            await svc.wages.sync_json(package, POLICY)
    assert refused.value.location == where
    assert where.split(".", maxsplit=1)[0] in refused.value.detail
    async with uow() as svc:
        assert await svc.session.scalar(select(func.count()).select_from(Worker)) == 0


async def test_overpaid_flag_allows_paid_over_due(uow: UowFactory) -> None:
    async with uow() as svc:
        await sync_wages(svc, entries=[entry(amount_paid="20000.00", overpaid=True)])
        status = await svc.session.scalar(select(WageEntry.status))
    assert status == "credited"


async def test_csv_workers_with_one_row_per_employment(uow: UowFactory) -> None:
    text = (
        "id,full_name,phone,language,project_id,employer_id,employer_name\n"
        "wrk-9,Olha Koval,+380501112233,uk,p-1,emp-1,Budova LLC\n"
        "wrk-9,Olha Koval,+380501112233,uk,p-2,emp-2,Mist JSC\n"
    )
    async with uow() as svc:
        result = await svc.wages.sync_csv("workers", text, POLICY)
        jobs = set(await svc.session.scalars(select(Employment.project_id)))
    assert result.workers.created == 1
    assert jobs == {"p-1", "p-2"}


async def test_csv_entries_refer_to_stored_schedules(uow: UowFactory) -> None:
    async with uow() as svc:
        await sync_wages(svc, entries=[])
    text = (
        "id,schedule_id,worker_id,amount_due,amount_paid,currency\ne-1,sch-1,wrk-1,100.00,,UAH\n"
    )
    async with uow() as svc:
        result = await svc.wages.sync_csv("entries", text, POLICY)
    assert result.entries.created == 1


async def test_csv_bad_row_names_the_row(uow: UowFactory) -> None:
    text = "id,schedule_id,worker_id,amount_due,currency\ne-1,sch-1,wrk-1,abc,UAH\n"
    with pytest.raises(InvalidInput) as refused:
        async with uow() as svc:
            await svc.wages.sync_csv("entries", text, POLICY)
    assert refused.value.location == "entries[0].amount_due"
