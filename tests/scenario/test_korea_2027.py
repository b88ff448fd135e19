"""A scenario written from the documentation alone (README.md and docs/authoring.md), the way outside
reviewers test the project: the Korean Peninsula in 2027. It validates without errors or warnings, and
eight turns of bot play run without error and produce calls and demands."""

from __future__ import annotations

from dataclasses import dataclass

import jsonschema
from ruamel.yaml import YAML

from crisisgame.engine.events import CallOpened, DemandOpened
from crisisgame.scenario.loader import _parse, diagnose_file, diagnose_text, load_scenario
from crisisgame.scenario.schema import scenario_schema
from crisisgame.simulate import play
from tests.conftest import ROOT
from tests.engine.support import check_invariants

KOREA = ROOT / "tests" / "scenario" / "korea_2027.yaml"


@dataclass(frozen=True)
class Mistake:
    """One mistake in a copy of the Korea scenario, and what the validator says about it."""

    name: str
    replace: str
    replacement: str
    says: str


def mistakes(name: str) -> list[Mistake]:
    """The mistakes of `korea_2027_NAME.yaml` (a list of `mistake`, `replace`, `with` and `says`)."""
    data = YAML(typ="safe").load((KOREA.parent / f"korea_2027_{name}.yaml").read_text(encoding="utf-8"))
    return [Mistake(m["mistake"], m["replace"], m["with"], m["says"]) for m in data]


def render_mistake(m: Mistake) -> str:
    """What `crisisgame validate` says about the Korea scenario with mistake `m`, without the file name."""
    text = KOREA.read_text(encoding="utf-8")
    assert m.replace in text, f"{m.name}: the mistake must change the scenario"
    diagnosis = diagnose_text(text.replace(m.replace, m.replacement, 1), "korea.yaml")
    return "".join(str(e).removeprefix("korea.yaml:") + "\n" for e in [*diagnosis.errors, *diagnosis.warnings])


def test_the_korea_scenario_validates_strictly() -> None:
    diagnosis = diagnose_file(KOREA)
    assert diagnosis.errors == []
    assert diagnosis.warnings == [], "\n".join(map(str, diagnosis.warnings))
    scenario = diagnosis.scenario
    assert scenario is not None
    assert [a.id for a in scenario.actors] == ["PRK", "KOR", "USA", "JPN", "CHN", "RUS", "UNC"]
    assert scenario.turns.count == 8


def test_the_treaties_carry_their_casus_foederis() -> None:
    agreements = {a.id: a for a in load_scenario(KOREA).agreements}
    japan = agreements["us-japan-treaty"].obligations[0]
    assert not isinstance(japan, str)
    assert (japan.scope, japan.region) == ("region", ["JPN"])
    russia = agreements["rus-dprk-2024"].obligations[0]
    assert not isinstance(russia, str)
    assert russia.min_rung == "war"
    assert agreements["us-japan-bases"].terms.host_consent == "case_by_case"


def test_eight_turns_of_bot_play_run_and_produce_calls_or_demands() -> None:
    scenario = load_scenario(KOREA)
    run = play(scenario, seed=3, turns=8)
    state = run.game.state
    assert state.phase == "ended"
    assert state.turn == 8
    check_invariants(state)
    calls = [e for e in run.log if isinstance(e, CallOpened)]
    demands = [e for e in run.log if isinstance(e, DemandOpened)]
    assert len(calls) + len(demands) >= 1


def test_the_editor_schema_accepts_the_korea_scenario() -> None:
    """The file's first line points editors at schema/scenario.schema.json; the schema must not underline it."""
    assert KOREA.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../../schema/scenario.schema.json\n"
    )
    assert (KOREA.parent / "../../schema/scenario.schema.json").resolve().is_file()
    validator = jsonschema.Draft202012Validator(scenario_schema())
    assert list(validator.iter_errors(_parse(KOREA.read_text(encoding="utf-8")).data)) == []
