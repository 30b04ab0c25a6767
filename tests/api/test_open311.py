# ruff: noqa: S314 - parses the answers of our own server under test
"""Open311 GeoReport v2: every call in JSON and XML, the specification's error bodies, only
moderated reports in public, and nothing that identifies the reporter or the phone."""

from __future__ import annotations

import io
import json
from xml.etree import ElementTree as ET

import httpx
import pytest
from PIL import Image

from core.reports.schemas import StatusChange
from tests.api.conftest import make_key
from tests.conftest import UowFactory
from tests.reportutil import REPORTER, jpeg_with_gps, new_report, setup_world, with_photo


async def _public_report(uow: UowFactory) -> tuple[int, str]:
    async with uow() as svc:
        await setup_world(svc)
        filed = await svc.reports.file(new_report(photos=with_photo(), address="Khreshchatyk 1"))
        await svc.reports.change_status(filed.id, StatusChange(status="acknowledged"))
        await svc.reports.answer(filed.id, "We <will> look")
        return filed.id, filed.reference


@pytest.mark.parametrize("fmt", ["json", "xml"])
async def test_services_and_definitions(client: httpx.AsyncClient, fmt: str) -> None:
    listed = await client.get(f"/open311/v2/services.{fmt}")
    assert listed.status_code == 200
    if fmt == "json":
        codes = [s["service_code"] for s in listed.json()]
        assert listed.json()[0]["metadata"] is False
        assert listed.json()[0]["type"] == "realtime"
    else:
        assert listed.headers["content-type"].startswith("text/xml")
        root = ET.fromstring(listed.content)
        assert root.tag == "services"
        codes = [s.findtext("service_code") for s in root.findall("service")]
    assert codes == [
        "question",
        "noise",
        "dust",
        "blocked_access",
        "safety",
        "damage",
        "quality",
        "irregularity",
        "other",
    ]
    one = await client.get(f"/open311/v2/services/noise.{fmt}")
    assert one.status_code == 200
    if fmt == "json":
        assert one.json() == {"service_code": "noise", "attributes": []}
    else:
        assert ET.fromstring(one.content).findtext("service_code") == "noise"
    uk = await client.get("/open311/v2/services.json?locale=uk")
    assert uk.json()[1]["service_name"] == "Шум або години роботи"  # noqa: RUF001


@pytest.mark.parametrize("fmt", ["json", "xml"])
async def test_requests_list_and_one_show_public_reports_only(
    client: httpx.AsyncClient, uow: UowFactory, fmt: str
) -> None:
    _rid, ref = await _public_report(uow)
    async with uow() as svc:
        await svc.reports.file(new_report())  # new: not public yet
        hidden = await svc.reports.file(new_report(text="spam"))
        await svc.reports.change_status(
            hidden.id, StatusChange(status="closed", reason="rejected")
        )
    listed = await client.get(f"/open311/v2/requests.{fmt}")
    one = await client.get(f"/open311/v2/requests/{ref}.{fmt}")
    assert listed.status_code == one.status_code == 200
    if fmt == "json":
        (item,) = listed.json()
        assert one.json() == [item]
        assert item["service_request_id"] == ref
        assert (item["status"], item["detailed_status"]) == ("open", "acknowledged")
        assert item["notes"][-1]["description"] == "We <will> look"
        assert item["media_url"] == item["media_urls"][0]
        assert item["address"] == "Khreshchatyk 1"
        assert item["agency_responsible"] == "Kyiv City State Administration"
        media = item["media_url"]
    else:
        requests = ET.fromstring(listed.content).findall("request")
        assert [r.findtext("service_request_id") for r in requests] == [ref]
        assert requests[0].findtext("notes/note/description") == "We <will> look"
        media = requests[0].findtext("media_url") or ""
        assert requests[0].findtext("media_urls/media_url") == media
    photo = await client.get(media.removeprefix("http://test"))
    assert photo.status_code == 200
    assert photo.headers["content-type"] == "image/jpeg"
    assert b"SecretPhone" not in photo.content
    with Image.open(io.BytesIO(photo.content)) as image:
        assert not image.getexif()


