"""The record of calls the emulator answered, for tests and benchmarks to read and wait on.

Off unless asked for (``record=True``): a long-running emulator keeps nothing.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botapi_emulator.chats import ChatId


@dataclass(slots=True)
class RecordedCall:
    """One API call as the emulator saw it; `time` is the arrival time on its clock."""

    method: str
    params: dict[str, Any]
    time: float
    chat_id: ChatId | None
    status: int = 200
    result: Any = None

    @property
    def ok(self) -> bool:
        """Answered with success."""
        return self.status == 200

    @property
    def text(self) -> str | None:
        """The text parameter as sent (markup included)."""
        text = self.params.get("text")
        return text if isinstance(text, str) else None

    @property
    def message_id(self) -> int | None:
        """The id of the message sent, or of the message the call names."""
        if isinstance(self.result, dict) and "message_id" in self.result:
            return int(self.result["message_id"])
        value = self.params.get("message_id")
        return value if isinstance(value, int) else None

    @property
    def reply_markup(self) -> dict[str, Any] | None:
        """The reply_markup parameter."""
        markup = self.params.get("reply_markup")
        return markup if isinstance(markup, dict) else None

    @property
    def callback_data(self) -> list[str]:
        """All callback_data values of the inline keyboard, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


@dataclass(frozen=True, slots=True)
class WebhookDelivery:
    """One POST of an update to the webhook; status is None when the request failed."""

    update_id: int
    url: str
    status: int | None
    time: float
    error: str | None = None


class Recording:
    """Calls, messages delivered per (chat, text) and webhook deliveries, with waits on them."""

    def __init__(self, record: bool) -> None:
        self.record = record
        self.calls: list[RecordedCall] = []
        self.webhook_deliveries: list[WebhookDelivery] = []
        self.message_counts: Counter[tuple[ChatId, str]] = Counter()
        self._record_event: asyncio.Event | None = None

    def calls_to(
        self, method: str | None = None, chat_id: ChatId | None = None
    ) -> list[RecordedCall]:
        """Recorded calls, optionally of one method (any case) and/or to one chat."""
        name = method.lower() if method else None
        return [
            c
            for c in self.calls
            if (name is None or c.method.lower() == name)
            and (chat_id is None or c.chat_id == chat_id)
        ]

    def sent_messages(self, chat_id: ChatId | None = None) -> list[RecordedCall]:
        """Successful sendMessage calls, in order."""
        return [c for c in self.calls_to("sendMessage", chat_id) if c.ok]

    def sent_texts(self, chat_id: ChatId | None = None) -> list[str]:
        """The texts of successful sendMessage calls, in order."""
        return [c.text or "" for c in self.sent_messages(chat_id)]

    def received(self, chat_id: ChatId, text: str) -> int:
        """How many times the bot delivered this text (or caption) to this chat."""
        return self.message_counts[(chat_id, text)]

    def duplicates(self) -> dict[tuple[ChatId, str], int]:
        """(chat, text) pairs delivered more than once."""
        return {key: n for key, n in self.message_counts.items() if n > 1}

    async def wait_for(
        self,
        predicate: Callable[[RecordedCall], bool] | None = None,
        *,
        count: int = 1,
        timeout: float = 20.0,  # noqa: ASYNC109 - a per-call deadline keeps test lines short
        since: int = 0,
    ) -> list[RecordedCall]:
        """Wait until ``count`` calls from index ``since`` match; return all matches so far."""
        if not self.record:
            raise RuntimeError("this emulator keeps no record (record=False)")
        matched: list[RecordedCall] = []
        position = since
        try:
            async with asyncio.timeout(timeout):
                while True:
                    while position < len(self.calls):
                        call = self.calls[position]
                        position += 1
                        if predicate is None or predicate(call):
                            matched.append(call)
                    if len(matched) >= count:
                        return matched
                    await self._changed()
        except TimeoutError:
            recent = [(c.method, c.chat_id, c.status) for c in self.calls[-5:]]
            raise TimeoutError(
                f"{len(matched)} of {count} matching calls after {timeout}s; last calls: {recent}"
            ) from None

    async def wait_sent(
        self,
        count: int = 1,
        *,
        chat_id: ChatId | None = None,
        timeout: float = 20.0,  # noqa: ASYNC109 - see wait_for
    ) -> list[RecordedCall]:
        """Wait for ``count`` successful sendMessage calls (to ``chat_id`` if given)."""

        def sent(call: RecordedCall) -> bool:
            return (
                call.ok
                and call.method.lower() == "sendmessage"
                and (chat_id is None or call.chat_id == chat_id)
            )

        return await self.wait_for(sent, count=count, timeout=timeout)

    async def wait_webhook_deliveries(
        self,
        count: int = 1,
        timeout: float = 20.0,  # noqa: ASYNC109 - see wait_for
    ) -> list[WebhookDelivery]:
        """Wait until ``count`` webhook deliveries were attempted; return them all."""
        async with asyncio.timeout(timeout):
            while len(self.webhook_deliveries) < count:
                await self._changed()
        return list(self.webhook_deliveries)

    def clear_calls(self) -> None:
        """Forget calls, deliveries and counts."""
        self.calls.clear()
        self.webhook_deliveries.clear()
        self.message_counts.clear()

    async def _changed(self) -> None:
        # One shared event, created only while someone waits, so recording stays cheap.
        if self._record_event is None:
            self._record_event = asyncio.Event()
        await self._record_event.wait()

    def _record(self, call: RecordedCall, delivered: str | None) -> None:
        """Keep the call (and count a delivered message by its content key) when recording."""
        if not self.record:
            return
        self.calls.append(call)
        if delivered is not None and call.chat_id is not None:
            self.message_counts[(call.chat_id, delivered)] += 1
        if self._record_event is not None:
            self._notify()

    def _notify(self) -> None:
        if self._record_event is not None:
            self._record_event.set()
            self._record_event = None
