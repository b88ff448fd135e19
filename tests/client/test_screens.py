"""Every screen, at 1280 px and at 360 px: no serious or critical axe-core violations, nothing wider
than a phone, keyboard-reachable tabs, and a screenshot kept in artifacts/screenshots/.

The game is set up over the websocket (fast and exact): turn 1 played with messages, a ratified
pact, orders and results, and turn 2's diplomacy open with a proposal waiting for Alpha.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.client.conftest import Pages, Server, assert_accessible, screenshot
from tests.client.flows import join
from tests.client.wire import play_a_turn

WIDTHS = [1280, 360]
TEAM_TABS = ("Dashboard", "Network", "Messages", "Proposals", "Orders", "Results", "Briefing")
CONSOLE_TABS = ("Join codes", "Injects", "Results", "Messages", "Members", "Objectives and scores", "Network")


@pytest.fixture(scope="module")
def played(server: Server) -> tuple[str, dict[str, str]]:
    return play_a_turn(server)


def _fits(page: Any, width: int) -> None:
    """Nothing makes the page scroll sideways."""
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    if wide > width + 1:
        culprits = page.evaluate(
            """(w) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.table-scroll, .sr-only, .tablist'))
                .slice(-6)
                .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""",
            width,
        )
        pytest.fail(f"the page is {wide} px wide in a {width} px viewport; widest: {culprits}")


def _check(page: Any, name: str, width: int) -> None:
    page.wait_for_timeout(150)  # let a burst of re-rendering settle
    expect(page.locator(".toast-error")).to_have_count(0)
    _fits(page, width)
    assert_accessible(page, f"{name} at {width} px")
    screenshot(page, f"{name}-{width}")


def _tabs(page: Any, names: tuple[str, ...], prefix: str, width: int) -> None:
    for name in names:
        page.get_by_role("tab", name=re.compile(f"^{name}")).click()
        expect(page.get_by_role("tab", name=re.compile(f"^{name}"))).to_have_attribute("aria-selected", "true")
        _check(page, f"{prefix}-{name.lower().replace(' ', '-')}", width)


@pytest.mark.parametrize("width", WIDTHS)
def test_join_screen(pages: Pages, width: int) -> None:
    page = pages.open("#join", width=width)
    expect(page.get_by_role("heading", name="Join a crisis game")).to_be_visible()
    _check(page, "join", width)
    # A wrong code: the server's reason, next to the form.
    page.get_by_label("Join code").fill("ZZZZ-ZZZZ")
    page.get_by_label("Your name").fill("Someone")
    page.get_by_role("button", name="Join the game").click()
    expect(page.locator(".form-error")).to_contain_text("no game has this join code")


@pytest.mark.parametrize("width", WIDTHS)
def test_team_screens(pages: Pages, played: tuple[str, dict[str, str]], width: int) -> None:
    _, codes = played
    page = join(pages, codes["ALPHA"], "Axe Alpha", width=width)
    page.get_by_role("tab", name=re.compile("^Proposals")).click()
    expect(page.get_by_role("button", name="Accept")).to_be_visible()
    _tabs(page, TEAM_TABS, "team", width)
    # The tabs follow the WAI-ARIA pattern: arrow keys move between them.
    page.get_by_role("tab", name=re.compile("^Briefing")).focus()
    page.keyboard.press("Home")
    expect(page.get_by_role("tab", name=re.compile("^Dashboard"))).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name=re.compile("^Network"))).to_have_attribute("aria-selected", "true")


@pytest.mark.parametrize("width", WIDTHS)
def test_console_screens(pages: Pages, played: tuple[str, dict[str, str]], width: int) -> None:
    game, _ = played
    page = pages.open(f"#facilitator={pages.server.facilitator_token}", width=width)
    expect(page.get_by_role("heading", name="Create a game")).to_be_visible()
    expect(page.locator(".games table")).to_contain_text(game)
    _check(page, "console-lobby", width)
    page.goto(pages.server.url + f"#console/{game}")
    expect(page.locator(".code-card")).to_have_count(4)
    page.get_by_role("tab", name="Injects").click()
    page.get_by_label("Kind of effect").select_option("intent")
    page.get_by_role("button", name="Add effect").click()
    _tabs(page, CONSOLE_TABS, "console", width)


@pytest.mark.parametrize("width", [1920, 360])
def test_plenary_screen(pages: Pages, played: tuple[str, dict[str, str]], width: int) -> None:
    _, codes = played
    page = pages.open(f"#plenary={codes['observer']}", width=width, height=1080 if width > 1000 else 800)
    expect(page.locator(".news")).to_contain_text("Bravo supports a rules-based order.")
    expect(page.locator(".news")).to_contain_text("Agreement concluded")
    expect(page.locator(".news")).to_contain_text("Snap exercise")
    # Private messages never reach the projector.
    expect(page.locator(".news")).not_to_contain_text("A pact, Bravo?")
    if width > 1000:
        size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.news-text')).fontSize)")
        assert size >= 24, f"news text is {size}px: too small for the back of the room"
    _check(page, "plenary", width)


@pytest.mark.parametrize("width", WIDTHS)
def test_replay_screens(pages: Pages, played: tuple[str, dict[str, str]], width: int) -> None:
    game, codes = played
    page = pages.open(f"#facilitator={pages.server.facilitator_token}", width=width)
    expect(page.get_by_role("heading", name="Create a game")).to_be_visible()
    page.goto(pages.server.url + f"#console/{game}/replay")
    slider = page.get_by_label("Turn (0 is the opening position)")
    expect(slider).to_have_value("2")
    slider.focus()
    page.keyboard.press("ArrowLeft")
    expect(page.locator(".turn-output")).to_contain_text("Turn 1 of 3")
    expect(page.locator(".replay-events")).to_contain_text("Agreement concluded")
    _check(page, "replay-console", width)
    observer = pages.open(f"#replay={codes['observer']}", width=width)
    expect(observer.locator(".turn-output")).to_contain_text("Turn 2 of 3")
    observer.get_by_role("button", name="◀ Previous turn").click()
    expect(observer.locator(".replay-events")).to_contain_text("threat")
    _check(observer, "replay-observer", width)
