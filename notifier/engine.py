"""DeliveryEngine: claims due outbox rows under a lease and sends them at a safe pace."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import secrets
import socket
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import timedelta

from aiogram.utils.i18n import I18n

from bot.ui import notices
from core.clock import Clock, utc_now
from core.context import DomainContext
from core.db import SessionFactory
from core.metrics import Metrics
from core.outbox.schemas import ClaimedDelivery, DeliveryOutcome
from core.outbox.wakeup import Waker
from core.uow import unit_of_work
from notifier import photos
from notifier.leases import LeaseBook, LeaseKeeper
from notifier.pacing import Pacer, backoff
from notifier.results import ResultWriter
from notifier.sender import SendResult, TelegramSender

logger = logging.getLogger(__name__)


def new_engine_id() -> str:
    """A lease owner name unique to this engine instance."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass(frozen=True)
class EngineConfig:
    """Pace, lease and retry policy of one engine."""

    rate_per_sec: float = 25.0
    limit_per_sec: float | None = None  # what the server accepts a second (default: the pace)
    lease_s: float = 30.0
    poll_s: float = 0.5
    max_attempts: int = 5
    backoff_base_s: float = 2.0
    backoff_max_s: float = 300.0
    concurrency: int = 64
    send_timeout_s: float = 10.0
    flush_s: float = 0.05
    engine_id: str = field(default_factory=new_engine_id)

    @property
    def batch(self) -> int:
        """Rows per claim: about two seconds of work, within sane bounds."""
        return int(min(500, max(20, self.rate_per_sec * 2)))

    @property
    def lease_margin_s(self) -> float:
        """No send starts under a lease with less than this left (a quarter of the lease)."""
        return self.lease_s / 4

    @property
    def max_unrecorded(self) -> int:
        """Back-pressure: sends in flight plus outcomes not yet committed, one flush's worth."""
        return max(10, math.ceil(self.rate_per_sec * self.flush_s))


