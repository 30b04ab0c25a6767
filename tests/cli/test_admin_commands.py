"""`clearsite` admin commands, run as a user would."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.cli.conftest import CliRunner
from tests.samples import KYIV, package, project


def test_help_lists_the_commands(cli: CliRunner) -> None:
    result = cli("--help")
    assert result.returncode == 0
    for command in ("run", "api", "bot", "notifier", "db", "demo", "sync", "apikey", "official"):
        assert command in result.stdout


def test_apikey_is_printed_once_and_never_listed(cli: CliRunner) -> None:
    created = cli("apikey", "create", "--role", "sync", "--name", "City ERP")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    assert key.startswith("cs_")
    assert len(key) > 40
    listed = cli("apikey", "list")
    assert "City ERP" in listed.stdout
    assert "active" in listed.stdout
    assert key not in listed.stdout
    revoked = cli("apikey", "revoke", "1")
    assert revoked.returncode == 0
    assert "revoked" in cli("apikey", "list").stdout


def test_apikey_rejects_unknown_role_and_missing_key(cli: CliRunner) -> None:
    assert cli("apikey", "create", "--role", "admin", "--name", "x").returncode == 2
    missing = cli("apikey", "revoke", "99")
    assert missing.returncode == 2
    assert "not found" in missing.stderr


def test_sync_from_file_reports_counts_and_errors(cli: CliRunner, tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(package(project("a", *KYIV), project("b", *KYIV))))
    first = cli("sync", "oc4ids", str(good))
    assert first.returncode == 0, first.stderr
    assert "created 2, updated 0, unchanged 0" in first.stdout
    assert "unchanged 2" in cli("sync", "oc4ids", str(good)).stdout
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(package(project("c", 95.0, 30.0))))
    refused = cli("sync", "oc4ids", str(bad))
    assert refused.returncode == 2
    assert "projects[0] (id 'c')" in refused.stderr
    assert cli("sync", "oc4ids", str(tmp_path / "missing.json")).returncode == 2
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    assert "not valid JSON" in cli("sync", "oc4ids", str(broken)).stderr


@pytest.fixture
def served_dir(tmp_path: Path) -> Iterator[str]:
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_sync_from_url(cli: CliRunner, tmp_path: Path, served_dir: str) -> None:
    (tmp_path / "pkg.json").write_text(json.dumps(package(project("a", *KYIV))))
    result = cli("sync", "oc4ids", f"{served_dir}/pkg.json")
    assert result.returncode == 0, result.stderr
    assert "created 1" in result.stdout
    missing = cli("sync", "oc4ids", f"{served_dir}/nope.json")
    assert missing.returncode == 2
    assert "HTTP 404" in missing.stderr


def test_official_add_and_list(cli: CliRunner) -> None:
    assert cli("official", "add", "--telegram-id", "1001", "--name", "Iryna").returncode == 0
    assert "1001  active  Iryna" in cli("official", "list").stdout
    assert cli("official", "add", "--telegram-id", "-5", "--name", "X").returncode == 2
    too_big = cli("official", "add", "--telegram-id", str(2**63), "--name", "X")
    assert too_big.returncode == 2
    assert "Telegram user id is a number within" in too_big.stderr


def test_db_backup_copies_a_live_sqlite_database(
    cli: CliRunner, cli_env: dict[str, str], tmp_path: Path
) -> None:
    if not cli_env["DATABASE_URL"].startswith("sqlite"):
        refused = cli("db", "backup", str(tmp_path / "b.db"))
        assert refused.returncode == 2
        assert "pg_dump" in refused.stderr
        return
    good = tmp_path / "good.json"
    good.write_text(json.dumps(package(project("a", *KYIV), project("b", *KYIV))))
    assert cli("sync", "oc4ids", str(good)).returncode == 0
    target = tmp_path / "backups" / "clearsite.db"
    result = cli("db", "backup", str(target))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM project").fetchone() == (2,)
    again = cli("db", "backup", str(target))
    assert again.returncode == 2
    assert "exists" in again.stderr
    assert cli("db", "backup", str(target), "--force").returncode == 0
