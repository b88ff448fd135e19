"""A phone (360 x 740): the sticky "Submit sealed orders" bar never covers a field of the orders form.

Each field, scrolled into view as a student (or the browser, on focus) would, is the element under its
own centre (`elementFromPoint`): on top, so a tap there reaches it. The bar is still on screen, and
the last field of the form can be scrolled clear of it."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.client.conftest import Pages
from tests.client.flows import join, tab
from tests.client.wire import advance, create, facilitate

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
    expect(spending).to_be_visible()

    # Scrolled down to, until it shows at the bottom of the screen (where the bar is), as a finger
    # scrolling the page or the browser's `scrollIntoView` of a link to it leaves it.
    spending.evaluate("(el) => el.scrollIntoView({ block: 'end' })")
    seen = on_top(spending)
    assert seen["on_top"], f"the spending field is covered at {WIDTH} px: {seen}"
    spending.click(trial=True)  # (Playwright's own check: nothing else would receive the click)
    spending.click()
    expect(spending).to_be_focused()

    # Every field of the form, reached in turn with the Tab key (the browser scrolls each into view
    # as little as it must: to the bottom edge, coming from above).
    alpha.evaluate("() => { document.activeElement.blur(); window.scrollTo(0, 0); }")
    fields = alpha.locator(".orders-form :is(input, select, textarea, button)")
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
    assert reached >= 4, f"only {reached} fields were reached with Tab"
    expect(bar).to_be_in_viewport()
