"""The shipped scenarios' starting agreements that declare terms act from the first turn: the EU's sanctions
on Russia bind its member states, the Baltic Security Initiative pays its aid at the donor's cost, and fixed
terms (the sanctions regime's six-monthly period, AUSSOM's mandate) count down (issue 12, item 8)."""

from __future__ import annotations

from crisisgame.engine.commands import Start
from crisisgame.engine.events import Outcome, SanctionImposed
from tests.conftest import ROOT
from tests.engine.support import FAC, Table, scenario
from tests.engine.test_commitments import strike

SCENARIOS = ROOT / "scenarios"
EU_MEMBERS = {"DEU", "POL", "EST", "LVA", "LTU", "FIN", "SWE"}


def _started(name: str) -> Table:
    table = Table(scenario(SCENARIOS / name), seed=3, teams=[])
    table.do(Start(by=FAC))
    return table


def test_the_eu_sanctions_regime_binds_its_members_and_the_us_pays_its_baltic_aid() -> None:
    table = _started("baltic.yaml")
    usa = table.state.actors["USA"].milex
    assert usa is not None
    events = strike(table, {})
    imposed = {(e.actor, e.target, e.kind, e.agreement) for e in events if isinstance(e, SanctionImposed)}
    assert imposed == {(m, "RUS", "sanctions", "eu_rus_sanctions") for m in EU_MEMBERS}
    aid = [e for e in events if isinstance(e, Outcome) and e.reason.rule == "economy.aid_term"]
    assert sorted(e.changes[1].key for e in aid) == ["EST", "LTU", "LVA"]
    assert {e.reason.inputs["agreement"] for e in aid} == {"us_baltic_bsi"}
    paid = usa - (table.state.actors["USA"].milex or 0.0)
    assert abs(paid - 3 * 1.5 * 1000) < 1e-3  # three terms of US$ 1.5m, in thousands of US$
    assert table.state.agreements["eu_rus_sanctions"].duration == 20  # 21 weeks to 31 January 2028, one gone


def test_the_aussom_mandate_counts_down_to_the_end_of_2026() -> None:
    table = _started("horn_of_africa.yaml")
    assert table.state.agreements["aussom"].duration == 16
    strike(table, {})
    assert table.state.agreements["aussom"].active
    assert table.state.agreements["aussom"].duration == 15
