# ruff: noqa: RUF001 - the Ukrainian texts are Cyrillic on purpose
"""The sandbox page in headless Chromium against a real `clearsite run` without a token: the
three chats side by side at 1440x900, the map (Kyiv and Seoul), and phone width (tabs).

Chromium comes from the system (Debian's `chromium` package), never downloaded by Playwright.
Every wait is on a condition with a generous bound (a loaded machine runs three roles here).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import FilePayload, Page, ViewportSize, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

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
WAIT_MS = 30_000
WIDE = ViewportSize(width=1440, height=900)
PHONE = ViewportSize(width=390, height=844)


def _open(page: Page, server: str) -> None:
    page.goto(f"{server}/sandbox")
    expect(page.locator("body[data-ready=true]")).to_be_attached(timeout=WAIT_MS)


@pytest.fixture
def page(server: str, request: pytest.FixtureRequest) -> Iterator[Page]:
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
            viewport=WIDE,
        )
        try:
            page = context.new_page()
            page.set_default_timeout(WAIT_MS)
            page.set_viewport_size(PHONE if "phone" in request.node.name else WIDE)
            _open(page, server)
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


def _start(page: Page, role: str) -> None:
    """An empty chat shows START instead of the text box, as Telegram does; it sends /start."""
    pane = page.locator(f"#pane-{role}")
    expect(pane.locator(".composer")).to_be_hidden(timeout=WAIT_MS)
    pane.locator(".start-box .start").click()
    expect(pane.locator(".msg.user", has_text="/start").first).to_be_visible(timeout=WAIT_MS)
    _bot_says(page, role, ".")
    expect(pane.locator(".start-box")).to_be_hidden(timeout=WAIT_MS)
    expect(pane.locator(".composer")).to_be_visible(timeout=WAIT_MS)
    # Every message carries its time, as in Telegram.
    expect(pane.locator(".msg.bot .time").last).to_have_text(re.compile(r"^\d{1,2}:\d{2}"))


def _citizen_finds_and_follows_a_project(page: Page) -> None:
    _start(page, "citizen")
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
    _start(page, "worker")
    page.click("#link-worker")
    expect(page.locator("#log li", has_text="worker linked")).to_be_visible(timeout=WAIT_MS)
    page.select_option("#wage-kind", "credited")
    page.click("#wage-send")
    _bot_says(page, "worker", r"18\s?437,50")
    _shot(page, "03-worker-wage-alert")


def _official_broadcasts_to_the_citizen(page: Page) -> None:
    _start(page, "official")
    # A refused action is one readable line in the log, not an object dump.
    page.fill("#bc-text", "")
    page.click("#bc-send")
    refused = page.locator("#log li.error", has_text="text:").first
    expect(refused).to_be_visible(timeout=WAIT_MS)
    assert re.search(r"text: .*at least 1 character", refused.inner_text())
    assert not re.search(r"[{}\[\]]|object Object", refused.inner_text())
    page.fill("#bc-text", "Road closed on Khreshchatyk tonight")
    page.select_option("#bc-kind", "all")
    page.click("#bc-send")
    _bot_says(page, "citizen", "Road closed on Khreshchatyk tonight")
    _bot_says(page, "worker", "Road closed on Khreshchatyk tonight")
    expect(page.locator("#log li", has_text=re.compile(r": 3 recipients$"))).to_be_visible()
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


IN_VIEW = """
role => {
  const box = document.querySelector(`#pane-${role} .messages`);
  const loading = [...box.querySelectorAll("img")].filter((i) => !i.complete).length;
  const last = box.lastElementChild.getBoundingClientRect();
  const seen = box.getBoundingClientRect();
  const atEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - 2;
  return {
    loading, atEnd, lastTop: last.top, lastBottom: last.bottom, boxTop: seen.top,
    boxBottom: seen.bottom, windowHeight: window.innerHeight,
    ok: loading === 0 && atEnd && last.bottom <= seen.bottom + 1 && last.bottom > seen.top + 20
      && seen.bottom <= window.innerHeight,
  };
}
"""


def _newest_messages_are_in_view(page: Page) -> None:
    """Each chat is scrolled to its end, the newest message in view (1440x900), photos and all."""
    for role in ("citizen", "worker", "official"):
        expect(page.locator(f"#pane-{role} .msg").last).to_be_in_viewport(timeout=WAIT_MS)
        try:
            page.wait_for_function(f"({IN_VIEW})('{role}').ok", timeout=WAIT_MS)
        except PlaywrightTimeout:
            raise AssertionError(f"{role}: {page.evaluate(IN_VIEW, role)}") from None


def test_citizen_worker_and_official_flows_in_the_browser(page: Page, server: str) -> None:
    _citizen_finds_and_follows_a_project(page)
    _worker_links_and_gets_paid(page)
    _official_broadcasts_to_the_citizen(page)
    _citizen_reports_with_a_photo_and_the_official_acknowledges(page)
    _open311_app_files_a_report(page)
    page.reload()
    expect(page.locator("body[data-ready=true]")).to_be_attached(timeout=WAIT_MS)
    _newest_messages_are_in_view(page)
    _shot(page, "08-reloaded")
    page.locator("#pane-citizen .open-map").click()
    expect(page.locator("#pane-citizen .legend li").first).to_be_visible()
    _newest_messages_are_in_view(page)  # the chat got shorter; it still ends with the newest
    _shot(page, "09-overview")  # docs/sandbox.png


def _cities(server: str) -> dict[str, Any]:
    """The demo points per city, as the page's API gives them."""
    answer = httpx.get(f"{server}/sandbox/api/points", timeout=30)
    return {c["key"]: c for c in answer.json()["cities"]}