async def test_filters_and_paging(client: httpx.AsyncClient, uow: UowFactory) -> None:
    _rid, ref = await _public_report(uow)

    async def refs(query: str) -> list[str]:
        answer = await client.get(f"/open311/v2/requests.json?{query}")
        assert answer.status_code == 200, answer.text
        return [r["service_request_id"] for r in answer.json()]

    assert await refs(f"service_request_id={ref}") == [ref]
    assert await refs("service_code=noise,dust") == [ref]
    assert await refs("service_code=dust") == []
    assert await refs("status=open") == [ref]
    assert await refs("status=closed") == []
    assert await refs("status=open,closed") == [ref]
    assert await refs("start_date=2026-10-31T00:00:00Z&end_date=2026-11-02T00:00:00Z") == [ref]
    assert await refs("start_date=2026-11-02T00:00:00Z") == []
    assert await refs("lat=50.4501&long=30.5234&radius=100") == [ref]
    assert await refs("lat=50.46&long=30.5234&radius=100") == []
    assert await refs("project_id=P1&page=1&page_size=1") == [ref]
    assert await refs("page=2&page_size=1") == []


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/open311/v2/services/graffiti.json", 400),
        ("/open311/v2/requests/CR-NOTTHERE.json", 404),
        ("/open311/v2/requests.json?lat=50", 400),
        ("/open311/v2/requests.json?lat=nan&long=30", 400),
        ("/open311/v2/requests.json?radius=100", 400),
        ("/open311/v2/requests.json?page_size=0", 400),
        ("/open311/v2/requests.json?start_date=2026-11-01T00:00:00", 400),
        ("/open311/v2/requests.json?status=pending", 400),
        ("/open311/v2/requests.json?service_code=graffiti", 400),
        ("/open311/v2/requests.json?project_id=a%00b", 400),
        ("/open311/v2/nothing.json", 404),
        ("/open311/v2/requests.csv", 400),
    ],
)
async def test_errors_follow_the_specification(
    client: httpx.AsyncClient, url: str, status: int
) -> None:
    answer = await client.get(url)
    assert answer.status_code == status, answer.text
    (error,) = answer.json()
    assert error["code"] == status
    assert error["description"]
    xml = await client.get(url.replace(".json", ".xml"))
    if url.endswith(".csv"):
        return
    assert xml.status_code == status
    root = ET.fromstring(xml.content)
    assert (root.tag, root.findtext("error/code")) == ("errors", str(status))


