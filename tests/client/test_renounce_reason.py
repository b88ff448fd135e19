"""A team that renounces an agreement may say why: the orders form offers a reason beside the agreement set to
be renounced (capped as the protocol schema caps it, counted as the student types), the server keeps it with
the orders, and once the turn is adjudicated the partner reads it in its results and the room on the
plenary's news."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.client.conftest import Pages, assert_accessible, screenshot
from tests.client.flows import NAMES, advance, command_button, create_game, expect_phase, join, tab

WHY = "Delta no longer threatens Charlie; the guarantee only ties our hands."


def test_a_team_states_why_it_renounces_and_its_partner_and_the_room_read_it(pages: Pages) -> None:
    fac, _, codes = create_game(pages, auto_release=True)
    bravo = join(pages, codes[NAMES["BRAVO"]], "Student Bravo")
    charlie = join(pages, codes[NAMES["CHARLIE"]], "Student Charlie")
    command_button(fac, "Start the game")
    advance(fac, 1, "Diplomacy")
    advance(fac, 1, "Orders")
    expect_phase(bravo, 1, "Orders")
    tab(bravo, "Orders")
    form = bravo.locator(".orders-form")

    reason = form.locator("[data-key='reason-guarantee']")
    expect(reason).to_be_hidden()  # only beside an agreement set to be renounced
    form.get_by_label("The Bravo guarantee").select_option("renounce")
    expect(reason).to_be_visible()
    expect(form.get_by_label("Why renounce it?")).to_have_count(1)
    expect(reason).to_have_accessible_description(re.compile("^The Bravo guarantee 0 of 300 characters$"))
    expect(reason).to_have_attribute("maxlength", "300")
    count = form.locator(".renounce-reason .hint")
    expect(count).to_have_text("0 of 300 characters")
    reason.fill(WHY)
    expect(count).to_have_text(f"{len(WHY)} of 300 characters")
    expect(count).not_to_have_class(re.compile("near-limit"))
    reason.fill("x" * 280)
    expect(count).to_have_text("280 of 300 characters")
    expect(count).to_have_class(re.compile("near-limit"))
    reason.fill(WHY)
    # Set back to keep, the reason is hidden and not sent; set to renounce again, it is still there.
    form.get_by_label("The Bravo guarantee").select_option("")
    expect(reason).to_be_hidden()
    form.get_by_label("The Bravo guarantee").select_option("renounce")
    expect(reason).to_have_value(WHY)
    screenshot(bravo, "team-orders-renounce-reason-1280")
    assert_accessible(bravo, "the orders form with a renunciation's reason")
    form.get_by_role("button", name=re.compile("submit sealed orders", re.I)).click()
    status = bravo.locator(".orders-status")
    expect(status).to_contain_text(f"Renounce The Bravo guarantee, stating: “{WHY}”")

    # After a reload the form holds the reason the server kept with the orders.
    bravo.reload()
    expect_phase(bravo, 1, "Orders")
    tab(bravo, "Orders")
    form = bravo.locator(".orders-form")
    expect(form.get_by_label("The Bravo guarantee")).to_have_value("renounce")
    expect(form.locator("[data-key='reason-guarantee']")).to_have_value(WHY)

    advance(fac, 1, "Results")
    expect_phase(charlie, 1, "Results")
    tab(charlie, "Results")
    charlie.locator("#results-turn").select_option("1")
    told = f"Bravo gave notice renouncing The Bravo guarantee; it binds until turn 3. Stated reason: “{WHY}”"
    expect(charlie.locator(".what-changed")).to_contain_text(told)
    expect(charlie.locator(".stated-reason").first).to_have_text(f"Stated reason: “{WHY}”")

    plenary = pages.open(f"#plenary={codes['observer']}", width=1600, height=900)
    story = plenary.locator(".news-result", has_text="Bravo renounces The Bravo guarantee")
    expect(story).to_contain_text(f"Stated reason: “{WHY}”")
