"""A class session's clocks and sends, in Chromium: the timer shows the room's time whatever the
device's clock says, after a reload and after a dropped connection; a dead link is noticed within
10 s; a command whose answer was lost is sent again with the same id and applied once."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.client.conftest import Pages, free_port, start_server, stop_server
from tests.client.flows import tab
from tests.client.schema_check import READ_RECORDER
from tests.client.wire import create, facilitate

pytestmark = pytest.mark.timing
"""These tests race the wall clock: `make test` runs them after the parallel run, alone."""

SKEWED = "(() => { const real = Date.now.bind(Date); Date.now = () => real() + 37 * 60 * 1000; })();"
"""The device's clock 37 minutes fast (a student's laptop never synced): the page must not care."""


def seconds_shown(page: Any) -> int:
    text = page.locator(".timer-digits").inner_text().strip()
    parts = [int(p) for p in text.split(":")]
    return sum(p * 60**i for i, p in enumerate(reversed(parts)))


def expect_room_time(page: Any, deadline: float) -> None:
    """The timer shows the time left by the server's clock (this process shares it) within 1 s."""
    for _ in range(20):
        shown = seconds_shown(page)
        left = deadline - time.time()
        if abs(shown - left) <= 1.0:
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"the timer shows {shown} s left, the room {left:.1f} s")


class Relay:
    """The page's websocket routed through the test: frames are forwarded unless `frozen` (a silent
    drop); `close()` drops the connection; the ack for a command whose text is in `drop_ack` is
    swallowed once, with the connection then closed; `sent` keeps what the page sent."""

    def __init__(self, page: Any, drop_ack: tuple[str, ...] = ()) -> None:
        self.frozen = False
        self.routes: list[Any] = []
        self.drop_ack = list(drop_ack)
        self.sent: list[dict[str, Any]] = []
        self.watching: dict[str, str] = {}
        page.route_web_socket(re.compile(r".*/ws$"), self.handler)

    def close(self) -> None:
        self.routes[-1].close()

    def handler(self, ws: Any) -> None:
        server = ws.connect_to_server()
        self.routes.append(ws)

        def up(message: str | bytes) -> None:
            if self.frozen:
                return
            msg = json.loads(message)
            self.sent.append(msg)
            if msg.get("type") == "command" and msg["command"].get("text") in self.drop_ack:
                self.watching[msg["id"]] = msg["command"]["text"]
            server.send(message)

        def down(message: str | bytes) -> None:
            if self.frozen:
                return
            msg = json.loads(message)
            text = self.watching.get(msg.get("id", ""))
            if msg.get("type") == "ack" and text in self.drop_ack:
                self.drop_ack.remove(text)
                ws.close()  # the command was applied; its answer is lost with the connection
                return
            ws.send(message)

        ws.on_message(up)
        server.on_message(down)


def open_skewed(pages: Pages, code: str, *, drop_ack: tuple[str, ...] = ()) -> tuple[Any, Relay]:
    """A student whose device clock is 37 minutes fast joins through a relay."""
    ctx = pages.browser.new_context(viewport={"width": 1280, "height": 900})
    pages.contexts.append(ctx)
    ctx.add_init_script(SKEWED)
    ctx.add_init_script(READ_RECORDER)  # the schema check reads what this page reads too
    ctx.set_default_timeout(15_000)
    page = ctx.new_page()
    page.on("pageerror", lambda exc: pages.errors.append(f"page error: {exc}"))
    relay = Relay(page, drop_ack)
    page.goto(f"{pages.server.url}#join={code}")
    page.get_by_label("Your name").fill("Ada")
    page.get_by_role("button", name="Join the game").click()
    expect(page.locator(".conn")).to_contain_text("Online")
    return page, relay


