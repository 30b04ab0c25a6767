"""Wage DTOs: the sync format (in) and what the edges get back (out)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.inputs import AwareTime, Id, LongId, Text, WageMoney

WageStatus = Literal["scheduled", "funds_released", "credited", "partial", "failed"]
OPEN_STATUSES: tuple[str, ...] = ("scheduled", "funds_released", "partial", "failed")


class _In(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class _Dto(BaseModel):
    model_config = ConfigDict(frozen=True)


class EmploymentIn(_In):
    """A worker's employment on a project."""

    project_id: LongId
    employer_id: LongId
    employer_name: Text | None = None
    role: Text | None = None
    start_date: date | None = None


class WorkerIn(_In):
    """A worker as synced; the phone is hashed before it is stored."""

    id: Id
    full_name: Text = Field(min_length=1, max_length=300)
    phone: Text | None = Field(default=None, max_length=32)
    language: str | None = Field(default=None, pattern=r"^[a-z]{2,3}$")
    employments: tuple[EmploymentIn, ...] = ()


class ScheduleIn(_In):
    """One pay period of an employer on a project."""

    id: Id
    project_id: LongId
    employer_id: LongId
    employer_name: Text | None = None
    period_start: date
    period_end: date
    due_date: date
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    funds_released_at: AwareTime | None = None


class EntryIn(_In):
    """What one worker is owed for one period, and what was paid."""

    id: Id
    schedule_id: Id
    worker_id: Id
    amount_due: WageMoney
    amount_paid: WageMoney = Decimal(0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    status: WageStatus | None = None
    overpaid: bool = False
    paid_at: AwareTime | None = None
    reference: Text | None = Field(default=None, max_length=255)


class WagePackage(_In):
    """A whole wage sync: any of the three lists."""

    workers: tuple[WorkerIn, ...] = ()
    schedules: tuple[ScheduleIn, ...] = ()
    entries: tuple[EntryIn, ...] = ()


class Counts(_Dto):
    """Rows a sync created, updated and left unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


class WageSyncResult(_Dto):
    """What a wage sync did, per list, and how many events and alerts it raised."""

    workers: Counts
    schedules: Counts
    entries: Counts
    events: int
    alerts: int


class LinkCodeCreated(_Dto):
    """A fresh link code (shown once) and the deep link that redeems it."""

    worker_id: str
    code: str
    deep_link: str | None
    expires_at: datetime


class LinkResult(_Dto):
    """The answer to a redeem: linked (with first name and projects), refused, or locked."""

    status: Literal["linked", "invalid", "locked"]
    worker_id: str | None = None
    first_name: str | None = None
    project_titles: tuple[str, ...] = ()
    locked_until: datetime | None = None


class WagePeriodRead(_Dto):
    """One pay period on a linked worker's /wages list."""

    entry_id: str
    project_id: str
    project_title: str
    employer_name: str
    period_start: date
    period_end: date
    due_date: date
    amount_due: Decimal
    amount_paid: Decimal
    currency: str
    status: str
    days_late: int


class MyWages(_Dto):
    """A linked worker's own recent pay periods, newest first."""

    worker_id: str
    first_name: str
    locale: str  # the language of the chat's wage alerts, which the answer uses too
    periods: tuple[WagePeriodRead, ...]


class WageReportRead(_Dto):
    """A filed report of unpaid wages."""

    reference: str
    entry_id: str
    status: str
    created_at: datetime
    is_new: bool


class MoneyTotal(_Dto):
    """A sum in one currency."""

    currency: str
    amount: Decimal


class OverdueGroup(_Dto):
    """Overdue wages of one employer on one project."""

    employer_id: str
    employer_name: str
    project_id: str
    project_title: str
    entries: int
    workers: int
    max_days_late: int
    unpaid: tuple[MoneyTotal, ...]
    open_reports: int


class OverdueSummary(_Dto):
    """Overdue wages grouped by employer and project, with totals (no per-worker data)."""

    as_of: date
    grace_days: int
    groups: tuple[OverdueGroup, ...]
    entries: int
    workers: int
    unpaid: tuple[MoneyTotal, ...]
    open_reports: int
