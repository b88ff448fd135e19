"""A request made before the page's link is signed in waits for the sign-in instead of failing.

A page reopened from its cached view shows the game before its link is up. Asking for older messages
then (or while the link reconnects) used to fail once ("not connected"), and a second click worked:
now the request waits for the welcome and goes out after it. The page's sign-in is held back until
the test lets it go, so the request is made before the sign-in for certain."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from crisisgame.engine.state import MESSAGE_WINDOW
from tests.client.conftest import Pages, own_server_pages
from tests.client.flows import join, tab
from tests.client.wire import notes_from_alpha_to_bravo

EXTRA = 12
"""Messages beyond the window of one channel."""


@pytest.fixture
def unlimited_pages(browser: Any, tmp_path: Path) -> Iterator[Pages]:
    """Pages on a server of their own without quotas (the test sends more messages than a class would
    in a minute)."""
    yield from own_server_pages(browser, tmp_path / "games.db", "--no-quotas")


HOLD_SIGN_IN = """() => {
  // Each new connection's first message (its sign-in) waits until the test calls __releaseSignIn().
  const send = WebSocket.prototype.send;
  const held = [];
  window.__heldSignIns = () => held.length;
  window.__releaseSignIn = () => { for (const go of held.splice(0)) go(); window.__released = true; };
  WebSocket.prototype.send = function (data) {
    if (this.signInSent || window.__released) return send.call(this, data);
    this.signInSent = true;
    held.push(() => send.call(this, data));
  };
}"""
"""Holds the sign-in back (a slow network, a busy server) until the test lets it go: certain, not timed."""


def test_older_messages_asked_for_before_the_sign_in_arrive_once_it_is_in(unlimited_pages: Pages) -> None:
    pages = unlimited_pages
    server = pages.server
    total = MESSAGE_WINDOW + EXTRA
    codes = notes_from_alpha_to_bravo(server, total)

    bravo = join(pages, codes["BRAVO"], "Student Bravo")
    tab(bravo, "Messages")
    bravo.locator(".channel", has_text="Alpha").click()
    expect(bravo.get_by_role("button", name=f"Show older messages ({EXTRA})")).to_be_visible()

    # Reopened: the cached view shows at once; the link's sign-in is held back.
    bravo.add_init_script(f"({HOLD_SIGN_IN})()")
    bravo.reload()
    tab(bravo, "Messages")
    bravo.locator(".channel", has_text="Alpha").click()
    feed = bravo.locator(".messages .message")
    expect(feed).to_have_count(MESSAGE_WINDOW)
    expect(bravo.locator(".conn").first).not_to_have_attribute("data-status", "online")
    assert bravo.evaluate("() => window.__heldSignIns()") == 1, "the sign-in was not held back"
    older = bravo.get_by_role("button", name=f"Show older messages ({EXTRA})")
    older.click()
    bravo.wait_for_timeout(300)  # (time for a refusal to show, if there is one)
    expect(bravo.locator(".messages-box .form-error")).to_have_text("")
    expect(bravo.locator(".conn").first).not_to_have_attribute("data-status", "online")

    bravo.evaluate("() => window.__releaseSignIn()")
    expect(feed).to_have_count(total)
    expect(feed.first).to_contain_text("note 0")
    expect(bravo.get_by_role("button", name="Show older messages")).to_be_hidden()
