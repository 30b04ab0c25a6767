"""Telegram file_ids of site photos: uploaded once, then sent on by id."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import insert_ignoring_duplicates
from core.projects.models import PhotoFile
from core.projects.schemas import PhotoRead

# Demo photos ship with the package (no network): their URLs map to these files.
DEMO_PHOTO_BASE = "https://clearsite.example.org/demo/photos/"
DEMO_PHOTO_DIR = Path(__file__).resolve().parent / "demo" / "photos"
MAX_FILE_ID = 255


def _key(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


async def with_file_ids(session: AsyncSession, photos: Sequence[PhotoRead]) -> list[PhotoRead]:
    """The photos, each with its cached file_id when there is one."""
    if not photos:
        return []
    keys = {_key(p.url): p for p in photos}
    rows = await session.execute(
        select(PhotoFile.url_hash, PhotoFile.file_id).where(PhotoFile.url_hash.in_(list(keys)))
    )
    cached: dict[str, str] = {str(row[0]): str(row[1]) for row in rows}
    return [p.model_copy(update={"file_id": cached.get(_key(p.url))}) for p in photos]


async def remember(session: AsyncSession, pairs: Sequence[tuple[str, str]], now: datetime) -> int:
    """Keep (url, file_id) pairs; a URL already cached keeps its first file_id."""
    rows = [
        {"url_hash": _key(url), "url": url, "file_id": file_id, "cached_at": now}
        for url, file_id in pairs
        if file_id and len(file_id) <= MAX_FILE_ID
    ]
    return await insert_ignoring_duplicates(session, PhotoFile, rows, unique=["url_hash"])


def demo_photo(url: str) -> bytes | None:
    """The bytes of a demo photo shipped with the package; None for any other URL."""
    if not url.startswith(DEMO_PHOTO_BASE):
        return None
    name = url.removeprefix(DEMO_PHOTO_BASE)
    if "/" in name or not name.endswith(".png"):
        return None
    path = DEMO_PHOTO_DIR / name
    return path.read_bytes() if path.is_file() else None
