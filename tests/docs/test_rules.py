"""docs/rules.md stays the rules as implemented: every rule module, bot module, coefficient and rule id.

The checks look for presence only (a name in backticks, a module path), so other sections may be
appended anywhere without breaking them; they fail when the code grows something the page does not
mention.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pydantic import BaseModel

from crisisgame.engine.bibliography import BIBLIOGRAPHY
from crisisgame.engine.rules.behaviour import CITATIONS
from crisisgame.scenario.rulebook import Rulebook
from tests.conftest import ROOT

PAGE = ROOT / "docs" / "rules.md"
TEXT = PAGE.read_text(encoding="utf-8")
SRC = ROOT / "src" / "crisisgame"
RULE_MODULES = sorted(p for p in (SRC / "engine" / "rules").glob("*.py") if p.name != "__init__.py")
BOT_MODULES = sorted(p for p in (SRC / "bots").glob("*.py") if p.name != "__init__.py")


def _groups() -> dict[str, type[BaseModel]]:
    out: dict[str, type[BaseModel]] = {}
    for name, field in Rulebook.model_fields.items():
        model = field.annotation
        assert isinstance(model, type)
        assert issubclass(model, BaseModel)
        out[name] = model
    return out


COEFFICIENTS = [f"{group}.{name}" for group, model in _groups().items() for name in model.model_fields]


def rule_ids(path: Path) -> list[str]:
    """The constant rule ids a module writes into reasons: `outcome(t, changes, "rule.id", ...)` and `rule=`."""
    ids: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        candidates = [kw.value for kw in node.keywords if kw.arg == "rule"]
        if name == "outcome" and len(node.args) >= 3:
            candidates.append(node.args[2])
        ids += [c.value for c in candidates if isinstance(c, ast.Constant) and isinstance(c.value, str)]
    return ids


RULE_IDS = sorted({rid for p in [*RULE_MODULES, SRC / "engine" / "adjudicate.py"] for rid in rule_ids(p)})


@pytest.mark.parametrize("module", RULE_MODULES + BOT_MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_rule_and_bot_module_has_its_place_on_the_page(module: Path) -> None:
    assert f"`{module.parent.name}/{module.name}`" in TEXT, f"docs/rules.md never names {module.relative_to(ROOT)}"


@pytest.mark.parametrize("name", COEFFICIENTS)
def test_every_coefficient_is_documented_where_it_enters_a_formula(name: str) -> None:
    assert f"`{name}`" in TEXT, f"docs/rules.md never writes `{name}`: say which formula reads it"


def test_the_rule_ids_are_found_in_the_code() -> None:
    assert {"threat.walt", "alliance.answer", "ratification.winset", "agreement.duration"} <= set(RULE_IDS)
    assert len(RULE_IDS) >= 25


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_id_a_reason_can_carry_is_explained(rule_id: str) -> None:
    assert f"`{rule_id}`" in TEXT, f"a reason can carry rule id {rule_id!r}, which docs/rules.md never explains"


def test_every_behaviour_label_is_named() -> None:
    for label in CITATIONS:
        assert label.replace("_", "-") in TEXT or label.replace("_", " ") in TEXT, label


def test_every_pipeline_step_has_a_section() -> None:
    for number in range(1, 13):
        assert f"## Step {number}: " in TEXT, f"no section for step {number}"


@pytest.mark.parametrize("key", sorted(BIBLIOGRAPHY))
def test_every_source_is_listed(key: str) -> None:
    assert f"`{key}`" in TEXT


def test_no_file_refers_to_the_design_notes_outside_the_repository() -> None:
    missing = "RULES" + ".md"  # the design notes are not in the repository: cite docs/rules.md instead
    roots = [ROOT / "src", ROOT / "docs", ROOT / "client", ROOT / "tests", ROOT / "schema", ROOT / "scenarios"]
    files = [ROOT / "README.md", *(p for r in roots for p in r.rglob("*") if p.is_file())]
    texts = (p for p in files if p.suffix in {".py", ".md", ".js", ".json", ".yaml", ".html", ".css"})
    mentions = [str(p.relative_to(ROOT)) for p in texts if missing in p.read_text(encoding="utf-8", errors="replace")]
    assert not mentions, f"{missing} is not in the repository, but these files cite it: {mentions}"
