"""Reading wage sync files: a .json package, one .csv of a given kind, or a directory of CSVs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.errors import InvalidInput
from core.json_input import parse_json

CSV_KINDS = ("workers", "schedules", "entries")


def read_wage_files(path: Path, kind: str | None) -> list[tuple[str | None, Any]]:
    """(None, JSON data) for a .json file, else (kind, CSV text) per file, in dependency order."""
    if path.is_dir():
        files = [(k, path / f"{k}.csv") for k in CSV_KINDS if (path / f"{k}.csv").is_file()]
        if not files:
            raise InvalidInput(f"{path} holds none of workers.csv, schedules.csv, entries.csv")
        return [(k, f.read_text(encoding="utf-8-sig")) for k, f in files]
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file or directory", location="path")
    if path.suffix.lower() == ".json":
        return [(None, parse_json(path.read_bytes(), what=str(path)))]
    kind = kind or (path.stem if path.stem in CSV_KINDS else None)
    if path.suffix.lower() != ".csv" or kind is None:
        raise InvalidInput("give a .json file, a directory, or a .csv file with --kind")
    return [(kind, path.read_text(encoding="utf-8-sig"))]
