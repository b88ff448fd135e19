"""A channel with more messages than a view holds: the team page shows the newest, offers the older
ones ("Show older messages"), fetches them with `history` and keeps the unread count right."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from crisisgame.engine.state import MESSAGE_WINDOW
from crisisgame.scenario.loader import load_scenario
from crisisgame.scenario.writer import dump_scenario
from tests.client.conftest import SCENARIO, Pages, own_server_pages
from tests.client.flows import join, tab
from tests.client.wire import facilitate, notes_from_alpha_to_bravo
from tests.client.wire import join as wire_join

EXTRA = 30
"""Messages beyond the window of one channel."""


@pytest.fixture
def unlimited_pages(browser: Any, tmp_path: Path) -> Iterator[Pages]:
    """Pages on a server of their own without quotas: the test sends more messages than a class
    would in a minute (quotas have their own tests in tests/server/test_harden.py)."""
    yield from own_server_pages(browser, tmp_path / "games.db", "--no-quotas")


def test_older_messages_are_paged_in_on_request(unlimited_pages: Pages) -> None:
    pages = unlimited_pages
    server = pages.server
    total = MESSAGE_WINDOW + EXTRA
    codes = notes_from_alpha_to_bravo(server, total)

    bravo = join(pages, codes["BRAVO"], "Student Bravo")
    tab(bravo, "Messages")
    bravo.locator(".channel", has_text="Alpha").click()
    feed = bravo.locator(".messages .message")
    expect(feed).to_have_count(MESSAGE_WINDOW)
    expect(feed.first).to_contain_text(f"note {EXTRA}")
    older = bravo.get_by_role("button", name=f"Show older messages ({EXTRA})")
    expect(older).to_be_visible()
    older.click()
    expect(feed).to_have_count(total)
    expect(feed.first).to_contain_text("note 0")
    expect(bravo.get_by_role("button", name="Show older messages")).to_be_hidden()
    expect(bravo.locator(".channel", has_text="Alpha").locator(".badge")).to_have_count(0)


def test_earlier_turns_results_are_fetched_when_the_student_picks_them(pages: Pages) -> None:
    """A view carries the newest results only: picking an earlier turn fetches it with `outcome_history`."""
    server = pages.server
    lobby = facilitate(server)
    made = lobby.request({"type": "create_game", "scenario": "baltic", "teams": ["EST"], "seed": 3})["data"]
    lobby.close()
    game, codes = made["game"], made["codes"]
    control = facilitate(server, game)
    control.command({"type": "start"})

    def phases() -> list[tuple[int, str]]:
        return [
            (m["event"]["turn"], m["event"]["phase"])
            for m in control.seen
            if m["type"] == "event" and m["event"]["type"] == "phase_started"
        ]

    while (2, "diplomacy") not in phases():
        before = len(phases())
        assert before < 20, phases()
        control.command({"type": "advance"})
        if len(phases()) == before:
            control.until(lambda m: m["type"] == "event" and m["event"]["type"] == "phase_started")
    probe = wire_join(server, codes["EST"], "Probe")
    view = next(m for m in reversed(probe.seen) if m["type"] == "view")["view"]
    assert view["older_outcomes"].get("1", 0) > 0  # the view left some of turn 1's results out
    page = probe.request({"type": "outcome_history", "turn": 1})["data"]
    adjudicated = [e for e in page["outcomes"] if e.get("reason") and e["reason"]["step"] > 0]
    held = [e for e in view["outcomes"] if e["turn"] == 1 and e.get("reason") and e["reason"]["step"] > 0]
    assert len(held) < len(adjudicated)
    for w in (probe, control):
        w.close()

    alpha = join(pages, codes["EST"], "Student Estonia")
    # A threat's reason is one of the last adjudication's results: fetched (~500 of them: slow on a busy machine).
    expect(alpha.locator(".card-threats details.why").first).to_be_attached(timeout=20_000)
    tab(alpha, "Results")
    alpha.locator("#results-turn").select_option("1")
    alpha.get_by_text("Details: every adjudication with its reasons").click()
    expect(alpha.locator(".technical .outcome")).to_have_count(len(adjudicated), timeout=20_000)
    expect(alpha.locator(".earlier-turn")).to_have_count(0)


HOLD_HELLO = """() => {
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (this.helloHeld) return send.call(this, data);
    this.helloHeld = true;
    window.setTimeout(() => send.call(this, data), 800);
  };
}"""
"""Holds each new connection's sign-in back a while, as a slow network or a busy server does."""


