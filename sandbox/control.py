"""The sandbox control panel's actions: they call core services in one unit of work each."""

from __future__ import annotations

import asyncio
import logging
import secrets
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from core.broadcasts.schemas import BroadcastCreate
from core.chats import quiet
from core.chats.digests import next_digest_at
from core.chats.schemas import NotificationSettingsRead
from core.clock import ShiftedClock
from core.context import DomainContext
from core.db import SessionFactory
from core.errors import DomainError
from core.uow import unit_of_work
from core.wages.policy import WagePolicy
from sandbox.demo import DEMO_WORKER_ID, demo_job, next_period, wage_package
from sandbox.users import WORKER_ID, Client

logger = logging.getLogger(__name__)
LINK_WAIT_S = 3.0


class Control:
    """Link the worker, simulate wage events, run the overdue scan, broadcast as the official,
    file a report as a third-party Open311 app."""

    def __init__(
        self,
        factory: SessionFactory,
        ctx: DomainContext,
        policy: WagePolicy,
        client: Client,
        clock: ShiftedClock | None = None,
        app: Any = None,
        app_key: str | None = None,
    ) -> None:
        self.factory = factory
        self.ctx = ctx
        self.policy = policy
        self.client = client
        self.clock = clock
        self.app = app
        self.app_key = app_key

    async def link_worker(self) -> dict[str, Any]:
        """A link code for the demo worker, opened as a deep link in the worker's chat."""
        async with unit_of_work(self.factory, self.ctx) as svc:
            created = await svc.wages.create_link_code(DEMO_WORKER_ID, self.policy)
        # Opening t.me/<bot>?start=w_<code> makes Telegram send "/start w_<code>".
        await self.client.send_text(WORKER_ID, f"/start w_{created.code}")
        linked_by = "bot" if await self._wait_linked() else None
        if linked_by is None:
            # A bot without the w_ deep link handler: link through the service instead.
            async with unit_of_work(self.factory, self.ctx) as svc:
                result = await svc.wages.redeem_code(WORKER_ID, created.code)
            linked_by = "service" if result.status == "linked" else None
        logger.info("sandbox: worker link %s", linked_by or "failed")
        return {"code": created.code, "deep_link": created.deep_link, "linked_by": linked_by}

    async def _wait_linked(self) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + LINK_WAIT_S
        while loop.time() < deadline:
            async with unit_of_work(self.factory, self.ctx) as svc:
                if await svc.wages.my_wages(WORKER_ID) is not None:
                    return True
            await asyncio.sleep(0.2)
        return False

    async def wage(self, kind: str) -> dict[str, Any]:
        """A new pay period for the demo worker: released, credited, partial, failed, overdue.

        Each is a period the worker has not had. An overdue one is past its due date by the
        grace days and the first reminder step, and the overdue scan runs right after it."""
        now = self.ctx.clock()
        serial = now.strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(3)
        async with unit_of_work(self.factory, self.ctx) as svc:
            job = await demo_job(svc)
            if job is None:
                raise DomainError("no demo project in Kyiv", code="no_demo_project")
            bounds = await svc.wages.period_bounds(DEMO_WORKER_ID)
            period = next_period(kind, self.ctx.local_today(), bounds, self.policy)
            package = wage_package(job, kind, period, now, serial)
            result = await svc.wages.sync_json(package, self.policy)
        answer: dict[str, Any] = {
            "kind": kind,
            "period_start": period.start.isoformat(),
            "period_end": period.end.isoformat(),
            "due_date": period.due.isoformat(),
            "events": result.events,
            "alerts": result.alerts,
        }
        if kind == "overdue":
            answer["scan_alerts"] = (await self.overdue_scan())["alerts"]
        return answer

    async def overdue_scan(self) -> dict[str, Any]:
        """The overdue scan the notifier runs on its schedule, now."""
        async with unit_of_work(self.factory, self.ctx) as svc:
            alerts = await svc.wages.scan_overdue(self.policy)
        return {"alerts": alerts or 0}

    def now(self) -> dict[str, Any]:
        """The sandbox's time, local, and how far it runs ahead of real time."""
        ahead = self.clock.offset.total_seconds() if self.clock is not None else 0.0
        local = self.ctx.clock().astimezone(self.ctx.zone)
        return {"now": local.isoformat(timespec="seconds"), "ahead_s": round(ahead)}

    async def jump(self, to: str, user_id: int) -> dict[str, Any]:
        """Move the sandbox clock forward: to the start or end of a user's quiet hours, or to
        their next digest; a second after it, so what was waiting is due."""
        async with unit_of_work(self.factory, self.ctx) as svc:
            settings = await svc.notification_settings.get(user_id)
        target = clock_target(to, settings, self.ctx.clock(), self.ctx.zone)
        if target is None or self.clock is None:
            return {"jumped": False, **self.now()}
        self.clock.jump_to(target + timedelta(seconds=1))
        if self.ctx.waker is not None:
            self.ctx.waker.poke()
        logger.info("sandbox: clock moved to %s", to)
        return {"jumped": True, **self.now()}

    async def broadcast(
        self,
        text: str,
        audience: dict[str, Any],
        urgency: str = "normal",
        expires_in_h: float | None = None,
    ) -> dict[str, Any]:
        """A broadcast by the sandbox official, in every language the bot speaks."""
        expires = None
        if expires_in_h is not None:
            expires = self.ctx.clock() + timedelta(hours=expires_in_h)
        request = BroadcastCreate.model_validate(
            {
                "audience": audience,
                "text": dict.fromkeys(("en", "uk", "ko"), text),
                "sender": "Sandbox official",
                "urgency": urgency,
                "expires_at": expires,
            }
        )
        async with unit_of_work(self.factory, self.ctx) as svc:
            created = await svc.broadcasts.create("sandbox:official", request)
        return {"id": created.id, "recipients": created.recipients}

    async def open311(self, fields: dict[str, str], photo: bytes | None) -> tuple[int, Any]:
        """POST /open311/v2/requests.json as a third-party app would, with the sandbox's app key,
        to this process's own API (in process, over ASGI); the status and the answer."""
        if self.app is None or self.app_key is None:
            raise DomainError("no Open311 app key in this sandbox", code="no_app_key")
        form = {**fields, "api_key": self.app_key}
        files = {"media": ("photo.jpg", photo, "image/jpeg")} if photo else None
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as http:
            answer = await http.post("/open311/v2/requests.json", data=form, files=files)
        logger.info("sandbox: Open311 app filed a report: HTTP %s", answer.status_code)
        return answer.status_code, answer.json()


CLOCK_TARGETS = ("quiet_start", "quiet_end", "digest")


def clock_target(
    to: str, settings: NotificationSettingsRead, now: datetime, zone: ZoneInfo
) -> datetime | None:
    """Where "jump to …" leads from `now`; None when there is no such moment (no quiet hours,
    outside them, no digest)."""
    window = quiet.parse_window(settings.quiet_hours)
    if to == "quiet_start" and window is not None:
        return quiet.next_local(now, window.start, zone)
    if to == "quiet_end" and window is not None:
        return window.end_after(now, zone)
    if to == "digest" and settings.digest_hour is not None:
        return next_digest_at(now, settings.digest_hour, zone)
    return None
