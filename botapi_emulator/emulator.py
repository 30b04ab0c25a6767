"""A Telegram Bot API emulator: the sandbox's Bot API, and the fake server of tests and
benchmarks. The unmodified aiogram session talks to it over HTTP.

Served on its own loopback port (``async with BotApiEmulator() as api``, then
``TelegramAPIServer.from_base(api.url)``) or mounted into an ASGI app (``asgi.botapi_router``).
Recording, scripted faults and rate limits are options, all off unless asked for.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from aiohttp import web

from botapi_emulator.chats import ChatId
from botapi_emulator.faults import Fault, FaultInjection
from botapi_emulator.files import MAX_DOWNLOAD
from botapi_emulator.params import UNAUTHORIZED, ApiError, bad_request
from botapi_emulator.recorder import RecordedCall
from botapi_emulator.server import make_app
from botapi_emulator.state import SEND_METHODS, BotApiState, Handler
from botapi_emulator.updates import UpdateQueue
from botapi_emulator.users import EmulatedUser
from botapi_emulator.webhook import WebhookSender

if TYPE_CHECKING:
    from aiogram.client.telegram import TelegramAPIServer

DEFAULT_TOKEN = "123456789:AAFakeTokenForClearsiteTests-0123456789"  # noqa: S105 - made up


class BotApiEmulator(FaultInjection, WebhookSender):
    """The Bot API for one bot token: chats, updates, webhooks, and the optional test tools."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        username: str = "clearsite_test_bot",
        first_name: str = "Clearsite Test Bot",
        can_join_groups: bool = True,
        clock: Callable[[], float] = time.monotonic,
        known_chats_only: bool = False,
        record: bool = False,
    ) -> None:
        FaultInjection.__init__(self)
        WebhookSender.__init__(self, record)
        self.token = token
        bot_id = int(token.split(":", 1)[0])
        self.bot_user: dict[str, Any] = {
            "id": bot_id,
            "is_bot": True,
            "first_name": first_name,
            "username": username,
        }
        self.me = self.bot_user | {
            "can_join_groups": can_join_groups,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.state = BotApiState(self.bot_user, self.me, known_chats_only)
        self.clock = clock
        self.updates = UpdateQueue(lambda: self.webhook_url is not None, self._notify)
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
        """Base URL for ``TelegramAPIServer.from_base`` once started."""
        return f"http://127.0.0.1:{self._port}"

    @property
    def api(self) -> TelegramAPIServer:
        """aiogram's server description for ``url``."""
        from aiogram.client.telegram import TelegramAPIServer

        return TelegramAPIServer.from_base(self.url)

    async def start(self) -> None:
        """Serve on a free loopback port."""
        # No access log and no signal handlers: the hot path stays cheap and tests stay quiet.
        self._runner = web.AppRunner(
            make_app(self.handle, self.download),
            access_log=None,
            handle_signals=False,
            shutdown_timeout=1.0,
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        """Release long polls and held requests, stop webhook delivery, close the server."""
        self.updates.signal.close()
        self.state.chats.changed.close()
        await self._stop_webhook()
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

    def clear_records(self) -> None:
        """Forget calls, violations, deliveries and counts; chats and settings stay."""
        self.clear_calls()
        self.violations.clear()
        self.rate_limited_count = 0

    async def wait_polling(self, timeout: float = 20.0) -> None:  # noqa: ASYNC109 - see wait_for
        """Wait until a getUpdates long poll is parked on the emulator."""
        async with asyncio.timeout(timeout):
            while not self.updates.polling:
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
        group: int | None = None,
    ) -> EmulatedUser:
        """A user in their private chat with the bot (chat id == user id), or with `group` a
        member writing in that group (negative id) who never opened a private chat."""
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        chat: dict[str, Any] = {"id": user_id, "type": "private", "first_name": first_name}
        for key, value in (("last_name", last_name), ("username", username)):
            if value is not None:
                user[key] = chat[key] = value
        if language_code is not None:
            user["language_code"] = language_code
        if group is not None:
            kind = "supergroup" if str(group).startswith("-100") else "group"
            chat = {"id": group, "type": kind, "title": f"Group {group}"}
        return EmulatedUser(self, user, chat)

    def inject_update(self, update: dict[str, Any]) -> int:
        """Queue an update (its update_id is assigned here) for polling or the webhook."""
        if "callback_query" in update:
            self.state.open_callbacks.add(str(update["callback_query"]["id"]))
        return self.updates.put(update)

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed."""
        return list(self.updates.updates)

    # Calls

    async def handle(
        self, token: str, method: str, params: dict[str, Any]
    ) -> tuple[int, dict[str, Any] | None]:
        """One HTTP request: the token checked, then the call run."""
        if token == self.token:
            return await self.execute(method, params)
        self._record(RecordedCall(method, params, self.clock(), params.get("chat_id"), 401), None)
        return 401, UNAUTHORIZED.payload()

    def download(self, token: str, path: str) -> tuple[int, bytes, str]:
        """A file download: (HTTP status, body, content type); JSON errors as Telegram's."""
        stored = self.state.files.by_path(path) if token == self.token else None
        if token != self.token:
            error = UNAUTHORIZED
        elif stored is None:
            error = ApiError(404, "Not Found")
        elif stored.size > MAX_DOWNLOAD:
            error = bad_request("file is too big")
        else:
            self._record(RecordedCall("file", {"file_path": path}, self.clock(), None), None)
            return 200, stored.data, stored.mime_type
        body = json.dumps(error.payload()).encode()
        return error.status, body, "application/json"

    async def execute(
        self, method: str, params: dict[str, Any]
    ) -> tuple[int, dict[str, Any] | None]:
        """Run one API call as if it came over HTTP; payload None means "no answer"."""
        name = method.lower()
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int | str) or isinstance(chat_id, bool):
            chat_id = None
        sending = name in SEND_METHODS
        await self.network_delay(sending)
        call = RecordedCall(method, params, self.clock(), chat_id)
        fault: Fault | None = None
        try:
            if chat_id is not None:
                fault = self.check_faults(method, chat_id, call.time, sending)
            if fault is not None:
                if fault.kind == "timeout":
                    await self._pause(fault.hold)
                if not fault.delivered:
                    raise ApiError(504, "Gateway Timeout")
            if sending and chat_id is not None:
                self.check_limits(chat_id, call.time, bool(params.get("allow_paid_broadcast")))
            call.result = await self._run(name, params, sending)
        except ApiError as error:
            call.status = error.status
            call.result = error.payload()
        delivered = sending and call.status == 200
        if fault is not None and fault.kind == "disconnect":
            call.status = 0
        self._record(call, _content_key(method, params) if delivered else None)
        if call.status == 0:
            return 0, None
        if call.status != 200:
            payload: dict[str, Any] = call.result
            return call.status, payload
        return 200, {"ok": True, "result": call.result}

    async def _run(self, name: str, params: dict[str, Any], sending: bool) -> Any:
        if name == "getupdates":
            return await self.updates.get(params)
        handler = self._methods.get(name)
        if handler is not None:
            return handler(params)
        return self.state.send_other(name, params) if sending else True


def _content_key(method: str, params: dict[str, Any]) -> str:
    for key in ("text", "caption"):
        value = params.get(key)
        if isinstance(value, str):
            return value
    return f"<{method}>"


__all__ = ["BotApiEmulator", "ChatId"]
