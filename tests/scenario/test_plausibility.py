"""Plausibility warnings: valid figures out of the real world's range are flagged, never refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from crisisgame.cli import main
from crisisgame.scenario.loader import diagnose_file, diagnose_text
from crisisgame.scenario.plausibility import plausibility_warnings
from tests.conftest import MINIMAL, ROOT, SHIPPED
from tests.scenario.strategies import scenario_docs

FIXTURES = [*SHIPPED, MINIMAL, ROOT / "tests" / "engine" / "trio.yaml", ROOT / "tests" / "client" / "seminar.yaml"]


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_the_shipped_and_test_scenarios_raise_no_warning(path: Path) -> None:
    diagnosis = diagnose_file(path)
    assert diagnosis.errors == []
    assert diagnosis.warnings == []


def test_a_warning_leaves_the_scenario_valid(minimal_text: str) -> None:
    diagnosis = diagnose_text(minimal_text.replace("defence_spending: 5.0", "defence_spending: 0.15"))
    assert diagnosis.scenario is not None
    assert diagnosis.errors == []
    [warning] = diagnosis.warnings
    assert (warning.line, warning.warning) == (53, True)
    assert str(warning).startswith("<scenario>:53:23: warning: defence_spending 0.15 means 0.15 % of GDP")
    assert not diagnosis.failed()
    assert diagnosis.failed(strict=True)


def test_spending_above_any_peacetime_figure_is_flagged_and_a_plausible_one_is_not(minimal_text: str) -> None:
    assert len(diagnose_text(minimal_text.replace("defence_spending: 5.0", "defence_spending: 35")).warnings) == 1
    assert diagnose_text(minimal_text.replace("defence_spending: 5.0", "defence_spending: 3.5")).warnings == []


def test_a_state_placed_on_its_capital_is_not_flagged(minimal_text: str) -> None:
    text = minimal_text.replace("name: Beta", "name: Russia")
    assert diagnose_text(text).warnings == []  # Beta sits at lat 55, lon 37: Moscow


def test_validate_prints_warnings_and_accepts_unless_strict(
    tmp_path: Path, minimal_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    slip = tmp_path / "slip.yaml"
    slip.write_text(minimal_text.replace("defence_spending: 5.0", "defence_spending: 0.15"))
    assert main(["validate", str(slip)]) == 0
    out, err = capsys.readouterr()
    assert out == f"{slip}: ok (Two states and a guarantor: 2 actors, 2 playable, 1 warning)\n"
    assert err.startswith(f"{slip}:53:23: warning: defence_spending 0.15")
    assert main(["validate", "--strict", str(slip)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.endswith(f"{slip}: 1 warning (refused under --strict)\n")
    assert main(["validate", "--strict", str(MINIMAL)]) == 0


def test_warnings_ignore_what_they_cannot_read() -> None:
    broken: dict[str, Any] = {
        "meta": {"region": 3},
        "actors": [
            None,
            {"id": 5, "position": {"lat": "north"}, "capabilities": {"gdp": {"value": -1, "unit": "usd_bn"}}},
            {"id": "RUS", "position": {"lat": 95, "lon": 37}, "defence_spending": True},
        ],
    }
    assert plausibility_warnings(broken) == []
    assert plausibility_warnings(["not", "a", "mapping"]) == []


@settings(max_examples=40, deadline=None)
@given(scenario_docs())
def test_warnings_never_fail_on_valid_documents(doc: dict[str, Any]) -> None:
    for problem in plausibility_warnings(doc):
        assert problem.message
        assert problem.loc[0] == "actors"
