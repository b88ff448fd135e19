"""The plenary network is legible: short labels on a circle, none overlapping, edges filtered by type.

The Baltic scenario (14 actors, many agreements) on the projector at 1920x1080 and on a phone at
360x740; label positions are read from the rendered network, and screenshots are kept.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.client.conftest import TIMEOUT_MS, Pages, screenshot
from tests.client.wire import facilitate

LABELS = "() => document.querySelector('.network').network.labels()"


def _overlaps(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (a["label"], b["label"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]
    ]


@pytest.fixture(scope="module")
def baltic_codes(server: Any) -> dict[str, str]:
    lobby = facilitate(server)
    data = lobby.request({"type": "create_game", "scenario": "baltic", "teams": ["EST", "LVA", "LTU"], "seed": 5})
    lobby.close()
    codes: dict[str, str] = data["data"]["codes"]
    return codes


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (360, 740)])
def test_plenary_network_labels_do_not_overlap(
    pages: Pages, baltic_codes: dict[str, str], width: int, height: int
) -> None:
    page = pages.open(f"#plenary={baltic_codes['observer']}", width=width, height=height)
    expect(page.locator(".plenary-title")).to_have_text("Narrow Margins: a Baltic Crisis, 2027", timeout=TIMEOUT_MS)
    page.wait_for_function(f"() => ({LABELS[6:]}).length === 14")
    page.wait_for_timeout(300)  # the network is fitted once the layout settles
    boxes: list[dict[str, Any]] = page.evaluate(LABELS)
    assert len(boxes) == 14
    assert _overlaps(boxes) == []
    for b in boxes:
        assert len(b["label"]) <= 14, b["label"]
        assert b["y2"] - b["y1"] >= (14 if width > 1000 else 8), b  # legible at the back of the room
    screenshot(page, f"plenary-network-{width}x{height}")

    shown = page.evaluate("() => document.querySelector('.network').network.visibleEdges()")
    toggle = page.locator(".legend-toggle").first
    toggle.press("Enter")  # a keyboard works the filter too
    expect(toggle).to_have_attribute("aria-pressed", "false", timeout=TIMEOUT_MS)
    fewer = page.evaluate("() => document.querySelector('.network').network.visibleEdges()")
    assert 0 <= fewer < shown
    toggle.press("Enter")  # a keyboard works the filter too
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("() => document.querySelector('.network').network.visibleEdges()") == shown
