"""Webhook delivery over HTTP: POST updates, and read the method a webhook may answer with.

As on Telegram, up to `max_connections` (setWebhook, 1-100, default 40) updates are in flight
at once, and the updates of one chat are delivered one after another, in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from botapi_emulator.params import UploadedFile, bad_request, decode_params
from botapi_emulator.recorder import Recording, WebhookDelivery
from botapi_emulator.updates import UpdateQueue

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
DEFAULT_MAX_CONNECTIONS = 40
MAX_CONNECTIONS = range(1, 101)


def check_webhook(params: dict[str, Any]) -> tuple[str, str | None, int]:
    """(url, secret, max_connections) of a setWebhook call, checked as Telegram does; url ""
    removes the webhook."""
    url = str(params.get("url") or "")
    secret = params.get("secret_token")
    if secret is not None and not _SECRET.fullmatch(str(secret)):
        raise bad_request("secret token contains unallowed characters")
    # Telegram insists on HTTPS; the emulator delivers to loopback over plain HTTP too.
    if url and not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    raw = params.get("max_connections")
    connections = DEFAULT_MAX_CONNECTIONS if raw is None else _integer(raw)
    # The documented range; the emulator refuses what lies outside it rather than guess.
    if connections is None or connections not in MAX_CONNECTIONS:
        raise bad_request("bad webhook: max_connections must be an integer from 1 to 100")
    return url, None if secret is None else str(secret), connections


def _integer(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().removeprefix("-").isdigit():
        return int(value)
    return None


def update_chat(update: dict[str, Any]) -> int | None:
    """The chat whose updates must arrive in order: a message's chat, a callback's message's
    chat, else the sender (a private chat's id is its user's); None for an update of no one."""
    for kind, body in update.items():
        if kind == "update_id" or not isinstance(body, dict):
            continue
        chat = body.get("chat") or (body.get("message") or {}).get("chat")
        if isinstance(chat, dict) and isinstance(chat.get("id"), int):
            return int(chat["id"])
        sender = body.get("from") or body.get("user")
        if isinstance(sender, dict) and isinstance(sender.get("id"), int):
            return int(sender["id"])
    return None


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
        self.webhook_max_connections = DEFAULT_MAX_CONNECTIONS
        # A stand-in for a load balancer in front of several servers (benchmarks): when set,
        # each delivery goes to the next of these base URLs in turn, at the webhook's path.
        self.webhook_upstreams: list[str] = []
        self._upstream_turn = itertools.count()
        self._webhook_error: tuple[int, str] | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._in_flight: set[int] = set()  # update ids being delivered
        self._busy_chats: set[int] = set()  # chats with an update in flight
        self._deliveries: set[asyncio.Task[None]] = set()
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
        tasks = [*self._deliveries, *([self._webhook_task] if self._webhook_task else [])]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)
        if self._webhook_session is not None:
            await self._webhook_session.close()

    def _set_webhook(self, params: dict[str, Any]) -> bool:
        url, secret, connections = check_webhook(params)
        if params.get("drop_pending_updates"):
            self.updates.drop()
        if not url:
            self.webhook_url = self.webhook_secret = None
            return True
        self.webhook_url, self.webhook_secret = url, secret
        self.webhook_max_connections = connections
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
            info["max_connections"] = self.webhook_max_connections
        if self._webhook_error is not None:
            info["last_error_date"], info["last_error_message"] = self._webhook_error
        return info

    async def _deliver_webhooks(self) -> None:
        """While a webhook is set: start deliveries whenever an update or a connection frees."""
        while not self._closed.is_set() and self.webhook_url is not None:
            self._start_deliveries()
            await self.updates.signal.wait(None)

    def _start_deliveries(self) -> None:
        """In queue order, the first pending update of each chat with nothing in flight, while
        fewer than max_connections deliveries run."""
        for update in self.updates.updates:
            if len(self._in_flight) >= self.webhook_max_connections:
                return
            update_id = int(update["update_id"])
            chat = update_chat(update)
            if update_id in self._in_flight or chat in self._busy_chats:
                continue
            self._in_flight.add(update_id)
            if chat is not None:
                self._busy_chats.add(chat)
            task = asyncio.create_task(self._deliver(update, chat))
            self._deliveries.add(task)
            task.add_done_callback(self._deliveries.discard)

    async def _deliver(self, update: dict[str, Any], chat: int | None) -> None:
        """POST one update; a failure is retried, then the update is dropped. Its chat waits."""
        try:
            for attempt in range(1, self.webhook_max_attempts + 1):
                url = self.webhook_url
                if url is None or self._closed.is_set():
                    return  # removed meanwhile: the update stays pending
                if await self._post_update(self._target(url), self.webhook_secret, update):
                    break
                if attempt < self.webhook_max_attempts:
                    await self._pause(self.webhook_retry_delay)
            queue = self.updates.updates
            for index, pending in enumerate(queue):
                if pending is update:
                    del queue[index]
                    break
        finally:
            self._in_flight.discard(int(update["update_id"]))
            if chat is not None:
                self._busy_chats.discard(chat)
            self.updates.signal.fire()

    def _target(self, url: str) -> str:
        if not self.webhook_upstreams:
            return url
        base = self.webhook_upstreams[next(self._upstream_turn) % len(self.webhook_upstreams)]
        parts = urlsplit(url)
        return base.rstrip("/") + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

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
