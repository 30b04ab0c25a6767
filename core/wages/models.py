"""Wage tables: private per-worker data, its events, Telegram links and unpaid-wage reports."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, BigId, ExactNumeric, UtcDateTime

Money = ExactNumeric(18, 2)


class Worker(Base):
    """A worker by the payroll's external id; the phone only as a keyed hash."""

    __tablename__ = "worker"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    full_name: Mapped[str] = mapped_column(Text)
    phone_hash: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(8))
    chat_id: Mapped[int | None] = mapped_column(
        ForeignKey("chat.id", ondelete="SET NULL"), unique=True
    )
    linked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Employment(Base):
    """A worker employed on a project by an employer organisation."""

    __tablename__ = "employment"
    __table_args__ = (
        UniqueConstraint("worker_id", "project_id", "employer_id", name="uq_employment_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    worker_id: Mapped[str] = mapped_column(ForeignKey("worker.id", ondelete="CASCADE"))
    project_id: Mapped[str] = mapped_column(String(255), index=True)
    employer_id: Mapped[str] = mapped_column(String(255))
    employer_name: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str | None] = mapped_column(Text)
    start_date: Mapped[date | None] = mapped_column(Date)


class WageSchedule(Base):
    """One pay period of one employer on one project."""

    __tablename__ = "wage_schedule"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    project_id: Mapped[str] = mapped_column(String(255), index=True)
    employer_id: Mapped[str] = mapped_column(String(255))
    employer_name: Mapped[str | None] = mapped_column(Text)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    funds_released_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class WageEntry(Base):
    """What one worker is owed for one period, and what was paid."""

    __tablename__ = "wage_entry"
    # The overdue scan reads only open entries past their due date: (status, due_date) finds them.
    __table_args__ = (
        Index("ix_wage_entry_open", "status", "due_date"),
        Index("ix_wage_entry_worker", "worker_id", "period_end"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    schedule_id: Mapped[str] = mapped_column(
        ForeignKey("wage_schedule.id", ondelete="CASCADE"), index=True
    )
    worker_id: Mapped[str] = mapped_column(ForeignKey("worker.id", ondelete="CASCADE"))
    project_id: Mapped[str] = mapped_column(String(255), index=True)
    due_date: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    amount_due: Mapped[Decimal] = mapped_column(Money)
    amount_paid: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16))
    is_overpaid: Mapped[bool] = mapped_column(Boolean, default=False)
    is_paid_on_time: Mapped[bool] = mapped_column(Boolean, default=False)
    paid_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reference: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class WageEvent(Base):
    """A state change of an entry, recorded once: (entry, kind, step) is unique."""

    __tablename__ = "wage_event"
    __table_args__ = (UniqueConstraint("entry_id", "kind", "step", name="uq_wage_event_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(ForeignKey("wage_entry.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    step: Mapped[int] = mapped_column(BigInteger, default=0)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)


class LinkCode(Base):
    """A single-use code that links a Telegram chat to a worker; only its hash is kept."""

    __tablename__ = "link_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    worker_id: Mapped[str] = mapped_column(ForeignKey("worker.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class LinkAttempt(Base):
    """One try to redeem a code from a chat, for the wrong-code lockout."""

    __tablename__ = "link_attempt"
    __table_args__ = (Index("ix_link_attempt_chat_at", "chat_id", "attempted_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    attempted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    is_success: Mapped[bool] = mapped_column(Boolean)


class WageReport(Base):
    """A worker's report of unpaid wages, for officials; answered with its reference."""

    __tablename__ = "wage_report"
    __table_args__ = (UniqueConstraint("entry_id", name="uq_wage_report_entry_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    worker_id: Mapped[str] = mapped_column(ForeignKey("worker.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[str] = mapped_column(ForeignKey("wage_entry.id", ondelete="CASCADE"))
    project_id: Mapped[str] = mapped_column(String(255))
    employer_id: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
