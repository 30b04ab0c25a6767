"""Webhook delivery over HTTP: POST an update, and read the method a webhook may answer with."""

from __future__ import annotations

import json
import re
from typing import Any

import aiohttp

from botapi_emulator.params import UploadedFile, bad_request, decode_params

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def check_webhook(params: dict[str, Any]) -> tuple[str, str | None]:
    """(url, secret) of a setWebhook call, checked as Telegram does; url "" removes it."""
    url = str(params.get("url") or "")
    secret = params.get("secret_token")
    if secret is not None and not _SECRET.fullmatch(str(secret)):
        raise bad_request("secret token contains unallowed characters")
    # Telegram insists on HTTPS; the emulator delivers to loopback over plain HTTP too.
    if url and not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    return url, None if secret is None else str(secret)


async def post_update(
    session: aiohttp.ClientSession,
    url: str,
    secret: str | None,
    update: dict[str, Any],
    timeout: float,  # noqa: ASYNC109 - the webhook's own deadline, as Telegram has one
) -> tuple[int | None, str | None, dict[str, Any] | None]:
    """(HTTP status, error, method call answered) of one delivery."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    status: int | None = None
    try:
        async with session.post(
            url,
            data=json.dumps(update),
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as response:
            status = response.status
            if 200 <= status < 300:
                return status, None, await _read_reply(response)
            return status, f"Wrong response from the webhook: {status} {response.reason}", None
    except (aiohttp.ClientError, TimeoutError) as exc:
        return status, f"{type(exc).__name__}: {exc}", None


async def _read_reply(response: aiohttp.ClientResponse) -> dict[str, Any] | None:
    """The method call a webhook may answer with, as JSON or multipart form-data."""
    if response.content_type == "application/json":
        body = await response.json()
        return body if isinstance(body, dict) and "method" in body else None
    if not response.content_type.startswith("multipart/"):
        return None
    reader = aiohttp.MultipartReader(response.headers, response.content)
    items: list[tuple[str, Any]] = []
    while (part := await reader.next()) is not None:
        if not isinstance(part, aiohttp.BodyPartReader) or part.name is None:
            continue
        if part.filename:
            content_type = part.headers.get(aiohttp.hdrs.CONTENT_TYPE, "")
            items.append(
                (part.name, UploadedFile(part.filename, content_type, bytes(await part.read())))
            )
        else:
            items.append((part.name, await part.text()))
    params = decode_params(items)
    return params if isinstance(params.get("method"), str) else None
