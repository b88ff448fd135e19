"""Many runs, one table (`crisisgame.experiments`, `crisisgame simulate --runs`): rows derived from
events, byte-identical files whatever the number of processes, Wilson intervals, and a data dictionary
that documents every column."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisisgame import experiments
from crisisgame.cli import main
from crisisgame.engine.commands import ForceOrder, Orders, Proposal
from crisisgame.engine.events import (
    AgreementConcluded,
    CallOpened,
    Change,
    DemandOpened,
    Event,
    GameCreated,
    OrdersSubmitted,
    Outcome,
    Reason,
)
from crisisgame.scenario.loader import load_scenario
from tests.conftest import ROOT
from tests.engine.test_commitments import GUARANTEE, started, strike, world

TRIO = ROOT / "tests" / "engine" / "trio.yaml"
TAIWAN = ROOT / "scenarios" / "taiwan_strait.yaml"


def _reason(rule: str, **inputs: str | float) -> Reason:
    return Reason(rule=rule, step=6, explanation="test", inputs=inputs)


def _war_log() -> list[Event]:
    """A hand-written log: a pact, an order of war, the war, an ally joining, a call, a ceasefire."""
    war = Change(target="pair", key="A|B", field="war", value=True)
    return [
        GameCreated(scenario={"agreements": [{"id": "pact", "type": "defence_pact"}]}, seed=5, teams=[]),
        AgreementConcluded(
            id="ag-p1",
            turn=1,
            proposal=Proposal(type="defence_pact", parties=["B", "C"], strength=0.7),
            reason=_reason("negotiation.concluded"),
        ),
        DemandOpened(id="d1", turn=1, actor="A", target="B", issue="land", position=0.9, public=True),
        OrdersSubmitted(turn=2, actor="A", orders=Orders(force=[ForceOrder(target="B", level="war")])),
        Outcome(
            turn=2,
            changes=[war],
            reason=_reason(
                "crisis.war",
                attacker="A",
                target="B",
                winner="A",
                source="decision",
                p=0.61,
                level="war",
                causes="mutual optimism: no bargaining range",
            ),
        ),
        CallOpened(
            id="call-2-pact-B-A",
            turn=2,
            agreement="pact",
            caller="B",
            adversary="A",
            obligated=["C"],
            reason=_reason("alliance.call"),
        ),
        Outcome(
            turn=2,
            changes=[
                Change(target="call", key="call-2-pact-B-A", field="answer:C", value=True),
                Change(target="pair", key="A|C", field="war", value=True),
            ],
            reason=_reason("alliance.answer"),
        ),
        Outcome(
            turn=3,
            changes=[Change(target="pair", key="A|B", field="war", value=False)],
            reason=_reason("crisis.ceasefire"),
        ),
    ]


def test_rows_follow_the_log_a_war_decided_joined_by_an_ally_and_ended() -> None:
    rows = experiments.rows_of(_war_log(), run=3, seed=8)
    kinds = [r["kind"] for r in rows]
    assert kinds == [
        "agreement_formed",
        "demand",
        "force",
        "fight",
        "war_started",
        "call",
        "call_answer",
        "war_started",
        "war_ended",
    ]
    assert all(r["run"] == 3 and r["seed"] == 8 for r in rows)
    started = rows[4]
    assert (started["actor"], started["target"], started["detail"], started["value"]) == ("A", "B", "decision", 0.61)
    answer = rows[6]
    assert (answer["actor"], answer["target"], answer["agreement"], answer["agreement_type"], answer["honoured"]) == (
        "C",
        "B",
        "pact",
        "defence_pact",
        "true",
    )
    joined = rows[7]
    assert (joined["actor"], joined["target"], joined["detail"]) == ("C", "A", "alliance")
    ended = rows[8]
    assert (ended["actor"], ended["target"], ended["winner"]) == ("A", "B", "A")
    assert rows[0]["actor"] == "B;C"
    assert rows[0]["agreement_type"] == "defence_pact"
    assert rows[2]["rung"] == "war"


def test_events_of_other_branches_are_read_by_type_name() -> None:
    """agreement_ended, sanctions, nuclear tests and a call's clause come in by type and attribute."""

    class Loose:
        def __init__(self, **fields: object) -> None:
            self.__dict__.update(fields)

    log = [
        Loose(type="agreement_ended", turn=2, agreement="pact", parties=["B", "C"], cause="renounced"),
        Loose(type="sanction_imposed", turn=2, actor="C", target="A"),
        Loose(type="nuclear_test", turn=3, actor="A"),
        Loose(
            type="call_opened",
            turn=3,
            agreement="pact",
            caller="B",
            adversary="A",
            obligated=["C"],
            clause="art5",
        ),
    ]
    rows = experiments.rows_of(log, run=0, seed=0)  # type: ignore[arg-type]
    assert [(r["kind"], r["detail"]) for r in rows] == [
        ("agreement_ended", "renounced"),
        ("sanction", "imposed"),
        ("nuclear_test", ""),
        ("call", ""),
    ]
    assert rows[3]["clause"] == "art5"


def test_every_column_is_in_the_data_dictionary_docs() -> None:
    text = (ROOT / "docs" / "runs_table.md").read_text(encoding="utf-8")
    section = text.split("# The runs table", 1)[1]
    for column in experiments.COLUMNS:
        assert f"`{column}`" in section, column


def test_wilson_interval_matches_a_known_value() -> None:
    low, high = experiments.wilson(10, 100)
    assert low == pytest.approx(0.0552, abs=1e-4)
    assert high == pytest.approx(0.1744, abs=1e-4)
    assert experiments.wilson(0, 20)[0] == 0.0


