# ruff: noqa: RUF001 - the Ukrainian texts are Cyrillic on purpose
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
from playwright.sync_api import FilePayload, Page, expect, sync_playwright

from botapi_emulator.images import make_png

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


def _citizen_reports_with_a_photo_and_the_official_acknowledges(page: Page) -> None:
    page.locator("#pane-citizen .reply-keyboard button", has_text="Запитати").click()
    _bot_says(page, "citizen", "Де це?")
    page.locator("#pane-citizen .reply-keyboard button", has_text="📍").click()
    spot = page.evaluate("sandbox.pointOnPage('citizen', 0)")
    page.mouse.click(spot["x"], spot["y"])
    place = page.locator(
        "#pane-citizen .msg.bot .inline-keyboard button", has_text=re.compile(r"^1\. ")
    )
    expect(place.last).to_be_visible(timeout=WAIT_MS)
    place.last.click()
    noise = page.locator("#pane-citizen .inline-keyboard button", has_text="Шум").last
    expect(noise).to_be_visible(timeout=WAIT_MS)
    noise.click()
    _bot_says(page, "citizen", "до 4000 символів")
    _say(page, "citizen", "Свердлять о шостій ранку")
    _bot_says(page, "citizen", "Додайте до 5 фото")
    photo = FilePayload(name="site.png", mimeType="image/png", buffer=make_png(120, 80))
    page.set_input_files("#pane-citizen .photo-input", files=[photo])
    expect(page.locator("#pane-citizen .msg.user img.photo")).to_be_visible(timeout=WAIT_MS)
    done = page.locator("#pane-citizen .inline-keyboard button", has_text="Готово").last
    expect(done).to_be_visible(timeout=WAIT_MS)
    done.click()
    _bot_says(page, "citizen", r"Подано\. Номер вашого звернення: CR-")
    notice = page.locator("#pane-official .msg.bot", has_text="📨").last
    expect(notice).to_be_visible(timeout=WAIT_MS)
    expect(notice.locator("img.photo")).to_be_visible(timeout=WAIT_MS)
    _shot(page, "05-report-filed-with-photo")
    notice.locator(".inline-keyboard button", has_text="Acknowledge").click()
    _bot_says(page, "citizen", "🔔")
    _shot(page, "06-report-acknowledged")


def _open311_app_files_a_report(page: Page) -> None:
    page.select_option("#o311-service", "dust")
    page.fill("#o311-text", "Dust from the site all day")
    page.click("#o311-send")
    expect(page.locator("#log li", has_text="Open311 app filed CR-")).to_be_visible(
        timeout=WAIT_MS
    )
    _bot_says(page, "official", "Dust from the site all day")
    _shot(page, "07-open311-report")


def test_citizen_worker_and_official_flows_in_the_browser(page: Page) -> None:
    _citizen_finds_and_follows_a_project(page)
    _worker_links_and_gets_paid(page)
    _official_broadcasts_to_the_citizen(page)
    _citizen_reports_with_a_photo_and_the_official_acknowledges(page)
    _open311_app_files_a_report(page)
