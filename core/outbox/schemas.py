"""Outbox DTOs."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Urgency = Literal["urgent", "normal"]


class DeliveryIn(BaseModel):
    """One message to enqueue: what to say (kind + params), to whom, in which language.

    The notifier renders `kind` with `params` in `locale` just before the first send and keeps
    the rendered text on the row, so a retry sends exactly the same message.
    """

    model_config = ConfigDict(frozen=True)

    dedup_key: str = Field(max_length=255)
    chat_id: int
    kind: str = Field(max_length=32)
    locale: str = Field(max_length=8)
    params: dict[str, Any] = Field(default_factory=dict)
    broadcast_id: int | None = None
    not_before: datetime | None = None
    urgency: Urgency = "normal"
    expires_at: datetime | None = None


class ClaimedDelivery(BaseModel):
    """A delivery leased to one engine: what to send, and the text if it was rendered before."""

    model_config = ConfigDict(frozen=True)

    id: int
    chat_id: int
    kind: str
    locale: str
    params: dict[str, Any]
    text: str | None
    reply_markup: str | None
    attempts: int
    broadcast_id: int | None
    lease_token: str
    lease_until: datetime
    urgency: str = "normal"
    expires_at: datetime | None = None
    silent: bool = False


class Screening(BaseModel):
    """Claimed rows that must not be sent now: held (row id -> until) or expired."""

    model_config = ConfigDict(frozen=True)

    lease_token: str
    held: dict[int, datetime] = Field(default_factory=dict)
    expired: list[int] = Field(default_factory=list)
    silent: list[int] = Field(default_factory=list)


class UnsentRow(BaseModel):
    """A pending delivery not yet rendered: its params may still change."""

    model_config = ConfigDict(frozen=True)

    id: int
    chat_id: int
    dedup_key: str
    params: dict[str, Any]
    held: bool = False


class LeaseRenewal(BaseModel):
    """The leases an engine still held when it renewed them, and their new end."""

    model_config = ConfigDict(frozen=True)

    until: datetime
    tokens: frozenset[str]


OutcomeState = Literal["sent", "retry", "failed", "blocked", "defer", "release"]


class DeliveryOutcome(BaseModel):
    """What happened to one claimed delivery, under the lease it was claimed with.

    `defer` puts it back without counting an attempt; `release` gives back a row that was not
    sent because its lease ran out before the send.
    """

    model_config = ConfigDict(frozen=True)

    id: int
    chat_id: int
    lease_token: str
    state: OutcomeState
    text: str | None = None
    reply_markup: str | None = None
    telegram_message_id: int | None = None
    error: str | None = None
    next_attempt_at: datetime | None = None


class QueueCounts(BaseModel):
    """Deliveries by state (the whole outbox, or one broadcast)."""

    model_config = ConfigDict(frozen=True)

    pending: int = 0
    sending: int = 0
    sent: int = 0
    failed: int = 0
    blocked: int = 0
    cancelled: int = 0
    expired: int = 0


class OutboxStats(BaseModel):
    """What monitoring reads at scrape time: counts by state, and how late the due queue is."""

    model_config = ConfigDict(frozen=True)

    counts: QueueCounts
    due: int
    oldest_due_age_s: float