def _shared(page: Page, count: int) -> tuple[float, float]:
    """The latitude and longitude of the citizen's `count`-th shared location."""
    shared = page.locator("#pane-citizen .msg.user .loc")
    expect(shared).to_have_count(count, timeout=WAIT_MS)
    lat, lon = shared.last.inner_text().removeprefix("📍 ").split(", ")
    return float(lat), float(lon)


def _legend_shows(page: Page, city: dict[str, Any]) -> None:
    """One legend entry per status the city's points use, each with its own colour."""
    legend = page.locator("#pane-citizen .legend li")
    statuses = {p["status"] for p in city["points"]}
    expect(legend).to_have_count(len(statuses), timeout=WAIT_MS)
    shown = legend.evaluate_all(
        "items => items.map("
        "  i => [i.dataset.status, getComputedStyle(i.firstChild).backgroundColor])"
    )
    assert {status for status, _ in shown} == statuses
    assert len({colour for _, colour in shown}) == len(statuses)


def _click_beside_a_dot(page: Page, index: int) -> tuple[dict[str, Any], float]:
    """Click 30 px beside dot `index` (towards the middle of the map); the dot and the offset."""
    dot = page.evaluate(f"sandbox.pointOnPage('citizen', {index})")
    box = page.locator("#pane-citizen canvas.map").bounding_box()
    assert box is not None
    dx = 30.0 if dot["x"] < box["x"] + box["width"] / 2 else -30.0
    page.mouse.click(dot["x"] + dx, dot["y"])
    return dot, dx


