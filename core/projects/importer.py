"""Fetch OC4IDS packages from a file or URL, and the shipped demo package."""

from __future__ import annotations

import asyncio
import json
from importlib import resources
from pathlib import Path
from typing import Any

import httpx

from core.errors import InvalidInput, NotFound

MAX_PACKAGE_BYTES = 200 * 1024 * 1024


def demo_package() -> dict[str, Any]:
    """The deterministic demo package: public works in Kyiv and Seoul plus the OC4IDS example."""
    text = resources.files("core.projects").joinpath("demo", "demo-package.json").read_text()
    package: dict[str, Any] = json.loads(text)
    return package


async def fetch_package(source: str, client: httpx.AsyncClient | None = None) -> Any:
    """Read a package from a path or an http(s) URL; clear errors for what cannot be read."""
    if source.startswith(("http://", "https://")):
        raw = await _download(source, client)
    else:
        raw = await asyncio.to_thread(_read_file, Path(source))
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{source} is not valid JSON: {exc}", code="invalid_json") from exc


def _read_file(path: Path) -> bytes:
    if not path.is_file():
        raise NotFound(f"no such file: {path}", code="file_not_found")
    return path.read_bytes()


async def _download(url: str, client: httpx.AsyncClient | None) -> bytes:
    owned = client is None
    client = client or httpx.AsyncClient(timeout=60, follow_redirects=True)
    try:
        response = await client.get(url)
    except httpx.HTTPError as exc:
        raise InvalidInput(f"could not fetch {url}: {exc}", code="fetch_failed") from exc
    finally:
        if owned:
            await client.aclose()
    if response.status_code != 200:
        raise InvalidInput(
            f"fetching {url} answered HTTP {response.status_code}", code="fetch_failed"
        )
    if len(response.content) > MAX_PACKAGE_BYTES:
        raise InvalidInput(f"{url} is over {MAX_PACKAGE_BYTES} bytes", code="too_large")
    return response.content
