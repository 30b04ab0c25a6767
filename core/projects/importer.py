"""Fetch OC4IDS packages from a file or URL, and the shipped demo package."""

from __future__ import annotations

import asyncio
import json
from importlib import resources
from pathlib import Path
from typing import Any

import httpx

from core.errors import InvalidInput, NotFound
from core.json_input import parse_json

MAX_PACKAGE_BYTES = 200 * 1024 * 1024
FETCH_TIMEOUT_S = 300.0
MAX_REDIRECTS = 5


def demo_package() -> dict[str, Any]:
    """The deterministic demo package: public works in Kyiv and Seoul plus the OC4IDS example."""
    text = resources.files("core.projects").joinpath("demo", "demo-package.json").read_text()
    package: dict[str, Any] = json.loads(text)
    return package


async def fetch_package(
    source: str,
    client: httpx.AsyncClient | None = None,
    *,
    max_bytes: int = MAX_PACKAGE_BYTES,
    timeout_s: float = FETCH_TIMEOUT_S,
) -> Any:
    """Read a package from a path or an http(s) URL; clear errors for what cannot be read."""
    if source.startswith(("http://", "https://")):
        raw = await _download(source, client, max_bytes, timeout_s)
    else:
        raw = await asyncio.to_thread(_read_file, Path(source))
    return parse_json(raw, what=source)


def _read_file(path: Path) -> bytes:
    if not path.is_file():
        raise NotFound(f"no such file: {path}", code="file_not_found")
    return path.read_bytes()


async def _download(
    url: str, client: httpx.AsyncClient | None, max_bytes: int, timeout_s: float
) -> bytes:
    """The body of `url`, at most `max_bytes`, within `timeout_s` in all."""
    owned = client is None
    client = client or httpx.AsyncClient(timeout=60)
    try:
        async with asyncio.timeout(timeout_s):
            return await _follow(client, url, max_bytes)
    except (TimeoutError, httpx.TimeoutException) as exc:
        raise InvalidInput(
            f"fetching {url} timed out ({timeout_s:g} s)", code="fetch_failed"
        ) from exc
    except httpx.HTTPError as exc:
        raise InvalidInput(f"could not fetch {url}: {exc!r}", code="fetch_failed") from exc
    finally:
        if owned:
            await client.aclose()


async def _follow(client: httpx.AsyncClient, url: str, max_bytes: int) -> bytes:
    """GET, following at most MAX_REDIRECTS redirects, and only to http(s) URLs."""
    target = httpx.URL(url)
    for _ in range(MAX_REDIRECTS + 1):
        async with client.stream("GET", target, follow_redirects=False) as response:
            if response.is_redirect:
                target = target.join(response.headers["location"])
                if target.scheme not in ("http", "https"):
                    raise InvalidInput(
                        f"{url} redirects to a {target.scheme}: URL; only http(s) is followed",
                        code="fetch_failed",
                    )
                continue
            if response.status_code != 200:
                raise InvalidInput(
                    f"fetching {url} answered HTTP {response.status_code}", code="fetch_failed"
                )
            return await _read_limited(response, url, max_bytes)
    raise InvalidInput(f"{url} redirects more than {MAX_REDIRECTS} times", code="fetch_failed")


async def _read_limited(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise InvalidInput(f"{url} is over {max_bytes} bytes", code="too_large")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise InvalidInput(f"{url} is over {max_bytes} bytes", code="too_large")
        chunks.append(chunk)
    return b"".join(chunks)
