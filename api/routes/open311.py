"""Open311 GeoReport v2 at /open311/v2/: services, service definitions, requests (list, one,
file with an API key of role `app`), in JSON or XML; public reports only; errors as the
specification's list (see api/errors.py)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from api import open311_format as o311
from api.deps import ServicesDep
from core.errors import InvalidInput, NotFound, PermissionDenied
from core.inputs import AwareTime
from core.reports.schemas import MAX_PHOTO_BYTES, MAX_PHOTOS, ReportCreate, RequestFilter

router = APIRouter(
    prefix="/open311/v2", tags=["open311"], responses=o311.documented(400, 403, 404, 422)
)
Fmt = Annotated[Literal["json", "xml"], Path(description="json or xml")]
Locale = Annotated[Literal["en", "uk", "ko"], Query(description="service names in this language")]
CSV = Annotated[str | None, Query(max_length=2000, pattern=r"^[A-Za-z0-9_,\-]*$")]
NOTICE = "Received. It becomes public once an official has acknowledged it."


def _media_base(request: Request) -> str:
    return str(request.base_url) + "open311/v2/media/"


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


@router.get("/services.{fmt}")
async def services(fmt: Fmt, svc: ServicesDep, locale: Locale = "en") -> Response:
    """Every category (Open311 service)."""
    items = [o311.service(c, locale) for c in svc.reports.categories()]
    return o311.document(items, fmt, "services", "service")


@router.get("/services/{code}.{fmt}")
async def service_definition(
    code: Annotated[str, Path(max_length=32)], fmt: Fmt, svc: ServicesDep
) -> Response:
    """A service definition: our services take no extra attributes."""
    category = svc.reports.category(code)
    if fmt == "json":
        return o311.document({"service_code": category.code, "attributes": []}, fmt, "", "")
    body = (
        '<?xml version="1.0" encoding="utf-8"?><service_definition>'
        f"<service_code>{category.code}</service_code><attributes/></service_definition>"
    )
    return Response(body, media_type="text/xml; charset=utf-8")


@router.get("/requests.{fmt}")
async def list_requests(
    request: Request,
    fmt: Fmt,
    svc: ServicesDep,
    service_request_id: CSV = None,
    service_code: CSV = None,
    start_date: AwareTime | None = None,
    end_date: AwareTime | None = None,
    status: Annotated[str | None, Query(pattern=r"^(open|closed)(,(open|closed))?$")] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90, allow_inf_nan=False)] = None,
    long: Annotated[float | None, Query(ge=-180, le=180, allow_inf_nan=False)] = None,
    radius: Annotated[float | None, Query(gt=0, le=50_000, allow_inf_nan=False)] = None,
    project_id: Annotated[str | None, Query(min_length=1, max_length=255)] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=1000)] = 50,
    locale: Locale = "en",
    jurisdiction_id: Annotated[str | None, Query(max_length=255)] = None,
) -> Response:
    """Public requests, newest first (nearest first around `lat`/`long`)."""
    statuses = set(_split(status))
    only = statuses.pop() if len(statuses) == 1 else None
    query = RequestFilter(
        references=_split(service_request_id),
        service_codes=_split(service_code),
        start=start_date,
        end=end_date,
        status="open" if only == "open" else "closed" if only == "closed" else None,
        lat=lat,
        lon=long,
        radius_m=radius,
        project_id=_no_nul(project_id),
        page=page,
        page_size=page_size,
    )
    found = await svc.reports.public_requests(query)
    items = [
        o311.request(r, _media_base(request), _name(svc, r.service_code, locale)) for r in found
    ]
    return o311.document(items, fmt, "service_requests", "request")


def _no_nul(value: str | None) -> str | None:
    if value is not None and "\x00" in value:
        raise InvalidInput("must not contain a NUL character", location="project_id")
    return value


def _name(svc: Any, code: str, locale: str) -> str | None:
    try:
        return str(svc.reports.category(code).names.get(locale))
    except InvalidInput:
        return None


@router.get("/requests/{reference}.{fmt}")
async def get_request(
    request: Request,
    reference: Annotated[str, Path(max_length=16, pattern=r"^[A-Za-z0-9-]+$")],
    fmt: Fmt,
    svc: ServicesDep,
    locale: Locale = "en",
) -> Response:
    """One public request (a list of one, as the specification has it)."""
    found = await svc.reports.public_request(reference)
    item = o311.request(found, _media_base(request), _name(svc, found.service_code, locale))
    return o311.document([item], fmt, "service_requests", "request")


@router.post("/requests.{fmt}")
async def create_request(request: Request, fmt: Fmt, svc: ServicesDep) -> Response:
    """File a report as a third-party app: form fields `api_key` (role `app`), `service_code`,
    `lat`+`long` or `address_string`, `description`, optional `project_id`, and up to five
    image files as `media`. Personal fields (email, name, phone, device) are not kept."""
    async with request.form(max_files=MAX_PHOTOS + 1, max_fields=100) as form:
        api_key = str(form.get("api_key") or "").strip()
        principal = await svc.api_keys.authenticate(api_key) if api_key else None
        if principal is None or principal.role != "app":
            raise PermissionDenied("api_key is missing, invalid, or not of role app")
        data = await _report(form, principal.key_id)
    filed = await svc.reports.file(data)
    answer = {"service_request_id": filed.reference, "service_notice": NOTICE, "account_id": None}
    return o311.document([answer], fmt, "service_requests", "request")


async def _report(form: Any, key_id: int) -> ReportCreate:
    fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    if not fields.get("service_code"):
        raise InvalidInput("service_code is required", location="service_code")
    has_point = fields.get("lat") and fields.get("long")
    if not has_point and not fields.get("address_string"):
        raise InvalidInput(
            "a location is required: lat and long, or address_string", location="lat"
        )
    photos = []
    for upload in form.getlist("media"):
        if isinstance(upload, UploadFile):
            content = await upload.read(MAX_PHOTO_BYTES + 1)
            photos.append({"content": content})
    values: dict[str, Any] = {
        "category": fields["service_code"],
        "text": fields.get("description") or "",
        "project_id": fields.get("project_id") or None,
        "lat": fields.get("lat") or None,
        "lon": fields.get("long") or None,
        "address": fields.get("address_string") or None,
        "photos": photos,
        "source": "open311",
        "app_key_id": key_id,
        "locale": fields.get("locale") if fields.get("locale") in ("en", "uk", "ko") else "en",
    }
    try:
        return ReportCreate.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "form"
        where = {"text": "description", "lon": "long", "category": "service_code"}.get(
            where, where
        )
        raise InvalidInput(f"{where}: {first.get('msg', 'invalid')}", location=where) from exc


@router.get("/media/{key}.jpg", response_class=Response)
async def media(
    key: Annotated[str, Path(min_length=8, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")],
    svc: ServicesDep,
) -> Response:
    """A photo of a public report: a JPEG re-encoded without any metadata."""
    content = await svc.reports.public_photo(key)
    headers = {"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"}
    return Response(content, media_type="image/jpeg", headers=headers)


@router.api_route("/{rest:path}", methods=["GET", "POST"], include_in_schema=False)
async def unknown(rest: str) -> Response:
    """Anything else under /open311/v2/: the specification's 404."""
    raise NotFound(f"no such Open311 call: {rest[:100]}")
