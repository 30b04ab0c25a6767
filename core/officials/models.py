"""Registered officials."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UtcDateTime


class Official(Base):
    """A Telegram user allowed to broadcast and to see wage digests."""

    __tablename__ = "official"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
