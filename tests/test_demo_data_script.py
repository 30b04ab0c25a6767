"""scripts/make_demo_data.py reads only the repository and makes the shipped package."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEEDED = ["scripts/make_demo_data.py", "scripts/demo_extras.py", "scripts/oc4ids"]
SCHEMAS = "core/projects/schema"
PACKAGE = "core/projects/demo/demo-package.json"


def test_the_demo_data_is_made_from_the_repository_alone(tmp_path: Path) -> None:
    # A copy of just what the script reads, in a folder with nothing beside or above it.
    repo = tmp_path / "repo"
    for part in NEEDED:
        source, target = ROOT / part, repo / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy(source, target)
    (repo / SCHEMAS).mkdir(parents=True)
    for schema in (ROOT / SCHEMAS).glob("*.json"):
        shutil.copy(schema, repo / SCHEMAS)
    made = subprocess.run(
        [sys.executable, "scripts/make_demo_data.py", "--output", "out/demo.json"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(
        "wrote out/demo.json: 151 projects (example 1, kyiv 90, seoul 60"
    )
    made_bytes = (repo / "out" / "demo.json").read_bytes()
    assert len(json.loads(made_bytes)["projects"]) == 151
    # The shipped package is the script's output, byte for byte: a change to the script comes
    # with the regenerated package (and the tests that read it), never one without the other.
    assert made_bytes == (ROOT / PACKAGE).read_bytes()
