"""Screening claimed deliveries against each chat's quiet hours and each message's expiry.

Runs in the transaction that claimed the rows: what is held or expired is written back
before anyone else can see the rows, so a restart or a second notifier changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.chats import quiet
from core.chats.models import Chat
from core.context import DomainContext
from core.errors import InvalidInput
from core.outbox.schemas import ClaimedDelivery, Screening
from core.outbox.timing import TimingService


class DeliveryScreen:
    """Decides, per claimed row, send / send silently / hold / expire, and records it."""

    def __init__(self, session: AsyncSession, ctx: DomainContext, timing: TimingService):
        self._session = session
        self._ctx = ctx
        self._timing = timing

    async def screen(self, rows: Sequence[ClaimedDelivery], engine: str) -> list[ClaimedDelivery]:
        """The rows to send now (silent ones marked); the others are held or expired."""
        if not rows:
            return []
        now, zone = self._ctx.clock(), self._ctx.zone
        settings = await self._settings({r.chat_id for r in rows})
        held, expired, silent, out = {}, [], [], []
        for row in rows:
            window, hold = settings.get(row.chat_id, (None, False))
            verdict, until = quiet.decide(
                window=window,
                hold=hold,
                urgency=row.urgency,
                expires_at=row.expires_at,
                now=now,
                zone=zone,
            )
            if verdict == "hold" and until is not None:
                held[row.id] = until
            elif verdict == "expire":
                expired.append(row.id)
            elif verdict == "silent":
                silent.append(row.id)
                out.append(row.model_copy(update={"silent": True}))
            else:
                out.append(row)
        if held or expired or silent:
            token = rows[0].lease_token
            screening = Screening(lease_token=token, held=held, expired=expired, silent=silent)
            await self._timing.apply(screening, engine)
        return out

    async def _settings(
        self, chat_ids: set[int]
    ) -> dict[int, tuple[quiet.QuietWindow | None, bool]]:
        default = self._ctx.quiet_hours_default
        rows = await self._session.execute(
            select(Chat.id, Chat.quiet_hours, Chat.quiet_hold).where(Chat.id.in_(chat_ids))
        )
        return {chat_id: (_window(chosen, default), bool(hold)) for chat_id, chosen, hold in rows}


def _window(chosen: str | None, default: str) -> quiet.QuietWindow | None:
    try:
        return quiet.effective(chosen, default)
    except InvalidInput:
        return None  # a value written by hand into the table: no quiet hours, never a crash
