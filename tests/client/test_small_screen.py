"""A phone (360 x 740): the sticky "Submit sealed orders" bar never covers a field of the orders form.

The form is folded into sections there; each section's summary line is tapped open (the bar must not
be over it either). Each field, scrolled into view as a student (or the browser, on focus) would, is
the element under its own centre (`elementFromPoint`): on top, so a tap there reaches it. The bar is
still on screen, and the last field of the form can be scrolled clear of it.

What is to be answered (a call for help, a demand) comes first, open and marked; the other sections
are folded to a title line saying what is chosen in them, and stay as the student left them while new
views arrive."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.client.conftest import Pages, assert_accessible, screenshot
from tests.client.flows import join, tab
from tests.client.wire import advance, create, facilitate
from tests.client.wire import join as wire_join

WIDTH, HEIGHT = 360, 740

ON_TOP = """(el) => {
  const r = el.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  const hit = document.elementFromPoint(x, y);
  const on_top = hit === el || el.contains(hit);
  return { on_top, hit: hit ? hit.outerHTML.slice(0, 80) : null, y, height: innerHeight };
}"""


SETTLED = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
"""Two frames: the browser has scrolled the newly focused element into view."""


def on_top(locator: Any) -> dict[str, Any]:
    result: dict[str, Any] = locator.evaluate(ON_TOP)
    return result


def test_the_sticky_submit_bar_covers_no_field_at_360_px(pages: Pages) -> None:
    server = pages.server
    game, codes = create(server)
    control = facilitate(server, game)
    control.command({"type": "start"})
    advance(control, "briefing")
    advance(control, "diplomacy")  # (into the orders phase)
    control.close()

    alpha = join(pages, codes["ALPHA"], "Ada", width=WIDTH)
    alpha.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    tab(alpha, "Orders")
    bar = alpha.locator(".orders-form .sticky-actions")
    expect(bar).to_be_visible()
    spending = alpha.get_by_label("Defence spending (% of GDP)")
    expect(spending).to_be_hidden()  # (folded away in its section on a phone)

    # Each section opened by tapping its summary line, as a student would (the tap reaches it).
    summaries = alpha.locator(".orders-form details.orders-section > summary:visible")
    assert summaries.count() >= 4, f"only {summaries.count()} sections on the form"
    for summary in summaries.all():
        summary.scroll_into_view_if_needed()
        seen = on_top(summary)
        assert seen["on_top"], f"the summary {summary.inner_text()!r} is covered at {WIDTH} px: {seen}"
        summary.click()
    expect(alpha.locator(".orders-form details.orders-section:not([hidden]):not([open])")).to_have_count(0)
    expect(spending).to_be_visible()

    # Scrolled down to, until it shows at the bottom of the screen (where the bar is), as a finger
    # scrolling the page or the browser's `scrollIntoView` of a link to it leaves it.
    spending.evaluate("(el) => el.scrollIntoView({ block: 'end' })")
    seen = on_top(spending)
    assert seen["on_top"], f"the spending field is covered at {WIDTH} px: {seen}"
    spending.click(trial=True)  # (Playwright's own check: nothing else would receive the click)
    spending.click()
    expect(spending).to_be_focused()

    # Every field of the form and every section's summary, reached in turn with the Tab key (the
    # browser scrolls each into view as little as it must: to the bottom edge, coming from above).
    alpha.evaluate("() => { document.activeElement.blur(); window.scrollTo(0, 0); }")
    fields = alpha.locator(".orders-form :is(summary, input, select, textarea, button):visible")
    fields.first.focus()
    reached = 0
    for _ in range(fields.count() + 5):
        alpha.evaluate(SETTLED)
        focused = alpha.locator(":focus")
        if not focused.count() or not focused.evaluate("(el) => !!el.closest('.orders-form')"):
            break
        seen = on_top(focused)
        label = focused.evaluate("(el) => el.name || el.id || el.textContent.slice(0, 30)")
        assert seen["on_top"], f"the focused field {label!r} is covered at {WIDTH} px: {seen}"
        reached += 1
        alpha.keyboard.press("Tab")
    assert reached == fields.count(), f"{reached} of {fields.count()} fields were reached with Tab"
    expect(bar).to_be_in_viewport()


def _bravo_called_on(pages: Pages) -> tuple[Any, dict[str, str]]:
    """Turn 2's orders phase after Delta struck Charlie, whom Bravo guarantees: Bravo, on a phone, has
    Charlie's call for help to answer. Returns Bravo's page and the join codes."""
    server = pages.server
    game, codes = create(server, teams=("ALPHA", "BRAVO", "CHARLIE", "DELTA"))
    control = facilitate(server, game)
    delta = wire_join(server, codes["DELTA"], "Wire Delta")
    control.command({"type": "start"})
    advance(control, "briefing")
    advance(control, "diplomacy")  # (into turn 1's orders)
    delta.command({"type": "submit_orders", "orders": {"force": [{"target": "CHARLIE", "level": "limited_strike"}]}})
    delta.close()
    for phase in ("orders", "results", "briefing", "diplomacy"):
        advance(control, phase)  # (into turn 2's orders)
    control.close()
    bravo = join(pages, codes["BRAVO"], "Bo", width=WIDTH)
    bravo.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    expect(bravo.locator(".timer-meta")).to_contain_text("Turn 2 of 3 · Orders")
    tab(bravo, "Orders")
    return bravo, codes


def _section(page: Any, name: str) -> Any:
    return page.locator(".orders-form details.orders-section", has=page.locator("summary", has_text=name))


def test_at_360_px_the_call_to_answer_comes_first_and_folded_sections_say_what_is_chosen(pages: Pages) -> None:
    bravo, _ = _bravo_called_on(pages)
    form = bravo.locator(".orders-form")
    answer = _section(bravo, "Answer now")
    expect(answer).to_have_attribute("open", "")
    expect(answer).to_have_class(re.compile(r"\burgent\b"))
    expect(answer.locator("summary")).to_have_text("Answer now — 1 to answer")
    call = answer.locator("[data-key^='call-']")
    expect(call).to_have_count(1)
    expect(answer).to_contain_text("Charlie invokes The Bravo guarantee against Delta")

    # From anywhere, the Now panel's link on the call leads to its answer: the section opens again (had
    # the student folded it) and the answer has the focus, on screen.
    answer.locator("summary").click()
    expect(answer).not_to_have_attribute("open", "")
    tab(bravo, "Dashboard")
    bravo.evaluate("() => window.scrollTo(0, 0)")
    due = bravo.locator(".now li.due", has_text="Answer Charlie's call for help against Delta")
    due.get_by_role("button", name="Orders").click()
    expect(bravo.get_by_role("tab", name=re.compile("^Orders"))).to_have_attribute("aria-selected", "true")
    expect(answer).to_have_attribute("open", "")
    expect(call).to_be_focused()
    bravo.evaluate(SETTLED)
    seen = on_top(call)
    assert seen["on_top"], f"the call's answer, reached from the Now panel, is covered: {seen}"

    # The form's first screen (its top just under the sticky top bar): the call is there, above the
    # sticky submit bar, and the other sections are folded to their summary lines below it.
    form.evaluate(
        """(el) => { const bar = document.querySelector('.topbar').getBoundingClientRect().bottom;
                     window.scrollBy(0, el.getBoundingClientRect().top - bar); }"""
    )
    bravo.evaluate(SETTLED)
    seen = on_top(call)
    assert seen["on_top"], f"the call's answer is not on the form's first screen at {WIDTH} px: {seen}"
    bar_top = bravo.locator(".orders-form .sticky-actions").bounding_box()
    box = call.bounding_box()
    assert bar_top is not None
    assert box is not None
    assert box["y"] + box["height"] <= bar_top["y"], (box, bar_top)
    folded = form.locator("details.orders-section:not([hidden])")
    for name in ("Forces at home and abroad", "Force and deterrence", "Your agreements", "Economic measures"):
        expect(_section(bravo, name)).not_to_have_attribute("open", "")
        expect(_section(bravo, name).locator("summary")).to_contain_text(f"{name}")
    expect(folded.first).to_have_attribute("data-section", "answer")
    expect(_section(bravo, "Nuclear")).to_be_hidden()  # (Bravo has no arsenal)
    expect(_section(bravo, "Economic measures").locator("summary")).to_have_text("Economic measures — no change")

    # Answered: the mark goes, the summary says how.
    call.select_option("honour")
    expect(answer.locator("summary")).to_have_text("Answer now — honour Charlie's call")
    expect(answer).not_to_have_class(re.compile(r"\burgent\b"))

    # Ordered inside a folded section: the summary, folded again, names it, reached by keyboard alone.
    economy = _section(bravo, "Economic measures")
    economy.locator("summary").focus()
    bravo.keyboard.press("Enter")
    expect(economy).to_have_attribute("open", "")
    economy.get_by_role("button", name="+ Add sanction").click()
    economy.get_by_label("Target").select_option("DELTA")
    economy.get_by_label("Measure").select_option("embargo")
    economy.get_by_role("button", name="+ Add aid").click()
    economy.get_by_label("To", exact=True).select_option("CHARLIE")
    economy.locator("summary").click()
    expect(economy).not_to_have_attribute("open", "")
    expect(economy.locator("summary")).to_have_text("Economic measures — embargo on Delta, aid to Charlie")
    deterrence = _section(bravo, "Force and deterrence")
    deterrence.locator("summary").click()
    deterrence.locator("fieldset", has_text="Fight for a state without any obligation").get_by_label("Charlie").check()
    deterrence.locator("summary").click()
    expect(deterrence.locator("summary")).to_have_text("Force and deterrence — fight for Charlie")
    screenshot(bravo, "team-orders-sections-360")
    assert_accessible(bravo, "the folded orders form at 360 px")


def test_at_360_px_a_section_stays_open_while_a_view_arrives_and_a_folded_order_is_refilled(pages: Pages) -> None:
    bravo, codes = _bravo_called_on(pages)
    form = bravo.locator(".orders-form")
    bravo.locator("[data-key^='call-']").select_option("abandon")

    # A mistake in a folded section: the form says what to check and unfolds the section it is in.
    forces = _section(bravo, "Forces at home and abroad")
    forces.locator("summary").click()
    forces.get_by_label("Mobilisation (0–1)").fill("5")
    forces.locator("summary").click()
    expect(forces.locator("summary")).to_have_text("Forces at home and abroad — mobilisation 5.00")
    bravo.get_by_role("button", name="Submit sealed orders").click()
    expect(form.locator(".form-error")).to_contain_text("orders/mobilisation")
    expect(forces).to_have_attribute("open", "")
    forces.get_by_label("Mobilisation (0–1)").fill("")
    forces.locator("summary").click()
    expect(forces.locator("summary")).to_have_text("Forces at home and abroad — no change")

    economy = _section(bravo, "Economic measures")
    economy.locator("summary").click()
    economy.get_by_role("button", name="+ Add aid").click()
    economy.get_by_label("To", exact=True).select_option("CHARLIE")
    value = economy.get_by_label("Value (US$ m)")
    value.fill("")
    value.press_sequentially("12")

    # A new view arrives while the student types (Alpha speaks in public): the form is rebuilt from it
    # (its state lists are new elements), yet the section stays open and the typing goes on.
    rendered = form.locator("[data-key='defend-ALPHA']").get_attribute("id")
    alpha = wire_join(pages.server, codes["ALPHA"], "Wire Alpha")
    alpha.command({"type": "send_message", "channel": "public", "text": "Alpha is watching closely."})
    alpha.close()
    expect(form.locator("[data-key='defend-ALPHA']")).not_to_have_id(rendered or "")
    expect(economy).to_have_attribute("open", "")
    expect(value).to_be_focused()
    value.press_sequentially("5")
    expect(value).to_have_value("125")
    expect(_section(bravo, "Forces at home and abroad")).not_to_have_attribute("open", "")
    economy.locator("summary").click()
    expect(economy.locator("summary")).to_have_text("Economic measures — aid to Charlie")
    bravo.get_by_role("button", name="Submit sealed orders").click()
    expect(bravo.locator(".orders-status")).to_contain_text("Orders submitted for turn 2")
    expect(bravo.locator(".orders-status")).to_contain_text("Abandon Charlie's call for help against Delta")

    # Reloaded: folded again on the phone, the summaries say what the server kept; opened, it is there.
    bravo.reload()
    expect(bravo.locator(".timer-meta")).to_contain_text("Turn 2 of 3 · Orders")
    tab(bravo, "Orders")
    economy = _section(bravo, "Economic measures")
    expect(economy.locator("summary")).to_have_text("Economic measures — aid to Charlie")
    expect(economy).not_to_have_attribute("open", "")
    answer = _section(bravo, "Answer now")
    expect(answer.locator("summary")).to_have_text("Answer now — abandon Charlie's call")
    expect(answer).not_to_have_class(re.compile(r"\burgent\b"))
    economy.locator("summary").click()
    expect(economy.get_by_label("To", exact=True)).to_have_value("CHARLIE")
    expect(economy.get_by_label("Value (US$ m)")).to_have_value("125")
    expect(bravo.locator("[data-key^='call-']")).to_have_value("abandon")
