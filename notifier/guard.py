"""Every scheduled job runs `guarded`: one replica at a time, logged, counted, never fatal."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from core.db import SessionFactory, job_lock
from core.metrics import Metrics

logger = logging.getLogger(__name__)

Job = Callable[..., Awaitable[Any]]


def guarded(job_id: str, job: Job, factory: SessionFactory, metrics: Metrics | None) -> Job:
    """`job` under a PostgreSQL advisory lock named after it: another notifier's run is skipped.

    A failure is logged and counted; the scheduler keeps running and tries at the next time.
    """

    async def run(*args: Any) -> None:
        outcome = "ok"
        try:
            async with job_lock(factory, job_id) as mine:
                if not mine:
                    outcome = "skipped"
                    logger.info("job %s skipped: another notifier is running it", job_id)
                    return
                await job(*args)
        except Exception:
            outcome = "failed"
            logger.exception("job %s failed", job_id)
        finally:
            if metrics is not None:
                metrics.job_runs.labels(job_id, outcome).inc()

    run.__name__ = run.__qualname__ = f"guarded_{job.__name__}"
    return run