def test_a_replay_opened_from_its_cached_view_fetches_earlier_turns_once_signed_in(pages: Pages) -> None:
    """A page reopening a game shows its cached view before its link is signed in: the earlier results
    it lacks are fetched once the link is up, not reported as failed (the replay must show them all)."""
    server = pages.server
    lobby = facilitate(server)
    made = lobby.request({"type": "create_game", "scenario": "baltic", "teams": ["EST"], "seed": 3})["data"]
    lobby.close()
    game = made["game"]
    control = facilitate(server, game)
    control.command({"type": "start"})
    while not any(
        m["type"] == "event" and m["event"]["type"] == "phase_started" and m["event"]["turn"] == 2 for m in control.seen
    ):
        control.command({"type": "advance"})
    control.close()
    probe = facilitate(server, game)
    view = probe.until(lambda m: m["type"] == "view")["view"]
    assert view["older_outcomes"].get("1", 0) > 0  # Control's view left some of turn 1's results out
    held = {e["reason"]["explanation"] for e in view["outcomes"] if e.get("reason")}
    page = probe.request({"type": "outcome_history", "turn": 1})["data"]
    probe.close()
    left_out = next(
        e["reason"]["explanation"]
        for e in page["outcomes"]
        if e.get("reason") and e["reason"]["explanation"] not in held
    )

    fac = pages.open(f"#facilitator={server.facilitator_token}")
    expect(fac.get_by_role("heading", name="Create a game")).to_be_visible()
    fac.goto(server.url + f"#console/{game}")
    fac.wait_for_function("() => Object.keys(sessionStorage).some((k) => k.startsWith('crisisgame.view.'))")
    fac.evaluate(HOLD_HELLO)
    fac.goto(server.url + f"#console/{game}/replay")  # the same document: a new session, from the cache
    expect(fac.get_by_label("Turn (0 is the opening position)", exact=True)).to_have_value("2")
    fac.get_by_role("button", name="◀ Previous turn").click()
    expect(fac.locator(".turn-output")).to_contain_text("Turn 1 of")
    expect(fac.locator(".replay-events")).to_contain_text(left_out, timeout=20_000)
    expect(fac.locator(".earlier-turn")).to_have_count(0)


@pytest.fixture
def long_game_pages(browser: Any, tmp_path: Path) -> Iterator[Pages]:
    """Pages on a server of their own whose catalogue also holds the test scenario lengthened to five
    turns (`seminar-long`): the window of proposals (this turn's and the last two's) must move past turn 1."""
    catalogue = tmp_path / "scenarios"
    catalogue.mkdir()
    sc = load_scenario(SCENARIO)
    sc = sc.model_copy(update={"id": "seminar-long", "turns": sc.turns.model_copy(update={"count": 5})})
    (catalogue / "seminar-long.yaml").write_text(dump_scenario(sc), encoding="utf-8")
    yield from own_server_pages(browser, tmp_path / "games.db")


def test_the_replay_fetches_an_old_turns_proposals_once_the_view_has_left_them_out(long_game_pages: Pages) -> None:
    pages = long_game_pages
    server = pages.server
    lobby = facilitate(server)
    made = lobby.request({"type": "create_game", "scenario": "seminar-long", "teams": ["ALPHA", "BRAVO"], "seed": 3})
    lobby.close()
    game, codes = made["data"]["game"], made["data"]["codes"]
    control = facilitate(server, game)
    alpha = wire_join(server, codes["ALPHA"], "Wire Alpha")
    bravo = wire_join(server, codes["BRAVO"], "Wire Bravo")
    control.command({"type": "start"})

    def phases() -> list[tuple[int, str]]:
        return [
            (m["event"]["turn"], m["event"]["phase"])
            for m in control.seen
            if m["type"] == "event" and m["event"]["type"] == "phase_started"
        ]

    def advance_to(turn: int, phase: str) -> None:
        while (turn, phase) not in phases():
            before = len(phases())
            assert before < 30, phases()
            control.command({"type": "advance"})
            if len(phases()) == before:
                control.until(lambda m: m["type"] == "event" and m["event"]["type"] == "phase_started")

    advance_to(1, "diplomacy")
    alpha.command({"type": "propose", "proposal": {"type": "consultation", "parties": ["ALPHA", "BRAVO"]}})
    proposal = bravo.until(lambda m: m.get("type") == "event" and m["event"]["type"] == "proposal_made")["event"]
    bravo.command({"type": "reject", "proposal_id": proposal["id"]})
    advance_to(4, "diplomacy")
    for w in (control, alpha, bravo):
        w.close()
    probe = wire_join(server, codes["ALPHA"], "Probe")
    view = next(m for m in reversed(probe.seen) if m["type"] == "view")["view"]
    assert proposal["id"] not in [p["id"] for p in view["proposals"]]  # the window has moved past turn 1
    assert view["older_proposals"].get("1", 0) >= 1
    page = probe.request({"type": "outcome_history", "turn": 1})["data"]
    assert [p["status"] for p in page["proposals"] if p["id"] == proposal["id"]] == ["rejected"]
    probe.close()

    student = join(pages, codes["ALPHA"], "Student Alpha")
    tab(student, "Proposals")
    expect(student.locator(".older-proposals")).to_contain_text("of earlier turns")
    expect(student.locator(".proposals-panel")).not_to_contain_text(proposal["id"])
    student.goto(server.url + "#replay")
    expect(student.get_by_label("Turn (0 is the opening position)", exact=True)).to_have_value("4")
    for _ in range(3):
        student.get_by_role("button", name="◀ Previous turn").click()
    expect(student.locator(".turn-output")).to_contain_text("Turn 1 of 5")
    listed = student.locator(".replay-other li", has_text=proposal["id"])
    expect(listed).to_have_text(f"{proposal['id']}: consultation of Alpha, Bravo, from Alpha: rejected", timeout=20_000)
    expect(student.locator(".earlier-turn")).to_have_count(0)
