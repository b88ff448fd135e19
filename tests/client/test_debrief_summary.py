"""A 3-team, 3-turn class game yields a debrief summary that prints to at most four A4 pages.

The teams play over the wire (private messages with secret markers, a pact, an intelligence inject
for Alpha only, orders with a demand); then, in Chromium, the facilitator releases the student
edition from the console and a student opens it from the game-over note. Both editions are printed
to PDF and their pages counted; the student edition must hold no team's secret marker.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from crisisgame.debrief.summary_html import SECTIONS
from crisisgame.engine.events import InjectReleased, MessageSent, Outcome
from crisisgame.store.sqlite import SqliteStore
from tests.client.conftest import SCREENSHOTS, Pages, Server, start_server, stop_server
from tests.client.flows import join
from tests.client.wire import Wire, create, facilitate
from tests.client.wire import join as wire_join

TEAMS = ("ALPHA", "BRAVO", "CHARLIE")
MAX_PAGES = 4


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    db = tmp_path / "games.db"
    running = start_server(db)
    yield running, db
    stop_server(running)


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def _play_three_turns(server: Server, seated: Callable[[dict[str, str]], None]) -> tuple[str, list[str]]:
    """The class game, over the wire: returns the game id and every secret marker.
    `seated` is called with the join codes before the game starts (team codes expire when it ends)."""
    game, codes = create(server, teams=TEAMS, auto_release=True)
    seated(codes)
    control = facilitate(server, game)
    teams: dict[str, Wire] = {t: wire_join(server, codes[t], f"Wire {t.title()}") for t in TEAMS}
    markers: list[str] = []
    control.command({"type": "start"})
    for turn in (1, 2, 3):
        control.command({"type": "advance", "phase": "briefing"})
        for i, (team, wire) in enumerate(teams.items()):
            other = TEAMS[(i + 1) % len(TEAMS)]
            marker = f"SECRET-{team}-TURN{turn}"
            markers.append(marker)
            wire.command({"type": "send_message", "channel": "private", "to": [other], "text": f"{marker}: trust me"})
        if turn == 1:
            pact = {"type": "defence_pact", "parties": ["ALPHA", "BRAVO"], "issue": "border", "position": 0.5}
            teams["ALPHA"].command({"type": "propose", "proposal": pact})
            made = teams["BRAVO"].until(lambda m: m.get("type") == "event" and m["event"]["type"] == "proposal_made")
            teams["BRAVO"].command({"type": "accept", "proposal_id": made["event"]["id"]})
        if turn == 2:
            markers.append("SECRET-ALPHA-INTEL")
            control.command(
                {"type": "inject", "title": "SECRET-ALPHA-INTEL", "text": "For Alpha.", "audience": ["ALPHA"]}
            )
        control.command({"type": "advance", "phase": "diplomacy"})
        teams["ALPHA"].command(
            {
                "type": "submit_orders",
                "orders": {
                    "defence_spending": 2.0 + turn,
                    "demands": [{"target": "DELTA", "issue": "border", "position": 0.8}],
                },
            }
        )
        teams["BRAVO"].command({"type": "submit_orders", "orders": {"defence_spending": 1.5}})
        teams["CHARLIE"].command({"type": "submit_orders", "orders": {"defence_spending": 3.0, "mobilisation": 0.4}})
        control.command({"type": "advance", "phase": "orders"})
        if turn < 3:
            control.command({"type": "advance", "phase": "results"})
    control.command({"type": "end"})
    for w in (control, *teams.values()):
        w.close()
    return game, markers


def _check_summary(page: Any, name: str) -> tuple[str, int]:
    """The rendered summary's text and its page count when printed to A4; a screenshot is kept."""
    for anchor, _ in SECTIONS:
        expect(page.locator(f'[data-section="{anchor}"] h2')).to_be_visible()
    assert page.locator('[data-section="turns"] li').count() == 3
    assert 5 <= page.locator('[data-section="questions"] li').count() <= 8
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    pages = _pdf_pages(page.pdf(format="A4"))
    return page.locator("main").inner_text(), pages


def test_a_class_game_summary_prints_to_four_pages_and_the_student_edition_keeps_secrets(
    browser: Any, own_server: tuple[Server, Path]
) -> None:
    server, db = own_server
    pages = Pages(browser, server)
    joined: dict[str, Any] = {}

    def seat_a_student(codes: dict[str, str]) -> None:
        joined["ALPHA"] = join(pages, codes["ALPHA"], "Student Alpha")

    game, markers = _play_three_turns(server, seat_a_student)
    control = facilitate(server, game)
    full = control.request({"type": "report", "game": game, "edition": "full"})["data"]["html"]
    facilitator_html = control.request({"type": "report", "game": game, "edition": "summary"})["data"]["html"]
    control.close()
    for marker in markers:  # the markers are in the game: the full record holds every one
        assert marker in html.unescape(full), marker

    try:
        fac = pages.open(f"#facilitator={server.facilitator_token}")
        expect(fac.get_by_role("heading", name="Create a game")).to_be_visible()
        fac.goto(server.url + f"#console/{game}")
        expect(fac.get_by_role("button", name="Open the after-action report")).to_be_visible()
        fac.get_by_role("button", name="Release the student edition").click()
        expect(fac.locator("body")).to_contain_text("can now open the student edition")

        student = joined["ALPHA"]  # in the game since before it began: the page resumes with its token
        opener = student.get_by_role("button", name="Open the debrief summary")
        with student.context.expect_page() as popup:
            opener.click()
        edition = popup.value
        edition.wait_for_load_state()
        expect(edition.locator(".edition")).to_have_text("Student edition")
        student_text, student_pages = _check_summary(edition, "debrief-summary-student")

        sheet = pages.open()
        sheet.set_content(facilitator_html)
        facilitator_text, facilitator_pages = _check_summary(sheet, "debrief-summary-facilitator")
    finally:
        pages.close()
    assert not pages.errors, pages.errors

    assert 1 <= facilitator_pages <= MAX_PAGES, facilitator_pages
    assert 1 <= student_pages <= MAX_PAGES, student_pages
    assert "Facilitator edition" in facilitator_text
    for marker in markers:
        assert marker not in student_text, marker
    store = SqliteStore(db)
    try:
        log = [e for _, e in store.events(game)]
    finally:
        store.close()
    restricted = {e.reason.explanation for e in log if isinstance(e, Outcome) and e.audience != "public"}
    restricted -= {e.reason.explanation for e in log if isinstance(e, Outcome) and e.audience == "public"}
    restricted |= {e.text for e in log if isinstance(e, MessageSent) and e.channel != "public"}
    restricted |= {e.title for e in log if isinstance(e, InjectReleased) and e.audience != "public"}
    assert restricted
    assert [t for t in restricted if t in student_text] == []
