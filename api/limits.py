"""Refuse request bodies over the configured size before they are read into memory."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodySizeLimit:
    """ASGI middleware: 413 when Content-Length or the streamed body passes `max_bytes`."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _refuse(send, self.max_bytes, str(scope.get("path", "")))
            return
        seen = 0
        refused = False

        async def limited_receive() -> Message:
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    refused = True
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _TooLarge:
            if refused:
                await _refuse(send, self.max_bytes, str(scope.get("path", "")))


class _TooLarge(Exception):
    pass


async def _refuse(send: Send, max_bytes: int, path: str) -> None:
    detail = f"request body over {max_bytes} bytes"
    kind = b"application/json"
    if path.startswith("/open311/") and path.endswith(".xml"):
        kind = b"text/xml; charset=utf-8"
        body = (
            '<?xml version="1.0" encoding="utf-8"?><errors><error><code>413</code>'
            f"<description>{detail}</description></error></errors>"
        ).encode()
    elif path.startswith("/open311/"):  # the Open311 specification's error list
        body = json.dumps([{"code": 413, "description": detail}]).encode()
    else:
        body = json.dumps({"code": "payload_too_large", "detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", kind),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
