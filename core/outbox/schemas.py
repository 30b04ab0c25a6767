"""Outbox DTOs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


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
