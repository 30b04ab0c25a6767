"""/sandbox/api: the page's calls, against the API app with the sandbox mounted."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.config import ApiProcessSettings
from api.main import create_app
from botapi_emulator.images import make_png
from core.config import DbSettings
from core.context import DomainContext
from core.projects.importer import demo_package
from core.wages.policy import WagePolicy
from sandbox import control
from sandbox.app import Sandbox
from sandbox.demo import DEMO_WORKER_ID, demo_job
from sandbox.users import CITIZEN_ID, OFFICIAL_ID, WORKER_ID
from tests.conftest import UowFactory
from tests.factories import make_chat
from tests.reportutil import deliveries, jpeg_with_gps

API = "/sandbox/api"


@pytest.fixture
async def sandbox(uow: UowFactory) -> Sandbox:
    box = Sandbox(WagePolicy(bot_username="clearsite_sandbox_bot"))
    async with uow() as svc:
        await svc.projects.import_package(demo_package())
        await box.prepare(svc)
    return box


@pytest.fixture
async def http(
    sandbox: Sandbox,
    db_url: str,
    ctx: DomainContext,
    session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(ApiProcessSettings(db=DbSettings(database_url=db_url)), ctx)
    sandbox.mount(app)
    app.state.session_factory = session_factory
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        yield client
    await sandbox.emulator.stop()


async def test_page_and_users_are_served(http: httpx.AsyncClient) -> None:
    page = await http.get("/sandbox")
    assert page.status_code == 200
    assert "/sandbox/static/app.js" in page.text
    assert (await http.get("/sandbox/static/app.js")).status_code == 200
    users = (await http.get(f"{API}/users")).json()["users"]
    assert [u["role"] for u in users] == ["citizen", "worker", "official"]


async def test_chat_long_poll_sees_the_user_and_the_bot(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    watching = asyncio.create_task(http.get(f"{API}/chats/{CITIZEN_ID}?since=0&wait=5"))
    await asyncio.sleep(0.2)
    assert not watching.done()
    await http.post(f"{API}/chats/{CITIZEN_ID}/text", json={"text": "/start"})
    first = (await asyncio.wait_for(watching, 2)).json()
    assert [m["html"] for m in first["messages"]] == ["/start"]
    keyboard = {"keyboard": [[{"text": "📍", "request_location": True}]]}
    params = {"chat_id": CITIZEN_ID, "text": "<b>Hi</b>", "parse_mode": "HTML"}
    await sandbox.emulator.execute("sendMessage", params | {"reply_markup": keyboard})
    view = (await http.get(f"{API}/chats/{CITIZEN_ID}?since={first['seq']}")).json()
    assert [(m["from_bot"], m["html"]) for m in view["messages"]] == [(True, "<b>Hi</b>")]
    assert view["keyboard"] == keyboard


async def test_location_press_and_language_become_updates(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    await http.post(f"{API}/users/{CITIZEN_ID}/language", json={"language": "ko"})
    await http.post(f"{API}/chats/{CITIZEN_ID}/location", json={"lat": 50.45, "lon": 30.52})
    _, sent = await sandbox.emulator.execute(
        "sendMessage",
        {
            "chat_id": CITIZEN_ID,
            "text": "x",
            "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": "a"}]]},
        },
    )
    assert sent is not None
    pressed = await http.post(
        f"{API}/chats/{CITIZEN_ID}/press",
        json={"message_id": sent["result"]["message_id"], "data": "a"},
    )
    assert pressed.status_code == 200
    updates = await sandbox.emulator.updates.get({})
    assert updates[0]["message"]["location"] == {"latitude": 50.45, "longitude": 30.52}
    assert updates[0]["message"]["from"]["language_code"] == "ko"
    assert updates[1]["callback_query"]["data"] == "a"


async def test_bad_input_gets_clear_answers(http: httpx.AsyncClient) -> None:
    assert (await http.post(f"{API}/chats/1/text", json={"text": "x"})).status_code == 400
    bad_place = await http.post(f"{API}/chats/{CITIZEN_ID}/location", json={"lat": 91, "lon": 0})
    assert bad_place.status_code == 422
    assert (await http.post(f"{API}/control/wage", json={"kind": "bonus"})).status_code == 422
    body = {"text": "x", "audience": {"kind": "moon"}}
    assert (await http.post(f"{API}/control/broadcast", json=body)).status_code == 422


async def test_map_points_are_the_kyiv_and_seoul_demo_projects(http: httpx.AsyncClient) -> None:
    cities = {c["key"]: c for c in (await http.get(f"{API}/points")).json()["cities"]}
    assert [c["name"] for c in cities.values()] == ["Kyiv", "Seoul"]
    kyiv, seoul = cities["kyiv"]["points"], cities["seoul"]["points"]
    assert len(kyiv) == 90
    assert len(seoul) == 60
    assert all(50.2 < p["lat"] < 50.7 and 30.2 < p["lon"] < 30.9 for p in kyiv)
    assert all(37.4 < p["lat"] < 37.7 and 126.7 < p["lon"] < 127.2 for p in seoul)
    # The statuses the data really uses (the page colours each and lists it in the legend).
    assert {"implementation", "completion", "preparation"} <= {p["status"] for p in kyiv}


async def test_the_demo_worker_works_on_a_project_under_way(
    http: httpx.AsyncClient, uow: UowFactory
) -> None:
    async with uow() as svc:
        job = await demo_job(svc)
        assert job is not None
        card = await svc.projects.get_card(job.project_id)
    assert card.status == "implementation"
    assert job.employer_id in {s.id for s in card.suppliers}


async def test_control_links_the_worker_and_raises_wage_alerts(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox
) -> None:
    monkeypatch.setattr(control, "LINK_WAIT_S", 0.1)
    linked = (await http.post(f"{API}/control/link-worker")).json()
    assert linked["linked_by"] == "service"  # no bot runs here to take the deep link
    assert linked["deep_link"].endswith(f"start=w_{linked['code']}")
    opened = sandbox.emulator.state.chats.find(WORKER_ID).entries[1].message["text"]
    assert opened == f"/start w_{linked['code']}"
    credited = (await http.post(f"{API}/control/wage", json={"kind": "credited"})).json()
    assert credited["alerts"] == 1
    # The period really past due alerts with its own sync, then the scan runs: nothing new.
    overdue = (await http.post(f"{API}/control/wage", json={"kind": "overdue"})).json()
    assert (overdue["alerts"], overdue["scan_alerts"]) == (1, 0)
    assert (await http.post(f"{API}/control/overdue-scan")).json()["alerts"] == 0
    body = {"text": "Road closed", "audience": {"kind": "all"}}
    sent = (await http.post(f"{API}/control/broadcast", json=body)).json()
    assert sent["recipients"] >= 1


async def test_each_simulated_wage_event_is_a_new_pay_period(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, uow: UowFactory
) -> None:
    monkeypatch.setattr(control, "LINK_WAIT_S", 0.1)
    await http.post(f"{API}/control/link-worker")
    made = [
        (await http.post(f"{API}/control/wage", json={"kind": kind})).json()
        for kind in ("credited", "partial", "overdue", "released", "overdue")
    ]
    periods = [(m["period_start"], m["period_end"]) for m in made]
    # Today is 2026-11-01: last month first, then the months after it; overdue ones go back.
    assert periods == [
        ("2026-10-01", "2026-10-31"),
        ("2026-11-01", "2026-11-30"),
        ("2026-09-01", "2026-09-30"),
        ("2026-12-01", "2026-12-31"),
        ("2026-08-01", "2026-08-31"),
    ]
    assert [m["alerts"] for m in made] == [1, 1, 1, 1, 1]
    async with uow() as svc:
        wages = await svc.wages.my_wages(WORKER_ID, limit=10)
    assert wages is not None
    assert len(wages.periods) == 5


async def test_overdue_is_past_due_after_the_grace_days(
    uow: UowFactory, db_url: str, ctx: DomainContext, session_factory: Any
) -> None:
    policy = WagePolicy(bot_username="clearsite_sandbox_bot", grace_days=10, reminder_steps=(3, 7))
    box = Sandbox(policy)
    async with uow() as svc:
        await svc.projects.import_package(demo_package())
        await box.prepare(svc)
        await make_chat(svc, WORKER_ID, "uk")
        code = (await svc.wages.create_link_code(DEMO_WORKER_ID, policy)).code
        await svc.wages.redeem_code(WORKER_ID, code)
    app = create_app(ApiProcessSettings(db=DbSettings(database_url=db_url)), ctx)
    box.mount(app)
    app.state.session_factory = session_factory
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as http:
        made = (await http.post(f"{API}/control/wage", json={"kind": "overdue"})).json()
    await box.emulator.stop()
    # Due 13 days ago at most (10 grace + the first step): the reminder goes out now.
    assert made["due_date"] <= "2026-10-19"
    assert made["alerts"] + made["scan_alerts"] == 1
    async with uow() as svc:
        wages = await svc.wages.my_wages(WORKER_ID, policy)
    assert wages is not None
    assert wages.periods[0].days_late >= 3


async def test_a_photo_from_the_citizen_pane_reaches_the_bot_and_the_page(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    picture = make_png(12, 9)
    files = {"photo": ("site.png", picture, "image/png")}
    sent = await http.post(f"{API}/chats/{CITIZEN_ID}/photo", files=files, data={"caption": "pit"})
    assert sent.status_code == 200
    [update] = await sandbox.emulator.updates.get({})
    photo = update["message"]["photo"][-1]
    assert (photo["width"], photo["height"], update["message"]["caption"]) == (12, 9, "pit")
    view = (await http.get(f"{API}/chats/{CITIZEN_ID}")).json()
    [message] = view["messages"]
    assert message["photo"] == photo["file_id"]
    shown = await http.get(f"{API}/files/{message['photo']}")
    assert shown.content == picture
    assert shown.headers["content-type"] == "image/png"


async def test_photos_that_are_not_images_change_nothing(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    files = {"photo": ("notes.txt", b"just text", "text/plain")}
    refused = await http.post(f"{API}/chats/{CITIZEN_ID}/photo", files=files)
    assert refused.status_code == 400
    assert sandbox.emulator.pending_updates == []
    assert (await http.get(f"{API}/files/nope")).status_code == 404


async def test_the_control_panel_files_a_report_as_an_open311_app(
    http: httpx.AsyncClient, uow: UowFactory
) -> None:
    async with uow() as svc:
        await make_chat(svc, OFFICIAL_ID, "en")  # the official has opened the bot
    form = {
        "service_code": "dust",
        "description": "Dust from the site <all day>",
        "lat": "50.4501",
        "long": "30.5234",
    }
    files = {"media": ("site.jpg", jpeg_with_gps(), "image/jpeg")}
    filed = await http.post(f"{API}/control/open311", data=form, files=files)
    assert filed.status_code == 200, filed.text
    [answer] = filed.json()["answer"]
    reference = answer["service_request_id"]
    async with uow() as svc:
        report = await svc.reports.get(await svc.reports.id_of(reference))
        notices = await deliveries(svc, "report_filed")
    assert (report.source, report.category, report.text) == (
        "open311",
        "dust",
        form["description"],
    )
    assert len(report.photos) == 1
    assert [n.chat_id for n in notices] == [OFFICIAL_ID]


async def test_a_bad_open311_report_from_the_panel_changes_nothing(
    http: httpx.AsyncClient, uow: UowFactory
) -> None:
    form = {"service_code": "moon", "description": "x", "lat": "50.45", "long": "30.52"}
    refused = await http.post(f"{API}/control/open311", data=form)
    assert refused.status_code == 400
    assert refused.json()["answer"][0]["code"] == 400
    async with uow() as svc:
        assert await svc.reports.list_for_officials() == []
