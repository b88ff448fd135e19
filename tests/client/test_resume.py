"""A team's page reloaded in the middle of a phase, or cut off by a server crash, comes back by itself:
it resumes with the session token kept in localStorage and the last seq it saw, gets what it missed,
and is the same member."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.client.conftest import Pages, free_port, start_server, stop_server
from tests.client.flows import join, tab
from tests.client.wire import create, facilitate
from tests.client.wire import join as wire_join


def test_reloaded_team_page_resumes_mid_phase(pages: Pages) -> None:
    game, codes = create(pages.server)
    control = facilitate(pages.server, game)
    control.command({"type": "start"})
    control.command({"type": "advance", "phase": "briefing"})
    bravo = wire_join(pages.server, codes["BRAVO"], "Wire Bravo")

    alpha = join(pages, codes["ALPHA"], "Ada")
    tab(alpha, "Messages")
    alpha.get_by_label("Message", exact=True).fill("Before the reload.")
    alpha.get_by_role("button", name="Send").click()
    expect(alpha.locator(".messages")).to_contain_text("Before the reload.")
    token = alpha.evaluate("() => JSON.parse(localStorage.getItem('crisisgame.session.team')).token")

    sent: list[dict[str, Any]] = []
    alpha.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(json.loads(payload))))
    alpha.reload()
    # While the page reloads, Bravo writes to everyone; the resumed page must show it too.
    bravo.command({"type": "send_message", "channel": "public", "text": "Sent while Alpha was away."})

    expect(alpha.locator(".state-name")).to_have_text("Alpha")
    expect(alpha.locator(".timer-meta")).to_have_text(re.compile("Turn 1 of 3 · Diplomacy"))
    expect(alpha.get_by_role("tab", name=re.compile("^Messages"))).to_have_attribute("aria-selected", "true")
    expect(alpha.locator(".messages")).to_contain_text("Before the reload.")
    expect(alpha.locator(".messages")).to_contain_text("Sent while Alpha was away.")
    expect(alpha.locator(".conn")).to_contain_text("Online")

    hello = next(m for m in sent if m["type"] in ("resume", "join"))
    assert hello["type"] == "resume"
    assert hello["token"] == token
    assert isinstance(hello.get("last_seq"), int)
    assert hello["last_seq"] > 0

    # The reload did not make a second member: the facilitator still sees one Ada.
    members = control.request({"type": "members"})["data"]["members"]
    assert [m["name"] for m in members if m["seat"] == "ALPHA"] == ["Ada"]
    # And the session still acts: a command after the reload is accepted.
    alpha.get_by_label("Message", exact=True).fill("After the reload.")
    alpha.get_by_role("button", name="Send").click()
    bravo.until(lambda m: m.get("type") == "event" and m["event"].get("text") == "After the reload.")
    control.close()
    bravo.close()


def test_team_page_reconnects_when_the_connection_drops(pages: Pages) -> None:
    game, codes = create(pages.server)
    control = facilitate(pages.server, game)
    control.command({"type": "start"})
    alpha = join(pages, codes["ALPHA"], "Ada")
    expect(alpha.locator(".conn")).to_contain_text("Online")
    # The facilitator moves Ada to Charlie's seat: the server closes her socket (4001) and she resumes there.
    members = control.request({"type": "members"})["data"]["members"]
    ada = next(m for m in members if m["name"] == "Ada")
    control.request({"type": "reseat", "member": ada["member"], "seat": "CHARLIE"})
    expect(alpha.locator(".state-name")).to_have_text("Charlie")
    control.command({"type": "advance", "phase": "briefing"})
    expect(alpha.locator(".timer-meta")).to_have_text(re.compile("Diplomacy"))
    # Removed from the game: the page says so and offers the join form.
    control.request({"type": "reseat", "member": ada["member"], "seat": None})
    expect(alpha.get_by_role("heading", name="Join a crisis game")).to_be_visible()
    expect(alpha.locator(".form-error")).to_contain_text("join again")
    control.close()


def test_team_page_rides_out_a_server_crash_and_gets_what_it_missed(browser: Any, tmp_path: Path) -> None:
    """The server is killed (SIGKILL) mid-phase and started again on the same port and database: the
    page says it is reconnecting, comes back by itself, shows what was said while it was away, and
    its student goes on playing."""
    port = free_port()
    db = tmp_path / "games.db"
    server = start_server(db, port)
    pages = Pages(browser, server)
    try:
        game, codes = create(server)
        control = facilitate(server, game)
        control.command({"type": "start"})
        control.command({"type": "advance", "phase": "briefing"})
        control.close()
        alpha = join(pages, codes["ALPHA"], "Ada")
        tab(alpha, "Messages")
        alpha.get_by_label("Message", exact=True).fill("Before the crash.")
        alpha.get_by_role("button", name="Send").click()
        expect(alpha.locator(".messages")).to_contain_text("Before the crash.")

        server.process.kill()
        server.process.wait()
        expect(alpha.locator(".conn")).to_contain_text("Reconnecting")
        server = start_server(db, port)
        bravo = wire_join(server, codes["BRAVO"], "Wire Bravo")
        bravo.command({"type": "send_message", "channel": "public", "text": "Sent while Alpha was away."})

        expect(alpha.locator(".conn")).to_contain_text("Online")
        expect(alpha.locator(".timer-meta")).to_have_text(re.compile("Turn 1 of 3 · Diplomacy"))
        expect(alpha.locator(".messages")).to_contain_text("Before the crash.")
        expect(alpha.locator(".messages")).to_contain_text("Sent while Alpha was away.")
        alpha.get_by_label("Message", exact=True).fill("After the crash.")
        alpha.get_by_role("button", name="Send").click()
        bravo.until(lambda m: m.get("type") == "event" and m["event"].get("text") == "After the crash.")
        bravo.close()
    finally:
        pages.close()
        stop_server(server)
    # While the server was down, Chromium reported each refused connection; nothing else went wrong.
    assert not [e for e in pages.errors if "WebSocket connection to" not in e], pages.errors
