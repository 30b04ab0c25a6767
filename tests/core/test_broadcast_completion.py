"""When a broadcast finishes, an author who wrote from Telegram is sent the figures, once."""

from __future__ import annotations

import json

from sqlalchemy import update

from core.broadcasts.schemas import BroadcastCreate
from core.broadcasts.service import telegram_author_chat
from core.chats.models import Chat
from core.outbox.models import Delivery
from core.services import Services
from tests.conftest import UowFactory
from tests.outboxutil import add_chats, deliveries

OFFICIAL = 900


def to_everyone() -> BroadcastCreate:
    return BroadcastCreate.model_validate({"audience": {"kind": "all"}, "text": {"uk": "Вода"}})


async def finish_deliveries(svc: Services, broadcast_id: int, states: dict[int, str]) -> None:
    """Give each recipient's delivery a final state, as the engine would."""
    for chat_id, state in states.items():
        await svc.session.execute(
            update(Delivery)
            .where(Delivery.broadcast_id == broadcast_id, Delivery.chat_id == chat_id)
            .values(state=state)
        )


async def test_author_gets_one_report_with_the_final_counts_in_their_language(
    uow: UowFactory,
) -> None:
    async with uow() as svc:
        await add_chats(svc, [OFFICIAL], language="uk-UA")
        await add_chats(svc, [1, 2, 3, 4])
        made = await svc.broadcasts.create(f"telegram:{OFFICIAL}", to_everyone())
    states = {OFFICIAL: "sent", 1: "sent", 2: "failed", 3: "blocked", 4: "cancelled"}
    async with uow() as svc:
        await finish_deliveries(svc, made.id, states)
    async with uow() as svc:
        assert await svc.broadcasts.complete_finished() == 1
    async with uow() as svc:
        assert await svc.broadcasts.complete_finished() == 0
        (notice,) = await deliveries(svc, kind="broadcast_done")
    assert (notice.chat_id, notice.locale, notice.state) == (OFFICIAL, "uk", "pending")
    assert notice.dedup_key == f"bdone:{made.id}"
    assert notice.broadcast_id is None
    assert json.loads(notice.params) == {
        "broadcast_id": made.id,
        "recipients": 5,
        "sent": 2,
        "failed": 1,
        "blocked": 1,
        "cancelled": 1,
        "expired": 0,
    }


async def test_no_report_for_api_authors_or_unreachable_officials(uow: UowFactory) -> None:
    async with uow() as svc:
        await add_chats(svc, [OFFICIAL, 1])
        by_api = await svc.broadcasts.create("apikey:7", to_everyone())
        by_unknown = await svc.broadcasts.create("telegram:555", to_everyone())
        by_gone = await svc.broadcasts.create(f"telegram:{OFFICIAL}", to_everyone())
    async with uow() as svc:
        for made in (by_api, by_unknown, by_gone):
            await finish_deliveries(svc, made.id, {OFFICIAL: "sent", 1: "sent"})
        await svc.session.execute(update(Chat).where(Chat.id == OFFICIAL).values(is_active=False))
    async with uow() as svc:
        assert await svc.broadcasts.complete_finished() == 3
    async with uow() as svc:
        assert await deliveries(svc, kind="broadcast_done") == []


def test_telegram_author_chat() -> None:
    assert telegram_author_chat("telegram:900") == 900
    assert telegram_author_chat("apikey:900") is None
    assert telegram_author_chat("telegram:") is None
    assert telegram_author_chat("telegram:-5") is None