async def test_an_app_files_a_request_and_follows_it(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    async with uow() as svc:
        await setup_world(svc)
    key = await make_key(uow, "app")
    api_key = key["Authorization"].removeprefix("Bearer ")
    form = {
        "api_key": api_key,
        "service_code": "dust",
        "lat": "50.4501",
        "long": "30.5234",
        "description": "Mud on the road",
        "email": "someone@example.org",
        "first_name": "Petro",
        "phone": "+380670000000",
    }
    files = {"media": ("p.jpg", jpeg_with_gps(), "image/jpeg")}
    made = await client.post("/open311/v2/requests.json", data=form, files=files)
    assert made.status_code == 200, made.text
    (answer,) = made.json()
    ref = answer["service_request_id"]
    assert answer["service_notice"]
    assert (await client.get(f"/open311/v2/requests/{ref}.json")).status_code == 404
    async with uow() as svc:
        rid = await svc.reports.id_of(ref)
        await svc.reports.change_status(rid, StatusChange(status="acknowledged"))
        stored = json.dumps((await svc.reports.thread(rid)).model_dump(mode="json"))
    assert "someone@example.org" not in stored
    assert "Petro" not in stored
    seen = await client.get(f"/open311/v2/requests/{ref}.xml")
    assert ET.fromstring(seen.content).findtext("request/status") == "open"
    made_xml = await client.post(
        "/open311/v2/requests.xml",
        data={**form, "lat": "", "long": "", "address_string": "Maidan"},
    )
    assert (
        ET.fromstring(made_xml.content)
        .findtext("request/service_request_id", "")
        .startswith("CR-")
    )


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"api_key": "wrong"}, 403),
        ({"api_key": None}, 403),
        ({"service_code": ""}, 400),
        ({"service_code": "graffiti"}, 400),
        ({"lat": "", "long": ""}, 400),
        ({"lat": "95"}, 400),
        ({"lat": "nan"}, 400),
        ({"description": ""}, 400),
        ({"description": "x" * 4001}, 400),
        ({"project_id": "P404"}, 404),
    ],
)
async def test_bad_requests_are_refused_and_nothing_is_filed(
    client: httpx.AsyncClient, uow: UowFactory, fields: dict[str, str | None], status: int
) -> None:
    async with uow() as svc:
        await setup_world(svc)
    key = await make_key(uow, "app")
    form = {
        "api_key": key["Authorization"].removeprefix("Bearer "),
        "service_code": "dust",
        "lat": "50.45",
        "long": "30.52",
        "description": "Mud",
    }
    form.update({k: v for k, v in fields.items() if v is not None})
    for k, v in fields.items():
        if v is None:
            form.pop(k)
    answer = await client.post("/open311/v2/requests.json", data=form)
    assert answer.status_code == status, answer.text
    assert answer.json()[0]["code"] == status
    async with uow() as svc:
        assert await svc.reports.list_for_officials() == []


async def test_an_official_key_cannot_file_as_an_app(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    async with uow() as svc:
        await setup_world(svc)
    key = await make_key(uow, "official")
    form = {
        "api_key": key["Authorization"].removeprefix("Bearer "),
        "service_code": "dust",
        "lat": "50.45",
        "long": "30.52",
        "description": "Mud",
    }
    assert (await client.post("/open311/v2/requests.json", data=form)).status_code == 403


async def test_public_answers_name_no_chat_or_reporter(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    _rid, ref = await _public_report(uow)
    for url in (
        "/open311/v2/requests.json",
        f"/open311/v2/requests/{ref}.json",
        f"/open311/v2/requests/{ref}.xml",
        "/api/v1/projects/P1",
        "/api/v1/authorities/UA-KMDA/accountability",
    ):
        body = (await client.get(url)).text
        assert str(REPORTER) not in body
        assert "chat_id" not in body
        assert '"chat' not in body
        assert "<chat" not in body
        assert "AgAD-file-1" not in body


async def test_media_urls_keep_the_photos_order(
    client: httpx.AsyncClient, uow: UowFactory
) -> None:
    async with uow() as svc:
        await setup_world(svc)
        shots = [{"content": jpeg_with_gps(10 + n, 10)} for n in range(3)]
        filed = await svc.reports.file(new_report(photos=shots))
        await svc.reports.change_status(filed.id, StatusChange(status="acknowledged"))
        keys = [p.media_key for p in (await svc.reports.get(filed.id)).photos]
    (item,) = (await client.get(f"/open311/v2/requests/{filed.reference}.json")).json()
    assert [u.rsplit("/", 1)[1] for u in item["media_urls"]] == [f"{k}.jpg" for k in keys]
    widths = []
    for url in item["media_urls"]:
        with Image.open(
            io.BytesIO((await client.get(url.removeprefix("http://test"))).content)
        ) as im:
            widths.append(im.width)
    assert widths == [10, 11, 12]


async def test_an_oversized_post_is_the_specifications_413(client: httpx.AsyncClient) -> None:
    big = {"media": ("p.jpg", b"x" * (70 * 1024), "image/jpeg")}
    answer = await client.post("/open311/v2/requests.json", data={"api_key": "x"}, files=big)
    assert answer.status_code == 413
    assert answer.json()[0]["code"] == 413
    xml = await client.post("/open311/v2/requests.xml", data={"api_key": "x"}, files=big)
    assert ET.fromstring(xml.content).findtext("error/code") == "413"
