"""The after-action report renders in a real headless Chromium (a screenshot is kept as an artifact)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

from crisisgame.debrief.history import history
from crisisgame.debrief.report import report_html
from crisisgame.engine.events import Event, Outcome

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def test_report_renders_in_chromium_with_its_reasons(baltic_log: list[Event], tmp_path: Path) -> None:
    page_file = tmp_path / "report.html"
    page_file.write_text(report_html(history(baltic_log)), encoding="utf-8")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(page_file.as_uri())
            assert page.title().startswith("After-action report")
            assert page.locator("h2").count() >= 8
            assert page.locator("figure svg").count() >= 9
            text = page.locator("main").inner_text()
            wars = [e.reason.explanation for e in baltic_log if isinstance(e, Outcome) and e.reason.step in (6, 7)]
            for explanation in wars[:50]:
                assert explanation in text
            page.screenshot(path=str(ARTIFACTS / "debrief-report.png"), full_page=False)
            pdf = page.pdf(format="A4")
            assert pdf.startswith(b"%PDF")
            assert len(pdf) > 10_000
        finally:
            browser.close()
