"""Enqueueing into the outbox: a dedup key is written once, whatever retries happen."""

from __future__ import annotations

from sqlalchemy import func, select

from core.chats.models import Chat
from core.outbox.models import Delivery
from core.outbox.schemas import DeliveryIn
from tests.conftest import NOW, UowFactory


async def test_same_dedup_key_is_enqueued_once(uow: UowFactory) -> None:
    async with uow() as svc:
        svc.session.add(Chat(id=42, first_seen_at=NOW, last_seen_at=NOW))
    item = DeliveryIn(dedup_key="test:1:42", chat_id=42, kind="broadcast", locale="uk")
    async with uow() as svc:
        first = await svc.outbox.enqueue([item])
    async with uow() as svc:
        again = await svc.outbox.enqueue(
            [item, item.model_copy(update={"dedup_key": "test:2:42"})]
        )
        rows = await svc.session.scalar(select(func.count()).select_from(Delivery))
        due = await svc.session.scalar(select(Delivery.next_attempt_at).limit(1))
    assert (first, again, rows) == (1, 1, 2)
    assert due == NOW
