"""A facilitator uploads a scenario from the console: a broken file first (every error shown at its
line and column, beside the lines it names), then the fixed file, then a game started from it. The
join codes are rotated from the console, and a student's message composer counts as they type."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from crisisgame.scenario.loader import check_text
from tests.client.conftest import SCENARIO, Pages, assert_accessible, screenshot
from tests.client.flows import NAMES, join

FIXED = SCENARIO.read_text(encoding="utf-8").replace("id: seminar", "id: seminar-upload", 1)
BROKEN = FIXED.replace("approval: 0.55", "approval: 2", 1).replace("with: BRAVO", "with: BRAVOO", 1)


def test_a_broken_upload_shows_its_errors_then_the_fixed_file_starts_a_game(pages: Pages) -> None:
    _, expected = check_text(BROKEN)
    assert len(expected) == 2
    fac = pages.open(f"#facilitator={pages.server.facilitator_token}")
    expect(fac.get_by_role("heading", name="Create a game")).to_be_visible()
    fac.get_by_text("Upload a scenario of your own").click()

    upload = fac.get_by_label("Scenario file", exact=True)
    upload.set_input_files(files=[{"name": "my_crisis.yaml", "mimeType": "text/yaml", "buffer": BROKEN.encode()}])
    fac.get_by_role("button", name="Upload and check").click()
    errors = fac.locator(".upload-error")
    expect(errors).to_have_count(2)
    expect(fac.locator(".upload-errors .form-error")).to_contain_text("my_crisis.yaml: 2 errors")
    for row, error in zip(errors.all(), expected, strict=True):
        expect(row.locator(".where")).to_have_text(f"Line {error.line}, column {error.column}:")
        expect(row).to_contain_text(error.message)
        assert error.hint is not None
        expect(row.locator(".hint")).to_have_text(f"Hint: {error.hint}")
        expect(row.locator(".src-error")).to_contain_text(BROKEN.splitlines()[error.line - 1].strip())
    expect(fac.locator("#scenario option[value='seminar-upload']")).to_have_count(0)
    assert_accessible(fac, "console lobby with upload errors")
    screenshot(fac, "console-upload-errors")

    upload.set_input_files(files=[{"name": "my_crisis.yaml", "mimeType": "text/yaml", "buffer": FIXED.encode()}])
    fac.get_by_role("button", name="Upload and check").click()
    expect(fac.locator(".upload-ok")).to_contain_text("seminar-upload")
    expect(fac.locator(".upload-error")).to_have_count(0)
    expect(fac.locator("#scenario")).to_have_value("seminar-upload")
    for seat, name in NAMES.items():
        fac.get_by_label(f"{name} ({seat})").set_checked(seat in ("ALPHA", "BRAVO"))
    fac.get_by_role("button", name="Create game").click()
    expect(fac).to_have_url(re.compile(r"#console/[0-9a-f]+$"))
    cards = fac.locator(".code-card")
    expect(cards).to_have_count(3)

    # New join codes: the old one stops working, the new one lets a student in.
    old = cards.first.locator(".join-code").inner_text().replace("Join code", "").strip()
    fac.get_by_role("button", name="New join codes").click()
    expect(cards.first.locator(".join-code")).not_to_contain_text(old)
    fresh = cards.first.locator(".join-code").inner_text().replace("Join code", "").strip()
    who = cards.first.locator("h3").inner_text().strip()
    assert who == "Alpha"
    ada = join(pages, fresh, "Ada")
    fac.get_by_role("button", name="Start the game", exact=True).click()

    # The composer counts characters as the student types.
    ada.get_by_role("tab", name=re.compile("^Messages")).click()
    box = ada.get_by_label("Message", exact=True)
    box.fill("Hello, Bravo.")
    expect(ada.locator(".composer .hint")).to_have_text("13 of 4000 characters")
    box.fill("x" * 3700)
    expect(ada.locator(".composer .hint")).to_have_class(re.compile("near-limit"))
