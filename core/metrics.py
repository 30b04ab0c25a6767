"""Prometheus metrics: one registry object per process, built in the composition root.

Nothing here is module-level: `Metrics()` makes its own `CollectorRegistry`, so tests and the
roles of one process never share counters by accident, and the global default registry is not
used. Outbox figures are read from the database at scrape time (`refresh_outbox`), so every
replica reports the same truth and no counter drifts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import generate_latest
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from core.context import DomainContext
from core.db import SessionFactory
from core.feed_metrics import SourceCollector
from core.outbox.schemas import OutboxStats
from core.uow import unit_of_work

logger = logging.getLogger(__name__)

SEND_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
HANDLER_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class OutboxCollector(Collector):
    """Deliveries by state, due depth and the oldest due row's wait, from the last refresh."""

    def __init__(self) -> None:
        self.stats: OutboxStats | None = None
        self.ok = False

    def collect(self) -> Iterator[Metric]:
        """The snapshot as gauges (`clearsite_outbox_up` 0 when the database did not answer)."""
        up = GaugeMetricFamily("clearsite_outbox_up", "1 when the outbox could be read")
        up.add_metric([], 1.0 if self.ok else 0.0)
        yield up
        if self.stats is None or not self.ok:
            return
        states = GaugeMetricFamily(
            "clearsite_outbox_deliveries", "Deliveries in the outbox by state", labels=["state"]
        )
        for state, count in self.stats.counts.model_dump().items():
            states.add_metric([state], float(count))
        yield states
        yield GaugeMetricFamily(
            "clearsite_outbox_due", "Pending deliveries due now (outbox depth)", self.stats.due
        )
        yield GaugeMetricFamily(
            "clearsite_outbox_oldest_due_age_seconds",
            "How long the oldest due pending delivery has waited",
            self.stats.oldest_due_age_s,
        )


class Metrics:
    """Every metric this codebase records; `render()` gives the Prometheus text format."""

    def __init__(self) -> None:
        reg = self.registry = CollectorRegistry()
        self.sends = Counter(
            "clearsite_sends", "Telegram send attempts by outcome", ["outcome"], registry=reg
        )
        self.send_seconds = Histogram(
            "clearsite_send_seconds", "Telegram send latency", buckets=SEND_BUCKETS, registry=reg
        )
        self.flood_waits = Counter(
            "clearsite_telegram_429", "429 Too Many Requests answers from Telegram", registry=reg
        )
        self.wage_alerts = Counter(
            "clearsite_wage_alerts", "Wage alerts sent, by kind", ["kind"], registry=reg
        )
        self.sync_projects = Counter(
            "clearsite_sync_projects", "Synced projects by result", ["result"], registry=reg
        )
        self.sync_wage_events = Counter(
            "clearsite_sync_wage_events", "Wage events recorded by wage syncs", registry=reg
        )
        self.bot_updates = Counter(
            "clearsite_bot_updates", "Telegram updates handled, by type", ["type"], registry=reg
        )
        self.bot_handler_seconds = Histogram(
            "clearsite_bot_handler_seconds",
            "Time to handle one update",
            buckets=HANDLER_BUCKETS,
            registry=reg,
        )
        self.job_runs = Counter(
            "clearsite_job_runs", "Scheduled job runs by outcome", ["job", "outcome"], registry=reg
        )
        self.outbox = OutboxCollector()
        reg.register(self.outbox)
        self.feeds = SourceCollector()
        reg.register(self.feeds)

    def observe_sync(self, created: int, updated: int, unchanged: int) -> None:
        """Count one OC4IDS sync's projects."""
        self.sync_projects.labels("created").inc(created)
        self.sync_projects.labels("updated").inc(updated)
        self.sync_projects.labels("unchanged").inc(unchanged)

    async def refresh_outbox(
        self, factory: SessionFactory, ctx: DomainContext | None = None
    ) -> None:
        """Read the outbox and feed figures in a unit of work of their own (before each scrape)."""
        try:
            async with unit_of_work(factory, ctx) as svc:
                self.outbox.stats = await svc.outbox.stats()
                self.feeds.sources = await svc.sources.list()
            self.outbox.ok = True
        except Exception:
            logger.warning("metrics: the outbox could not be read", exc_info=True)
            self.outbox.ok = False

    def render(self) -> tuple[bytes, str]:
        """(body, content type) of a scrape."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
