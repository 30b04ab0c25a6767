"""Every scheduled job runs `guarded`: one replica at a time, logged, counted, never fatal."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from core.db import SessionFactory, job_lock
from core.metrics import Metrics

logger = logging.getLogger(__name__)

Job = Callable[..., Awaitable[Any]]


Running = set[asyncio.Task[Any]]


def guarded(
    job_id: str,
    job: Job,
    factory: SessionFactory,
    metrics: Metrics | None,
    running: Running | None = None,
) -> Job:
    """`job` under a PostgreSQL advisory lock named after it: another notifier's run is skipped.

    A failure is logged and counted; the scheduler keeps running and tries at the next time.
    While it runs, its task is in `running`, so a stopping notifier can let it finish.
    """

    async def run(*args: Any) -> None:
        outcome = "ok"
        task = asyncio.current_task()
        if running is not None and task is not None:
            running.add(task)
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
            if running is not None and task is not None:
                running.discard(task)
            if metrics is not None:
                metrics.job_runs.labels(job_id, outcome).inc()

    run.__name__ = run.__qualname__ = f"guarded_{job.__name__}"
    return run


async def let_finish(running: Running, timeout_s: float) -> None:
    """Wait (at most `timeout_s`) for the jobs under way, so none is cancelled mid-transaction
    when the process stops; the scheduler must already be paused."""
    if not running:
        return
    logger.info("waiting for %d running job(s) to finish", len(running))
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(timeout_s):
            await asyncio.gather(*running, return_exceptions=True)
