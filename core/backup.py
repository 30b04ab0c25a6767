"""Online backups of the embedded SQLite database (PostgreSQL uses pg_dump)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from core.db import is_sqlite
from core.errors import Conflict, InvalidInput

PG_DUMP_HINT = (
    "for PostgreSQL use pg_dump, e.g. "
    '`pg_dump --format=custom --file=clearsite.dump "$DATABASE_URL_WITHOUT_+asyncpg"`'
    " (see docs/operations.md, Backups)"
)


def backup_sqlite(database_url: str, target: Path, *, overwrite: bool = False) -> int:
    """Copy a live SQLite database to `target` with SQLite's online backup API. Blocking.

    Readers and writers may keep working meanwhile; the copy is a consistent snapshot.
    Returns the size of the backup in bytes.
    """
    if not is_sqlite(database_url):
        raise InvalidInput(f"`db backup` copies SQLite databases; {PG_DUMP_HINT}")
    source = make_url(database_url).database
    if not source or source == ":memory:":
        raise InvalidInput("an in-memory database cannot be backed up")
    if not Path(source).is_file():
        raise InvalidInput(f"no database file at {source}")
    if target.exists() and not overwrite:
        raise Conflict(f"{target} exists; choose another path or pass --force")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with sqlite3.connect(source) as src, sqlite3.connect(partial) as dst:
        src.backup(dst, pages=1024)
    partial.replace(target)
    return target.stat().st_size
