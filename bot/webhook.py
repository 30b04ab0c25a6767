"""Webhook mode: an HTTP endpoint (Starlette-compatible) that feeds updates to the dispatcher.

The API's server mounts it (the composition root does; `api` and `bot` stay independent).
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
from urllib.parse import urlparse

from aiogram.types import Update
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.config import BotSettings
from bot.runner import BotApp, open_bot
from core.errors import InvalidInput
from core.json_input import parse_json
from core.metrics import Metrics

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
DEFAULT_PATH = "/telegram/webhook"
Endpoint = Callable[[Request], Awaitable[Response]]


def webhook_path(settings: BotSettings) -> str:
    """The path of WEBHOOK_URL (where Telegram posts), else /telegram/webhook."""
    path = urlparse(settings.telegram.webhook_url or "").path
    return path if path and path != "/" else DEFAULT_PATH


def make_endpoint(app: BotApp, secret: str) -> Endpoint:
    """POST handler: 401 without the right secret token, else handle the update, then 200."""
    expected = secret.encode()

    async def endpoint(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            logger.warning("webhook: update refused (wrong or missing secret token)")
            return JSONResponse({"detail": "unauthorized"}, status_code=401)
        try:
            data = parse_json(await request.body(), allow_nul=True)
            update = Update.model_validate(data, context={"bot": app.bot})
        except (InvalidInput, ValidationError):
            return JSONResponse({"detail": "not a Telegram update"}, status_code=400)
        try:
            await app.dispatcher.feed_update(app.bot, update)
        except Exception as exc:
            # Telegram would redeliver a failed update again and again; log it and move on.
            # The frames, not the message: messages may quote user text (as bot.handlers.errors).
            frames = "".join(traceback.format_tb(exc.__traceback__))
            logger.error(
                "webhook: update %s failed: %s\n%s", update.update_id, type(exc).__name__, frames
            )
        return JSONResponse({})

    return endpoint


@contextlib.asynccontextmanager
async def webhook_endpoint(
    settings: BotSettings, metrics: Metrics | None = None
) -> AsyncIterator[tuple[str, Endpoint]]:
    """(path, endpoint) for the API server while the bot objects are open."""
    secret = settings.telegram.webhook_secret
    if secret is None:
        raise RuntimeError("BOT_MODE=webhook needs WEBHOOK_SECRET")
    async with open_bot(settings, metrics=metrics) as app:
        yield webhook_path(settings), make_endpoint(app, secret.get_secret_value())
