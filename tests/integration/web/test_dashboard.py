"""The dashboard in a real headless Chromium (Debian's, driven by Playwright) against a real server.

A person signs in, asks for the living-room light in the chat box and sees its card turn on; a change made
elsewhere (a program with a token) arrives live; screenshots go to ``build/screenshots/``. Without a
Chromium the test is skipped with the reason, except under ``CI=true``, where it fails: ``make test``
installs Debian's ``chromium`` first.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from tests.integration.api.conftest import PASSWORD, Served, served  # noqa: F401 (the fixture)

pytestmark = pytest.mark.integration

SCREENSHOTS = Path(__file__).resolve().parents[3] / "build" / "screenshots"
"""Where the screenshots go (the repository's ``build/``)."""

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
"""Chromium without the background connections a closed network refuses."""


def _chromium() -> str:
    found = os.environ.get("JIPSA_TEST_CHROMIUM") or shutil.which("chromium") or shutil.which(
        "chromium-browser")
    if found is None:
        reason = "no Chromium: install Debian's chromium (`make browser` does, as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser test cannot run under CI=true: {reason}")
        pytest.skip(reason)
    return found


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """A headless Chromium."""
    executable = _chromium()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


async def _sign_in(page: Page, url: str, who: str = "owner") -> None:
    await page.goto(url + "/")
    await expect(page.locator("#login-form")).to_be_visible()
    await page.fill("#login-username", who)
    await page.fill("#login-password", PASSWORD)
    await page.click("#login-submit")
    await expect(page.locator("#app-view")).to_be_visible()
    await expect(page.locator("#live-status")).to_have_attribute("data-state", "connected")


def _card_state(page: Page, device_id: str) -> str:
    return f'article.card[data-device-id="{device_id}"] .state'


async def test_sign_in_talk_and_see_changes_live(served: Served, browser: Browser) -> None:  # noqa: F811
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # The first look at the session before signing in is a 401 by design; any other error is not.
    page.on("console", lambda msg: errors.append(msg.text)
            if msg.type == "error" and "status of 401" not in msg.text else None)

    await _sign_in(page, served.url)
    living = _card_state(page, "light.living_room")
    await expect(page.locator(living)).to_have_attribute("data-on", "false")

    # Talk: the assistant acts and the card follows.
    await page.click("#tab-chat")
    await page.fill("#chat-input", "거실 불 켜 줘")
    await page.press("#chat-input", "Enter")
    reply = page.locator("#chat-log li.msg.bot:not(.pending)").last
    await expect(reply).to_contain_text("켰어요")
    await expect(page.locator('#chat-log li.action.ok[data-device-id="light.living_room"]')).to_have_count(1)
    await page.screenshot(path=str(SCREENSHOTS / "dashboard-chat.png"))
    await page.click("#tab-devices")
    await expect(page.locator(living)).to_have_attribute("data-on", "true")

    # A change made elsewhere (a program with a token) arrives without reloading.
    kitchen = _card_state(page, "light.kitchen")
    await expect(page.locator(kitchen)).to_have_attribute("data-on", "false")
    async with served.client("member") as program:
        answer = await program.post("/api/homes/a/devices/light.kitchen/commands",
                                    json={"command": "turn_on"})
        assert answer.status_code == 200, answer.text
    await expect(page.locator(kitchen)).to_have_attribute("data-on", "true")

    # The card's own switch works too, and the hub really changed.
    await page.locator('article.card[data-device-id="light.kitchen"] input.toggle').click()
    await expect(page.locator(kitchen)).to_have_attribute("data-on", "false")
    assert served.server.apps["a"].hub.state("light.kitchen")["on"] is False
    await page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)
    assert not errors, errors
    await context.close()


async def test_phone_screen_and_guest_rights(served: Served, browser: Browser) -> None:  # noqa: F811
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = await browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                        has_touch=True, locale="ko-KR")
    page = await context.new_page()
    await _sign_in(page, served.url, "guest")
    card = page.locator('article.card[data-device-id="light.living_room"]')
    await expect(card).to_be_visible()
    box = await card.bounding_box()
    assert box is not None and box["width"] <= 390, box  # one column, inside the screen
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone: {width}px"

    # A guest gets no unlock button, and asking for it is refused: the door stays locked.
    door = page.locator('article.card[data-device-id="lock.front_door"]')
    await expect(door.locator('button.cmd[data-command="lock"]')).to_have_count(1)
    await expect(door.locator('button.cmd[data-command="unlock"]')).to_have_count(0)
    await page.click("#tab-chat")
    await page.fill("#chat-input", "현관문 열어 줘")
    await page.press("#chat-input", "Enter")
    await expect(page.locator("#chat-log li.msg.bot:not(.pending)").last).to_contain_text("없어요")
    assert served.server.apps["a"].hub.state("lock.front_door")["locked"] is True

    # History is not for guests.
    await page.click("#tab-history")
    await expect(page.locator("#history-status")).to_contain_text("권한")
    await page.screenshot(path=str(SCREENSHOTS / "dashboard-phone.png"), full_page=True)
    await context.close()
