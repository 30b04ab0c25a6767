"""WageService: what the API, the CLI, the bot and the notifier call for workers and wages."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.context import DomainContext
from core.db import try_scan_lock
from core.outbox.service import OutboxService
from core.sources import digest as source_digest
from core.wages import alerts, digest, ledger, linking, overdue, parse, reads, reports, sync
from core.wages.policy import WagePolicy
from core.wages.schemas import (
    LinkCodeCreated,
    LinkResult,
    MyWages,
    OverdueSummary,
    WagePackage,
    WageReportRead,
    WageSyncResult,
)
from core.wages.sync import EventKey

logger = logging.getLogger(__name__)


class WageService:
    """Workers, wage sync, Telegram links, alerts, overdue reminders, reports and digests."""

    def __init__(self, session: AsyncSession, ctx: DomainContext, outbox: OutboxService):
        self._session = session
        self._ctx = ctx
        self._outbox = outbox

    async def sync_json(self, data: Any, policy: WagePolicy) -> WageSyncResult:
        """Validate a JSON wage package and apply it; nothing is written when it is invalid."""
        return await self.sync(parse.parse_package(data), policy)

    async def sync_csv(self, kind: str, text: str, policy: WagePolicy) -> WageSyncResult:
        """Validate one CSV file (`workers`, `schedules` or `entries`) and apply it."""
        return await self.sync(parse.parse_csv(kind, text), policy)

    async def sync(self, package: WagePackage, policy: WagePolicy) -> WageSyncResult:
        """Upsert a validated package, record its events once, and alert linked workers."""
        now = self._ctx.clock()
        periods = await ledger.check_references(self._session, package)
        workers = await sync.upsert_workers(self._session, package.workers, now, policy.pii_key)
        schedules, released = await ledger.upsert_schedules(self._session, package.schedules, now)
        entries, changed = await ledger.upsert_entries(
            self._session, package.entries, periods, now, self._ctx.zone
        )
        events, sent = await self._raise_events([*released, *changed], policy)
        late = await overdue.evaluate(
            self._session,
            (e.id for e in package.entries),
            (s.id for s in package.schedules),
            self._ctx.local_today(),
            policy.grace_days,
            policy.reminder_steps,
            now,
        )
        events, sent = events + len(late), sent + await self._alert(late, policy)
        logger.info("wage sync: %d events, %d alerts", events, sent)
        return WageSyncResult(
            workers=workers, schedules=schedules, entries=entries, events=events, alerts=sent
        )

    async def _raise_events(self, keys: list[EventKey], policy: WagePolicy) -> tuple[int, int]:
        now = self._ctx.clock()
        rows = [{"entry_id": e, "kind": k, "step": s, "occurred_at": now} for e, k, s in keys]
        new: list[EventKey] = []
        for chunk in sync.chunks(rows):
            inserted = await alerts.insert_events(self._session, list(chunk))
            new += [(entry_id, kind, int(step)) for entry_id, kind, step in inserted]
        return len(new), await self._alert(new, policy)

    async def _alert(self, events: list[EventKey], policy: WagePolicy) -> int:
        deliveries = await alerts.build_alerts(
            self._session,
            events,
            self._ctx.local_today(),
            policy.grace_days,
            policy.default_locale,
        )
        return await self._outbox.enqueue(deliveries) if deliveries else 0

    async def scan_overdue(self, policy: WagePolicy) -> int | None:
        """Record reminders due at the configured steps and enqueue them; None when another
        replica holds the scan. Returns how many alerts were enqueued."""
        if not await try_scan_lock(self._session, "wages.overdue_scan"):
            return None
        found = await overdue.scan(
            self._session,
            self._ctx.local_today(),
            policy.grace_days,
            policy.reminder_steps,
            self._ctx.clock(),
        )
        sent = await self._alert(found, policy)
        logger.info("overdue scan: %d new reminders, %d alerts", len(found), sent)
        return sent

    async def create_link_code(self, worker_id: str, policy: WagePolicy) -> LinkCodeCreated:
        """A single-use code (shown once) and deep link for linking a worker's Telegram."""
        return await linking.create_code(
            self._session, worker_id, self._ctx.clock(), policy.link_ttl_hours, policy.bot_username
        )

    async def redeem_code(self, chat_id: int, code: str, lang: str | None = None) -> LinkResult:
        """Link a chat by code: `linked` (first name, projects named in `lang`), `invalid`,
        or `locked`."""
        return await linking.redeem(self._session, chat_id, code, self._ctx.clock(), lang)

    async def unlink(self, chat_id: int) -> bool:
        """Unlink the chat from its worker; whether it was linked."""
        return await linking.unlink(self._session, chat_id)

    async def my_wages(
        self, chat_id: int, policy: WagePolicy | None = None, limit: int = 6
    ) -> MyWages | None:
        """The linked worker's last pay periods, in the language of the chat's wage alerts;
        None for a chat that links no worker."""
        policy = policy or WagePolicy()
        today, grace = self._ctx.local_today(), policy.grace_days
        return await reads.my_wages(
            self._session, chat_id, today, grace, policy.default_locale, limit
        )

    async def period_bounds(self, worker_id: str) -> tuple[date, date] | None:
        """The first start and the last end of a worker's pay periods; None before any."""
        return await reads.period_bounds(self._session, worker_id)

    async def report_unpaid(self, chat_id: int, entry_id: str) -> WageReportRead:
        """File a report of unpaid wages for an entry of the chat's own worker."""
        return await reports.file_report(self._session, chat_id, entry_id, self._ctx.clock())

    async def overdue_summary(self, policy: WagePolicy) -> OverdueSummary:
        """Overdue wages grouped by employer and project, with totals and open reports."""
        return await digest.overdue_summary(
            self._session, self._ctx.local_today(), policy.grace_days
        )

    async def send_digest(self, policy: WagePolicy, extra: dict[str, Any] | None = None) -> int:
        """Enqueue today's digest to every active official; at most once per official a day.
        `extra` adds other domains' sections (Services passes the overdue citizen reports)."""
        summary = await self.overdue_summary(policy)
        feeds = await source_digest.feeds_section(self._session, self._ctx.clock)
        sections = {**(extra or {}), **(feeds or {})}
        deliveries = await digest.digest_deliveries(
            self._session, summary, policy.default_locale, sections
        )
        return await self._outbox.enqueue(deliveries) if deliveries else 0

    async def paid_on_time_share(self, project_id: str) -> float | None:
        """The public aggregate: share of the project's wage entries paid on time."""
        return await reads.paid_on_time_share(self._session, project_id, self._ctx.local_today())
