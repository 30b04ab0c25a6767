"""Fetching an OC4IDS package by URL: size limit while downloading, http(s) redirects only,
an overall timeout; and the JSON checks every package goes through."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from core.errors import InvalidInput
from core.projects.importer import fetch_package
from tests.samples import package, project

URL = "https://data.example.org/package.json"
CHUNK = b" " * 1024


def client_for(handler: httpx.MockTransport) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=handler)


async def test_size_limit_is_enforced_while_downloading() -> None:
    sent = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal sent
        while True:
            sent += 1
            yield CHUNK

    transport = httpx.MockTransport(lambda _request: httpx.Response(200, content=endless()))
    async with client_for(transport) as client:
        with pytest.raises(InvalidInput, match="over 10240 bytes") as caught:
            await fetch_package(URL, client, max_bytes=10 * 1024)
    assert caught.value.code == "too_large"
    assert sent <= 12  # stopped reading right after the limit


async def test_declared_length_over_the_limit_is_refused_before_reading() -> None:
    transport = httpx.MockTransport(
        lambda _request: httpx.Response(200, headers={"Content-Length": "999999"}, content=b"{}")
    )
    async with client_for(transport) as client:
        with pytest.raises(InvalidInput, match="over 1024 bytes"):
            await fetch_package(URL, client, max_bytes=1024)


async def test_redirects_are_followed_only_to_http() -> None:
    body = json.dumps(package(project("p-1"))).encode()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/package.json":
            return httpx.Response(302, headers={"Location": "/v2/package.json"})
        if request.url.path == "/v2/package.json":
            return httpx.Response(301, headers={"Location": "file:///etc/passwd"})
        return httpx.Response(404)

    async with client_for(httpx.MockTransport(handler)) as client:
        with pytest.raises(InvalidInput, match="redirects to a file: URL") as caught:
            await fetch_package(URL, client)
    assert caught.value.code == "fetch_failed"

    def good(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/package.json":
            return httpx.Response(302, headers={"Location": "http://mirror.example.org/p.json"})
        return httpx.Response(200, content=body)

    async with client_for(httpx.MockTransport(good)) as client:
        assert (await fetch_package(URL, client))["projects"][0]["id"] == "p-1"


async def test_endless_redirects_are_an_error() -> None:
    transport = httpx.MockTransport(
        lambda request: httpx.Response(302, headers={"Location": str(request.url)})
    )
    async with client_for(transport) as client:
        with pytest.raises(InvalidInput, match="redirects more than"):
            await fetch_package(URL, client)


async def test_slow_server_times_out_with_a_clear_error() -> None:
    async def trickle() -> AsyncIterator[bytes]:
        while True:
            await asyncio.sleep(0.05)
            yield b" "

    transport = httpx.MockTransport(lambda _request: httpx.Response(200, content=trickle()))
    async with client_for(transport) as client:
        with pytest.raises(InvalidInput, match=r"timed out \(0.3 s\)") as caught:
            await fetch_package(URL, client, timeout_s=0.3)
    assert caught.value.code == "fetch_failed"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000, "nested deeper than 64 levels"),
        ('{"a": NaN}', "NaN is not a JSON number"),
        ('{"a": "b\\u0000"}', "NUL"),
    ],
)
async def test_package_file_goes_through_the_json_checks(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "package.json"
    path.write_text(text)
    with pytest.raises(InvalidInput, match=message) as caught:
        await fetch_package(str(path))
    assert caught.value.code == "invalid_json"