@given(st.integers(0, 200), st.integers(1, 200))
def test_wilson_interval_contains_the_observed_rate(k: int, n: int) -> None:
    k = min(k, n)
    low, high = experiments.wilson(k, n)
    assert 0.0 <= low <= k / n <= high <= 1.0


def test_same_seed_and_runs_give_the_same_table_whatever_the_number_of_processes() -> None:
    scenario = load_scenario(TAIWAN)
    alone = experiments.run_many(scenario, runs=4, seed=11, jobs=1, turns=2)
    pooled = experiments.run_many(scenario, runs=4, seed=11, jobs=2, turns=2)
    assert experiments.csv_text(alone) == experiments.csv_text(pooled)
    assert alone
    assert all(r["seed"] == 11 + r["run"] for r in alone)
    assert [r["run"] for r in alone] == sorted(r["run"] for r in alone)


def test_run_many_refuses_nonsense() -> None:
    scenario = load_scenario(TRIO)
    with pytest.raises(ValueError, match="--runs"):
        experiments.run_many(scenario, runs=0)
    with pytest.raises(ValueError, match="--jobs"):
        experiments.run_many(scenario, runs=1, jobs=0)


def test_cli_writes_the_table_and_prints_the_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "runs.csv"
    args = [
        "simulate",
        str(TAIWAN),
        "--turns",
        "2",
        "--runs",
        "3",
        "--seed",
        "11",
        "--jobs",
        "1",
        "--summary",
        str(out),
    ]
    assert main(args) == 0
    printed, progress = capsys.readouterr()
    assert "3/3 runs" in progress
    lines = printed.splitlines()
    assert lines[0].startswith("war (any start): ")
    assert "95% CI" in lines[0]
    assert lines[1].startswith("war begun by decision: ")
    assert lines[2].startswith("armed clash ordered (limited strike or war): ")
    assert lines[3].startswith("calls honoured: ")
    assert lines[4].startswith("most frequent alignments: ")
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(experiments.COLUMNS)
    table = list(csv.DictReader(io.StringIO(text)))
    assert table
    assert {r["run"] for r in table} <= {"0", "1", "2"}
    first = out.read_bytes()
    assert main(args) == 0
    assert out.read_bytes() == first


def test_cli_refuses_a_single_game_log_with_many_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["simulate", str(TRIO), "--runs", "2", "--out", str(tmp_path / "x.jsonl")])
    assert code == 2
    assert "--summary" in capsys.readouterr().err


def test_an_answer_to_a_call_with_an_opaque_id_names_its_agreement_and_type() -> None:
    """Call ids are opaque in real games: the answer's agreement comes from the call_opened event."""
    log = [
        event.model_copy(update={"id": "call-x7Qz"}) if isinstance(event, CallOpened) else event for event in _war_log()
    ]
    log = [
        e.model_copy(
            update={
                "changes": [c.model_copy(update={"key": "call-x7Qz"}) if c.target == "call" else c for c in e.changes]
            }
        )
        if isinstance(e, Outcome) and e.reason.rule == "alliance.answer"
        else e
        for e in log
    ]
    [answer] = [r for r in experiments.rows_of(log, run=0, seed=0) if r["kind"] == "call_answer"]
    assert (answer["agreement"], answer["agreement_type"], answer["target"]) == ("pact", "defence_pact", "B")


def test_a_renewal_is_a_row_naming_who_renewed_and_the_term_granted() -> None:
    """A fixed-term guarantee renewed by one party, then by both parties in the same turn: one row each turn,
    and no agreement_ended row while the renewed agreement stays in force."""
    table = started(world(GUARANTEE | {"duration": 2}))
    strike(table, {})
    strike(table, {"GAMMA": Orders(renew=["guarantee"])})
    strike(table, {"ALPHA": Orders(renew=["guarantee"]), "GAMMA": Orders(renew=["guarantee"])})
    assert table.state.agreements["guarantee"].active
    rows = experiments.rows_of(table.log, run=2, seed=9)
    renewals = [
        (r["run"], r["turn"], r["actor"], r["agreement"], r["agreement_type"], r["value"])
        for r in rows
        if r["kind"] == "agreement_renewed"
    ]
    assert renewals == [
        (2, 2, "GAMMA", "guarantee", "security_guarantee", 2),
        (2, 3, "ALPHA", "guarantee", "security_guarantee", 2),  # both ordered it: one renewal, one row
    ]
    assert not [r for r in rows if r["kind"] == "agreement_ended"]
    assert "agreement_renewed" in experiments.COLUMNS["kind"]
    written = list(csv.DictReader(io.StringIO(experiments.csv_text(rows))))
    assert [r["value"] for r in written if r["kind"] == "agreement_renewed"] == ["2", "2"]


def test_an_alignment_is_counted_once_whatever_order_its_parties_were_proposed_in() -> None:
    """The same four parties proposed in two orders used to be printed as two alignments (2 runs and 1 run)."""
    blank = dict.fromkeys(experiments.COLUMNS, "")
    rows = [
        {**blank, "run": run, "kind": "agreement_formed", "actor": parties, "agreement_type": "consultation"}
        for run, parties in (("0", "UNC;KOR;JPN;USA"), ("1", "UNC;JPN;KOR;USA"), ("2", "UNC;KOR;JPN;USA"))
    ]
    lines = experiments.summarise(rows, 3)
    assert "most frequent alignments: consultation JPN+KOR+UNC+USA (3 runs)" in lines
