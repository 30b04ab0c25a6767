"""Followed feeds' health as Prometheus gauges, from the last scrape's read of the database."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from core.sources.schemas import SourceRead


class SourceCollector(Collector):
    """Per source: failures in a row, seconds since its last change, and whether it is
    reported (failing 3 times in a row, or silent past its limit)."""

    def __init__(self) -> None:
        self.sources: list[SourceRead] = []

    def collect(self) -> Iterator[Metric]:
        """The snapshot as gauges, labelled by source id and name."""
        labels = ["source", "name"]
        failures = GaugeMetricFamily(
            "clearsite_source_consecutive_failures", "Failed pulls in a row", labels=labels
        )
        silent = GaugeMetricFamily(
            "clearsite_source_seconds_since_change",
            "Seconds since a pull last brought a change",
            labels=labels,
        )
        reported = GaugeMetricFamily(
            "clearsite_source_unhealthy",
            "1 when the source is reported (failing or silent)",
            labels=[*labels, "reason"],
        )
        for s in self.sources:
            key = [str(s.id), s.name]
            failures.add_metric(key, float(s.consecutive_failures))
            silent.add_metric(key, float(s.silent_for_s or 0.0))
            reported.add_metric([*key, "failing"], 1.0 if s.is_failing else 0.0)
            reported.add_metric([*key, "silent"], 1.0 if s.is_silent else 0.0)
        yield failures
        yield silent
        yield reported
