"""A facilitator and three teams, each in their own browser, play two full turns through the client.

Turn 1: a private message, a public one, a proposal sent, accepted and then ratified, an early
orders submission the server rejects (its reason shown in the form), sealed orders from every team,
readiness ending the phase, an amendment and the release of results. Turn 2: the scripted inject,
an inject written by the facilitator, orders again and the results. The plenary screen follows the
news; the replay scrubs back to turn 1.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.client.conftest import Pages, screenshot
from tests.client.flows import NAMES, TEAMS, advance, command_button, create_game, expect_phase, join, tab


def _submit_orders(page, spending: str, statement: str | None = None) -> None:
    tab(page, "Orders")
    page.get_by_label("Defence spending (% of GDP)", exact=True).fill(spending)
    if statement:
        page.get_by_role("button", name="+ Add statement").click()
        page.get_by_label("Statement", exact=True).fill(statement)
    page.get_by_role("button", name=re.compile("submit sealed orders", re.I)).click()
    expect(page.locator(".orders-status")).to_contain_text("Orders submitted for turn")


def test_facilitator_and_three_teams_play_two_turns(pages: Pages) -> None:
    fac, game, codes = create_game(pages, auto_release=False)
    screenshot(fac, "console-lobby-codes-1280")
    teams = {seat: join(pages, codes[NAMES[seat]], f"Student {seat.title()}") for seat in TEAMS}
    alpha, bravo, charlie = teams["ALPHA"], teams["BRAVO"], teams["CHARLIE"]
    plenary = pages.open(f"#plenary={codes['observer']}", width=1600, height=900)
    expect(plenary.locator(".plenary-title")).to_have_text("Three allies and a rival")

    # ---------------------------------------------------------------- turn 1: briefing, diplomacy
    command_button(fac, "Start the game")
    expect_phase(fac, 1, "Briefing")
    for page in teams.values():
        expect_phase(page, 1, "Briefing")
    advance(fac, 1, "Diplomacy")
    expect_phase(alpha, 1, "Diplomacy")

    # A private message from Alpha to Bravo: Bravo sees an unread count, Charlie sees nothing.
    tab(alpha, "Messages")
    alpha.get_by_label("To", exact=True).select_option("private:BRAVO")
    alpha.get_by_label("Message", exact=True).fill("Shall we sign a defence pact against Delta?")
    alpha.get_by_role("button", name="Send").click()
    expect(alpha.locator(".messages")).to_contain_text("Shall we sign a defence pact")
    expect(bravo.get_by_role("tab", name=re.compile("Messages"))).to_contain_text("1")
    tab(bravo, "Messages")
    bravo.locator(".channel", has_text="Alpha").click()
    expect(bravo.locator(".messages")).to_contain_text("Shall we sign a defence pact")
    tab(charlie, "Messages")
    expect(charlie.locator(".channel-list")).not_to_contain_text("Alpha\n1")
    # A public message from Charlie reaches everyone, the plenary too.
    charlie.get_by_label("Message", exact=True).fill("Charlie calls on all sides to show restraint.")
    charlie.get_by_role("button", name="Send").click()
    expect(plenary.locator(".news")).to_contain_text("Charlie calls on all sides to show restraint.")

    # Orders before the orders phase: the server's reason appears in the form.
    tab(alpha, "Orders")
    alpha.get_by_role("button", name=re.compile("submit sealed orders", re.I)).click()
    expect(alpha.locator(".orders-form .form-error")).to_contain_text("cannot submit orders during the diplomacy phase")
    screenshot(alpha, "team-orders-error-1280")

    # Alpha proposes a defence pact with Bravo on the border issue; Bravo accepts.
    tab(alpha, "Proposals")
    alpha.get_by_label("Agreement type", exact=True).select_option("defence_pact")
    alpha.locator(".proposal-form fieldset.checks").first.get_by_label("Bravo", exact=True).check()
    alpha.get_by_label("Issue", exact=True).select_option("border")
    alpha.get_by_label("Position on the issue (0–1)", exact=True).fill("0.5")
    alpha.get_by_label("Strength (0–1)", exact=True).fill("0.7")
    alpha.get_by_role("button", name="Send proposal").click()
    expect(alpha.locator(".proposal-list")).to_contain_text("Defence pact")
    expect(bravo.get_by_role("tab", name=re.compile("Proposals"))).to_contain_text(re.compile(r"\d"))
    tab(bravo, "Proposals")
    card = bravo.locator(".proposal", has_text="Defence pact").first
    expect(card).to_contain_text("strength 0.70")
    screenshot(bravo, "team-proposals-1280")
    card.get_by_role("button", name="Accept").click()
    expect(alpha.locator(".proposal", has_text="Defence pact").first).to_contain_text("Status: accepted")
    screenshot(alpha, "team-messages-proposals-1280")

    # ---------------------------------------------------------------- turn 1: orders, results
    advance(fac, 1, "Orders")
    expect(fac.locator(".seats-card")).to_contain_text("0 of 3 teams have submitted orders")
    _submit_orders(alpha, "2.5", "Alpha will defend its allies.")
    _submit_orders(bravo, "2.0")
    _submit_orders(charlie, "3.0")
    expect(fac.locator(".seats-card")).to_contain_text("3 of 3 teams have submitted orders")
    screenshot(fac, "console-orders-submitted-1280")
    for page in teams.values():
        page.get_by_role("button", name="Mark ready").click()
    # Every team ready: the phase ends, the turn is adjudicated, results wait for release.
    expect_phase(fac, 1, "Results")
    expect(fac.locator(".timer-state")).to_have_text("Awaiting release")
    tab(alpha, "Results")
    expect(alpha.locator(".results-body")).to_contain_text("Control is reviewing the results of turn 1")

    # The facilitator amends an outcome with a reason, then releases the results.
    tab(fac, "Results")
    fac.get_by_label("What", exact=True).select_option("actor")
    fac.get_by_label("Which", exact=True).select_option("CHARLIE")
    fac.get_by_label("Field", exact=True).fill("approval")
    fac.get_by_label("New value", exact=True).fill("0.6")
    fac.get_by_label("Reason (logged)", exact=True).first.fill("The rally effect was underestimated.")
    fac.get_by_role("button", name="Amend", exact=True).click()
    expect(fac.locator(".results-panel")).to_contain_text("The rally effect was underestimated.")
    screenshot(fac, "console-results-1280")
    command_button(fac, "Release results")
    expect(fac.locator(".timer-state")).to_have_text("")

    # Teams see the results with their reasons and citations; the pact was ratified.
    expect(alpha.locator(".results-body")).to_contain_text("Agreement concluded: defence pact of Alpha, Bravo")
    expect(alpha.locator(".results-body")).to_contain_text("Walt 1987")
    walt = alpha.locator(".results-body cite", has_text="Walt 1987").first  # the full reference on hover
    expect(walt).to_have_attribute("title", re.compile(r"^Walt, S\. M\. \(1987\)\. The Origins of Alliances"))
    expect(alpha.locator(".results-body")).to_contain_text("Alpha will defend its allies.")
    alpha.locator(".results-body details summary").first.click()
    screenshot(alpha, "team-results-1280")
    tab(alpha, "Proposals")
    expect(alpha.locator(".proposal", has_text="Defence pact").first).to_contain_text("Status: ratified")
    tab(charlie, "Dashboard")
    expect(charlie.locator(".card-state")).to_contain_text("0.60")
    tab(alpha, "Dashboard")
    expect(alpha.locator(".card-threats")).to_contain_text("Delta")
    alpha.get_by_text("Why Delta?").click()
    expect(alpha.locator(".card-threats")).to_contain_text("threat.walt")
    screenshot(alpha, "team-dashboard-1280")
    tab(alpha, "Network")
    expect(alpha.locator(".network-table")).to_contain_text("defence pact of ALPHA, BRAVO")
    screenshot(alpha, "team-network-1280")
    expect(plenary.locator(".news")).to_contain_text("Agreement concluded")

    # ---------------------------------------------------------------- turn 2
    advance(fac, 2, "Briefing")
    tab(bravo, "Briefing")
    expect(bravo.locator(".injects")).to_contain_text("Snap exercise")
    advance(fac, 2, "Diplomacy")
    tab(fac, "Injects")
    fac.get_by_label("Title", exact=True).fill("Storm closes the ports")
    fac.get_by_label("Text", exact=True).fill("A winter storm closes every port on the coast for a week.")
    fac.get_by_label("Kind of effect", exact=True).select_option("approval")
    fac.get_by_role("button", name="Add effect").click()
    fac.locator(".effect").get_by_label("Actor", exact=True).select_option("DELTA")
    fac.locator(".effect").get_by_label("Delta", exact=True).fill("-0.05")
    fac.get_by_role("button", name="Release inject").click()
    expect(fac.locator(".injects-panel")).to_contain_text("Storm closes the ports")
    expect(bravo.locator(".injects")).to_contain_text("A winter storm closes every port")
    expect(plenary.locator(".news")).to_contain_text("Storm closes the ports")
    advance(fac, 2, "Orders")
    _submit_orders(alpha, "3.0")
    _submit_orders(bravo, "2.2", "Bravo stands with Alpha.")
    _submit_orders(charlie, "3.0")
    expect(fac.locator(".seats-card")).to_contain_text("3 of 3 teams have submitted orders")
    advance(fac, 2, "Results")
    command_button(fac, "Release results")
    tab(charlie, "Results")
    expect(charlie.locator("#results-turn")).to_have_value("2")
    expect(charlie.locator(".results-body")).to_contain_text("Bravo stands with Alpha.")
    expect(charlie.locator(".results-body")).to_contain_text("Threat")
    screenshot(plenary, "plenary-1600")

    # The replay scrubs back to turn 1 and shows its network and reasons.
    fac.goto(pages.server.url + f"#console/{game}/replay")
    expect(fac.get_by_label("Turn (0 is the opening position)", exact=True)).to_have_value("2")
    fac.get_by_role("button", name="◀ Previous turn").click()
    expect(fac.locator(".turn-output")).to_contain_text("Turn 1 of 3")
    expect(fac.locator(".replay-events")).to_contain_text("Agreement concluded")
    expect(fac.locator(".network-table")).to_contain_text("defence pact of ALPHA, BRAVO")
    fac.get_by_role("button", name="◀ Previous turn").click()
    expect(fac.locator(".network-table")).not_to_contain_text("defence pact of ALPHA, BRAVO")
    screenshot(fac, "replay-1280")
