"""The sandbox page in headless Chromium against a real `clearsite run` without a token.

Chromium comes from the system (Debian's `chromium` package), never downloaded by Playwright.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "sandbox"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 20_000


@pytest.fixture
def page(server: str) -> Iterator[Page]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: install it with `apt-get install -y chromium` "
            "(`make test` does this when run as root), or set CHROMIUM_PATH"
        )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=ARGS,
            viewport={"width": 1440, "height": 900},
        )
        try:
            page = context.new_page()
            page.goto(f"{server}/sandbox")
            expect(page.locator("body[data-ready=true]")).to_be_attached(timeout=WAIT_MS)
            yield page
        finally:
            context.close()


def _shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _say(page: Page, role: str, text: str) -> None:
    field = page.locator(f"#pane-{role} .composer .text")
    field.fill(text)
    field.press("Enter")


def _bot_says(page: Page, role: str, pattern: str) -> None:
    message = page.locator(f"#pane-{role} .msg.bot", has_text=re.compile(pattern)).last
    expect(message).to_be_visible(timeout=WAIT_MS)


def _citizen_finds_and_follows_a_project(page: Page) -> None:
    _say(page, "citizen", "/start")
    share = page.locator("#pane-citizen .reply-keyboard button", has_text="📍")
    expect(share).to_be_visible(timeout=WAIT_MS)
    share.click()
    spot = page.evaluate("sandbox.pointOnPage('citizen', 0)")
    page.mouse.click(spot["x"], spot["y"])
    first = page.locator(
        "#pane-citizen .msg.bot .inline-keyboard button", has_text=re.compile(r"^1\. ")
    )
    expect(first.last).to_be_visible(timeout=WAIT_MS)
    _shot(page, "01-citizen-nearby")
    first.last.click()
    subscribe = page.locator(
        "#pane-citizen .inline-keyboard button", has_text="🔔 Підписатися"
    ).last
    expect(subscribe).to_be_visible(timeout=WAIT_MS)
    subscribe.click()
    expect(
        page.locator("#pane-citizen .inline-keyboard button", has_text="🔕 Відписатися").last
    ).to_be_visible(timeout=WAIT_MS)
    _shot(page, "02-citizen-card-subscribed")


def _worker_links_and_gets_paid(page: Page) -> None:
    _say(page, "worker", "/start")
    _bot_says(page, "worker", ".")
    page.click("#link-worker")
    expect(page.locator("#log li", has_text="worker linked")).to_be_visible(timeout=WAIT_MS)
    page.select_option("#wage-kind", "credited")
    page.click("#wage-send")
    _bot_says(page, "worker", r"18\s?437,50")
    _shot(page, "03-worker-wage-alert")


def _official_broadcasts_to_the_citizen(page: Page) -> None:
    _say(page, "official", "/start")
    _bot_says(page, "official", ".")
    page.fill("#bc-text", "Road closed on Khreshchatyk tonight")
    page.select_option("#bc-kind", "all")
    page.click("#bc-send")
    _bot_says(page, "citizen", "Road closed on Khreshchatyk tonight")
    _bot_says(page, "worker", "Road closed on Khreshchatyk tonight")
    _shot(page, "04-broadcast-received")


def test_citizen_worker_and_official_flows_in_the_browser(page: Page) -> None:
    _citizen_finds_and_follows_a_project(page)
    _worker_links_and_gets_paid(page)
    _official_broadcasts_to_the_citizen(page)
