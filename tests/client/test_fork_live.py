"""A fork that works live: the console forks a running game at turn 1, with a reason; the fork is a new game
in the same server with its own codes and a fresh clock, and a team plays it in the browser."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.client.conftest import Pages, screenshot
from tests.client.flows import NAMES, create_game, expect_phase, join, tab
from tests.client.wire import facilitate


def test_the_console_forks_a_live_game_and_a_team_plays_the_fork(pages: Pages) -> None:
    fac, game, _ = create_game(pages, auto_release=True)
    control = facilitate(pages.server, game)
    control.command({"type": "start"})
    for phase in ("briefing", "diplomacy", "orders", "results"):  # turn 1 played to its end, by the clock's buttons
        control.command({"type": "advance", "phase": phase})
    expect_phase(fac, 2, "Briefing")

    tab(fac, "Debrief")
    # The class against the distribution, from the console: a few bot games, progress, the summary in a new tab.
    fac.get_by_label("Bot games", exact=True).fill("3")
    with fac.expect_popup(timeout=60_000) as opened:
        fac.get_by_role("button", name="Compare the class with bot games", exact=True).click()
    summary = opened.value
    expect(summary.locator("[data-section='distribution']")).to_contain_text("3 bot games of the same scenario")
    summary.close()

    fac.get_by_label("Turn to play again", exact=True).fill("1")
    fac.get_by_label("Why (shown with the fork)", exact=True).fill("What if Alpha had stood alone?")
    fac.get_by_role("button", name="Fork the game", exact=True).click()
    result = fac.locator("#fork-result")
    expect(result).to_contain_text(f"(fork of {game} at turn 1: What if Alpha had stood alone?)")
    code = result.locator("code[data-seat='ALPHA']").inner_text().strip()
    screenshot(fac, "console-fork-1280")

    # Alpha joins the fork with its new code: turn 1's orders again, on a fresh clock, and plays it.
    alpha = join(pages, code, "Ada")
    expect_phase(alpha, 1, "Orders")
    expect(alpha.locator(".timer-digits")).to_have_text(re.compile(r"^[1-9]\d*:\d\d$"))  # time left, not 0:00
    tab(alpha, "Orders")
    alpha.get_by_label("Defence spending (% of GDP)", exact=True).fill("4.5")
    alpha.get_by_role("button", name=re.compile("submit sealed orders", re.I)).click()
    expect(alpha.locator(".orders-status")).to_contain_text("Orders submitted for turn 1")

    # The facilitator opens the fork's console and ends its orders phase: the fork's turn 1 is adjudicated.
    result.locator("#fork-open").click()
    expect(fac).to_have_url(re.compile(r"#console/[0-9a-f]+$"))
    assert not fac.url.endswith(game)
    expect_phase(fac, 1, "Orders")
    fac.get_by_role("button", name="Advance to the next phase", exact=True).click()
    expect_phase(alpha, 1, "Results")
    tab(alpha, "Results")
    expect(alpha.locator(".results-body")).to_contain_text(NAMES["ALPHA"])
    screenshot(alpha, "team-fork-results-1280")
    control.close()
