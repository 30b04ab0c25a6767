"""Fetch a feed over HTTP: conditional, bounded in size and time, retried with backoff, and
paged through `links.next` until a page is empty."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import httpx

from core.config import SourceSettings
from core.errors import InvalidInput
from core.json_input import parse_json
from core.sources.schemas import PullTarget

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 5
REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_PAGES = 10_000
USER_AGENT = "Clearsite (OC4IDS follower)"


@dataclass(frozen=True)
class FetchConfig:
    """Limits of one pull."""

    max_bytes: int = 200 * 1024 * 1024
    timeout_s: float = 300.0
    retries: int = 3
    retry_base_s: float = 2.0


@dataclass(frozen=True)
class Fetched:
    """A feed as fetched: one package of every project seen (the newest copy of each)."""

    not_modified: bool
    package: dict[str, Any] | None
    resume_url: str | None
    etag: str | None
    last_modified: str | None
    pages: int


@dataclass(frozen=True)
class _Answer:
    status: int
    url: str
    headers: httpx.Headers
    body: bytes


class FetchFailed(InvalidInput):
    """The feed could not be read; nothing was written."""

    code = "fetch_failed"


async def fetch_feed(
    target: PullTarget, config: FetchConfig, client: httpx.AsyncClient
) -> Fetched:
    """Every page of the feed from where the last pull stopped, within `config`'s limits."""
    try:
        async with asyncio.timeout(config.timeout_s):
            return await _pages(target, config, client)
    except TimeoutError as exc:
        raise FetchFailed(f"the feed took longer than {config.timeout_s:g} s") from exc


async def _pages(target: PullTarget, config: FetchConfig, client: httpx.AsyncClient) -> Fetched:
    headers = {}
    if target.etag:
        headers["If-None-Match"] = target.etag
    if target.last_modified:
        headers["If-Modified-Since"] = target.last_modified
    url, budget, paged = target.start_url, config.max_bytes, False
    envelope: dict[str, Any] | None = None
    projects: dict[str, Any] = {}
    seen: set[str] = set()
    for pages in range(1, MAX_PAGES + 1):
        seen.add(url)
        answer = await _get(client, url, headers, budget, config)
        if answer.status == 304 and pages == 1:
            return Fetched(True, None, None, None, None, 0)
        budget -= len(answer.body)
        page = _package(answer)
        envelope = envelope or page
        for project in page["projects"]:
            if isinstance(project, dict) and isinstance(project.get("id"), str):
                projects.pop(project["id"], None)
            projects[_key(project, len(projects))] = project
        following = _next(page, answer.url)
        if following is None:
            package = {k: v for k, v in envelope.items() if k != "links"}
            package["projects"] = list(projects.values())
            return Fetched(
                False,
                package,
                answer.url if paged else None,
                answer.headers.get("etag"),
                answer.headers.get("last-modified"),
                pages,
            )
        if following in seen:
            raise FetchFailed(f"the feed's links.next loops back to {following}")
        url, headers, paged = following, {}, True
    raise FetchFailed(f"the feed has more than {MAX_PAGES} pages")


def _key(project: Any, index: int) -> str:
    if isinstance(project, dict) and isinstance(project.get("id"), str):
        return str(project["id"])
    return f"\x00{index}"  # invalid records stay in, so the import names them


def _package(answer: _Answer) -> dict[str, Any]:
    kind = answer.headers.get("content-type", "").lower()
    if "html" in kind or "xml" in kind:
        raise FetchFailed(
            f"{answer.url} answered {kind.split(';')[0]}, not an OC4IDS package (JSON)"
        )
    page = parse_json(answer.body, what=answer.url)
    if not isinstance(page, dict) or not isinstance(page.get("projects"), list):
        raise FetchFailed(f"{answer.url} is not an OC4IDS project package (no projects list)")
    return page


def _next(page: dict[str, Any], url: str) -> str | None:
    """The next page's URL while this page holds projects, else None (the end)."""
    links = page.get("links")
    following = links.get("next") if isinstance(links, dict) else None
    if not page["projects"] or not isinstance(following, str) or not following:
        return None
    target = httpx.URL(url).join(following)
    if target.scheme not in ("http", "https"):
        raise FetchFailed(f"links.next is not an http(s) URL: {following[:200]}")
    return str(target)


async def _get(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], budget: int, config: FetchConfig
) -> _Answer:
    """One page, retried on network errors, 429 and 5xx with exponential backoff."""
    for attempt in range(config.retries):
        try:
            answer = await _follow(client, url, headers, budget)
        except (httpx.TransportError, httpx.DecodingError) as exc:
            problem = f"could not fetch {url}: {type(exc).__name__}"
        else:
            if answer.status in (200, 304):
                return answer
            problem = f"{url} answered HTTP {answer.status}"
            if answer.status != 429 and answer.status < 500:
                raise FetchFailed(problem)
        if attempt + 1 < config.retries:
            delay = config.retry_base_s * 2**attempt
            logger.info("feed fetch retry %d in %.1f s: %s", attempt + 1, delay, problem)
            await asyncio.sleep(delay)
    raise FetchFailed(f"{problem} (tried {config.retries} times)")


async def _follow(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], budget: int
) -> _Answer:
    target = httpx.URL(url)
    for _ in range(MAX_REDIRECTS + 1):
        request = {"User-Agent": USER_AGENT, "Accept": "application/json", **headers}
        async with client.stream("GET", target, headers=request, follow_redirects=False) as resp:
            if resp.status_code in REDIRECTS:
                target = target.join(resp.headers.get("location", ""))
                if target.scheme not in ("http", "https"):
                    raise FetchFailed(f"{url} redirects to a non-http(s) URL")
                continue
            body = await _read(resp, url, budget) if resp.status_code == 200 else b""
            return _Answer(resp.status_code, str(target), resp.headers, body)
    raise FetchFailed(f"{url} redirects more than {MAX_REDIRECTS} times")


async def _read(response: httpx.Response, url: str, budget: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > budget:
        raise FetchFailed(f"{url} is larger than the size limit ({budget} bytes left)")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > budget:
            raise FetchFailed(f"{url} is larger than the size limit ({budget} bytes left)")
        chunks.append(chunk)
    return b"".join(chunks)


def config_from(settings: SourceSettings) -> FetchConfig:
    """The fetch limits from the SOURCE_* settings."""
    return FetchConfig(
        max_bytes=settings.source_max_bytes,
        timeout_s=settings.source_timeout_seconds,
        retries=settings.source_retries,
        retry_base_s=settings.source_retry_base_seconds,
    )
