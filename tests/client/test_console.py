"""The facilitator's clock and game controls, through the console: pause, resume, extend, a scripted
inject fired early (chosen from the scenario's script), a turn rolled back, a student moved and
removed, and the end of the game."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.client.conftest import Pages
from tests.client.flows import NAMES, advance, command_button, create_game, expect_phase, join, tab


def _seconds(page) -> int:
    minutes, seconds = page.locator(".timer-digits").inner_text().split(":")
    return int(minutes) * 60 + int(seconds)


def test_console_runs_the_clock_and_the_game(pages: Pages) -> None:
    fac, _, codes = create_game(pages, auto_release=True)
    alpha = join(pages, codes[NAMES["ALPHA"]], "Ada", width=360)
    command_button(fac, "Start the game")
    advance(fac, 1, "Diplomacy")

    # Pause: every screen shows it; resume and extend move the deadline.
    command_button(fac, "Pause")
    expect(alpha.locator(".timer-state")).to_have_text("Paused")
    expect(fac.locator(".timer-state")).to_have_text("Paused")
    command_button(fac, "Resume")
    expect(alpha.locator(".timer-state")).to_have_text("")
    before = _seconds(alpha)
    fac.get_by_label("Extend by (seconds)", exact=True).fill("120")
    command_button(fac, "Extend")
    expect(alpha.locator(".timer-digits")).not_to_have_text(re.compile(rf"^{before // 60}:"))
    assert _seconds(alpha) >= before + 100

    # A scripted inject fired early, chosen from the scenario's script; released, it leaves the list.
    tab(fac, "Injects")
    script = fac.get_by_label("Scripted inject", exact=True)
    expect(script.locator("option")).to_have_text(["Turn 2: Snap exercise (public)", "Turn 3: A leaked cable (public)"])
    script.select_option(label="Turn 3: A leaked cable (public)")
    fac.get_by_role("button", name="Fire inject").click()
    expect(fac.locator(".injects-panel")).to_contain_text("A leaked cable")
    tab(alpha, "Briefing")
    expect(alpha.locator(".injects")).to_contain_text("A leaked cable")
    expect(script.locator("option")).to_have_text(["Turn 2: Snap exercise (public)"])

    # Roll back the turn: back to its briefing, the message sent since is gone.
    tab(alpha, "Messages")
    alpha.get_by_label("Message", exact=True).fill("This will be rolled back.")
    alpha.get_by_role("button", name="Send").click()
    expect(alpha.locator(".messages")).to_contain_text("This will be rolled back.")
    tab(fac, "Results")
    fac.get_by_label("Reason (logged)", exact=True).nth(1).fill("Restart the negotiation")
    fac.once("dialog", lambda dialog: dialog.accept())
    fac.get_by_role("button", name="Roll back the turn").click()
    expect_phase(alpha, 1, "Briefing")
    expect(alpha.locator(".messages")).not_to_contain_text("This will be rolled back.")

    # Members: Ada is online; moved to Bravo's seat, her page follows; removed, she is asked to join again.
    tab(fac, "Members")
    member = fac.locator(".member", has_text="Ada")
    expect(member).to_contain_text("online")
    member.get_by_label("Seat for Ada").select_option("BRAVO")
    member.get_by_role("button", name="Move Ada", exact=True).click()
    expect(alpha.locator(".state-name")).to_have_text("Bravo")
    fac.locator(".member", has_text="Ada").get_by_role("button", name="Remove Ada", exact=True).click()
    expect(alpha.get_by_role("heading", name="Join a crisis game")).to_be_visible()

    # End the game.
    fac.once("dialog", lambda dialog: dialog.accept())
    command_button(fac, "End the game")
    expect(fac.locator(".timer-meta")).to_contain_text("Game over")
