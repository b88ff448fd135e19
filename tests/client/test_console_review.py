"""The facilitator's console for a real class: phase lengths chosen at creation and changed later, a
full-screen join-code view for the projector, a seat list of playable seats only, and a compact
review of the results with amend inline and Release beside it (axe-clean at 1280 and 360 px)."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.client.conftest import Pages, assert_accessible
from tests.client.flows import NAMES, SCENARIO_ID, advance, command_button, join, tab
from tests.client.wire import join as wire_join

TEAMS = ("ALPHA", "BRAVO", "CHARLIE")


def create_with_lengths(pages: Pages, width: int) -> tuple[Any, str]:
    fac = pages.open(f"#facilitator={pages.server.facilitator_token}", width=width)
    expect(fac.get_by_role("heading", name="Create a game")).to_be_visible()
    expect(fac.locator("#scenario option").first).to_be_attached()
    fac.locator("#scenario").select_option(SCENARIO_ID)
    for seat, name in NAMES.items():
        fac.get_by_label(f"{name} ({seat})").set_checked(seat in TEAMS)
    fac.get_by_label(re.compile("Release results at once")).uncheck()
    fac.get_by_text("Phase lengths for this game").click()
    fac.get_by_label("Diplomacy (minutes)").fill("7")
    assert_accessible(fac, f"the lobby with phase lengths at {width} px")
    fac.get_by_role("button", name="Create game").click()
    expect(fac).to_have_url(re.compile(r"#console/[0-9a-f]+$"))
    return fac, fac.url.rsplit("/", 1)[1]


def codes_of(fac: Any) -> dict[str, str]:
    expect(fac.locator(".code-card")).to_have_count(len(TEAMS) + 1)
    codes: dict[str, str] = {}
    for card in fac.locator(".code-card").all():
        who = card.locator("h3").inner_text().strip()
        codes[who] = card.locator(".join-code").inner_text().replace("Join code", "").strip()
    return codes


def test_console_review_projector_seats_and_phase_lengths(pages: Pages) -> None:
    fac, _ = create_with_lengths(pages, 1280)
    codes = codes_of(fac)

    # The projector view: every team's code and QR code, full screen, closed with Escape.
    fac.get_by_role("button", name="Show codes full screen").click()
    dialog = fac.locator("dialog.projector")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".projector-code")).to_have_count(len(TEAMS))
    expect(dialog).to_contain_text(codes["Alpha"])
    assert_accessible(fac, "the projector's join codes at 1280 px")
    fac.set_viewport_size({"width": 360, "height": 740})
    assert_accessible(fac, "the projector's join codes at 360 px")
    fac.set_viewport_size({"width": 1280, "height": 900})
    fac.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    alpha = join(pages, codes["Alpha"], "Ada")
    bravo = wire_join(pages.server, codes["Bravo"], "Wire Bravo")

    # The seat list offers the teams' seats and the observers', never a bot's.
    tab(fac, "Members")
    member = fac.locator(".member", has_text="Ada")
    # expect() waits for the list to be filled in (reading it at once raced the member list's render)
    seats = member.get_by_label("Seat for Ada").locator("option")
    expect(seats).to_have_text(["Alpha", "Bravo", "Charlie", "Observers"])

    # The diplomacy phase lasts the seven minutes chosen at creation.
    command_button(fac, "Start the game")
    advance(fac, 1, "Diplomacy")
    digits = fac.locator(".timer-digits").inner_text()
    assert re.fullmatch(r"[67]:\d\d", digits), digits
    # Shorter orders from the next phase on.
    fac.locator(".phase-lengths-box summary").click()
    fac.get_by_label("Orders (minutes)").fill("1")
    fac.get_by_role("button", name="Set phase lengths").click()
    expect(fac.locator(".phases-now")).to_contain_text("orders 1 min")
    advance(fac, 1, "Orders")
    assert re.fullmatch(r"[01]:\d\d", fac.locator(".timer-digits").inner_text())

    # Results: a compact table of the turn's changes, Release beside it, amend inline.
    advance(fac, 1, "Results")
    tab(fac, "Results")
    table = fac.locator(".review-table table")
    expect(table).to_be_visible()
    expect(fac.get_by_role("button", name="Release these results")).to_be_visible()
    row = table.locator("tbody tr").first
    row.get_by_role("button", name=re.compile("^Amend…")).click()
    expect(fac.get_by_label("New value", exact=True)).to_be_focused()
    assert fac.get_by_label("Field", exact=True).input_value() != ""
    fac.get_by_label("New value", exact=True).fill("0.42")
    fac.get_by_label("Reason (logged)", exact=True).first.fill("Checked against the briefing.")
    fac.get_by_role("button", name="Amend", exact=True).click()
    expect(fac.locator(".results-panel")).to_contain_text("Checked against the briefing.")
    assert_accessible(fac, "the results review at 1280 px")
    fac.set_viewport_size({"width": 360, "height": 740})
    assert_accessible(fac, "the results review at 360 px")
    fac.get_by_role("button", name="Release these results").click()
    expect(fac.get_by_role("button", name="Release these results")).to_be_hidden()
    tab(alpha, "Results")
    expect(alpha.locator(".results-body")).not_to_contain_text("Control is reviewing")
    bravo.close()
