"""Webhook delivery over HTTP: POST an update, and read the method a webhook may answer with."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from collections.abc import Callable
from typing import Any

import aiohttp

from botapi_emulator.params import UploadedFile, bad_request, decode_params
from botapi_emulator.recorder import Recording, WebhookDelivery
from botapi_emulator.updates import UpdateQueue

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


class WebhookSender(Recording):
    """setWebhook, deleteWebhook, getWebhookInfo, and the delivery of updates to the webhook."""

    updates: UpdateQueue
    clock: Callable[[], float]

    def __init__(self, record: bool) -> None:
        super().__init__(record)
        self.webhook_url: str | None = None
        self.webhook_secret: str | None = None
        self.webhook_retry_delay = 0.05
        self.webhook_max_attempts = 3
        self.webhook_timeout = 5.0
        self._webhook_error: tuple[int, str] | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._webhook_session: aiohttp.ClientSession | None = None
        self._closed = asyncio.Event()

    async def execute(
        self, method: str, params: dict[str, Any]
    ) -> tuple[int, dict[str, Any] | None]:
        """Run one API call (a method a webhook answers with)."""
        raise NotImplementedError

    async def _pause(self, seconds: float) -> None:
        """Sleep, but end early when the emulator stops."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._closed.wait()

    async def _stop_webhook(self) -> None:
        self._closed.set()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            await asyncio.wait([self._webhook_task])
        if self._webhook_session is not None:
            await self._webhook_session.close()

    def _set_webhook(self, params: dict[str, Any]) -> bool:
        url, secret = check_webhook(params)
        if params.get("drop_pending_updates"):
            self.updates.drop()
        if not url:
            self.webhook_url = self.webhook_secret = None
            return True
        self.webhook_url, self.webhook_secret = url, secret
        self._webhook_error = None
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.create_task(self._deliver_webhooks())
        self.updates.signal.fire()
        return True

    def _delete_webhook(self, params: dict[str, Any]) -> bool:
        if params.get("drop_pending_updates"):
            self.updates.drop()
        self.webhook_url = self.webhook_secret = None
        self.updates.signal.fire()
        return True

    def _webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook_url or "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates.updates),
        }
        if self.webhook_url is not None:
            info["max_connections"] = 40
        if self._webhook_error is not None:
            info["last_error_date"], info["last_error_message"] = self._webhook_error
        return info

    async def _deliver_webhooks(self) -> None:
        """POST pending updates in order; a failed update is retried, then dropped."""
        attempts = 0
        queue = self.updates.updates
        while not self._closed.is_set() and self.webhook_url is not None:
            if not queue:
                await self.updates.signal.wait(None)
                continue
            update = queue[0]
            delivered = await self._post_update(self.webhook_url, self.webhook_secret, update)
            attempts += 1
            if delivered or attempts >= self.webhook_max_attempts:
                attempts = 0
                if queue and queue[0] is update:
                    del queue[0]
            else:
                await self._pause(self.webhook_retry_delay)

    async def _post_update(self, url: str, secret: str | None, update: dict[str, Any]) -> bool:
        if self._webhook_session is None:
            self._webhook_session = aiohttp.ClientSession()
        started = self.clock()
        status, error, reply = await post_update(
            self._webhook_session, url, secret, update, self.webhook_timeout
        )
        if error is not None:
            self._webhook_error = (int(time.time()), error)
        if self.record:
            self.webhook_deliveries.append(
                WebhookDelivery(update["update_id"], url, status, started, error)
            )
        self._notify()
        if reply is not None:
            # Telegram runs a method returned in the webhook answer, as aiogram may send one.
            await self.execute(str(reply.pop("method")), reply)
        return error is None


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
