"""Open311 GeoReport v2 documents in JSON and XML, and the specification's error list."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from xml.etree import ElementTree as ET

from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from core.reports.schemas import CategoryRead, PublicRequest

Format = Literal["json", "xml"]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _element(tag: str, value: Any) -> ET.Element:
    node = ET.Element(tag)
    if isinstance(value, dict):
        for key, sub in value.items():
            node.append(_element(key, sub))
    elif isinstance(value, list):
        child = tag[:-1] if tag.endswith("s") else "item"
        for sub in value:
            node.append(_element(child, sub))
    else:
        node.text = _text(value)
    return node


def document(data: Any, fmt: Format, root: str, item: str, status: int = 200) -> Response:
    """A list (or one object) as JSON, or as XML `<root><item>…</item></root>`."""
    if fmt == "json":
        return JSONResponse(_jsonable(data), status_code=status)
    top = ET.Element(root)
    for entry in data if isinstance(data, list) else [data]:
        top.append(_element(item, entry))
    body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="utf-8")
    return Response(body, status_code=status, media_type="text/xml; charset=utf-8")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


class Open311Error(BaseModel):
    """One entry of the specification's error list."""

    code: int
    description: str


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for Open311 routes: errors are a list of Open311Error (or XML <errors>)."""
    return {
        s: {"model": list[Open311Error], "description": "Open311 error list"} for s in statuses
    }


def error(status: int, description: str, fmt: Format) -> Response:
    """The specification's error list: `[{"code": 400, "description": "…"}]`."""
    return document([{"code": status, "description": description}], fmt, "errors", "error", status)


def service(category: CategoryRead, locale: str) -> dict[str, Any]:
    """One entry of services.json."""
    return {
        "service_code": category.code,
        "service_name": category.names.get(locale) or category.names["en"],
        "description": category.descriptions.get(locale) or category.descriptions["en"],
        "metadata": False,
        "type": "realtime",
        "keywords": category.group,
        "group": category.group,
    }


def request(found: PublicRequest, media_base: str, locale_name: str | None) -> dict[str, Any]:
    """One service request: the standard fields, then the extensions (detailed_status,
    project_id, notes, media_urls). Never a reporter, a chat or photo metadata."""
    urls = [f"{media_base}{key}.jpg" for key in found.media_keys]
    return {
        "service_request_id": found.service_request_id,
        "status": found.status,
        "status_notes": found.status_notes,
        "service_name": locale_name or found.service_name,
        "service_code": found.service_code,
        "description": found.description,
        "agency_responsible": found.agency_responsible,
        "service_notice": None,
        "requested_datetime": found.requested_datetime,
        "updated_datetime": found.updated_datetime,
        "expected_datetime": found.expected_datetime,
        "address": found.address,
        "address_id": None,
        "zipcode": None,
        "lat": found.lat,
        "long": found.long,
        "media_url": urls[0] if urls else None,
        "detailed_status": found.detailed_status,
        "project_id": found.project_id,
        "notes": [
            {"datetime": n.datetime, "status": n.status, "description": n.description}
            for n in found.notes
        ],
        "media_urls": urls,
    }