def test_the_timer_shows_the_room_time_after_a_reload_and_a_dropped_connection(pages: Pages) -> None:
    game, codes = create(pages.server)
    control = facilitate(pages.server, game)
    control.command({"type": "start"})
    control.command({"type": "advance", "phase": "briefing"})
    views = [m for m in control.seen if m.get("type") == "view" and m["view"]["game"]["phase"] == "diplomacy"]
    deadline = views[-1]["view"]["game"]["deadline"]

    page, relay = open_skewed(pages, codes["ALPHA"])
    expect(page.locator(".timer-meta")).to_have_text(re.compile("Diplomacy"))
    expect_room_time(page, deadline)

    page.reload()
    expect(page.locator(".timer-meta")).to_have_text(re.compile("Diplomacy"))
    expect_room_time(page, deadline)

    relay.close()  # the connection drops; the page resumes by itself
    expect(page.locator(".conn")).to_contain_text("Online")
    expect_room_time(page, deadline)
    control.close()


def test_a_silent_drop_is_noticed_within_ten_seconds_and_a_lost_ack_is_retried_once(pages: Pages) -> None:
    game, codes = create(pages.server)
    control = facilitate(pages.server, game)
    control.command({"type": "start"})
    control.command({"type": "advance", "phase": "briefing"})

    page, relay = open_skewed(pages, codes["ALPHA"], drop_ack=("Said once.",))

    # The answer to this message is lost with its connection: the page sends it again, same id.
    tab(page, "Messages")
    page.get_by_label("Message", exact=True).fill("Said once.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".messages")).to_contain_text("Said once.")

    def tries() -> list[str]:
        return [m["id"] for m in relay.sent if m.get("type") == "command" and m["command"].get("text") == "Said once."]

    for _ in range(40):
        if len(tries()) >= 2:
            break
        page.wait_for_timeout(250)
    assert len(tries()) == 2, tries()
    assert tries()[0] == tries()[1]
    expect(page.get_by_label("Message", exact=True)).to_have_value("")  # the send completed (acked)
    control.command({"type": "send_message", "channel": "public", "text": "Marker."})  # (its event precedes its ack)
    said = [m for m in control.seen if m.get("type") == "event" and m["event"].get("text") == "Said once."]
    assert len(said) == 1
    expect(page.locator(".messages").get_by_text("Said once.")).to_have_count(1)

    # The link goes silent (no close, no error): the page says so within 10 s and reconnects once it can.
    expect(page.locator(".conn")).to_contain_text("Online")
    relay.frozen = True
    started = time.monotonic()
    expect(page.locator(".conn")).to_contain_text("Reconnecting", timeout=10_000)
    assert time.monotonic() - started <= 10.0
    relay.frozen = False
    expect(page.locator(".conn")).to_contain_text("Online", timeout=15_000)
    control.close()


def test_a_server_crash_costs_the_class_no_time(browser: Any, tmp_path: Path) -> None:
    """The server is killed mid-phase and started again three seconds later: the phase's deadline
    moves on by the time it was down (to within its one-second heartbeat), and the page shows it."""
    port = free_port()
    db = tmp_path / "games.db"
    server = start_server(db, port)
    pages = Pages(browser, server)
    try:
        game, codes = create(server)
        control = facilitate(server, game)
        control.command({"type": "start"})
        control.command({"type": "advance", "phase": "briefing"})
        before = [m for m in control.seen if m.get("type") == "view"][-1]["view"]["game"]["deadline"]
        control.close()
        page, _ = open_skewed(pages, codes["ALPHA"])
        expect_room_time(page, before)

        server.process.kill()
        server.process.wait()
        down = time.time()
        time.sleep(3)
        server = start_server(db, port)
        control = facilitate(server, game)
        after = control.until(lambda m: m.get("type") == "view")["view"]["game"]["deadline"]
        up = time.time()
        assert (up - down) - 1.0 <= after - before <= (up - down) + 1.5, (before, after, up - down)
        expect(page.locator(".conn")).to_contain_text("Online", timeout=20_000)
        expect_room_time(page, after)
        control.close()
    finally:
        pages.close()
        stop_server(server)
    assert not [e for e in pages.errors if "WebSocket connection to" not in e], pages.errors
