"""The HTTP session to the Bot API: a call without a file goes as one JSON body.

aiogram's `AiohttpSession` sends every call as a form: each field JSON-encoded on its own
(a keyboard is a JSON string inside the form), then the form built and URL-encoded by aiohttp,
which sets up a multipart writer (and a random boundary) for every request whether or not it
is used. For a reply that was about a tenth of the bot's work per update. The Bot API takes
the same parameters as a JSON object body (`application/json`), encoded once.

The fields are the form's: each prepared by aiogram's own `prepare_value` (defaults such as
parse_mode filled in from the Bot), and left out where the form leaves them out (no value, or
an empty string). A call with a file (an upload) still goes as aiogram sends it, multipart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiohttp import ClientError, ClientTimeout

if TYPE_CHECKING:
    from aiogram import Bot

JSON_HEADERS = {"Content-Type": "application/json"}


class JsonBodySession(AiohttpSession):
    """`AiohttpSession` that sends a call without a file as a JSON object body."""

    def json_body(self, bot: Bot, method: TelegramMethod[Any]) -> bytes | None:
        """The call's fields as a JSON object; None when it uploads a file."""
        files: dict[str, Any] = {}
        fields: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files, _dumps_json=False)
            # What the form leaves out (aiogram skips a falsy field once JSON-encoded: only
            # a missing value or an empty string).
            if prepared is None or prepared == "":
                continue
            fields[key] = prepared
        if files:
            return None
        return self.json_dumps(fields).encode()

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - aiogram's signature, overridden
    ) -> TelegramType:
        body = self.json_body(bot, method)
        if body is None:
            return await super().make_request(bot, method, timeout)
        session = await self.create_session()
        url = self.api.api_url(token=bot.token, method=method.__api_method__)
        # The same timeout and errors as AiohttpSession.make_request (aiohttp makes a
        # ClientTimeout of its number).
        try:
            async with session.post(
                url,
                data=body,
                headers=JSON_HEADERS,
                timeout=ClientTimeout(total=self.timeout if timeout is None else timeout),
            ) as resp:
                raw_result = await resp.text()
        except TimeoutError as e:
            raise TelegramNetworkError(method=method, message="Request timeout error") from e
        except ClientError as e:
            raise TelegramNetworkError(method=method, message=f"{type(e).__name__}: {e}") from e
        response = self.check_response(
            bot=bot, method=method, status_code=resp.status, content=raw_result
        )
        return cast(TelegramType, response.result)
