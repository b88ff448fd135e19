"""The sealed orders form offers every order a team can give, not only the military ones: fighting for a
state without an obligation, sanctions and aid, what to do with each agreement, bases and nuclear
signals (where the team has them), in sections whose title lines say what is chosen in them. A team fills
them in, submits, reloads: the server kept them."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.client.conftest import Pages, screenshot
from tests.client.flows import NAMES, advance, command_button, create_game, expect_phase, join, tab


def test_a_team_orders_intervention_sanctions_aid_and_an_agreements_end_and_the_server_keeps_them(
    pages: Pages,
) -> None:
    fac, _, codes = create_game(pages, auto_release=False)
    bravo = join(pages, codes[NAMES["BRAVO"]], "Student Bravo")
    command_button(fac, "Start the game")
    advance(fac, 1, "Diplomacy")
    advance(fac, 1, "Orders")
    expect_phase(bravo, 1, "Orders")
    tab(bravo, "Orders")
    form = bravo.locator(".orders-form")

    # On a wide screen every section of the form starts open.
    expect(form.locator("details.orders-section:not([hidden])")).to_have_count(4)
    expect(form.locator("details.orders-section:not([hidden]):not([open])")).to_have_count(0)
    # Bravo has no arsenal in this scenario: no nuclear choices are offered.
    expect(form.get_by_label("Test a nuclear weapon this turn")).to_be_hidden()
    expect(form.locator("details[data-section='nuclear']")).to_be_hidden()
    expect(form.locator("fieldset", has_text="Withdraw forces from")).to_contain_text("You have no forces abroad.")
    fight_for = form.locator("fieldset", has_text="Fight for a state without any obligation")
    fight_for.get_by_label("Alpha", exact=True).check()
    form.get_by_role("button", name="+ Add sanction").click()
    sanction = form.locator("fieldset", has_text="Sanctions and embargoes")
    sanction.get_by_label("Target").select_option("DELTA")
    sanction.get_by_label("Measure").select_option("embargo")
    form.get_by_role("button", name="+ Add aid").click()
    aid = form.locator("fieldset", has_text="Aid")
    aid.get_by_label("To", exact=True).select_option("CHARLIE")
    aid.get_by_label("Value (US$ m)").fill("250")
    form.get_by_label("The Bravo guarantee").select_option("renounce")
    # Each section's title line says what is chosen in it.
    expect(form.locator("details[data-section='economy'] > summary")).to_have_text(
        "Economic measures — embargo on Delta, aid to Charlie"
    )
    expect(form.locator("details[data-section='deterrence'] > summary")).to_have_text(
        "Force and deterrence — fight for Alpha"
    )
    expect(form.locator("details[data-section='agreements'] > summary")).to_have_text(
        "Your agreements and alignment — renounce The Bravo guarantee"
    )
    forces = form.locator("details[data-section='forces'] > summary")
    expect(forces).to_have_text("Forces at home and abroad — no change")
    screenshot(bravo, "team-orders-sections-1280")
    form.get_by_role("button", name=re.compile("submit sealed orders", re.I)).click()
    expect(bravo.locator(".orders-status")).to_contain_text("Orders submitted for turn")

    # After a reload the form is filled from the orders the server holds for this turn.
    bravo.reload()
    expect_phase(bravo, 1, "Orders")
    tab(bravo, "Orders")
    form = bravo.locator(".orders-form")
    expect(form.locator("[data-key='defend-ALPHA']")).to_be_checked()
    sanction = form.locator("fieldset", has_text="Sanctions and embargoes")
    expect(sanction.get_by_label("Target")).to_have_value("DELTA")
    expect(sanction.get_by_label("Measure")).to_have_value("embargo")
    expect(form.locator("fieldset", has_text="Aid").get_by_label("Value (US$ m)")).to_have_value("250")
    expect(form.get_by_label("The Bravo guarantee")).to_have_value("renounce")
    expect(form.locator("details[data-section='economy'] > summary")).to_have_text(
        "Economic measures — embargo on Delta, aid to Charlie"
    )
    # The team's own summary of what it submitted says it in words.
    summary = bravo.locator(".orders-status")
    expect(summary).to_contain_text("Fight for Alpha without any obligation")
    expect(summary).to_contain_text("Renounce The Bravo guarantee")


def test_a_team_joins_an_attack_on_the_attackers_side_and_a_mistake_is_refused_in_words(pages: Pages) -> None:
    """The form offers joining another state's attack on a third (`join`): attacker and target chosen from
    the other states, the section's title line saying it. A join naming one state as both is refused by the
    server with its reason shown in the form; corrected, the orders are kept across a reload and the team's
    summary says them in words."""
    fac, _, codes = create_game(pages, auto_release=False)
    bravo = join(pages, codes[NAMES["BRAVO"]], "Student Bravo")
    command_button(fac, "Start the game")
    advance(fac, 1, "Diplomacy")
    advance(fac, 1, "Orders")
    expect_phase(bravo, 1, "Orders")
    tab(bravo, "Orders")
    form = bravo.locator(".orders-form")
    joining = form.locator("fieldset", has_text="Join an attack on the attacker’s side")
    expect(joining).to_contain_text("you share the spoils")
    form.get_by_role("button", name="+ Add attack to join").click()
    joining.get_by_label("Attacker to join").select_option("ALPHA")
    joining.get_by_label("State it attacks").select_option("ALPHA")
    submit = form.get_by_role("button", name=re.compile("submit sealed orders", re.I))
    submit.click()
    expect(form.locator(".form-error")).to_contain_text("two different states")

    joining.get_by_label("State it attacks").select_option("DELTA")
    expect(form.locator("details[data-section='deterrence'] > summary")).to_have_text(
        "Force and deterrence — join Alpha against Delta"
    )
    submit.click()
    expect(bravo.locator(".orders-status")).to_contain_text("Orders submitted for turn")
    expect(bravo.locator(".orders-status")).to_contain_text("Join Alpha’s attack on Delta")

    bravo.reload()
    expect_phase(bravo, 1, "Orders")
    tab(bravo, "Orders")
    form = bravo.locator(".orders-form")
    joining = form.locator("fieldset", has_text="Join an attack on the attacker’s side")
    expect(joining.get_by_label("Attacker to join")).to_have_value("ALPHA")
    expect(joining.get_by_label("State it attacks")).to_have_value("DELTA")
