"""`clearsite sync wages` (JSON, CSV, a directory) and `clearsite worker link-code`."""

from __future__ import annotations

import json
from pathlib import Path

from tests.api.test_wages_api import CSV_ENTRIES, CSV_SCHEDULES, CSV_WORKERS
from tests.cli.conftest import CliRunner
from tests.factories import wage_package


def test_sync_a_directory_of_csvs_then_a_link_code(cli: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "wages"
    folder.mkdir()
    for name, text in (
        ("workers", CSV_WORKERS),
        ("schedules", CSV_SCHEDULES),
        ("entries", CSV_ENTRIES),
    ):
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    synced = cli("sync", "wages", str(folder))
    assert synced.returncode == 0, synced.stderr
    assert "entries: created 1, updated 0, unchanged 0" in synced.stdout
    code = cli("worker", "link-code", "wrk-1")
    assert code.returncode == 0, code.stderr
    assert "code: " in code.stdout
    assert "Petro" not in code.stdout


def test_bad_json_exits_2_naming_the_field(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "wages.json"
    bad = wage_package()
    bad["entries"][0]["currency"] = "XXY"
    path.write_text(json.dumps(bad), encoding="utf-8")
    result = cli("sync", "wages", str(path))
    assert result.returncode == 2
    assert "entries[0] (id 'ent-1'): field currency" in result.stderr
