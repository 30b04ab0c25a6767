"""The shipped schema files are the project's reference copies."""

from __future__ import annotations

from pathlib import Path

import pytest

SHIPPED = Path(__file__).resolve().parents[2] / "core" / "projects" / "schema"
REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "data" / "oc4ids"


@pytest.mark.parametrize("name", ["project-schema.json", "project-package-schema.json"])
def test_shipped_schema_matches_reference(name: str) -> None:
    if not REFERENCE.exists():
        pytest.skip("the reference data is not beside this checkout")
    assert (SHIPPED / name).read_bytes() == (REFERENCE / name).read_bytes()
