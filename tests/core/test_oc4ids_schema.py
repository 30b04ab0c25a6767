"""The shipped schema files and the test example are the unmodified upstream copies."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COPIES = [
    ROOT / "core" / "projects" / "schema",
    ROOT / "tests" / "data" / "oc4ids",
    ROOT / "scripts" / "oc4ids",
]
LISTED = re.compile(r"^\| `([\w.-]+\.json)` \| `[^`]+` \| `([0-9a-f]{64})` \|$", re.MULTILINE)


def recorded(folder: Path) -> dict[str, str]:
    """File name -> SHA-256, as recorded in the folder's PROVENANCE.md."""
    return dict(LISTED.findall((folder / "PROVENANCE.md").read_text(encoding="utf-8")))


@pytest.mark.parametrize("folder", COPIES, ids=lambda p: p.name)
def test_copies_match_the_digests_in_their_provenance(folder: Path) -> None:
    digests = recorded(folder)
    assert sorted(digests) == sorted(p.name for p in folder.glob("*.json"))
    for name, digest in digests.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
