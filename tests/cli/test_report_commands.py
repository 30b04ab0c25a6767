"""`clearsite official assign` and `apikey create --role app`, run as a user would."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import CliRunner
from tests.samples import KYIV, package, project


def test_official_assign_to_project_or_sector(cli: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "p.json"
    data.write_text(json.dumps(package(project("P1", *KYIV))))
    assert cli("sync", "oc4ids", str(data)).returncode == 0
    assert cli("official", "add", "--telegram-id", "9001", "--name", "Olena").returncode == 0
    by_project = cli("official", "assign", "--telegram-id", "9001", "--project", "P1")
    assert by_project.returncode == 0, by_project.stderr
    assert "project P1" in by_project.stdout
    by_sector = cli("official", "assign", "--telegram-id", "9001", "--sector", "transport")
    assert "sector transport" in by_sector.stdout
    assert cli("official", "assign", "--telegram-id", "9001", "--project", "nope").returncode == 2
    assert cli("official", "assign", "--telegram-id", "42", "--sector", "x").returncode == 2
    both = cli("official", "assign", "--telegram-id", "9001", "--project", "P1", "--sector", "x")
    assert both.returncode == 2


def test_apikey_for_a_third_party_app(cli: CliRunner) -> None:
    created = cli("apikey", "create", "--role", "app", "--name", "FixIt app")
    assert created.returncode == 0, created.stderr
    assert "app" in cli("apikey", "list").stdout
