"""The team page for the person in the room: a "Now" panel (the phase's task, what awaits the team,
its objectives on track or not), answers that must be given before ready, and a phone at 360×740
that reaches every tab, shows the state's name in full and folds the channel list away."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.client.conftest import Pages, assert_accessible
from tests.client.flows import join, tab
from tests.client.schema_check import READ_RECORDER
from tests.client.wire import advance, create, facilitate
from tests.client.wire import join as wire_join

TEAM_TABS = ("Dashboard", "Network", "Messages", "Proposals", "Orders", "Results", "Briefing")


def test_the_now_panel_says_what_to_do_and_what_awaits_the_team(pages: Pages) -> None:
    game, codes = create(pages.server)
    control = facilitate(pages.server, game)
    bravo = wire_join(pages.server, codes["BRAVO"], "Wire Bravo")
    mate = wire_join(pages.server, codes["ALPHA"], "Bea")
    control.command({"type": "start"})
    advance(control, "briefing")
    alpha = join(pages, codes["ALPHA"], "Ada")
    now = alpha.locator(".now")
    expect(now).to_contain_text("Negotiate")
    expect(now).to_contain_text("Teammates online: Ada, Bea")
    # Objectives: the public one is not met yet, with the reason.
    expect(now.locator(".objective")).to_have_count(1)
    expect(now.locator(".objective")).to_contain_text("not on track")
    expect(now.locator(".objective")).to_contain_text("no defence pact with Bravo in force yet")
    # A proposal from Bravo awaits Alpha's answer: the panel says so and leads there.
    pact = {"type": "defence_pact", "parties": ["BRAVO", "ALPHA"]}
    bravo.command({"type": "propose", "proposal": pact})
    expect(now).to_contain_text("1 proposal to answer")
    now.get_by_role("button", name="Proposals").click()
    expect(alpha.get_by_role("tab", name=re.compile("^Proposals"))).to_have_attribute("aria-selected", "true")
    alpha.get_by_role("button", name="Accept").click()
    expect(now).not_to_contain_text("proposal to answer")
    assert_accessible(alpha, "the Now panel at 1280 px")
    for w in (control, bravo, mate):
        w.close()


def test_a_demand_due_must_be_answered_before_ready(pages: Pages) -> None:
    game, codes = create(pages.server)
    control = facilitate(pages.server, game)
    bravo = wire_join(pages.server, codes["BRAVO"], "Wire Bravo")
    control.command({"type": "start"})
    for phase in ("briefing", "diplomacy"):
        advance(control, phase)
    bravo.command(
        {"type": "submit_orders", "orders": {"demands": [{"target": "ALPHA", "issue": "border", "position": 0.3}]}}
    )
    for phase in ("orders", "results", "briefing", "diplomacy"):
        advance(control, phase)
    alpha = join(pages, codes["ALPHA"], "Ada")
    expect(alpha.locator(".timer-meta")).to_have_text(re.compile("Turn 2 of 3 · Orders"))
    now = alpha.locator(".now")
    due = now.locator("li.due").first
    expect(due).to_contain_text("Answer Bravo's demand on border this turn (no answer = resist)")
    expect(alpha.locator(".ready-note")).to_contain_text("before marking ready")
    alpha.get_by_role("button", name="Mark ready").click()
    expect(alpha.locator(".toast-error")).to_contain_text("no answer when the phase ends counts as")
    tab(alpha, "Orders")
    answers = alpha.locator("[data-key^='demand-']")
    expect(answers.first.locator("option").first).to_have_text("Not answered yet (no answer = resist)")
    for answer in answers.all():  # (Delta, a bot, made a demand too)
        answer.select_option("resist")
    alpha.get_by_role("button", name="Submit sealed orders").click()
    expect(now).to_contain_text("Answered: Bravo's demand on border")
    alpha.get_by_role("button", name="Mark ready").click()
    expect(alpha.get_by_role("button", name="Ready ✓")).to_be_visible()
    control.close()
    bravo.close()


def _in_view(page: Any, locator: Any, width: int) -> None:
    box = locator.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width + 0.5, box


def test_a_phone_reaches_every_tab_and_shows_the_state_in_full(pages: Pages) -> None:
    game, codes = create(pages.server)
    control = facilitate(pages.server, game)
    control.command({"type": "start"})
    advance(control, "briefing")
    page = pages.open(f"#join={codes['CHARLIE']}", width=360, height=740)
    page.set_viewport_size({"width": 360, "height": 740})
    page.get_by_label("Your name").fill("Chioma Adebayo-Okonkwo")
    page.get_by_role("button", name="Join the game").click()
    name = page.locator(".state-name")
    expect(name).to_have_text("Charlie")
    assert page.evaluate("() => { const w = document.querySelector('.who'); return w.scrollWidth <= w.clientWidth; }")
    # Every tab is on screen without scrolling the strip, and each opens its panel.
    for label in TEAM_TABS:
        tab_button = page.get_by_role("tab", name=re.compile(f"^{label}"))
        expect(tab_button).to_be_visible()
        _in_view(page, tab_button, 360)
    for label in TEAM_TABS:
        tab(page, label)
        expect(page.get_by_role("tab", name=re.compile(f"^{label}"))).to_have_attribute("aria-selected", "true")
        expect(page.locator(f"#panel-{label.lower()}")).to_be_visible()
    # Messages: the channel list is folded away under a one-line summary; open it to pick a channel.
    tab(page, "Messages")
    picker = page.locator(".channel-picker")
    expect(picker.locator(".channel-summary")).to_have_text(re.compile("^Channels: Public"))
    expect(picker.locator(".channel-list")).to_be_hidden()
    picker.locator(".channel-summary").click()
    page.locator("[data-key='ch-private:ALPHA']").click()
    expect(page.locator(".conversation-title")).to_have_text("Alpha")
    expect(picker.locator(".channel-list")).to_be_hidden()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 361
    assert_accessible(page, "the team page at 360 px")
    control.close()


def test_a_touch_on_an_actor_of_the_network_says_what_ties_it(pages: Pages) -> None:
    game, codes = create(pages.server)
    control = facilitate(pages.server, game)
    control.command({"type": "start"})
    ctx = pages.browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    pages.contexts.append(ctx)
    ctx.add_init_script(READ_RECORDER)  # the schema check reads what this page reads too
    page = ctx.new_page()
    page.goto(f"{pages.server.url}#join={codes['ALPHA']}")
    page.get_by_label("Your name").fill("Ada")
    page.get_by_role("button", name="Join the game").click()
    tab(page, "Network")
    box = page.locator("#panel-network .network")
    expect(box).to_be_visible()
    box.scroll_into_view_if_needed()
    at = page.evaluate(
        """() => { const el = document.querySelector('#panel-network .network');
                   const p = el._cyreg.cy.$id('CHARLIE').renderedPosition(); const r = el.getBoundingClientRect();
                   return {x: r.left + p.x, y: r.top + p.y}; }"""
    )
    page.touchscreen.tap(at["x"], at["y"])
    expect(page.locator("#panel-network .network-focus")).to_have_text(re.compile("^Charlie: .*guarantee"))
    control.close()


def test_the_now_panel_shows_the_engines_verdict_on_each_objective(pages: Pages) -> None:
    """Whether an objective is on track is the engine's verdict, sent in the view (`me.objectives_met`):
    the panel reads it rather than working it out again, and agrees with it before and after the
    objective is met."""
    game, codes = create(pages.server)
    control = facilitate(pages.server, game)
    bravo = wire_join(pages.server, codes["BRAVO"], "Wire Bravo")
    control.command({"type": "start"})
    advance(control, "briefing")
    alpha = join(pages, codes["ALPHA"], "Ada")
    marks = alpha.locator(".now .objective")

    def verdicts() -> list[bool]:
        """What the engine says now, in the view a fresh connection of Alpha's seat gets."""
        probe = wire_join(pages.server, codes["ALPHA"], "Probe")
        view = next(m for m in reversed(probe.seen) if m["type"] == "view")["view"]
        probe.close()
        return [bool(x) for x in view["me"]["objectives_met"]]

    def shown() -> list[bool]:
        return ["on-track" in (marks.nth(i).get_attribute("class") or "").split() for i in range(marks.count())]

    before = verdicts()
    expect(marks).to_have_count(len(before))
    assert before == [False], before
    assert shown() == before

    # A defence pact with Bravo, accepted and through the turn's results: the objective is met.
    proposal = {"type": "defence_pact", "parties": ["ALPHA", "BRAVO"], "issue": "border", "position": 0.5}
    alpha_wire = wire_join(pages.server, codes["ALPHA"], "Wire Alpha")
    alpha_wire.command({"type": "propose", "proposal": proposal})
    made = bravo.until(lambda m: m.get("type") == "event" and m["event"]["type"] == "proposal_made")
    bravo.command({"type": "accept", "proposal_id": made["event"]["id"]})
    for phase in ("diplomacy", "orders", "results"):
        advance(control, phase)
    expect(marks.first).to_have_class(re.compile(r"\bon-track\b"))
    after = verdicts()
    assert after == [True], after
    assert shown() == after

    # The panel shows the view's verdict, whatever the figures beside it: a page whose views say the
    # opposite (turned round as they arrive) shows the opposite, where a page working the status out
    # from the agreements would still say "on track".
    mate = pages.open(f"#join={codes['ALPHA']}")
    mate.add_init_script(f"({TURN_VERDICTS_ROUND})()")
    mate.reload()
    mate.get_by_label("Your name").fill("Bea")
    mate.get_by_role("button", name="Join the game").click()
    expect(mate.locator(".now .objective")).to_have_count(1)
    expect(mate.locator(".now .objective").first).to_have_class(re.compile(r"\boff-track\b"))
    expect(mate.locator(".now .objective").first).to_contain_text("not on track")
    for w in (control, bravo, alpha_wire):
        w.close()


TURN_VERDICTS_ROUND = """() => {
  // Every view from the server arrives with each objective's verdict turned round.
  const parse = JSON.parse;
  JSON.parse = function (text, reviver) {
    const msg = parse.call(this, text, reviver);
    if (typeof text === 'string' && text.startsWith('{"type":"view"') && Array.isArray(msg?.view?.me?.objectives_met)) {
      msg.view.me.objectives_met = msg.view.me.objectives_met.map((met) => !met);
    }
    return msg;
  };
}"""
