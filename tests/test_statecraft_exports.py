"""The runs table and economic terms (issue 12, item 7): a `sanction` row names the agreement whose term
imposed or ended it (empty for one ordered unilaterally), and a party that withheld a term is a `breach` row."""

from __future__ import annotations

from crisisgame import experiments
from crisisgame.engine.commands import Orders, SanctionOrder
from tests.engine.test_commitments import started, strike
from tests.engine.test_statecraft_terms import AID, COALITION, world


def test_sanction_rows_name_the_agreement_and_breaches_have_rows_of_their_own() -> None:
    table = started(world(COALITION | {"duration": 3}, AID))
    strike(table, {})
    strike(table, {"GAMMA": Orders(withhold=["coalition"]), "ALPHA": Orders(sanctions=[SanctionOrder(target="UNION")])})
    rows = experiments.rows_of(table.log, run=0, seed=5)
    sanctions = [
        (r["turn"], r["actor"], r["target"], r["agreement"], r["agreement_type"], r["detail"])
        for r in rows
        if r["kind"] == "sanction"
    ]
    assert sanctions == [
        (1, "ALPHA", "BETA", "coalition", "consultation", "imposed"),
        (1, "GAMMA", "BETA", "coalition", "consultation", "imposed"),
        (2, "ALPHA", "UNION", "", "", "imposed"),
        (2, "GAMMA", "BETA", "coalition", "consultation", "lifted"),
    ]
    breaches = [(r["turn"], r["actor"], r["agreement"], r["agreement_type"]) for r in rows if r["kind"] == "breach"]
    assert breaches == [(2, "GAMMA", "coalition", "consultation")]
    assert set(experiments.COLUMNS) >= {"agreement", "detail"}
    assert "breach" in experiments.COLUMNS["kind"]
