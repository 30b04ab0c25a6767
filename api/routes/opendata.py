"""Open data out: the catalogue as an OC4IDS project package, and as CSV (both public)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import AsyncIterator
from datetime import datetime
from email.utils import format_datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from api.config import ApiProcessSettings
from api.openapi import errors
from core.config import OpenDataSettings
from core.context import DomainContext
from core.errors import InvalidInput
from core.inputs import MAX_BIGINT
from core.projects.export import MAX_PAGE, ExportQuery
from core.projects.table import COLUMNS
from core.uow import unit_of_work

router = APIRouter(prefix="/api/v1", tags=["open data"])

OC4IDS_VERSION = "0.9"
DEFAULT_PAGE = 1000
FLUSH_BYTES = 256 * 1024
_PACKAGE_DOC: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {}}, "description": "An OC4IDS project package"},
    304: {"description": "Not modified since the ETag given in If-None-Match"},
}


@router.get("/oc4ids/package", response_class=Response, responses=_PACKAGE_DOC | errors(422))
async def oc4ids_package(
    request: Request,
    since: Annotated[datetime | None, Query(description="RFC 3339 time with zone")] = None,
    after: Annotated[int | None, Query(ge=0, le=MAX_BIGINT, description="change number")] = None,
    limit: Annotated[int | None, Query(ge=1, le=MAX_PAGE)] = None,
) -> Response:
    """Every project as received, oldest change first; `since`/`after`/`limit` page it.

    A paged answer ends with `links.next` (OCDS pagination) while it holds projects; follow it
    until a page is empty and every change is seen exactly once.
    """
    paged = since is not None or after is not None or limit is not None
    if since is not None and since.tzinfo is None:
        raise InvalidInput("since needs a time zone (e.g. Z)", location="since")
    query = ExportQuery(after or 0, since, (limit or DEFAULT_PAGE) if paged else None)
    query.check()
    settings: ApiProcessSettings = request.app.state.settings
    ctx: DomainContext = request.app.state.ctx
    factory = request.app.state.session_factory
    async with unit_of_work(factory, ctx) as svc:
        last_seq, changed_at = await svc.projects.last_change()
    meta = _package_meta(settings.open_data, str(request.url), changed_at or ctx.clock())
    tag = _etag(last_seq, meta)
    headers = {"ETag": tag, "Cache-Control": "no-cache"}
    if changed_at is not None:
        headers["Last-Modified"] = format_datetime(changed_at, usegmt=True)
    if _matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)

    async def body() -> AsyncIterator[bytes]:
        last = query.after
        buffer = [json.dumps(meta, ensure_ascii=False)[:-1] + ', "projects": [']
        size = 0
        async with unit_of_work(factory, ctx) as reader:
            async for seq, record in reader.projects.export_records(query):
                buffer.append(record if last == query.after else "," + record)
                size += len(record)
                last = seq
                if size >= FLUSH_BYTES:
                    yield "".join(buffer).encode()
                    buffer, size = [], 0
        buffer.append("]")
        if paged and last != query.after:
            next_url = request.url.remove_query_params("since").include_query_params(
                after=last, limit=query.limit
            )
            buffer.append(', "links": ' + json.dumps({"next": str(next_url)}))
        buffer.append("}")
        yield "".join(buffer).encode()

    return StreamingResponse(body(), media_type="application/json", headers=headers)


@router.get("/projects.csv", response_class=Response)
async def projects_csv(request: Request) -> StreamingResponse:
    """One row per project with the card's figures, for spreadsheets (UTF-8, comma)."""
    ctx: DomainContext = request.app.state.ctx
    factory = request.app.state.session_factory

    async def body() -> AsyncIterator[bytes]:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        async with unit_of_work(factory, ctx) as svc:
            async for row in svc.projects.table_rows():
                writer.writerow([_cell(row[c]) for c in COLUMNS])
                if out.tell() >= FLUSH_BYTES:
                    yield out.getvalue().encode()
                    out.seek(0)
                    out.truncate()
        yield out.getvalue().encode()

    headers = {"Content-Disposition": 'attachment; filename="projects.csv"'}
    return StreamingResponse(body(), media_type="text/csv; charset=utf-8", headers=headers)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    # A text cell starting like a formula would run as one in a spreadsheet.
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _package_meta(settings: OpenDataSettings, uri: str, published: datetime) -> dict[str, Any]:
    publisher: dict[str, Any] = {"name": settings.publisher_name}
    for key, value in (
        ("scheme", settings.publisher_scheme),
        ("uid", settings.publisher_uid),
        ("uri", settings.publisher_uri),
    ):
        if value:
            publisher[key] = value
    meta: dict[str, Any] = {
        "version": OC4IDS_VERSION,
        "uri": uri,
        "publishedDate": published.isoformat().replace("+00:00", "Z"),
        "publisher": publisher,
    }
    if settings.data_license:
        meta["license"] = settings.data_license
    if settings.publication_policy:
        meta["publicationPolicy"] = settings.publication_policy
    return meta


def _etag(last_seq: int, meta: dict[str, Any]) -> str:
    """Changes with every change number and with what the envelope says (not its date)."""
    key = json.dumps([last_seq, {k: v for k, v in meta.items() if k != "publishedDate"}])
    return 'W/"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def _matches(header: str | None, tag: str) -> bool:
    if not header:
        return False
    candidates = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in candidates or tag.removeprefix("W/") in candidates