def test_the_map_shares_the_clicked_point_in_kyiv_and_seoul(page: Page, server: str) -> None:
    cities = _cities(server)
    _start(page, "citizen")
    map_box = page.locator("#pane-citizen .map-box")
    page.locator("#pane-citizen .open-map").click()
    expect(map_box).to_be_visible()
    expect(page.locator("#pane-citizen .cities button")).to_have_text(["Kyiv", "Seoul"])
    _legend_shows(page, cities["kyiv"])
    _shot(page, "10-map-kyiv")

    # The clicked point itself is shared (not the nearest dot), and the map folds away.
    dot, dx = _click_beside_a_dot(page, 0)
    lat, lon = _shared(page, 1)
    tolerance = 2 * dot["perPixel"]
    assert abs(lat - dot["lat"]) < tolerance
    assert abs(lon - (dot["lon"] + dx * dot["perPixel"])) < tolerance
    assert abs(lon - dot["lon"]) > 20 * dot["perPixel"]
    expect(map_box).to_be_hidden()
    expect(
        page.locator(
            "#pane-citizen .msg.bot .inline-keyboard button", has_text=re.compile(r"^1\. ")
        )
    ).to_be_visible()

    page.locator("#pane-citizen .open-map").click()
    page.locator("#pane-citizen .cities button", has_text="Seoul").click()
    expect(page.locator("#pane-citizen .cities button[aria-pressed=true]")).to_have_text("Seoul")
    _legend_shows(page, cities["seoul"])
    seoul = page.evaluate("sandbox.pointOnPage('citizen', 0)")
    page.mouse.click(seoul["x"], seoul["y"])
    lat, lon = _shared(page, 2)
    assert 37.4 < lat < 37.7
    assert 126.7 < lon < 127.2
    expect(map_box).to_be_hidden()
    # The bot finds the Seoul projects around the shared point.
    nearest = page.locator(
        "#pane-citizen .msg.bot .inline-keyboard button", has_text=re.compile(r"^1\. ")
    )
    expect(nearest).to_have_count(2)
    _shot(page, "11-map-seoul-shared")

    # Only the citizen has opened the bot: a broadcast to everyone reaches one person.
    page.fill("#bc-text", "Water is off on Monday")
    page.click("#bc-send")
    expect(page.locator("#log li", has_text=re.compile(r": 1 recipient$"))).to_be_visible()


WORDS_KEPT_WHOLE = r"""
pane => {
  const offenders = [];
  let wrapped = 0;
  for (const key of pane.querySelectorAll(".kb-row > *")) {
    if (key.scrollWidth > key.clientWidth + 1) offenders.push("overflows: " + key.textContent);
    const text = key.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE) continue;
    const lines = new Set();
    for (const match of text.data.matchAll(/\S+/g)) {
      const range = document.createRange();
      range.setStart(text, match.index);
      range.setEnd(text, match.index + match[0].length);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0);
      if (rects.length > 1) offenders.push("cut: " + match[0]);
      if (rects.length) lines.add(Math.round(rects[0].top));
    }
    if (lines.size > 1) wrapped += 1;
  }
  return { offenders, wrapped };
}
"""


def test_phone_width_shows_one_chat_at_a_time_with_tabs(page: Page) -> None:
    tabs = page.locator("#tabs button")
    expect(tabs).to_have_text(["Citizen", "Worker", "Official", "Panel"])
    citizen, worker = page.locator("#pane-citizen"), page.locator("#pane-worker")
    expect(citizen).to_be_visible()
    for hidden in ("#pane-worker", "#pane-official", "#control"):
        expect(page.locator(hidden)).to_be_hidden()
    _start(page, "citizen")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, "20-phone-citizen")

    # Long button labels wrap between words, never inside one.
    citizen.locator(".reply-keyboard button", has_text="📍").click()
    spot = page.evaluate("sandbox.pointOnPage('citizen', 0)")
    page.mouse.click(spot["x"], spot["y"])
    listed = citizen.locator(".msg.bot .inline-keyboard button", has_text=re.compile(r"^1\. "))
    expect(listed).to_be_visible()
    kept = citizen.evaluate(WORDS_KEPT_WHOLE)
    assert kept["offenders"] == []
    assert kept["wrapped"] > 0  # some labels are long enough to wrap here
    _shot(page, "21-phone-nearby")

    page.locator("#tabs button[data-tab=control]").click()
    expect(page.locator("#control")).to_be_visible()
    expect(citizen).to_be_hidden()
    page.click("#link-worker")
    expect(page.locator("#log li", has_text="worker linked")).to_be_visible()
    # The worker's chat got the bot's answer while hidden: its tab says so.
    expect(page.locator("#tabs button[data-tab=worker].unread")).to_be_visible()
    page.locator("#tabs button[data-tab=worker]").click()
    expect(worker).to_be_visible()
    expect(page.locator("#control")).to_be_hidden()
    expect(page.locator("#tabs button[data-tab=worker].unread")).to_have_count(0)
    expect(worker.locator(".msg.user", has_text="/start w_")).to_be_visible()
    expect(worker.locator(".msg.bot").last).to_be_in_viewport()
    _shot(page, "22-phone-worker-linked")
