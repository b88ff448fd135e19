"""A free-form action end to end in Chromium: argued by one team, counter-argued by another, rated,
rolled and applied by the facilitator in the results review, its effect visible in the team's
results and on the plenary screen (axe-clean at 1280 and 360 px)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.client.conftest import Pages, assert_accessible, screenshot
from tests.client.flows import advance, command_button, create_game, join, tab

ARGUMENT = "Our ships have escorted convoys through these waters for ten years; the route is short and well charted."


def test_a_free_form_action_argued_countered_rated_rolled_and_applied(pages: Pages) -> None:
    # Results are released at once in this game, yet a turn with free-form actions waits for review.
    fac, _, codes = create_game(pages, auto_release=True)
    alpha = join(pages, codes["Alpha"], "Ada")
    bravo = join(pages, codes["Bravo"], "Ben", width=360)
    command_button(fac, "Start the game")
    advance(fac, 1, "Diplomacy")
    advance(fac, 1, "Orders")

    # Alpha argues an action; the length of each box shows as it is typed.
    tab(alpha, "Orders")
    form = alpha.locator(".freeform-form")
    expect(form).to_be_visible()
    form.get_by_label("What you do").fill("Escort a relief convoy to Charlie")
    expect(form.locator("#ff-what-count")).to_have_text("33 / 200 characters")
    form.get_by_label("Intended effect").fill("Bravo's public turns against its hard line")
    form.get_by_label("Argument for (why it should work)").fill(ARGUMENT)
    form.get_by_role("button", name="Submit the free-form action").click()
    mine = alpha.locator(".freeform-list .freeform-action", has_text="Escort a relief convoy")
    expect(mine).to_be_visible()
    expect(form.locator("#ff-used")).to_have_text("1 of 2 used this turn.")
    assert_accessible(alpha, "the free-form action form at 1280 px")
    alpha.set_viewport_size({"width": 360, "height": 740})
    assert_accessible(alpha, "the free-form action form at 360 px")
    alpha.set_viewport_size({"width": 1280, "height": 900})

    # Bravo sees it at once and counter-argues it (a phone).
    tab(bravo, "Orders")
    theirs = bravo.locator(".freeform-action", has_text="Escort a relief convoy")
    expect(theirs).to_be_visible()
    theirs.get_by_label(re.compile("^Counter-argue")).fill("Our coast guard boards every ship bound for Charlie.")
    theirs.get_by_role("button", name="Add the counter-argument").click()
    expect(theirs.locator(".counter-form")).to_have_count(0)
    expect(mine.locator(".counters")).to_contain_text("Our coast guard boards every ship")
    assert_accessible(bravo, "a counter-argument on a phone at 360 px")
    screenshot(bravo, "team-freeform-counter-360")

    # The review: suggested chance, rate and roll, apply an effect from the inject effects.
    advance(fac, 1, "Results")
    expect(fac.get_by_text(re.compile("1 free-form action to rate"))).to_be_visible()
    tab(fac, "Results")
    review = fac.locator(".freeform-review")
    card = review.locator(".freeform-action", has_text="Escort a relief convoy")
    expect(card).to_contain_text("Suggested chance from the arguments")
    expect(card.locator(".counters")).to_contain_text("Bravo")
    assert_accessible(fac, "the free-form review at 1280 px")
    card.get_by_label("Chance (%)").fill("100")
    card.locator(".rate-form").get_by_label("Reason (logged)").fill("The convoy route is uncontested.")
    card.get_by_role("button", name="Rate and roll").click()
    expect(card.locator(".verdict")).to_contain_text("succeeded")
    apply = card.locator(".apply-form")
    apply.get_by_label("Effect", exact=True).select_option("approval")
    apply.get_by_role("button", name="Add effect").click()
    effect = apply.locator("fieldset.effect")
    effect.get_by_label("Actor").select_option("BRAVO")
    effect.get_by_label("Delta").fill("-0.2")
    apply.get_by_label("Reason (logged)").fill("Images of the convoy.")
    apply.get_by_role("button", name="Apply the effects").click()
    expect(card.locator(".verdict")).to_contain_text("Bravo's approval −0.20")
    screenshot(fac, "console-freeform-review-1280")
    fac.set_viewport_size({"width": 360, "height": 740})
    assert_accessible(fac, "the free-form review at 360 px")
    fac.set_viewport_size({"width": 1280, "height": 900})
    tab(alpha, "Results")
    expect(alpha.locator(".results-body")).to_contain_text("Control is reviewing")
    fac.get_by_role("button", name="Release these results").click()

    # The team's results and the plenary news carry the verdict and the effect.
    results = alpha.locator(".freeform-results")
    expect(results).to_contain_text("succeeded")
    expect(results).to_contain_text("Bravo's approval −0.20")
    expect(results).to_contain_text("“Images of the convoy”")
    expect(results).to_contain_text("The convoy route is uncontested")
    screenshot(alpha, "team-freeform-results-1280")
    plenary = pages.open(f"#plenary={codes['observer']}", width=1600, height=900)
    expect(plenary.locator(".news")).to_contain_text("Escort a relief convoy to Charlie")
    expect(plenary.locator(".news")).to_contain_text("succeeded")
