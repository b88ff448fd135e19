"""Results read like news: a team's results open with what changed for it, the plenary leads with deals.

The game is set up over the wire (a ratified pact, orders, results); a student and the projector
then look at it in Chromium. Text a person reads carries names, not actor ids, and no
"(0.25 to 0.25)"; the technical lines are behind a closed "details".
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.client.conftest import Pages, screenshot
from tests.client.flows import join, tab
from tests.client.wire import facilitate, play_a_turn

RAW_ID = re.compile(r"\b(ALPHA|BRAVO|CHARLIE|DELTA)\b")
SAME_NUMBERS = re.compile(r"\((\d+(?:\.\d+)?) to \1\)")


def test_team_results_open_with_what_changed_and_the_plenary_leads_with_the_pact(pages: Pages) -> None:
    game, codes = play_a_turn(pages.server)
    alpha = join(pages, codes["ALPHA"], "News Alpha")
    tab(alpha, "Results")
    alpha.locator("#results-turn").select_option("1")
    changed = alpha.locator(".what-changed li")
    expect(changed.first).to_be_visible()
    assert 3 <= changed.count() <= 6
    sentences = changed.all_inner_texts()
    assert any("You concluded a defence pact with Bravo" in s for s in sentences), sentences
    assert any("greatest threat is Delta" in s for s in sentences), sentences
    technical = alpha.locator(".results-body details.technical")
    expect(technical).not_to_have_attribute("open", "")
    readable = alpha.locator(".results-body").inner_text()  # inner text leaves out the closed details
    assert not RAW_ID.search(readable), RAW_ID.search(readable)
    assert not SAME_NUMBERS.search(readable)
    expect(technical).to_contain_text("threat.walt")
    screenshot(alpha, "team-results-news-1280")

    plenary = pages.open(f"#plenary={codes['observer']}", width=1600, height=900)
    first_result = plenary.locator(".news-result").first
    expect(first_result).to_contain_text("Alpha and Bravo conclude a defence pact")
    news = plenary.locator(".news").inner_text()
    assert not RAW_ID.search(news), RAW_ID.search(news)
    assert not SAME_NUMBERS.search(news)
    assert "pole(s) by CINC" not in news  # system polarity is debrief material, not news

    control = facilitate(pages.server, game)
    control.command({"type": "rollback", "reason": "a team entered the wrong spending"})
    control.close()
    expect(plenary.locator(".news")).to_contain_text("Control rolled back turn 2: a team entered the wrong spending")
    expect(alpha.locator(".results-body")).to_contain_text("Control rolled back turn 2")
    # The server words it, in every view: a page opened afresh is told too.
    told = "Control rolled back turn 2: a team entered the wrong spending"
    plenary.reload()
    expect(plenary.locator(".news")).to_contain_text(told)
    alpha.reload()
    tab(alpha, "Results")
    expect(alpha.locator(".results-body")).to_contain_text(told)