class DeliveryEngine:
    """Outbox -> Telegram: claim, pace, send, record; one engine per process is enough."""

    def __init__(
        self,
        factory: SessionFactory,
        sender: TelegramSender,
        i18n: I18n,
        config: EngineConfig,
        waker: Waker | None = None,
        clock: Clock = utc_now,
        metrics: Metrics | None = None,
        ctx: DomainContext | None = None,
    ):
        # `ctx`: the clock, zone and default quiet hours that screening a claim needs.
        ctx = ctx or DomainContext(clock=clock)
        clock = ctx.clock
        self._ctx = ctx
        self._factory = factory
        self._sender = sender
        self._i18n = i18n
        self.config = config
        self._waker = waker or Waker()
        self._clock = clock
        self._pacer = Pacer(config.rate_per_sec, limit_per_sec=config.limit_per_sec)
        self._queue: deque[ClaimedDelivery] = deque()
        # Deliveries this engine holds (queued or being sent), each under its claim's lease.
        self._leases = LeaseBook(clock, config.lease_margin_s)
        self._slots = asyncio.Semaphore(config.concurrency)
        self._flying: set[asyncio.Task[None]] = set()
        self._writer = ResultWriter(
            factory, config.engine_id, config.flush_s, max(1, config.max_unrecorded // 2), ctx
        )
        self._keeper = LeaseKeeper(
            factory, config.engine_id, config.lease_s, self._leases, self._writer.tokens, ctx
        )
        self._last_claim_full = True
        self._last_claim_at = 0.0
        self._metrics = metrics
        self._stop = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set, then give back what was not sent."""
        engine = self.config.engine_id
        self._stop = stop
        logger.info("delivery engine %s started at %.1f msg/s", engine, self.config.rate_per_sec)
        helpers = [
            asyncio.create_task(self._writer.run(), name="outbox-writer"),
            asyncio.create_task(self._keeper.run(), name="outbox-leases"),
        ]
        try:
            await self._keeper.recover()
            while not stop.is_set():
                if not await self._step():
                    await self._waker.wait(self.config.poll_s)
        finally:
            await self._shutdown(helpers)
            logger.info("delivery engine %s stopped", engine)

    async def _step(self) -> bool:
        """Dispatch one message (claiming more first when running low); False when idle."""
        if len(self._queue) <= self.config.batch // 2 and self._should_claim():
            await self._claim()
        if not self._queue:
            return False
        await self._dispatch(self._queue.popleft())
        return True

    def _should_claim(self) -> bool:
        # While a batch is in hand, look again only when the last claim was full or a poll passed.
        waited = time.monotonic() - self._last_claim_at >= self.config.poll_s
        return not self._queue or self._last_claim_full or waited

    async def _claim(self) -> None:
        cfg = self.config
        self._last_claim_at = time.monotonic()
        try:
            async with unit_of_work(self._factory, self._ctx) as svc:
                rows = await svc.outbox.claim_due(cfg.batch, cfg.lease_s, cfg.engine_id)
                claimed = len(rows)
                # Quiet hours and expiry, in the claim's transaction: rows held or expired
                # here are written back before the claim commits, never leased to us.
                rows = await svc.screen.screen(rows, cfg.engine_id)
        except Exception:
            logger.exception("claiming deliveries failed; retrying shortly")
            await asyncio.sleep(cfg.poll_s)
            return
        self._last_claim_full = claimed >= cfg.batch
        # After a stall longer than the lease, another engine may have recovered rows this one
        # still holds or has sent (outcome not yet written), and this one claimed them again:
        # keep them under the new lease, never send them twice.
        fresh = [r for r in rows if not self._writer.retag(r.id, r.lease_token)]
        self._queue.extend(r for r in fresh if self._leases.take(r))

    async def _dispatch(self, item: ClaimedDelivery) -> None:
        if not self._leases.may_send(item.id):
            self._lapsed(item)
            return
        if not await self._room():
            return
        wait = self._pacer.chat_wait(item.chat_id)
        if wait > 0:
            # Another message to this chat left less than a second ago: put this one back.
            self._record(item, "defer", retry_in=wait)
            return
        while (delay := self._pacer.wait_time()) > 0:
            if await self._stopped_within(delay):
                # Stopping: not sent; the row is still leased to us and released at shutdown.
                return
        self._pacer.chat_sent(item.chat_id)
        await self._slots.acquire()
        # Counted from here until a second after its answer (`_send` reports it, always).
        self._pacer.started()
        task = asyncio.create_task(self._send(item))
        self._flying.add(task)
        task.add_done_callback(self._flying.discard)

    async def _room(self) -> bool:
        """Back-pressure: wait while one flush's worth is sent (or sending) but unrecorded."""
        limit = self.config.max_unrecorded
        while len(self._flying) + self._writer.unrecorded >= limit:
            if self._stop.is_set():
                return False
            await self._writer.progress(self.config.flush_s * 4)
        return not self._stop.is_set()

    def _lapsed(self, item: ClaimedDelivery) -> None:
        """The lease ran out (a pause or a stall): give the row back unsent, under the fence."""
        logger.info("delivery %d: lease ran out before the send; given back unsent", item.id)
        self._record(item, "release")

    async def _stopped_within(self, seconds: float) -> bool:
        """Sleep `seconds` (the pace or a 429 pause) unless asked to stop first."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._stop.wait()
        return self._stop.is_set()

    async def _send(self, item: ClaimedDelivery) -> None:
        try:
            item = self._rendered(item)
            if item.text is None:
                return
            if not self._leases.may_send(item.id):
                # Checked last thing before the send, after every await that could have stalled.
                self._lapsed(item)
                return
            started = time.perf_counter()
            result = await photos.deliver(
                self._sender, self._factory, item, item.text, silent=item.silent
            )
            # Count the chat's spacing again from the answer: the message reached Telegram by
            # then, so a request that lagged on a busy machine cannot arrive close to the next.
            self._pacer.chat_sent(item.chat_id)
            self._observe(item, result, time.perf_counter() - started)
            self._apply(item, result)
        except Exception:
            logger.exception("delivery %d: unexpected error; will retry", item.id)
            self._record(item, "retry", error="internal error", retry_in=self._backoff(item))
        finally:
            self._pacer.answered()
            self._slots.release()

    def _rendered(self, item: ClaimedDelivery) -> ClaimedDelivery:
        """The item with its text: rendered now on the first send, kept as stored afterwards."""
        if item.text is not None:
            return item
        try:
            out = notices.render(item.kind, item.params, item.locale, self._i18n)
        except Exception as exc:
            logger.exception("delivery %d: cannot render kind %s", item.id, item.kind)
            self._record(item, "failed", error=f"render: {type(exc).__name__}")
            return item
        markup = out.reply_markup.model_dump_json(exclude_none=True) if out.reply_markup else None
        return item.model_copy(update={"text": out.text, "reply_markup": markup})

    def _observe(self, item: ClaimedDelivery, result: SendResult, seconds: float) -> None:
        metrics = self._metrics
        if metrics is None:
            return
        metrics.send_seconds.observe(seconds)
        metrics.sends.labels(result.verdict).inc()
        if result.verdict == "flood":
            metrics.flood_waits.inc()
        elif result.verdict == "sent" and item.kind.startswith("wage_"):
            metrics.wage_alerts.labels(item.kind).inc()

    def _apply(self, item: ClaimedDelivery, result: SendResult) -> None:
        """The policy: what each Telegram answer means for this delivery (and the others)."""
        verdict = result.verdict
        if verdict == "sent":
            self._record(item, "sent", message_id=result.message_id)
        elif verdict == "flood":
            logger.warning(
                "429 on delivery %d: pausing all sends %.0fs", item.id, result.retry_after
            )
            self._pacer.pause(result.retry_after)
            self._queue.appendleft(item)
        elif verdict == "gone":
            self._record(item, "blocked", error=result.error)
        elif verdict == "bad_request" or self._exhausted(item, verdict):
            self._record(item, "failed", error=result.error)
        else:
            self._record(item, "retry", error=result.error, retry_in=self._backoff(item))

    def _exhausted(self, item: ClaimedDelivery, verdict: str) -> bool:
        # A lone 403 other than "blocked"/"deactivated" gets one more try; errors that may pass
        # (5xx, timeouts, network) get `max_attempts`.
        limit = 2 if verdict == "forbidden" else self.config.max_attempts
        return item.attempts + 1 >= limit

    def _backoff(self, item: ClaimedDelivery) -> float:
        cfg = self.config
        return backoff(item.attempts + 1, cfg.backoff_base_s, cfg.backoff_max_s)

    def _record(
        self,
        item: ClaimedDelivery,
        state: str,
        *,
        message_id: int | None = None,
        error: str | None = None,
        retry_in: float | None = None,
    ) -> None:
        token = self._leases.give_up(item.id)
        if token is None:
            logger.error("delivery %d: outcome %s for a row not held; dropped", item.id, state)
            return
        retry_at = None if retry_in is None else self._clock() + timedelta(seconds=retry_in)
        outcome = DeliveryOutcome(
            id=item.id,
            chat_id=item.chat_id,
            lease_token=token,
            state=state,
            text=item.text,
            reply_markup=item.reply_markup,
            telegram_message_id=message_id,
            error=error,
            next_attempt_at=retry_at,
        )
        self._writer.add(outcome)

    async def _shutdown(self, helpers: list[asyncio.Task[None]]) -> None:
        if self._flying:
            await asyncio.wait(self._flying, timeout=self.config.send_timeout_s + 5)
        self._queue.clear()
        # Stop the periodic writer first (a write it had begun is put back), then write the rest.
        for helper in helpers:
            helper.cancel()
        await asyncio.gather(*helpers, return_exceptions=True)
        await self._writer.close()
        try:
            async with unit_of_work(self._factory, self._ctx) as svc:
                released = await svc.outbox.release(self.config.engine_id)
            logger.info("released %d unsent deliveries", released)
        except Exception:
            logger.exception("could not release leases; they expire on their own")
