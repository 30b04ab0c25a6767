"""Deliveries: one outgoing message each, to one chat."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, BigId, UtcDateTime


class Delivery(Base):
    """One message to one chat: pending -> sending -> sent | failed | blocked | cancelled |
    expired. A message held through quiet hours is pending, with `held_until` set."""

    __tablename__ = "delivery"
    __table_args__ = (
        Index("ix_delivery_due", "state", "next_attempt_at"),
        Index("ix_delivery_broadcast_state", "broadcast_id", "state"),
        Index("ix_delivery_expires_at", "expires_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    dedup_key: Mapped[str] = mapped_column(String(255), unique=True)
    # Foreign keys name the chat and broadcast tables only: the outbox imports no domain.
    chat_id: Mapped[int] = mapped_column(ForeignKey("chat.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    locale: Mapped[str] = mapped_column(String(8))
    params: Mapped[str] = mapped_column(Text, default="{}")
    text: Mapped[str | None] = mapped_column(Text)
    reply_markup: Mapped[str | None] = mapped_column(Text)
    broadcast_id: Mapped[int | None] = mapped_column(
        ForeignKey("broadcast.id", ondelete="CASCADE")
    )
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    leased_by: Mapped[str | None] = mapped_column(String(64))
    # A new token per claim: an outcome is recorded only under the lease it was sent under.
    lease_token: Mapped[str | None] = mapped_column(String(32))
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # `urgent` ignores quiet hours; `normal` is sent silently or held through them.
    urgency: Mapped[str] = mapped_column(String(8), default="normal", server_default="normal")
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    held_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    silent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
