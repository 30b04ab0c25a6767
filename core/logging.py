"""Process-wide logging set-up: text for people, JSON for log pipelines."""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

_STANDARD = set(vars(logging.makeLogRecord({})))

# The event being handled, put on every log record of it: set by the API's X-Request-ID
# middleware and the bot's update middleware (contextvars follow each request's task).
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
update_id: ContextVar[int | None] = ContextVar("update_id", default=None)


class EventIdFilter(logging.Filter):
    """Adds `request_id` / `update_id` to a record while one is set in this context."""

    def filter(self, record: logging.LogRecord) -> bool:
        rid, uid = request_id.get(), update_id.get()
        if rid is not None and not hasattr(record, "request_id"):
            record.request_id = rid
        if uid is not None and not hasattr(record, "update_id"):
            record.update_id = uid
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line, with any `extra=` identifiers kept as fields."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        payload.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)


def configure_logging(level: str = "INFO", *, json_output: bool = False) -> None:
    """Configure the root logger once per process."""
    handler = logging.StreamHandler()
    if json_output:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(EventIdFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("aiosqlite", "httpx", "httpcore", "apscheduler.executors.default"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
