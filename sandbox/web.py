"""The page's JSON API under /sandbox/api: act as a simulated user, watch chats, control panel."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError

from botapi_emulator import ApiError
from botapi_emulator.chats import ChatLog, Chats, Entry
from botapi_emulator.files import MAX_PHOTO_UPLOAD
from core.projects.queries import ProjectQuery
from core.services import Services
from core.uow import unit_of_work
from sandbox.control import Control
from sandbox.demo import CITIES, WAGE_KINDS
from sandbox.users import Client

MAX_WAIT_S = 20.0
MAP_POINTS = 200


class TextIn(BaseModel):
    """Text or a command typed by a simulated user."""

    text: str = Field(min_length=1, max_length=4096)


class LocationIn(BaseModel):
    """A shared location."""

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class PressIn(BaseModel):
    """An inline button pressed under a bot message."""

    message_id: int
    data: str = Field(min_length=1, max_length=64)


class LanguageIn(BaseModel):
    """The language of the simulated user's Telegram app."""

    language: Literal["en", "uk", "ko"]


class WageIn(BaseModel):
    """A wage event to simulate for the demo worker."""

    kind: str


class ClockIn(BaseModel):
    """Move the sandbox clock: to a user's quiet hours (start or end) or next digest."""

    to: Literal["quiet_start", "quiet_end", "digest"]
    user_id: int = Field(ge=1, le=2**53)


class BroadcastIn(BaseModel):
    """A broadcast as the sandbox official: text and audience (as in the HTTP API)."""

    text: str = Field(min_length=1, max_length=3500)
    audience: dict[str, Any]
    urgency: Literal["urgent", "normal"] = "normal"
    expires_in_h: float | None = Field(default=None, gt=0, le=24 * 30)


def entry_view(entry: Entry, bot_id: int) -> dict[str, Any]:
    """What the page needs to draw one message."""
    message = entry.message
    markup = message.get("reply_markup") or {}
    return {
        "id": message["message_id"],
        "seq": entry.seq,
        "from_bot": message["from"]["id"] == bot_id,
        "html": entry.html,
        "location": message.get("location"),
        "photo": message["photo"][-1]["file_id"] if message.get("photo") else None,
        "document": _document(message.get("document")),
        "inline_keyboard": markup.get("inline_keyboard"),
        "edited": "edit_date" in message,
        "date": message.get("date"),
        "deleted": entry.deleted,
    }


def _document(document: dict[str, Any] | None) -> dict[str, Any] | None:
    if document is None:
        return None
    return {"file_id": document["file_id"], "file_name": document.get("file_name", "")}


def chat_view(chats: Chats, log: ChatLog | None, bot_id: int, since: int) -> dict[str, Any]:
    """Messages changed after `since`, the reply keyboard, and the newest change number."""
    if log is None:
        return {"seq": chats.seq, "messages": [], "keyboard": None}
    changed = [entry_view(e, bot_id) for e in log.entries.values() if e.seq > since]
    return {"seq": chats.seq, "messages": changed, "keyboard": log.reply_keyboard}


ControlFor = Callable[[Request], Control]


def web_router(client: Client, control_for: ControlFor) -> APIRouter:
    """The /sandbox/api routes; `control_for(request)` gives the control panel for a request."""
    router = APIRouter(prefix="/sandbox/api", include_in_schema=False)
    _chat_routes(router, client)
    _control_routes(router, control_for)
    return router


def _chat_routes(router: APIRouter, client: Client) -> None:
    emulator = client.emulator
    chats, bot_id = emulator.state.chats, int(emulator.bot_user["id"])

    @router.get("/users")
    async def users() -> dict[str, Any]:
        return {"users": [u.view() for u in client.users.values()], "bot": emulator.me}

    @router.get("/chats/{user_id}")
    async def watch(
        user_id: int,
        since: Annotated[int, Query(ge=0)] = 0,
        wait: Annotated[float, Query(ge=0, le=MAX_WAIT_S)] = 0,
    ) -> dict[str, Any]:
        client.user(user_id)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while True:
            view = chat_view(chats, chats.get(user_id), bot_id, since)
            remaining = deadline - loop.time()
            if view["messages"] or remaining <= 0 or chats.changed.closed:
                return view
            await chats.changed.wait(remaining)

    @router.post("/chats/{user_id}/text")
    async def send_text(user_id: int, body: TextIn) -> dict[str, Any]:
        return {"message_id": await client.send_text(user_id, body.text)}

    @router.post("/chats/{user_id}/location")
    async def send_location(user_id: int, body: LocationIn) -> dict[str, Any]:
        return {"message_id": await client.send_location(user_id, body.lat, body.lon)}

    @router.post("/chats/{user_id}/photo")
    async def send_photo(
        user_id: int,
        photo: Annotated[UploadFile, File()],
        caption: Annotated[str, Form(max_length=1024)] = "",
    ) -> dict[str, Any]:
        data = await photo.read(MAX_PHOTO_UPLOAD + 1)
        return {"message_id": await client.send_photo(user_id, data, caption)}

    @router.get("/files/{file_id}")
    async def file(file_id: str) -> Response:
        stored = emulator.state.files.get(file_id)
        if stored is None:
            return _error(404, "no such file")
        return Response(stored.data, media_type=stored.mime_type)

    @router.post("/chats/{user_id}/press")
    async def press(user_id: int, body: PressIn) -> dict[str, Any]:
        return {"callback_query_id": await client.press(user_id, body.message_id, body.data)}

    @router.post("/users/{user_id}/language")
    async def language(user_id: int, body: LanguageIn) -> dict[str, Any]:
        client.set_language(user_id, body.language)
        return client.user(user_id).view()


