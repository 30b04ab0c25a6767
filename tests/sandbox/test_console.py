"""`make run` keeps the console readable: no access log line per sandbox poll by default."""

from __future__ import annotations

from pathlib import Path

import httpx

from sandbox.users import CITIZEN_ID
from tests.sandbox.conftest import clearsite_run

POLLS = 5


def test_sandbox_polls_leave_no_access_log_lines_at_the_default_level(
    db_url: str, tmp_path: Path
) -> None:
    with clearsite_run(db_url, tmp_path, log_level="INFO") as run:
        for _ in range(POLLS):
            polled = httpx.get(f"{run.base}/sandbox/api/chats/{CITIZEN_ID}?wait=0", timeout=30)
            assert polled.status_code == 200
    console = run.out + run.err
    assert "sandbox: demo worker on project" in console  # INFO lines are shown …
    assert "/sandbox/api/chats" not in console  # … but not one line per poll
