"""A fake Telegram Bot API HTTP server on loopback, for tests and benchmarks.

The unmodified aiogram session talks to it through ``TelegramAPIServer.from_base(fake.url)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections import Counter, deque
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

import aiohttp
from aiogram.client.telegram import TelegramAPIServer
from aiohttp import web

from sandbox.botapi.params import ApiError, bad_request, decode_params

from .telegram_state import (
    SEND_METHODS,
    BotApiState,
    ChatId,
    Fault,
    FaultKind,
    Handler,
    RateLimiter,
    RecordedCall,
    UploadedFile,
    Violation,
    WebhookDelivery,
    fault_error,
    too_many_requests,
)
from .telegram_users import FakeUser

DEFAULT_TOKEN = "123456789:AAFakeTokenForClearsiteTests-0123456789"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_UNAUTHORIZED: dict[str, Any] = {"ok": False, "error_code": 401, "description": "Unauthorized"}
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class FakeTelegramServer:
    """The Bot API for one bot token, served on 127.0.0.1: ``async with FakeTelegramServer()``."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        username: str = "clearsite_test_bot",
        first_name: str = "Clearsite Test Bot",
        clock: Callable[[], float] = time.monotonic,
        known_chats_only: bool = False,
    ) -> None:
        self.token = token
        bot_id = int(token.split(":", 1)[0])
        # known_chats_only: sending to a chat no user has opened is "chat not found", as live.
        self.state = BotApiState(
            {"id": bot_id, "is_bot": True, "first_name": first_name, "username": username},
            known_chats_only,
        )
        self.bot_user = self.state.bot_user
        self.clock = clock
        self.calls: list[RecordedCall] = []
        self.violations: list[Violation] = []
        self.webhook_deliveries: list[WebhookDelivery] = []
        self.message_counts: Counter[tuple[ChatId, str]] = Counter()
        self.rate_limited_count = 0
        # Requests already in flight when a 429 went out are not the client's fault.
        self.flood_grace = 0.05
        self.webhook_url: str | None = None
        self.webhook_secret: str | None = None
        self.webhook_retry_delay = 0.05
        self.webhook_max_attempts = 3
        self.webhook_timeout = 5.0
        self._webhook_error: tuple[int, str] | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._webhook_session: aiohttp.ClientSession | None = None
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1000)
        self._update_event = asyncio.Event()
        self._record_event: asyncio.Event | None = None
        self._closed = asyncio.Event()
        self._poll_generation = 0
        self.polling = 0  # long polls parked right now
        self._faults: dict[ChatId | None, deque[Fault]] = {}
        self._chat_states: dict[ChatId, FaultKind] = {}
        self._limiter: RateLimiter | None = None
        self._flood_started = 0.0
        self._flood_until = 0.0
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._methods: dict[str, Handler] = self.state.handlers | {
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._webhook_info,
        }

    # Lifecycle

    @property
    def url(self) -> str:
        """Base URL for ``TelegramAPIServer.from_base``."""
        return f"http://127.0.0.1:{self._port}"

    @property
    def api(self) -> TelegramAPIServer:
        return TelegramAPIServer.from_base(self.url)

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        # No access log and no signal handlers: the hot path stays cheap and tests stay quiet.
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=1.0
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        """Release long polls and held requests, stop webhook delivery, close the server."""
        self._closed.set()
        self._wake()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            await asyncio.wait([self._webhook_task])
        if self._webhook_session is not None:
            await self._webhook_session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # Recorder

    def calls_to(
        self, method: str | None = None, chat_id: ChatId | None = None
    ) -> list[RecordedCall]:
        """Recorded calls, optionally of one method (any case) and/or to one chat."""
        name = method.lower() if method else None
        return [
            c
            for c in self.calls
            if (name is None or c.method.lower() == name)
            and (chat_id is None or c.chat_id == chat_id)
        ]

    def sent_messages(self, chat_id: ChatId | None = None) -> list[RecordedCall]:
        """Successful sendMessage calls, in order."""
        return [c for c in self.calls_to("sendMessage", chat_id) if c.ok]

    def sent_texts(self, chat_id: ChatId | None = None) -> list[str]:
        return [c.text or "" for c in self.sent_messages(chat_id)]

    def received(self, chat_id: ChatId, text: str) -> int:
        """How many times the bot delivered this text to this chat."""
        return self.message_counts[(chat_id, text)]

    def duplicates(self) -> dict[tuple[ChatId, str], int]:
        """(chat, text) pairs delivered more than once."""
        return {key: n for key, n in self.message_counts.items() if n > 1}

    def clear_records(self) -> None:
        """Forget calls, violations, deliveries and counts; chats and settings stay."""
        self.calls.clear()
        self.violations.clear()
        self.webhook_deliveries.clear()
        self.message_counts.clear()
        self.rate_limited_count = 0

    async def wait_for(
        self,
        predicate: Callable[[RecordedCall], bool] | None = None,
        *,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - a per-call deadline keeps test lines short
        since: int = 0,
    ) -> list[RecordedCall]:
        """Wait until ``count`` calls from index ``since`` match; return all matches so far."""
        matched: list[RecordedCall] = []
        position = since
        try:
            async with asyncio.timeout(timeout):
                while True:
                    while position < len(self.calls):
                        call = self.calls[position]
                        position += 1
                        if predicate is None or predicate(call):
                            matched.append(call)
                    if len(matched) >= count:
                        return matched
                    await self._changed()
        except TimeoutError:
            recent = [(c.method, c.chat_id, c.status) for c in self.calls[-5:]]
            raise TimeoutError(
                f"{len(matched)} of {count} matching calls after {timeout}s; last calls: {recent}"
            ) from None

    async def wait_sent(
        self,
        count: int = 1,
        *,
        chat_id: ChatId | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - see wait_for
    ) -> list[RecordedCall]:
        """Wait for ``count`` successful sendMessage calls (to ``chat_id`` if given)."""

        def sent(call: RecordedCall) -> bool:
            return (
                call.ok
                and call.method.lower() == "sendmessage"
                and (chat_id is None or call.chat_id == chat_id)
            )

        return await self.wait_for(sent, count=count, timeout=timeout)

    async def wait_webhook_deliveries(
        self,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - see wait_for
    ) -> list[WebhookDelivery]:
        async with asyncio.timeout(timeout):
            while len(self.webhook_deliveries) < count:
                await self._changed()
        return list(self.webhook_deliveries)

    async def _changed(self) -> None:
        # One shared event, created only while someone waits, so recording stays cheap.
        if self._record_event is None:
            self._record_event = asyncio.Event()
        await self._record_event.wait()

    def _record(self, call: RecordedCall) -> None:
        self.calls.append(call)
        if self._record_event is not None:
            self._notify()

    def _notify(self) -> None:
        if self._record_event is not None:
            self._record_event.set()
            self._record_event = None

    async def wait_polling(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109 - see wait_for
        """Wait until a getUpdates long poll is parked on the fake."""
        async with asyncio.timeout(timeout):
            while not self.polling:
                await self._changed()

    # Simulated users and updates

    def user(
        self,
        user_id: int,
        first_name: str = "Test",
        *,
        language_code: str | None = "uk",
        username: str | None = None,
        last_name: str | None = None,
    ) -> FakeUser:
        """A user in their private chat with the bot (chat id == user id)."""
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        chat: dict[str, Any] = {"id": user_id, "type": "private", "first_name": first_name}
        for key, value in (("last_name", last_name), ("username", username)):
            if value is not None:
                user[key] = chat[key] = value
        if language_code is not None:
            user["language_code"] = language_code
        return FakeUser(self, user, chat)

    def inject_update(self, update: dict[str, Any]) -> int:
        """Queue an update (its update_id is assigned here) for polling or the webhook."""
        update_id = next(self._update_ids)
        if "callback_query" in update:
            self.state.open_callbacks.add(str(update["callback_query"]["id"]))
        self._updates.append({"update_id": update_id, **update})
        self._wake()
        return update_id

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        return list(self._updates)

    def _wake(self) -> None:
        self._update_event.set()
        self._update_event = asyncio.Event()

    async def _wait_update(self, seconds: float | None) -> None:
        event = self._update_event
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await event.wait()

    async def _pause(self, seconds: float) -> None:
        """Sleep, but end early when the server stops."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._closed.wait()

    # Faults and limits

    def fail_next(
        self,
        chat_id: ChatId | None,
        kind: FaultKind,
        times: int = 1,
        *,
        retry_after: int = 5,
        status: int = 500,
        hold: float = 2.0,
        delivered: bool = False,
    ) -> None:
        """Script the next ``times`` messages sent to ``chat_id`` (None: to any chat) to fail.

        ``status`` is for server_error (500 or 502). ``hold`` is how long "timeout" keeps the
        request before answering 504. ``delivered`` makes "timeout"/"disconnect" deliver the
        message although the client gets no answer, as a lost reply would.
        """
        fault = Fault(kind, retry_after, status, hold, delivered)
        self._faults.setdefault(chat_id, deque()).extend([fault] * times)

    def block(self, chat_id: ChatId) -> None:
        self._chat_states[chat_id] = "blocked"

    def deactivate(self, chat_id: ChatId) -> None:
        self._chat_states[chat_id] = "deactivated"

    def chat_not_found(self, chat_id: ChatId) -> None:
        self._chat_states[chat_id] = "chat_not_found"

    def restore(self, chat_id: ChatId) -> None:
        """Undo block/deactivate/chat_not_found and drop scripted faults for the chat."""
        self._chat_states.pop(chat_id, None)
        self._faults.pop(chat_id, None)

    def enforce_limits(
        self,
        global_per_sec: int = 30,
        per_chat_per_sec: int = 1,
        *,
        group_per_min: int = 20,
        paid_per_sec: int = 1000,
        tolerance: float = 0.0,
    ) -> None:
        """Answer 429 with a computed retry_after when a sliding-window limit is exceeded."""
        self._limiter = RateLimiter(
            global_per_sec, per_chat_per_sec, group_per_min, paid_per_sec, tolerance
        )

    def unlimited(self) -> None:
        """No rate limits (the default): answer as fast as possible."""
        self._limiter = None

    def _start_flood(self, now: float, retry_after: int) -> None:
        self._flood_started = now
        self._flood_until = max(self._flood_until, now + retry_after)

    def _pre_checks(self, call: RecordedCall, sending: bool) -> Fault | None:
        """Raise the error a chat state or scripted fault dictates; return timeout/disconnect."""
        chat_id = call.chat_id
        assert chat_id is not None
        now = call.time
        if sending and now < self._flood_until and now >= self._flood_started + self.flood_grace:
            self.violations.append(Violation(now, call.method, chat_id, self._flood_until - now))
        state = self._chat_states.get(chat_id)
        if state is not None:
            raise fault_error(state)
        queue = (self._faults.get(chat_id) or self._faults.get(None)) if sending else None
        if not queue:
            return None
        fault = queue.popleft()
        if fault.kind in ("timeout", "disconnect"):
            return fault
        if fault.kind == "retry_after":
            self._start_flood(now, fault.retry_after)
        raise fault_error(fault.kind, fault.retry_after, fault.status)

    # HTTP

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        params = await _read_params(request)
        method = request.match_info["method"]
        status: int = 401
        payload: dict[str, Any] | None = _UNAUTHORIZED
        if request.match_info["token"] == self.token:
            status, payload = await self.execute(method, params)
        else:
            chat_id = params.get("chat_id")
            self._record(RecordedCall(method, params, self.clock(), chat_id, 401))
        if payload is None:
            # "disconnect": drop the connection without an answer.
            if request.transport is not None:
                request.transport.close()
            return web.Response()
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        return web.Response(body=body, status=status, content_type="application/json")

    async def execute(
        self, method: str, params: dict[str, Any]
    ) -> tuple[int, dict[str, Any] | None]:
        """Run one API call as if it came over HTTP; payload None means "no answer"."""
        name = method.lower()
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int | str) or isinstance(chat_id, bool):
            chat_id = None
        call = RecordedCall(method, params, self.clock(), chat_id)
        sending = name in SEND_METHODS
        answer = True
        try:
            fault = self._pre_checks(call, sending) if chat_id is not None else None
            if fault is not None:
                answer = fault.kind != "disconnect"
                if fault.kind == "timeout":
                    await self._pause(fault.hold)
                if not fault.delivered:
                    raise ApiError(504, "Gateway Timeout")
            if sending and self._limiter is not None and chat_id is not None:
                paid = bool(params.get("allow_paid_broadcast"))
                retry_after = self._limiter.acquire(chat_id, call.time, paid)
                if retry_after is not None:
                    self.rate_limited_count += 1
                    self._start_flood(call.time, retry_after)
                    raise too_many_requests(retry_after)
            if name == "getupdates":
                call.result = await self._get_updates(params)
            else:
                handler = self._methods.get(name)
                if handler is not None:
                    call.result = handler(params)
                else:
                    call.result = self.state.send_other(name, params) if sending else True
        except ApiError as error:
            call.status = error.status
            call.result = error.payload()
        if sending and call.status == 200 and chat_id is not None:
            self.message_counts[(chat_id, _content_key(method, params))] += 1
        if not answer:
            call.status = 0
            self._record(call)
            return 0, None
        self._record(call)
        if call.status != 200:
            payload: dict[str, Any] = call.result
            return call.status, payload
        return 200, {"ok": True, "result": call.result}

    # Updates: long polling and webhook

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook_url is not None:
            raise _webhook_conflict()
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = float(params.get("timeout") or 0)
        if offset > 0:
            # Asking from `offset` confirms (forgets) every earlier update.
            keep = next((i for i, u in enumerate(self._updates) if u["update_id"] >= offset), None)
            del self._updates[: len(self._updates) if keep is None else keep]
        elif offset < 0:
            del self._updates[:offset]
        # A newer getUpdates ends an older one with 409, as Telegram does.
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake()
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            if self._updates:
                return self._updates[:limit]
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0 or self._closed.is_set():
                return []
            self.polling += 1
            self._notify()
            try:
                await self._wait_update(remaining)
            finally:
                self.polling -= 1
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            if self.webhook_url is not None:
                raise _webhook_conflict()

    def _set_webhook(self, params: dict[str, Any]) -> bool:
        url = str(params.get("url") or "")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET.fullmatch(str(secret)):
            raise bad_request("secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        if not url:
            self.webhook_url = self.webhook_secret = None
            return True
        # Telegram insists on HTTPS; the fake delivers to loopback over plain HTTP too.
        if not url.startswith(("http://", "https://")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook_url = url
        self.webhook_secret = None if secret is None else str(secret)
        self._webhook_error = None
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.create_task(self._deliver_webhooks())
        self._wake()
        return True

    def _delete_webhook(self, params: dict[str, Any]) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook_url = self.webhook_secret = None
        self._wake()
        return True

    def _webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook_url or "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook_url is not None:
            info["max_connections"] = 40
        if self._webhook_error is not None:
            info["last_error_date"], info["last_error_message"] = self._webhook_error
        return info

    async def _deliver_webhooks(self) -> None:
        """POST pending updates in order; a failed update is retried, then dropped."""
        attempts = 0
        while not self._closed.is_set() and self.webhook_url is not None:
            if not self._updates:
                await self._wait_update(None)
                continue
            update = self._updates[0]
            delivered = await self._post_update(self.webhook_url, self.webhook_secret, update)
            attempts += 1
            if delivered or attempts >= self.webhook_max_attempts:
                attempts = 0
                if self._updates and self._updates[0] is update:
                    del self._updates[0]
            else:
                await self._pause(self.webhook_retry_delay)

    async def _post_update(self, url: str, secret: str | None, update: dict[str, Any]) -> bool:
        if self._webhook_session is None:
            self._webhook_session = aiohttp.ClientSession()
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        started = self.clock()
        status: int | None = None
        error: str | None = None
        reply: dict[str, Any] | None = None
        try:
            async with self._webhook_session.post(
                url,
                data=json.dumps(update),
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=self.webhook_timeout),
            ) as response:
                status = response.status
                if 200 <= status < 300:
                    reply = await _read_webhook_reply(response)
                else:
                    error = f"Wrong response from the webhook: {status} {response.reason}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            error = f"{type(exc).__name__}: {exc}"
        if error is not None:
            self._webhook_error = (int(time.time()), error)
        self.webhook_deliveries.append(
            WebhookDelivery(update["update_id"], url, status, started, error)
        )
        self._notify()
        if reply is not None:
            # Telegram runs a method returned in the webhook answer, as aiogram may send one.
            await self.execute(str(reply.pop("method")), reply)
        return error is None


def _webhook_conflict() -> ApiError:
    return ApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; "
        "use deleteWebhook to delete the webhook first",
    )


def _content_key(method: str, params: dict[str, Any]) -> str:
    for key in ("text", "caption"):
        value = params.get(key)
        if isinstance(value, str):
            return value
    return f"<{method}>"


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Query string plus a JSON, urlencoded or multipart body, decoded to Python values."""
    items: list[tuple[str, Any]] = list(request.query.items()) if request.query_string else []
    if request.body_exists:
        if request.content_type == "application/json":
            params = decode_params(items)
            body = await request.json()
            if isinstance(body, dict):
                params.update(body)
            return params
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                items.append(
                    (key, UploadedFile(value.filename, value.content_type, value.file.read()))
                )
            elif isinstance(value, str):
                items.append((key, value))
            else:
                items.append((key, bytes(value).decode()))
    return decode_params(items)


async def _read_webhook_reply(response: aiohttp.ClientResponse) -> dict[str, Any] | None:
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
