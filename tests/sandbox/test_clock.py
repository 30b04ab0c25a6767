"""Quiet hours in the sandbox: a real `clearsite run` without a token, driven over its page API.

The citizen holds messages through 22:00-08:00; the panel's clock jumps into the window, a
normal broadcast waits while an urgent one passes, and the jump to the window's end releases
the held one.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from sandbox.users import CITIZEN_ID, OFFICIAL_ID

API = "/sandbox/api"


async def messages(http: httpx.AsyncClient, user_id: int) -> list[dict[str, Any]]:
    view = (await http.get(f"{API}/chats/{user_id}")).json()
    return list(view["messages"])


async def wait_for_text(
    http: httpx.AsyncClient,
    user_id: int,
    text: str,
    timeout: float = 30.0,  # noqa: ASYNC109 - a loaded machine runs three roles here
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in await messages(http, user_id) if text in (m["html"] or "")]
        if found:
            return found[-1]
        await asyncio.sleep(0.2)
    raise AssertionError(f"{text!r} never reached chat {user_id}")


async def press(http: httpx.AsyncClient, user_id: int, data: str) -> None:
    for message in reversed(await messages(http, user_id)):
        rows = message.get("inline_keyboard") or []
        if any(b.get("callback_data") == data for row in rows for b in row):
            body = {"message_id": message["id"], "data": data}
            assert (await http.post(f"{API}/chats/{user_id}/press", json=body)).status_code == 200
            return
    raise AssertionError(f"no button {data!r} in chat {user_id}")


async def test_held_broadcast_waits_for_the_end_of_quiet_hours_in_the_sandbox(
    server: str,
) -> None:
    async with httpx.AsyncClient(base_url=server, timeout=30) as http:
        await http.post(f"{API}/chats/{OFFICIAL_ID}/text", json={"text": "/start"})
        await http.post(f"{API}/chats/{CITIZEN_ID}/text", json={"text": "/settings"})
        await wait_for_text(http, CITIZEN_ID, "⚙️")
        await press(http, CITIZEN_ID, "sq:2200-0800")
        await wait_for_text(http, CITIZEN_ID, "22:00\N{EN DASH}08:00")
        await press(http, CITIZEN_ID, "sh:1")
        await asyncio.sleep(1.0)  # the handler's unit of work commits after its answer

        jump = {"to": "quiet_start", "user_id": CITIZEN_ID}
        moved = (await http.post(f"{API}/control/clock", json=jump)).json()
        assert moved["jumped"]
        assert moved["now"][11:16] == "22:00"

        normal = {"text": "Water off tonight", "audience": {"kind": "all"}}
        assert (await http.post(f"{API}/control/broadcast", json=normal)).status_code == 200
        await wait_for_text(http, OFFICIAL_ID, "Water off tonight")
        urgent = {"text": "Gas leak: keep away", "audience": {"kind": "all"}, "urgency": "urgent"}
        assert (await http.post(f"{API}/control/broadcast", json=urgent)).status_code == 200
        await wait_for_text(http, CITIZEN_ID, "Gas leak: keep away")
        texts = [m["html"] or "" for m in await messages(http, CITIZEN_ID)]
        assert not any("Water off tonight" in t for t in texts)

        jump = {"to": "quiet_end", "user_id": CITIZEN_ID}
        moved = (await http.post(f"{API}/control/clock", json=jump)).json()
        assert (moved["jumped"], moved["now"][11:16]) == (True, "08:00")
        await wait_for_text(http, CITIZEN_ID, "Water off tonight")
        texts = [m["html"] or "" for m in await messages(http, CITIZEN_ID)]
        assert sum("Water off tonight" in t for t in texts) == 1
        nothing = {"to": "quiet_end", "user_id": CITIZEN_ID}  # 08:00:01 is outside the window
        assert not (await http.post(f"{API}/control/clock", json=nothing)).json()["jumped"]
        bad = {"to": "tomorrow", "user_id": CITIZEN_ID}
        assert (await http.post(f"{API}/control/clock", json=bad)).status_code == 422