def _control_routes(router: APIRouter, control_for: ControlFor) -> None:
    @router.get("/points")
    async def points(request: Request) -> dict[str, Any]:
        """The demo projects of each city the map offers (Kyiv, Seoul), with their status."""
        async with unit_of_work(request.app.state.session_factory, request.app.state.ctx) as svc:
            cities = [
                {
                    "key": key,
                    "name": name,
                    "center": list(centre),
                    "points": await _points(svc, centre),
                }
                for key, (name, centre) in CITIES.items()
            ]
        return {"cities": cities}

    @router.post("/control/link-worker")
    async def link_worker(request: Request) -> dict[str, Any]:
        result: dict[str, Any] = await control_for(request).link_worker()
        return result

    @router.post("/control/wage")
    async def wage(request: Request, body: WageIn) -> Any:
        if body.kind not in WAGE_KINDS:
            return _error(422, f"kind must be one of {', '.join(WAGE_KINDS)}")
        return await control_for(request).wage(body.kind)

    @router.post("/control/overdue-scan")
    async def overdue_scan(request: Request) -> dict[str, Any]:
        result: dict[str, Any] = await control_for(request).overdue_scan()
        return result

    @router.post("/control/open311")
    async def open311(
        request: Request,
        service_code: Annotated[str, Form(min_length=1, max_length=32)],
        description: Annotated[str, Form(min_length=1, max_length=4000)],
        lat: Annotated[float, Form(ge=-90, le=90)],
        long: Annotated[float, Form(ge=-180, le=180)],
        media: Annotated[UploadFile | None, File()] = None,
    ) -> JSONResponse:
        photo = await media.read(MAX_PHOTO_UPLOAD + 1) if media is not None else None
        fields = {
            "service_code": service_code,
            "description": description,
            "lat": str(lat),
            "long": str(long),
        }
        status, body = await control_for(request).open311(fields, photo or None)
        return JSONResponse({"status": status, "answer": body}, status_code=status)

    @router.get("/control/clock")
    async def clock_now(request: Request) -> dict[str, Any]:
        return control_for(request).now()

    @router.post("/control/clock")
    async def clock_jump(request: Request, body: ClockIn) -> dict[str, Any]:
        result: dict[str, Any] = await control_for(request).jump(body.to, body.user_id)
        return result

    @router.post("/control/broadcast")
    async def broadcast(request: Request, body: BroadcastIn) -> Any:
        try:
            return await control_for(request).broadcast(
                body.text, body.audience, body.urgency, body.expires_in_h
            )
        except ValidationError as exc:
            return _error(422, exc.errors(include_url=False, include_context=False))


async def _points(svc: Services, centre: tuple[float, float]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    query = ProjectQuery(lat=centre[0], lon=centre[1], radius_m=50_000, limit=100)
    while len(found) < MAP_POINTS:
        page = await svc.projects.find(query)
        found += [
            {"id": p.id, "title": p.title, "lat": p.lat, "lon": p.lon, "status": p.status}
            for p in page.items
            if p.lat is not None and p.lon is not None
        ]
        if page.next_cursor is None:
            break
        query = ProjectQuery(
            lat=centre[0], lon=centre[1], radius_m=50_000, limit=100, cursor=page.next_cursor
        )
    return found


def _error(status: int, detail: Any) -> JSONResponse:
    return JSONResponse({"code": "invalid_input", "detail": detail}, status_code=status)


def api_error_response(error: ApiError) -> JSONResponse:
    """A simulated-user action the chat refuses (unknown user, empty text, gone message)."""
    return JSONResponse({"code": "bad_request", "detail": error.description}, status_code=400)
