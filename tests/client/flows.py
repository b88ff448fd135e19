"""Steps the browser tests share: what a facilitator and a team do through the client's screens."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.client.conftest import Pages

SCENARIO_ID = "seminar"
"""The test scenario (tests/client/seminar.yaml), in the server's catalogue."""
TEAMS = ("ALPHA", "BRAVO", "CHARLIE")
NAMES = {"ALPHA": "Alpha", "BRAVO": "Bravo", "CHARLIE": "Charlie", "DELTA": "Delta"}


def create_game(pages: Pages, *, auto_release: bool = False, seed: int = 7) -> tuple[Any, str, dict[str, str]]:
    """The facilitator opens the console, creates a game of the test scenario, and reads the join codes.

    Returns the console page, the game id and the codes by seat name ('Alpha', ..., 'observer').
    """
    fac = pages.open(f"#facilitator={pages.server.facilitator_token}")
    expect(fac.get_by_role("heading", name="Create a game")).to_be_visible()
    expect(fac.locator("#scenario option").first).to_be_attached()
    fac.locator("#scenario").select_option(SCENARIO_ID)
    for seat, name in NAMES.items():
        fac.get_by_label(f"{name} ({seat})").set_checked(seat in TEAMS)
    fac.get_by_label("Random seed (optional)").fill(str(seed))
    release = fac.get_by_label(re.compile("Release results at once"))
    if release.is_checked() != auto_release:
        release.click()
    fac.get_by_role("button", name="Create game").click()
    expect(fac).to_have_url(re.compile(r"#console/[0-9a-f]+$"))
    game = fac.url.rsplit("/", 1)[1]
    expect(fac.locator(".code-card")).to_have_count(len(TEAMS) + 1)
    codes: dict[str, str] = {}
    for card in fac.locator(".code-card").all():
        who = card.locator("h3").inner_text().strip()
        code = card.locator(".join-code").inner_text().replace("Join code", "").strip()
        codes["observer" if who.startswith("Plenary") else who] = code
    return fac, game, codes


def join(pages: Pages, code: str, name: str, width: int = 1280) -> Any:
    """A student opens the join link, types a name and lands in the team view."""
    page = pages.open(f"#join={code}", width=width)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join the game").click()
    expect(page).to_have_url(re.compile("#play$"))
    expect(page.locator(".state-name")).to_be_visible()
    return page


def tab(page: Any, name: str) -> None:
    page.get_by_role("tab", name=re.compile(f"^{name}")).click()


def command_button(fac: Any, name: str) -> None:
    fac.get_by_role("button", name=name, exact=True).click()


def expect_phase(page: Any, turn: int, phase: str) -> None:
    expect(page.locator(".timer-meta")).to_have_text(re.compile(f"Turn {turn} of \\d+ · {phase}"))


def advance(fac: Any, turn: int, to: str) -> None:
    command_button(fac, "Advance to the next phase")
    expect_phase(fac, turn, to)
