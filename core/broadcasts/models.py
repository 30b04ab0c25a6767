"""Broadcasts: what an official sent, to whom, and how far the fan-out got."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, BigId, UtcDateTime


class Broadcast(Base):
    """An official's message to an audience, kept with its author for audit."""

    __tablename__ = "broadcast"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    author: Mapped[str] = mapped_column(String(64))
    sender: Mapped[str | None] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(Text)
    texts: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    send_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    urgency: Mapped[str] = mapped_column(String(8), default="normal", server_default="normal")
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
